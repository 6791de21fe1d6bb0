"""Organisations, people, points of contact and agreements: who may manage what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ballotguard.errors import Conflict, InvalidInput, OrganisationNotFound, PermissionDenied
from ballotguard.services import stakeholders as sh
from ballotguard.services.actors import ANONYMOUS, OPERATOR, Actor, person_actor
from ballotguard.sharing import ContactTopic, Person, PointOfContact, Role, Sector
from ballotguard.vocabulary import Phase, Tlp, Vector
from support.clock import FakeClock

from .conftest import People


def as_(person: Person) -> Actor:
    return person_actor(person)


# -- organisations ------------------------------------------------------------------------------

def test_instance_admins_and_the_operator_create_organisations(people: People) -> None:
    with people.bg.uow() as uow:
        org = sh.create_org(uow, as_(people.instance_admin), "  Daily Courier ", Sector.MEDIA,
                            "XA", people.bg.clock())
        assert org.name == "Daily Courier"
        assert uow.orgs.get(org.id) == org
        sh.create_org(uow, OPERATOR, "Party of Tomorrow", Sector.POLITICAL_PARTY, "XA",
                      people.bg.clock())


@pytest.mark.parametrize("who", ["cec_admin", "cec_analyst", "ngo_panel"])
def test_nobody_else_creates_organisations(people: People, who: str) -> None:
    with people.bg.uow() as uow, pytest.raises(PermissionDenied):
        sh.create_org(uow, as_(getattr(people, who)), "X", Sector.MEDIA, "XA", people.bg.clock())
    with people.bg.uow() as uow, pytest.raises(PermissionDenied):
        sh.create_org(uow, ANONYMOUS, "X", Sector.MEDIA, "XA", people.bg.clock())


@pytest.mark.parametrize(("name", "country", "field"),
                         [("", "XA", "name"), ("  ", "XA", "name"), ("X", "xa", "country"),
                          ("X", "XAB", "country"), ("X", "", "country")])
def test_an_organisation_needs_a_name_and_a_country_code(
    people: People, name: str, country: str, field: str
) -> None:
    with people.bg.uow() as uow, pytest.raises(InvalidInput) as caught:
        sh.create_org(uow, OPERATOR, name, Sector.MEDIA, country, people.bg.clock())
    assert caught.value.field == field


# -- people -------------------------------------------------------------------------------------

def add_person(people: People, actor: Actor, org_id: str, email: str = "new@cec.example",
               roles: frozenset[Role] = frozenset({Role.REPORTER})) -> Person:
    with people.bg.uow() as uow:
        return sh.create_person(uow, actor, org_id, "New Person", email, roles,
                                people.bg.clock())


def test_an_org_admin_adds_people_to_their_own_organisation(people: People) -> None:
    added = add_person(people, as_(people.cec_admin), people.cec.id, " New@CEC.example ",
                       frozenset({Role.ANALYST, Role.ORG_ADMIN}))
    assert (added.org_id, added.email) == (people.cec.id, "new@cec.example")
    with people.bg.uow() as uow:
        assert uow.people.get(added.id) == added
        entries = [(e.actor, e.action, e.subject) for e in uow.audit_log.entries()]
    assert (people.cec_admin.id, "person.created", added.id) in entries


def test_an_org_admin_cannot_manage_another_organisation(people: People) -> None:
    with pytest.raises(PermissionDenied):
        add_person(people, as_(people.cec_admin), people.cert.id)
    with people.bg.uow() as uow, pytest.raises(PermissionDenied):
        sh.add_contact(uow, as_(people.cec_admin), people.cert.id, ContactTopic.GENERAL, "X",
                       "x@cert.example", "", date(2026, 11, 1), people.bg.clock())
    with people.bg.uow() as uow, pytest.raises(PermissionDenied):
        sh.add_agreement(uow, as_(people.cec_admin), people.cert.id, people.cec.id, Tlp.AMBER,
                         frozenset(), frozenset(), people.bg.clock())
    with people.bg.uow() as uow:
        assert uow.people.list(people.cert.id) == [people.cert_analyst, people.instance_admin]


def test_only_an_instance_admin_grants_instance_admin(people: People) -> None:
    with pytest.raises(PermissionDenied):
        add_person(people, as_(people.cec_admin), people.cec.id,
                   roles=frozenset({Role.INSTANCE_ADMIN}))
    root = add_person(people, as_(people.instance_admin), people.cec.id, "root2@cec.example",
                      frozenset({Role.INSTANCE_ADMIN}))
    assert root.roles == frozenset({Role.INSTANCE_ADMIN})


@pytest.mark.parametrize("who", ["cec_analyst", "cec_reporter", "ngo_panel"])
def test_people_without_an_admin_role_add_nobody(people: People, who: str) -> None:
    person = getattr(people, who)
    with pytest.raises(PermissionDenied):
        add_person(people, as_(person), person.org_id)


def test_an_instance_admin_adds_people_anywhere(people: People) -> None:
    added = add_person(people, as_(people.instance_admin), people.platform.id, "x@agora.example")
    assert added.org_id == people.platform.id
    with pytest.raises(OrganisationNotFound):
        add_person(people, as_(people.instance_admin), "org-ghost", "y@ghost.example")


def test_bad_people(people: People) -> None:
    admin = as_(people.cec_admin)
    with pytest.raises(Conflict):
        add_person(people, admin, people.cec.id, "REPORTER@cec.example")
    with pytest.raises(InvalidInput) as caught:
        add_person(people, admin, people.cec.id, "not-an-address")
    assert caught.value.field == "email"
    with pytest.raises(InvalidInput) as caught:
        add_person(people, admin, people.cec.id, roles=frozenset())
    assert caught.value.field == "roles"


# -- contacts -----------------------------------------------------------------------------------

def add_contact(people: People, actor: Actor, last_verified: date,
                topic: ContactTopic = ContactTopic.CYBER_INCIDENT) -> PointOfContact:
    with people.bg.uow() as uow:
        return sh.add_contact(uow, actor, people.cec.id, topic, f"Duty {last_verified}",
                              "Duty@CEC.example", " +99 1 234 ", last_verified,
                              people.bg.clock())


def test_contacts_go_stale_after_90_days_until_verified(people: People, clock: FakeClock) -> None:
    today = clock.now.date()
    admin = as_(people.cec_admin)
    fresh = add_contact(people, admin, today - timedelta(days=90))
    old = add_contact(people, admin, today - timedelta(days=91), ContactTopic.TAKEDOWN)
    older = add_contact(people, admin, today - timedelta(days=400), ContactTopic.GENERAL)
    assert (fresh.email, fresh.phone) == ("duty@cec.example", "+99 1 234")
    with people.bg.uow() as uow:
        assert [c.id for c in sh.stale(uow, today, 90)] == [older.id, old.id]
        assert [c.id for c in sh.stale(uow, today, 30)] == [older.id, old.id, fresh.id]
    with people.bg.uow() as uow:
        verified = sh.verify_contact(uow, admin, older.id, clock.now)
    assert verified.last_verified == today
    with people.bg.uow() as uow:
        assert [c.id for c in sh.stale(uow, today, 90)] == [old.id]
    clock.advance(days=1)
    with people.bg.uow() as uow:
        assert [c.id for c in sh.stale(uow, clock.now.date(), 90)] == [old.id, fresh.id]


def test_only_admins_of_the_organisation_manage_its_contacts(people: People) -> None:
    with pytest.raises(PermissionDenied):
        add_contact(people, as_(people.cec_analyst), date(2026, 11, 1))
    contact = add_contact(people, as_(people.instance_admin), date(2026, 11, 1))
    with people.bg.uow() as uow:
        cert_admin = sh.create_person(uow, OPERATOR, people.cert.id, "CERT admin",
                                      "admin@cert.example", frozenset({Role.ORG_ADMIN}),
                                      people.bg.clock())
    with people.bg.uow() as uow, pytest.raises(PermissionDenied):
        sh.verify_contact(uow, as_(cert_admin), contact.id, people.bg.clock())


def test_a_contact_needs_an_email_address(people: People) -> None:
    with people.bg.uow() as uow, pytest.raises(InvalidInput) as caught:
        sh.add_contact(uow, as_(people.cec_admin), people.cec.id, ContactTopic.GENERAL, "X",
                       "no address", "", date(2026, 11, 1), people.bg.clock())
    assert caught.value.field == "email"


# -- agreements ---------------------------------------------------------------------------------

def test_an_org_admin_makes_agreements_for_their_organisation(people: People) -> None:
    with people.bg.uow() as uow:
        made = sh.add_agreement(uow, as_(people.cec_admin), people.cec.id, people.cert.id,
                                Tlp.AMBER, frozenset({Vector.CYBER_INTRUSION}),
                                frozenset({Phase.VOTER_REGISTRATION}), people.bg.clock())
    with people.bg.uow() as uow:
        assert uow.agreements.list(from_org=people.cec.id) == [made]


@pytest.mark.parametrize(
    ("to", "max_tlp", "error", "field"),
    [("cec", Tlp.AMBER, InvalidInput, "to_org"),
     ("cert", Tlp.GREEN, InvalidInput, "max_tlp"),
     ("cert", Tlp.CLEAR, InvalidInput, "max_tlp"),
     ("cert", Tlp.RED, InvalidInput, "max_tlp"),
     ("ghost", Tlp.AMBER, OrganisationNotFound, None)],
)
def test_agreements_that_make_no_sense_are_refused(
    people: People, to: str, max_tlp: Tlp, error: type[Exception], field: str | None
) -> None:
    to_org = getattr(people, to).id if to != "ghost" else "org-ghost"
    with people.bg.uow() as uow, pytest.raises(error) as caught:
        sh.add_agreement(uow, as_(people.cec_admin), people.cec.id, to_org, max_tlp,
                         frozenset(), frozenset(), people.bg.clock())
    if field:
        assert getattr(caught.value, "field", None) == field
    with people.bg.uow() as uow:
        assert uow.agreements.list() == []


def test_analysts_make_no_agreements(people: People) -> None:
    with people.bg.uow() as uow, pytest.raises(PermissionDenied):
        sh.add_agreement(uow, as_(people.cec_analyst), people.cec.id, people.cert.id, Tlp.AMBER,
                         frozenset(), frozenset(), people.bg.clock())
