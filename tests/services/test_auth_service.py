"""Passwords, lock-out, sessions and API tokens, with every secret stored hashed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import MetaData, select

from ballotguard.errors import AccountLocked, AuthenticationFailed, InvalidInput
from ballotguard.services import auth
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.sharing import LoginState, Person
from support.clock import FakeClock

from .conftest import People

PASSWORD = "correct horse battery staple"
LIFETIME = timedelta(hours=12)


@pytest.fixture
def ana(people: People) -> Person:
    with people.bg.uow() as uow:
        auth.set_password(uow, OPERATOR, people.cec_analyst, PASSWORD, people.bg.clock())
    return people.cec_analyst


def check(people: People, email: str, password: str) -> Person:
    with people.bg.uow() as uow:
        return auth.check_password(uow, email, password, people.bg.clock())


def login(people: People, email: str, password: str) -> auth.NewSession:
    with people.bg.uow() as uow:
        return auth.login(uow, email, password, people.bg.clock(), LIFETIME)


def state(people: People, person: Person) -> LoginState:
    with people.bg.uow() as uow:
        return uow.credentials.login_state(person.id)


def everything_stored(people: People) -> str:
    """Every value of every row of every table, as one text to search for secrets."""
    metadata = MetaData()
    metadata.reflect(people.bg.engine)
    values = []
    with people.bg.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                values.extend(repr(v) for v in row)
    return "\n".join(values)


# -- passwords ----------------------------------------------------------------------------------

def test_the_password_is_stored_as_an_argon2id_hash(people: People, ana: Person) -> None:
    with people.bg.uow() as uow:
        stored = uow.credentials.password_hash(ana.id)
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in everything_stored(people)


def test_a_short_password_is_refused(people: People) -> None:
    with people.bg.uow() as uow, pytest.raises(InvalidInput) as caught:
        auth.set_password(uow, OPERATOR, people.cec_analyst, "too-short", people.bg.clock())
    assert caught.value.field == "password"


def test_checking_a_password(people: People, ana: Person) -> None:
    assert check(people, "analyst@cec.example", PASSWORD) == ana
    assert check(people, "  Analyst@CEC.example ", PASSWORD) == ana


@pytest.mark.parametrize(
    ("email", "password"),
    [("analyst@cec.example", PASSWORD + "!"), ("analyst@cec.example", ""),
     ("nobody@cec.example", PASSWORD), ("reporter@cec.example", PASSWORD)],  # no password set
)
def test_wrong_credentials_all_fail_alike(
    people: People, ana: Person, email: str, password: str
) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        check(people, email, password)
    assert type(caught.value) is AuthenticationFailed
    assert str(caught.value) == "wrong e-mail or password"


def test_a_deactivated_person_cannot_sign_in(people: People, ana: Person) -> None:
    with people.bg.uow() as uow:
        uow.people.update(Person(ana.id, ana.org_id, ana.name, ana.email, ana.roles, False))
        uow.commit()
    with pytest.raises(AuthenticationFailed):
        check(people, ana.email, PASSWORD)


# -- lock-out -----------------------------------------------------------------------------------

def test_five_failures_lock_the_account(people: People, ana: Person, clock: FakeClock) -> None:
    for n in range(1, 5):
        with pytest.raises(AuthenticationFailed) as caught:
            check(people, ana.email, "wrong password")
        assert not isinstance(caught.value, AccountLocked)
        assert state(people, ana).failed_attempts == n  # committed although the call failed
    with pytest.raises(AccountLocked) as locked:
        check(people, ana.email, "wrong password")
    assert locked.value.until == clock.now + timedelta(minutes=15)
    # while locked, even the right password is refused, and nothing is verified
    clock.advance(minutes=14)
    with pytest.raises(AccountLocked):
        check(people, ana.email, PASSWORD)
    clock.advance(minutes=1)
    assert check(people, ana.email, PASSWORD) == ana


def test_a_success_resets_the_count(people: People, ana: Person) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            check(people, ana.email, "wrong password")
    login(people, ana.email, PASSWORD)
    assert state(people, ana).failed_attempts == 0
    for _ in range(4):
        with pytest.raises(AuthenticationFailed) as caught:
            check(people, ana.email, "wrong password")
        assert not isinstance(caught.value, AccountLocked)


def test_failures_are_audited(people: People, ana: Person) -> None:
    with pytest.raises(AuthenticationFailed):
        check(people, ana.email, "wrong password")
    with people.bg.uow() as uow:
        actions = [(e.actor, e.action) for e in uow.audit_log.entries()]
    assert (ana.id, "login.failed") in actions


# -- sessions -----------------------------------------------------------------------------------

def test_a_session_lasts_its_lifetime(people: People, ana: Person, clock: FakeClock) -> None:
    started = login(people, ana.email, PASSWORD)
    assert started.person == ana
    assert started.session_id != started.csrf_token
    with people.bg.uow() as uow:
        found = auth.session_person(uow, started.session_id, clock.now)
        assert found is not None
        person, record = found
        assert (person, record.csrf_token, record.expires_at) == (
            ana, started.csrf_token, clock.now + LIFETIME)
        almost = clock.now + LIFETIME - timedelta(seconds=1)
        assert auth.session_person(uow, started.session_id, almost) is not None
        assert auth.session_person(uow, started.session_id, clock.now + LIFETIME) is None
        assert auth.session_person(uow, "a-made-up-session-id", clock.now) is None


def test_logging_out_ends_the_session(people: People, ana: Person, clock: FakeClock) -> None:
    started = login(people, ana.email, PASSWORD)
    with people.bg.uow() as uow:
        auth.logout(uow, started.session_id)
    with people.bg.uow() as uow:
        assert auth.session_person(uow, started.session_id, clock.now) is None


def test_a_session_of_a_deactivated_person_is_refused(
    people: People, ana: Person, clock: FakeClock
) -> None:
    started = login(people, ana.email, PASSWORD)
    with people.bg.uow() as uow:
        uow.people.update(Person(ana.id, ana.org_id, ana.name, ana.email, ana.roles, False))
        uow.commit()
    with people.bg.uow() as uow:
        assert auth.session_person(uow, started.session_id, clock.now) is None


# -- API tokens ---------------------------------------------------------------------------------

def test_a_token_acts_as_its_person(people: People) -> None:
    with people.bg.uow() as uow:
        token = auth.create_token(uow, person_actor(people.cert_analyst), people.cert_analyst,
                                  "misp sync", people.bg.clock())
    assert token.startswith("bg_")
    assert len(token) > 40
    with people.bg.uow() as uow:
        assert auth.token_person(uow, token) == people.cert_analyst
        assert auth.token_person(uow, token + "x") is None
        assert auth.token_person(uow, "bg_made-up") is None
        entries = [(e.actor, e.action, e.subject, e.detail) for e in uow.audit_log.entries()]
    assert (people.cert_analyst.id, "token.created", people.cert_analyst.id,
            {"name": "misp sync"}) in entries


def test_no_raw_secret_is_stored(people: People, ana: Person) -> None:
    started = login(people, ana.email, PASSWORD)
    with people.bg.uow() as uow:
        token = auth.create_token(uow, OPERATOR, ana, "ingest", people.bg.clock())
    stored = everything_stored(people)
    for secret in (token, token.removeprefix("bg_"), started.session_id, PASSWORD):
        assert secret not in stored
    assert auth.hash_secret(token) in stored
    assert auth.hash_secret(started.session_id) in stored


def test_people_make_tokens_for_themselves_only(people: People) -> None:
    with people.bg.uow() as uow, pytest.raises(InvalidInput):
        auth.create_token(uow, person_actor(people.cert_analyst), people.cec_analyst, "x",
                          people.bg.clock())
    with people.bg.uow() as uow:  # the operator at the console issues tokens for anyone
        token = auth.create_token(uow, OPERATOR, people.cec_analyst, "", people.bg.clock())
        assert auth.token_person(uow, token) == people.cec_analyst


def test_a_token_of_a_deactivated_person_is_refused(people: People) -> None:
    person = people.cert_analyst
    with people.bg.uow() as uow:
        token = auth.create_token(uow, OPERATOR, person, "x", people.bg.clock())
    with people.bg.uow() as uow:
        uow.people.update(Person(person.id, person.org_id, person.name, person.email,
                                 person.roles, False))
        uow.commit()
    with people.bg.uow() as uow:
        assert auth.token_person(uow, token) is None
