"""Contract tests for every repository of ``ports.UnitOfWork`` except reports (own module), run on
SQLite and on PostgreSQL. They speak to the ports only, so any other store must pass them too."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import exc

from ballotguard.auditlog import GENESIS_HASH, next_entry, verify
from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import NotFound, OrganisationNotFound, PersonNotFound
from ballotguard.ports import SessionRecord
from ballotguard.sharing import (
    ContactTopic,
    LoginState,
    Organisation,
    Person,
    PointOfContact,
    Role,
    Sector,
    SharingAgreement,
)
from ballotguard.vocabulary import Framework, Phase, Technique, Tlp, Vector

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

CEC = Organisation("org-cec", "Central Election Commission", Sector.ELECTION_AUTHORITY, "XA")
CERT = Organisation("org-cert", "National CERT", Sector.SECURITY_AGENCY, "XA")
PLATFORM = Organisation("org-platform", "Agora Social", Sector.PLATFORM, "XB")

ANA = Person("p-ana", CEC.id, "Ana Analyst", "ana@cec.example", frozenset({Role.ANALYST}))
BO = Person("p-bo", CERT.id, "Bo Reporter", "bo@cert.example",
            frozenset({Role.REPORTER, Role.ORG_ADMIN}))


def seed(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        for org in (CEC, CERT, PLATFORM):
            uow.orgs.add(org)
        uow.people.add(ANA)
        uow.people.add(BO)
        uow.commit()


# -- organisations ------------------------------------------------------------------------------

def test_organisations_add_get_list(bg: Ballotguard) -> None:
    seed(bg)
    with bg.uow() as uow:
        assert uow.orgs.get(CERT.id) == CERT
        assert uow.orgs.list() == [PLATFORM, CEC, CERT]  # by name
        with pytest.raises(OrganisationNotFound) as caught:
            uow.orgs.get("org-missing")
    assert caught.value.key == "org-missing"


def test_nothing_is_kept_without_commit(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.orgs.add(CEC)
    with bg.uow() as uow:
        assert uow.orgs.list() == []
    with bg.uow() as uow:
        uow.orgs.add(CEC)
        uow.rollback()
        uow.commit()
    with bg.uow() as uow:
        assert uow.orgs.list() == []


# -- people -------------------------------------------------------------------------------------

def test_people_add_get_by_email_list(bg: Ballotguard) -> None:
    seed(bg)
    with bg.uow() as uow:
        assert uow.people.get(ANA.id) == ANA
        assert uow.people.get(BO.id).roles == frozenset({Role.REPORTER, Role.ORG_ADMIN})
        assert uow.people.by_email("bo@cert.example") == BO
        assert uow.people.by_email("nobody@cert.example") is None
        assert uow.people.list() == [ANA, BO]
        assert uow.people.list(org_id=CERT.id) == [BO]
        assert uow.people.list(org_id=PLATFORM.id) == []
        with pytest.raises(PersonNotFound):
            uow.people.get("p-missing")


def test_people_update(bg: Ballotguard) -> None:
    seed(bg)
    changed = Person(ANA.id, ANA.org_id, "Ana M. Analyst", "ana.m@cec.example",
                     frozenset({Role.ANALYST, Role.PANEL_MEMBER}), active=False)
    with bg.uow() as uow:
        uow.people.update(changed)
        uow.commit()
    with bg.uow() as uow:
        assert uow.people.get(ANA.id) == changed
        assert uow.people.by_email("ana@cec.example") is None
        with pytest.raises(PersonNotFound):
            uow.people.update(Person("p-missing", CEC.id, "X", "x@x.example",
                                     frozenset({Role.REPORTER})))


def test_people_emails_are_unique(bg: Ballotguard) -> None:
    seed(bg)
    twin = Person("p-twin", CERT.id, "Twin", ANA.email, frozenset({Role.REPORTER}))
    with bg.uow() as uow, pytest.raises(exc.IntegrityError):
        uow.people.add(twin)


def test_a_person_needs_an_existing_organisation(bg: Ballotguard) -> None:
    orphan = Person("p-orphan", "org-missing", "Orphan", "o@x.example", frozenset({Role.REPORTER}))
    with bg.uow() as uow, pytest.raises(exc.IntegrityError):
        uow.people.add(orphan)


# -- credentials --------------------------------------------------------------------------------

def test_password_hash_and_login_state(bg: Ballotguard) -> None:
    seed(bg)
    with bg.uow() as uow:
        assert uow.credentials.password_hash(ANA.id) is None
        assert uow.credentials.login_state(ANA.id) == LoginState(0, None)
        uow.credentials.set_password_hash(ANA.id, "$argon2id$v=19$stand-in")
        uow.credentials.save_login_state(ANA.id, LoginState(3, None))
        uow.commit()
    with bg.uow() as uow:
        assert uow.credentials.password_hash(ANA.id) == "$argon2id$v=19$stand-in"
        assert uow.credentials.login_state(ANA.id) == LoginState(3, None)
        uow.credentials.save_login_state(ANA.id, LoginState(0, T0 + timedelta(minutes=15)))
        uow.commit()
    with bg.uow() as uow:
        state = uow.credentials.login_state(ANA.id)
        assert state == LoginState(0, T0 + timedelta(minutes=15))
        assert state.is_locked(T0) and not state.is_locked(T0 + timedelta(minutes=15))
        assert uow.credentials.login_state(BO.id) == LoginState(0, None)


def test_credentials_of_an_unknown_person(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        with pytest.raises(PersonNotFound):
            uow.credentials.password_hash("p-missing")
        with pytest.raises(PersonNotFound):
            uow.credentials.login_state("p-missing")
        with pytest.raises(PersonNotFound):
            uow.credentials.set_password_hash("p-missing", "h")
        with pytest.raises(PersonNotFound):
            uow.credentials.save_login_state("p-missing", LoginState())


def test_tokens(bg: Ballotguard) -> None:
    seed(bg)
    with bg.uow() as uow:
        uow.credentials.add_token("a" * 64, ANA.id, "ingest script", T0)
        uow.credentials.add_token("b" * 64, BO.id, "misp sync", T0)
        uow.commit()
    with bg.uow() as uow:
        assert uow.credentials.token_owner("a" * 64) == ANA.id
        assert uow.credentials.token_owner("b" * 64) == BO.id
        assert uow.credentials.token_owner("c" * 64) is None


def test_sessions(bg: Ballotguard) -> None:
    seed(bg)
    record = SessionRecord(ANA.id, "csrf-token-value", T0 + timedelta(hours=12))
    with bg.uow() as uow:
        uow.credentials.add_session("s" * 64, record)
        uow.commit()
    with bg.uow() as uow:
        assert uow.credentials.session("s" * 64) == record
        assert uow.credentials.session("t" * 64) is None
        uow.credentials.end_session("s" * 64)
        uow.credentials.end_session("t" * 64)  # ending an unknown session is harmless
        uow.commit()
    with bg.uow() as uow:
        assert uow.credentials.session("s" * 64) is None


# -- contacts -----------------------------------------------------------------------------------

def test_contacts_add_get_update_list(bg: Ballotguard) -> None:
    seed(bg)
    duty = PointOfContact("c-1", CERT.id, ContactTopic.CYBER_INCIDENT, "CERT duty officer",
                          "duty@cert.example", "+99 1 234", date(2026, 8, 1), BO.id, False)
    press = PointOfContact("c-2", CEC.id, ContactTopic.MEDIA_RELATIONS, "Press office",
                           "press@cec.example", "+99 1 555", date(2026, 10, 1), None, True)
    with bg.uow() as uow:
        uow.contacts.add(duty)
        uow.contacts.add(press)
        uow.commit()
    with bg.uow() as uow:
        assert uow.contacts.get("c-1") == duty
        assert uow.contacts.list() == [press, duty]  # by organisation, topic, name
        assert uow.contacts.list(org_id=CERT.id) == [duty]
        verified = PointOfContact(duty.id, duty.org_id, duty.topic, duty.name, duty.email,
                                  "+99 1 999", date(2026, 11, 2), duty.person_id, True)
        uow.contacts.update(verified)
        uow.commit()
    with bg.uow() as uow:
        assert uow.contacts.get("c-1") == verified
        with pytest.raises(NotFound):
            uow.contacts.get("c-missing")
        with pytest.raises(NotFound):
            uow.contacts.update(PointOfContact("c-missing", CEC.id, ContactTopic.GENERAL, "X",
                                               "x@x.example", "", date(2026, 1, 1)))


# -- agreements ---------------------------------------------------------------------------------

def test_agreements_add_list(bg: Ballotguard) -> None:
    seed(bg)
    narrow = SharingAgreement("a-1", CEC.id, CERT.id, Tlp.AMBER_STRICT,
                              frozenset({Vector.CYBER_INTRUSION, Vector.DATA_THEFT}),
                              frozenset({Phase.VOTER_REGISTRATION}))
    wide = SharingAgreement("a-2", CEC.id, PLATFORM.id, Tlp.AMBER)
    back = SharingAgreement("a-3", CERT.id, CEC.id, Tlp.AMBER, active=False)
    with bg.uow() as uow:
        for agreement in (narrow, wide, back):
            uow.agreements.add(agreement)
        uow.commit()
    with bg.uow() as uow:
        assert set(uow.agreements.list()) == {narrow, wide, back}
        assert set(uow.agreements.list(from_org=CEC.id)) == {narrow, wide}
        assert uow.agreements.list(from_org=CERT.id) == [back]
        assert uow.agreements.list(from_org=PLATFORM.id) == []


# -- blobs --------------------------------------------------------------------------------------

def test_blobs_are_stored_once_by_digest(bg: Ballotguard) -> None:
    data = bytes(range(256)) * 10
    with bg.uow() as uow:
        uow.blobs.put("d" * 64, data)
        uow.commit()
    with bg.uow() as uow:
        uow.blobs.put("d" * 64, data)  # the same content again: kept once, no error
        uow.commit()
    with bg.uow() as uow:
        assert uow.blobs.get("d" * 64) == data
        with pytest.raises(NotFound):
            uow.blobs.get("e" * 64)
    with bg.engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT count(*) FROM blobs")).scalar() == 1


# -- audit log ----------------------------------------------------------------------------------

def test_audit_log_append_last_entries(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        assert uow.audit_log.last() is None
        assert list(uow.audit_log.entries()) == []
    written = []
    last = None
    for n in range(5):
        with bg.uow() as uow:
            last = uow.audit_log.last()
            entry = next_entry(last, T0 + timedelta(seconds=n), "ana@cec.example", "report.read",
                               f"r-{n}", {"tlp": "AMBER", "n": n, "names": ["é", "ü"]})
            uow.audit_log.append(entry)
            uow.commit()
            written.append(entry)
    with bg.uow() as uow:
        read = list(uow.audit_log.entries())
        assert read == written
        assert uow.audit_log.last() == written[-1]
    assert read[0].prev_hash == GENESIS_HASH
    assert verify(read).entries == 5
    assert verify(read).head_hash == written[-1].hash


def test_audit_log_sequence_numbers_are_unique(bg: Ballotguard) -> None:
    first = next_entry(None, T0, "a", "x", "s")
    with bg.uow() as uow:
        uow.audit_log.append(first)
        uow.commit()
    with bg.uow() as uow, pytest.raises(exc.IntegrityError):
        uow.audit_log.append(next_entry(None, T0, "b", "y", "t"))  # a second seq 1


# -- techniques ---------------------------------------------------------------------------------

def test_techniques_upsert_and_list(bg: Ballotguard) -> None:
    disarm = [Technique(Framework.DISARM, "T0049", "Flooding the information space", "TA17"),
              Technique(Framework.DISARM, "T0002", "Facilitate state propaganda", "TA02")]
    attack = [Technique(Framework.ATTACK, "T1566.001", "Spearphishing attachment", ""),
              Technique(Framework.ATTACK, "T0049", "Same number, other framework", "")]
    with bg.uow() as uow:
        assert uow.techniques.list() == []
        assert uow.techniques.upsert(disarm + attack) == 4
        uow.commit()
    renamed = Technique(Framework.DISARM, "T0049", "Flood the information space", "TA17")
    with bg.uow() as uow:
        assert uow.techniques.upsert([renamed]) == 1
        uow.commit()
    with bg.uow() as uow:
        assert uow.techniques.list() == [attack[1], attack[0], disarm[1], renamed]
