"""TAXII 2.1 over the in-process client: discovery, negotiation, errors, paging, filters."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from ballotguard.auditlog import AuditEntry
from ballotguard.bootstrap import bootstrap
from ballotguard.services import taxii as taxii_service
from ballotguard.services.taxii import collection_id
from ballotguard.vocabulary import Tlp
from ballotguard.web.app import create_app
from taxii.taxii_helpers import (
    ROOT,
    TAXII,
    V1,
    V2,
    V3,
    Taxii,
    TaxiiHub,
    assert_taxii_error,
    audience,
    collection_path,
    indicator,
    objects_path,
    put,
    served_ids,
    stix_id,
    stored,
)

GREEN = objects_path("community")


def green(hub: TaxiiHub, count: int, start: int = 0) -> list[str]:
    rows = [
        stored(indicator(n), audience(Tlp.GREEN, hub.ea_analyst), f"import:{hub.ea.id}")
        for n in range(start, start + count)
    ]
    put(hub.bg, rows)
    return [r.stix_id for r in rows]


def test_discovery_and_api_root(hub: TaxiiHub, taxii: Taxii) -> None:
    found = taxii.get("/taxii2/", hub.ea_analyst)
    assert found.status_code == 200
    assert found.headers["content-type"] == TAXII
    assert found.json()["default"] == "http://testserver/taxii2/ballotguard/"
    assert found.json()["api_roots"] == ["http://testserver/taxii2/ballotguard/"]
    root = taxii.get(f"{ROOT}/", hub.ea_analyst).json()
    assert root["versions"] == [TAXII]
    assert root["max_content_length"] == hub.bg.settings.taxii_max_content_length


def test_no_taxii_resource_is_public(hub: TaxiiHub, taxii: Taxii) -> None:
    for path in ("/taxii2/", f"{ROOT}/", f"{ROOT}/collections/", GREEN, f"{ROOT}/status/x/"):
        assert_taxii_error(taxii.get(path, None), 401, "Basic", "Bearer")


@pytest.mark.parametrize(
    "accept",
    [TAXII, "application/taxii+json", "*/*", "application/*", "", 'application/taxii+json; version="2.1"',
     "text/html, application/xhtml+xml, */*;q=0.8"],
)
def test_accept_headers_that_allow_taxii_21(hub: TaxiiHub, taxii: Taxii, accept: str) -> None:
    response = taxii.client.get(f"{ROOT}/collections/", headers=taxii.headers(hub.ea_analyst) | {"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == TAXII


def test_no_accept_header_at_all_is_served(hub: TaxiiHub, taxii: Taxii) -> None:
    token = hub.tokens[hub.ea_analyst.email]
    request = taxii.client.build_request("GET", f"{ROOT}/", headers={"Authorization": f"Bearer {token}"})
    del request.headers["accept"]
    assert taxii.client.send(request).status_code == 200


@pytest.mark.parametrize(
    "accept",
    ["application/json", "application/taxii+json;version=2.0", "text/html",
     "application/taxii+json;q=0", "application/vnd.oasis.taxii+json; version=2.0"],
)
def test_other_accept_headers_get_a_406_taxii_error(hub: TaxiiHub, taxii: Taxii, accept: str) -> None:
    response = taxii.client.get(GREEN, headers=taxii.headers(hub.ea_analyst) | {"Accept": accept})
    assert_taxii_error(response, 406, accept.split(";")[0], TAXII)


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/taxii+json;version=2.0", ""])
def test_post_with_a_wrong_content_type_is_a_415(hub: TaxiiHub, taxii: Taxii, content_type: str) -> None:
    response = taxii.post(GREEN, hub.ea_analyst, {"objects": [indicator(1)]}, content_type=content_type)
    assert_taxii_error(response, 415, TAXII)
    assert served_ids(taxii.get(GREEN, hub.ea_analyst)) == []


def test_post_with_the_bare_taxii_type_is_taken(hub: TaxiiHub, taxii: Taxii) -> None:
    response = taxii.post(GREEN, hub.ea_analyst, {"objects": [indicator(1)]}, content_type="application/taxii+json")
    assert response.status_code == 202, response.text
    assert response.headers["content-type"] == TAXII


@pytest.mark.parametrize("body", ['{"objects": [', "not json at all", b"\xff\xfe\x00"])
def test_invalid_json_is_a_400_and_nothing_changes(hub: TaxiiHub, taxii: Taxii, body: str | bytes) -> None:
    green(hub, 2)
    assert_taxii_error(taxii.post(GREEN, hub.ea_analyst, body), 400, "Invalid JSON")
    assert len(served_ids(taxii.get(GREEN, hub.ea_analyst))) == 2


@pytest.mark.parametrize("body", [[], {"type": "bundle"}, {"objects": {"a": 1}}, 3])
def test_a_body_that_is_not_an_envelope_is_a_400(hub: TaxiiHub, taxii: Taxii, body: object) -> None:
    assert_taxii_error(taxii.post(GREEN, hub.ea_analyst, body), 400, "envelope", "objects")


@pytest.mark.parametrize("limit", ["0", "-3", "ten", "1.5"])
def test_a_bad_limit_is_a_400(hub: TaxiiHub, taxii: Taxii, limit: str) -> None:
    assert_taxii_error(taxii.get(GREEN, hub.ea_analyst, {"limit": limit}), 400, "limit")


def test_a_limit_above_the_maximum_is_lowered_to_it(hub: TaxiiHub, taxii: Taxii) -> None:
    green(hub, 5)
    hub.bg.settings.taxii_max_page_size = 2
    page = taxii.get(GREEN, hub.ea_analyst, {"limit": "1000"}).json()
    assert len(page["objects"]) == 2 and page["more"] is True


def test_pages_follow_date_added_with_more_next_and_the_date_headers(hub: TaxiiHub, taxii: Taxii) -> None:
    expected = green(hub, 25)
    seen: list[str] = []
    params: dict[str, str] = {"limit": "10"}
    pages = []
    while True:
        response = taxii.get(GREEN, hub.ea_analyst, params)
        page = response.json()
        pages.append(page)
        seen += [o["id"] for o in page["objects"]]
        first, last = response.headers["X-TAXII-Date-Added-First"], response.headers["X-TAXII-Date-Added-Last"]
        assert first <= last and first.endswith("Z")
        if not page["more"]:
            assert "next" not in page
            break
        params = {"limit": "10", "next": page["next"]}
    assert [len(p["objects"]) for p in pages] == [10, 10, 5]
    assert seen == expected


def test_an_empty_collection_answers_an_empty_envelope_without_date_headers(hub: TaxiiHub, taxii: Taxii) -> None:
    response = taxii.get(GREEN, hub.ea_analyst)
    assert response.json() == {"more": False}
    assert "X-TAXII-Date-Added-First" not in response.headers


def test_the_envelope_carries_each_object_exactly_as_stored(hub: TaxiiHub, taxii: Taxii) -> None:
    """Objects are joined as stored text, not parsed and dumped again on the read path."""
    obj = indicator(1)
    text = json.dumps(obj, indent=1, ensure_ascii=False).replace("\n", "")
    put(hub.bg, [stored(obj, audience(Tlp.GREEN, hub.ea_analyst), f"import:{hub.ea.id}", text)])
    response = taxii.get(GREEN, hub.ea_analyst)
    assert text in response.text
    assert response.json()["objects"] == [obj]


@pytest.mark.parametrize("token", ["garbage", "eyJmb28iOiAxfQ", "x" * 5000, "W10", "e30"])
def test_a_garbage_next_token_is_a_400(hub: TaxiiHub, taxii: Taxii, token: str) -> None:
    green(hub, 3)
    assert_taxii_error(taxii.get(GREEN, hub.ea_analyst, {"next": token}), 400, "next")
    assert len(served_ids(taxii.get(GREEN, hub.ea_analyst))) == 3


def test_a_next_token_is_bound_to_its_filters_and_collection(hub: TaxiiHub, taxii: Taxii) -> None:
    green(hub, 4)
    token = taxii.get(GREEN, hub.ea_analyst, {"limit": "1", "match[type]": "indicator"}).json()["next"]
    assert_taxii_error(taxii.get(GREEN, hub.ea_analyst, {"next": token}), 400, "filters")
    clear = objects_path("clear")
    assert_taxii_error(
        taxii.get(clear, hub.ea_analyst, {"next": token, "match[type]": "indicator"}), 400, "filters"
    )
    manifest = f"{collection_path('community')}manifest/"
    assert_taxii_error(
        taxii.get(manifest, hub.ea_analyst, {"next": token, "match[type]": "indicator"}), 400
    )
    same = taxii.get(GREEN, hub.ea_analyst, {"next": token, "match[type]": "indicator", "limit": "2"})
    assert len(same.json()["objects"]) == 2


def test_a_next_token_lives_24_hours_then_says_it_expired(hub: TaxiiHub, taxii: Taxii) -> None:
    green(hub, 3)
    token = taxii.get(GREEN, hub.ea_analyst, {"limit": "1"}).json()["next"]
    hub.clock.advance(minutes=10)
    assert taxii.get(GREEN, hub.ea_analyst, {"next": token}).status_code == 200
    hub.clock.advance(hours=23, minutes=49)
    assert taxii.get(GREEN, hub.ea_analyst, {"next": token}).status_code == 200
    hub.clock.advance(minutes=2)
    assert_taxii_error(taxii.get(GREEN, hub.ea_analyst, {"next": token}), 400, "expired", "first page")


def test_a_next_token_survives_a_restart(hub: TaxiiHub, taxii: Taxii) -> None:
    """Nothing is kept in memory: a new process on the same database takes the token."""
    expected = green(hub, 5)
    first = taxii.get(GREEN, hub.ea_analyst, {"limit": "2"}).json()
    restarted = bootstrap(hub.bg.settings, clock=hub.bg.clock)
    try:
        with TestClient(create_app(restarted)) as client:
            again = Taxii(client, restarted, hub.tokens)
            rest = again.get(GREEN, hub.ea_analyst, {"next": first["next"]}).json()
    finally:
        restarted.close()
    assert [o["id"] for o in first["objects"] + rest["objects"]] == expected
    assert rest["more"] is False


def test_match_type_and_id_take_comma_separated_alternatives(hub: TaxiiHub, taxii: Taxii) -> None:
    ids = green(hub, 4)
    malware = {"type": "malware", "spec_version": "2.1", "id": stix_id("malware", 1), "created": V1,
               "modified": V1, "name": "loader", "is_family": False}
    put(hub.bg, [stored(malware, audience(Tlp.GREEN, hub.ea_analyst), f"import:{hub.ea.id}")])
    assert served_ids(taxii.get(GREEN, hub.ea_analyst, {"match[type]": "malware"})) == [malware["id"]]
    both = taxii.get(GREEN, hub.ea_analyst, {"match[type]": "malware,indicator"})
    assert len(served_ids(both)) == 5
    picked = taxii.get(GREEN, hub.ea_analyst, {"match[id]": f"{ids[3]},{ids[1]}"})
    assert served_ids(picked) == [ids[1], ids[3]]
    assert served_ids(taxii.get(GREEN, hub.ea_analyst, {"match[spec_version]": "2.0"})) == []
    assert len(served_ids(taxii.get(GREEN, hub.ea_analyst, {"match[spec_version]": "2.0,2.1"}))) == 5


def test_match_version_last_first_all_and_timestamps(hub: TaxiiHub, taxii: Taxii) -> None:
    author = audience(Tlp.GREEN, hub.ea_analyst)
    source = f"import:{hub.ea.id}"
    put(hub.bg, [stored(indicator(1, modified=v), author, source) for v in (V1, V2, V3)])

    def versions(**params: str) -> list[str]:
        return [o["modified"] for o in taxii.get(GREEN, hub.ea_analyst, params).json()["objects"]]

    assert versions() == [V3]
    assert versions(**{"match[version]": "last"}) == [V3]
    assert versions(**{"match[version]": "first"}) == [V1]
    assert versions(**{"match[version]": "all"}) == [V1, V2, V3]
    assert versions(**{"match[version]": f"{V2},first"}) == [V1, V2]
    one = indicator(1)["id"]
    by_id = taxii.get(f"{GREEN}{one}/", hub.ea_analyst, {"match[version]": "all"}).json()
    assert [o["modified"] for o in by_id["objects"]] == [V1, V2, V3]
    listed = taxii.get(f"{GREEN}{one}/versions/", hub.ea_analyst).json()
    assert listed == {"more": False, "versions": [V1, V2, V3]}


def test_added_after_returns_what_came_later(hub: TaxiiHub, taxii: Taxii) -> None:
    green(hub, 2)
    cut = taxii.get(GREEN, hub.ea_analyst).headers["X-TAXII-Date-Added-Last"]
    hub.clock.advance(minutes=1)
    later = green(hub, 2, start=10)
    assert served_ids(taxii.get(GREEN, hub.ea_analyst, {"added_after": cut})) == later


@pytest.mark.parametrize(
    ("name", "value", "word"),
    [
        ("added_after", "yesterday", "timestamp"),
        ("added_after", "2026-13-45T99:00:00Z", "date"),
        ("match[version]", "newest", "timestamp"),
        ("match[type]", "Indicator!", "STIX type"),
        ("match[id]", "indicator--not-a-uuid", "STIX id"),
        ("match[spec_version]", "two", "version"),
        ("match[color]", "red", "supported"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(
    hub: TaxiiHub, taxii: Taxii, name: str, value: str, word: str
) -> None:
    body = assert_taxii_error(taxii.get(GREEN, hub.ea_analyst, {name: value}), 400, word)
    assert name in body["description"]


def test_manifest_lists_ids_versions_dates_and_media_types(hub: TaxiiHub, taxii: Taxii) -> None:
    ids = green(hub, 3)
    response = taxii.get(f"{collection_path('community')}manifest/", hub.ea_analyst, {"limit": "2"})
    page = response.json()
    assert [r["id"] for r in page["objects"]] == ids[:2]
    assert page["objects"][0]["media_type"] == "application/stix+json;version=2.1"
    assert page["objects"][0]["version"] == V1
    assert page["objects"][0]["date_added"] == response.headers["X-TAXII-Date-Added-First"]
    rest = taxii.get(f"{collection_path('community')}manifest/", hub.ea_analyst, {"next": page["next"]})
    assert [r["id"] for r in rest.json()["objects"]] == ids[2:]


def test_unknown_collections_objects_and_paths_are_taxii_404s(hub: TaxiiHub, taxii: Taxii) -> None:
    assert_taxii_error(taxii.get(f"{ROOT}/collections/nope/", hub.ea_analyst), 404, "collection")
    assert_taxii_error(taxii.get(f"{ROOT}/collections/nope/objects/", hub.ea_analyst), 404)
    missing = stix_id("indicator", "missing")
    assert_taxii_error(taxii.get(f"{GREEN}{missing}/", hub.ea_analyst), 404, missing)
    assert_taxii_error(taxii.get(f"{GREEN}{missing}/versions/", hub.ea_analyst), 404, missing)
    assert_taxii_error(taxii.get(f"{ROOT}/status/nope/", hub.ea_analyst), 404, "status")
    assert_taxii_error(taxii.get("/taxii2/other-root/", hub.ea_analyst), 404)
    assert_taxii_error(taxii.client.put(GREEN, headers=taxii.headers(hub.ea_analyst)), 405)


def test_collections_answer_by_id_and_by_alias(hub: TaxiiHub, taxii: Taxii) -> None:
    by_alias = taxii.get(f"{ROOT}/collections/community/", hub.ea_analyst).json()
    assert by_alias["id"] == collection_id("community")
    assert by_alias["alias"] == "community"
    assert taxii.get(collection_path("community"), hub.ea_analyst).json() == by_alias


def test_the_audit_log_records_who_was_sent_which_versions(hub: TaxiiHub, taxii: Taxii) -> None:
    ids = green(hub, 3)
    taxii.get(GREEN, hub.ea_analyst)
    taxii.get(f"{GREEN}{ids[0]}/", hub.cert_analyst)
    taxii.get(f"{collection_path('community')}manifest/", hub.cert_analyst)  # no content: no entry
    served = [e for e in entries(hub) if e.action == "taxii.served"]
    assert [(e.actor, e.subject) for e in served] == [
        (hub.ea_analyst.id, collection_id("community")),
        (hub.cert_analyst.id, collection_id("community")),
    ]
    assert served[0].detail["served"] == [[i, V1] for i in ids]
    assert served[0].detail["truncated"] is False
    assert served[1].detail["served"] == [[ids[0], V1]]


def test_a_long_page_is_audited_up_to_the_cap_and_says_so(
    hub: TaxiiHub, taxii: Taxii, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(taxii_service, "AUDIT_SERVED_CAP", 2)
    green(hub, 5)
    taxii.get(GREEN, hub.ea_analyst)
    entry = [e for e in entries(hub) if e.action == "taxii.served"][-1]
    assert len(entry.detail["served"]) == 2
    assert entry.detail["count"] == 5 and entry.detail["truncated"] is True


def entries(hub: TaxiiHub) -> list[AuditEntry]:
    with hub.bg.uow() as uow:
        return list(uow.audit_log.entries())


def test_the_token_position_is_not_memory(hub: TaxiiHub, taxii: Taxii) -> None:
    """A token issued long ago still moves on from where it stopped, after rows were added."""
    ids = green(hub, 3)
    token = taxii.get(GREEN, hub.ea_analyst, {"limit": "2"}).json()["next"]
    hub.clock.advance(hours=1)
    later = green(hub, 1, start=50)
    assert served_ids(taxii.get(GREEN, hub.ea_analyst, {"next": token})) == [ids[2], *later]
