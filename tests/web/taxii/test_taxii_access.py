"""Who sees which TAXII collection and object: TLP 2.0 through the one access rule; RED only to
the named person; a federation peer sees CLEAR and GREEN only; how callers authenticate."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ballotguard.errors import AuthenticationFailed
from ballotguard.ports import ObjectQuery, StoredObject
from ballotguard.services import auth, stakeholders
from ballotguard.services import taxii as taxii_service
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.services.taxii import collection_id
from ballotguard.sharing import Audience, Permission, Person, Role, read_scope
from ballotguard.vocabulary import Tlp
from ballotguard.web.access import GuardedRoute
from ballotguard.web.app import all_routes
from support import world
from support.hub import PASSWORD
from taxii.taxii_helpers import (
    ROOT,
    Taxii,
    TaxiiHub,
    assert_taxii_error,
    audience,
    basic,
    collection_path,
    indicator,
    objects_path,
    put,
    served_ids,
    stored,
)

COUNTER = itertools.count()


def add_peer(hub: TaxiiHub) -> tuple[Person, str]:
    """An account standing for another instance, in the CERT's organisation."""
    peer = world.person(hub.bg, hub.cert, (Role.FEDERATION_PEER,), email="peer@other.example")
    with hub.bg.uow() as uow:
        token = auth.create_token(uow, OPERATOR, peer, "federation", hub.bg.clock())
    hub.tokens[peer.email] = token
    return peer, token


def agreement(hub: TaxiiHub, max_tlp: Tlp = Tlp.AMBER_STRICT) -> str:
    with hub.bg.uow() as uow:
        made = stakeholders.add_agreement(
            uow, person_actor(hub.admin), hub.ea.id, hub.cert.id, max_tlp, frozenset(),
            frozenset(), hub.bg.clock(),
        )
    return made.id


def visible_ids(taxii: Taxii, person: Person) -> dict[str, set[str]]:
    """Every object id the person is served, per collection alias or name."""
    listing = taxii.get(f"{ROOT}/collections/", person).json()["collections"]
    found = {}
    for collection in listing:
        path = f"{ROOT}/collections/{collection['id']}/objects/"
        ids = served_ids(taxii.get(path, person, {"match[version]": "all"}))
        found[collection.get("alias", collection["title"])] = set(ids)
    return found


def test_each_reader_lists_the_collections_their_organisation_and_role_open(
    hub: TaxiiHub, taxii: Taxii
) -> None:
    ea = taxii.get(f"{ROOT}/collections/", hub.ea_analyst).json()["collections"]
    assert [c.get("alias") for c in ea] == ["clear", "community", None, "red"]
    assert ea[2]["id"] == collection_id(f"org|{hub.ea.id}")
    assert [c["can_write"] for c in ea] == [True, True, True, False]
    assert all(c["can_read"] and c["media_types"] for c in ea)
    panel = taxii.get(f"{ROOT}/collections/", hub.panel_member).json()["collections"]
    assert [c["can_write"] for c in panel] == [False, False, False, False]  # no exchange_stix
    assert panel[2]["id"] == collection_id(f"org|{hub.cert.id}")


def test_another_organisations_collection_is_a_404_like_a_missing_one(
    hub: TaxiiHub, taxii: Taxii
) -> None:
    ea_collection = collection_path(f"org|{hub.ea.id}")
    assert taxii.get(ea_collection, hub.ea_analyst).status_code == 200
    refused = assert_taxii_error(taxii.get(ea_collection, hub.cert_analyst), 404)
    missing = assert_taxii_error(taxii.get(f"{ROOT}/collections/nope/", hub.cert_analyst), 404)
    assert refused["title"] == missing["title"]
    assert_taxii_error(taxii.get(f"{ea_collection}objects/", hub.cert_analyst), 404)
    assert_taxii_error(taxii.get(f"{ea_collection}manifest/", hub.cert_analyst), 404)


def test_an_agreement_opens_a_collection_to_both_parties_and_to_nobody_else(
    hub: TaxiiHub, taxii: Taxii
) -> None:
    made = agreement(hub)
    path = collection_path(f"agreement|{made}")
    ea = taxii.get(path, hub.ea_analyst).json()
    cert = taxii.get(path, hub.cert_analyst).json()
    assert ea["can_write"] is True and cert["can_write"] is False
    assert_taxii_error(taxii.get(path, hub.platform_analyst), 404)
    shared = stored(indicator("shared"), audience(Tlp.AMBER, hub.ea_analyst, frozenset({hub.cert.id})),
                    f"import:{hub.ea.id}")
    own = stored(indicator("own"), audience(Tlp.AMBER, hub.ea_analyst), f"import:{hub.ea.id}")
    put(hub.bg, [shared, own])
    assert served_ids(taxii.get(f"{path}objects/", hub.cert_analyst)) == [shared.stix_id]
    assert served_ids(taxii.get(f"{path}objects/", hub.ea_analyst)) == [shared.stix_id]


def test_red_reaches_the_named_person_only(hub: TaxiiHub, taxii: Taxii) -> None:
    named = stored(indicator("red"), audience(Tlp.RED, hub.ea_analyst, people=frozenset({hub.cert_analyst.id})),
                   f"import:{hub.ea.id}")
    put(hub.bg, [named])
    red = objects_path("red")
    assert served_ids(taxii.get(red, hub.cert_analyst)) == [named.stix_id]
    assert served_ids(taxii.get(red, hub.ea_analyst)) == [named.stix_id]  # the author
    assert served_ids(taxii.get(red, hub.panel_member)) == []  # same organisation, not named
    assert served_ids(taxii.get(red, hub.ea_admin)) == []
    for person in (hub.panel_member, hub.platform_analyst, hub.ea_admin):
        for ids in visible_ids(taxii, person).values():
            assert named.stix_id not in ids
        assert_taxii_error(taxii.get(f"{red}{named.stix_id}/", person), 404)


def test_a_federation_peer_sees_clear_and_community_only(hub: TaxiiHub, taxii: Taxii) -> None:
    peer, _ = add_peer(hub)
    author = hub.ea_analyst
    rows = {
        tlp: stored(indicator(f"peer-{tlp.value}"),
                    audience(tlp, author, frozenset({hub.cert.id}), frozenset({peer.id})),
                    f"import:{hub.ea.id}")
        for tlp in Tlp
    }
    put(hub.bg, list(rows.values()))
    listing = taxii.get(f"{ROOT}/collections/", peer).json()["collections"]
    assert [c["alias"] for c in listing] == ["clear", "community"]
    assert visible_ids(taxii, peer) == {
        "clear": {rows[Tlp.CLEAR].stix_id}, "community": {rows[Tlp.GREEN].stix_id},
    }
    for name in (f"org|{hub.cert.id}", "red"):
        assert_taxii_error(taxii.get(collection_path(name), peer), 404)


def test_every_reader_is_served_exactly_what_the_one_rule_admits(hub: TaxiiHub, taxii: Taxii) -> None:
    """All audiences over the hub's organisations and people; the union of a reader's
    collections equals the set ``ReadScope.admits``, no more and no less."""
    peer, _ = add_peer(hub)
    people = [hub.ea_analyst, hub.cert_analyst, hub.platform_analyst, hub.ea_admin,
              hub.panel_member, peer]
    orgs = [hub.ea.id, hub.cert.id, hub.platform.id]
    rows: list[StoredObject] = []
    for tlp, author, recipients, named in itertools.product(
        Tlp, [hub.ea_analyst, hub.cert_analyst], [frozenset(), frozenset({hub.platform.id})],
        [frozenset(), frozenset({hub.panel_member.id})],
    ):
        n = next(COUNTER)
        rows.append(stored(indicator(f"rule-{n}"), audience(tlp, author, recipients, named),
                           f"import:{author.org_id}"))
    put(hub.bg, rows)
    assert len(orgs) == 3
    for person in people:
        scope = read_scope(person_actor(person).reader)
        admitted = {r.stix_id for r in rows if scope.admits(r.audience)}
        served = set().union(*visible_ids(taxii, person).values())
        assert served == admitted, person.email


def test_a_row_the_rule_refuses_never_leaves_even_if_the_store_returns_it(hub: TaxiiHub) -> None:
    red = Audience(Tlp.RED, hub.ea.id, hub.ea_analyst.id, frozenset(), frozenset())
    leaked = replace(stored(indicator("leak"), red, f"import:{hub.ea.id}"),
                     date_added=datetime(2026, 1, 1, tzinfo=UTC), seq=1)

    class LeakyStore:
        def page(self, *args: object) -> list[StoredObject]:
            return [leaked]

    class LeakyUow:
        stix_objects = LeakyStore()

    actor = person_actor(hub.platform_analyst)
    with hub.bg.uow() as uow:
        community = taxii_service.get_collection(uow, actor, "community")
    with pytest.raises(AssertionError, match="access rule"):
        taxii_service.read_page(LeakyUow(), actor, community, ObjectQuery(), 10, None)  # type: ignore[arg-type]


# ---- authentication ----------------------------------------------------------------------------


def test_basic_with_the_password_and_with_an_api_token_both_work(hub: TaxiiHub, taxii: Taxii) -> None:
    path = f"{ROOT}/collections/"
    email = hub.ea_analyst.email
    for secret in (PASSWORD, hub.tokens[email]):
        response = taxii.client.get(path, headers=basic(email, secret) | {"Accept": "*/*"})
        assert response.status_code == 200, response.text
    upper = taxii.client.get(path, headers=basic(email.upper(), PASSWORD))
    assert upper.status_code == 200


@pytest.mark.parametrize(
    ("user", "secret"),
    [("analyst@ec.example", "wrong password!"), ("nobody@ec.example", PASSWORD),
     ("analyst@ec.example", "bg_not-a-token"), ("analyst@cert.example", "{ea_token}")],
)
def test_basic_with_wrong_credentials_is_a_401(hub: TaxiiHub, taxii: Taxii, user: str, secret: str) -> None:
    secret = secret.replace("{ea_token}", hub.tokens[hub.ea_analyst.email])  # someone else's token
    response = taxii.client.get(f"{ROOT}/", headers=basic(user, secret))
    assert_taxii_error(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="ballotguard", Bearer realm="ballotguard"'


def test_garbled_basic_credentials_are_a_clear_401(hub: TaxiiHub, taxii: Taxii) -> None:
    for header in ("Basic !!!", "Basic bm8tY29sb24="):  # not base64; no colon
        response = taxii.client.get(f"{ROOT}/", headers={"Authorization": header})
        assert_taxii_error(response, 401, "e-mail:password")


def test_the_token_scheme_gets_a_401_that_says_what_to_send(hub: TaxiiHub, taxii: Taxii) -> None:
    token = hub.tokens[hub.ea_analyst.email]
    response = taxii.client.get(f"{ROOT}/", headers={"Authorization": f"Token {token}"})
    assert_taxii_error(response, 401, "'Token'", "Bearer", "Basic")


def test_bearer_works_and_basic_is_for_taxii_only(hub: TaxiiHub, taxii: Taxii) -> None:
    assert taxii.get(f"{ROOT}/", hub.ea_analyst).status_code == 200
    api = taxii.client.get("/api/me", headers=basic(hub.ea_analyst.email, PASSWORD))
    assert api.status_code == 401
    assert api.headers["content-type"] == "application/problem+json"


def test_repeated_wrong_basic_passwords_lock_the_account(hub: TaxiiHub, taxii: Taxii) -> None:
    email = hub.ea_analyst.email
    statuses = [
        taxii.client.get(f"{ROOT}/", headers=basic(email, f"wrong {n}")).status_code for n in range(12)
    ]
    assert statuses[-1] == 429
    with hub.bg.uow() as uow, pytest.raises(AuthenticationFailed):
        auth.check_password(uow, email, PASSWORD, hub.bg.clock())


def test_every_taxii_route_declares_read_or_exchange_and_none_is_public(hub: TaxiiHub) -> None:
    routes = [r for r in all_routes(hub.client.app.routes)  # type: ignore[attr-defined]
              if getattr(r, "path", "").startswith("/taxii2")]
    assert len(routes) == 11
    for route in routes:
        assert isinstance(route, GuardedRoute)
        assert not route.access_rule.public
        wanted = Permission.EXCHANGE_STIX if route.methods & {"POST", "DELETE"} else Permission.READ_REPORTS
        assert route.access_rule.permission is wanted, route.path
