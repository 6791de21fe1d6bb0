"""Passwords (argon2id), sessions and API tokens.

Passwords are hashed with argon2id (RFC 9106). Session ids and API tokens are 256-bit random
values shown once and stored as their SHA-256: unlike a password they cannot be guessed, so a
fast hash is enough and a stolen database yields no usable token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ballotguard.errors import AccountLocked, AuthenticationFailed, InvalidInput
from ballotguard.ports import SessionRecord, UnitOfWork
from ballotguard.services.actors import Actor, person_actor
from ballotguard.services.audit import record
from ballotguard.sharing import Person, after_failure, after_success

MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "bg_"  # noqa: S105 (a prefix, not a secret)
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-password-used-to-even-out-timing")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def set_password(
    uow: UnitOfWork, actor: Actor, person: Person, password: str, now: datetime
) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"use at least {MIN_PASSWORD_LENGTH} characters")
    uow.credentials.set_password_hash(person.id, _hasher.hash(password))
    record(uow, actor, "person.password_set", person.id, now)
    uow.commit()


def check_password(uow: UnitOfWork, email: str, password: str, now: datetime) -> Person:
    """The person, if the password matches and the account is not locked; failures are counted."""
    person = uow.people.by_email(email.strip().lower())
    stored = uow.credentials.password_hash(person.id) if person else None
    if person is None or stored is None or not person.active:
        _hasher.verify(_DUMMY_HASH, "not-a-password-used-to-even-out-timing")
        raise AuthenticationFailed()
    state = uow.credentials.login_state(person.id)
    if state.is_locked(now):
        assert state.locked_until is not None
        raise AccountLocked(state.locked_until)
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        new_state = after_failure(state, now)
        uow.credentials.save_login_state(person.id, new_state)
        record(uow, person_actor(person), "login.failed", person.id, now)
        uow.commit()
        if new_state.is_locked(now):
            assert new_state.locked_until is not None
            raise AccountLocked(new_state.locked_until) from None
        raise AuthenticationFailed() from None
    if state.failed_attempts:
        uow.credentials.save_login_state(person.id, after_success())
        uow.commit()
    return person


@dataclass(frozen=True, slots=True)
class NewSession:
    session_id: str
    csrf_token: str
    person: Person


def login(
    uow: UnitOfWork, email: str, password: str, now: datetime, lifetime: timedelta
) -> NewSession:
    person = check_password(uow, email, password, now)
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    uow.credentials.add_session(
        hash_secret(session_id), SessionRecord(person.id, csrf, now + lifetime)
    )
    record(uow, person_actor(person), "login", person.id, now)
    uow.commit()
    return NewSession(session_id, csrf, person)


def session_person(
    uow: UnitOfWork, session_id: str, now: datetime
) -> tuple[Person, SessionRecord] | None:
    found = uow.credentials.session(hash_secret(session_id))
    if found is None or found.expires_at <= now:
        return None
    person = uow.people.get(found.person_id)
    return (person, found) if person.active else None


def logout(uow: UnitOfWork, session_id: str) -> None:
    uow.credentials.end_session(hash_secret(session_id))
    uow.commit()


def create_token(uow: UnitOfWork, actor: Actor, person: Person, name: str, now: datetime) -> str:
    """A new API token for ``person``; shown once, stored hashed, acting as that person."""
    if actor.person is not None and actor.person.id != person.id:
        raise InvalidInput("person", "people create tokens for themselves only")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    uow.credentials.add_token(hash_secret(token), person.id, name or "token", now)
    record(uow, actor, "token.created", person.id, now, {"name": name})
    uow.commit()
    return token


def token_person(uow: UnitOfWork, token: str) -> Person | None:
    owner = uow.credentials.token_owner(hash_secret(token))
    if owner is None:
        return None
    person = uow.people.get(owner)
    return person if person.active else None
