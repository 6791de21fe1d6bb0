"""Organisations, people, points of contact and sharing agreements."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta

from ballotguard.errors import Conflict, InvalidInput, PermissionDenied
from ballotguard.ports import UnitOfWork
from ballotguard.services.actors import Actor
from ballotguard.services.audit import record
from ballotguard.sharing import (
    ContactTopic,
    Organisation,
    Permission,
    Person,
    PointOfContact,
    Role,
    Sector,
    SharingAgreement,
    stale_contacts,
)
from ballotguard.vocabulary import Phase, Tlp, Vector

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_org(
    uow: UnitOfWork, actor: Actor, name: str, sector: Sector, country: str, now: datetime
) -> Organisation:
    actor.require(Permission.MANAGE_INSTANCE)
    if not name.strip():
        raise InvalidInput("name", "an organisation needs a name")
    if not _COUNTRY.match(country):
        raise InvalidInput("country", f"'{country}' is not an ISO 3166-1 alpha-2 code like CA")
    org = Organisation(str(uuid.uuid4()), name.strip(), sector, country)
    uow.orgs.add(org)
    record(uow, actor, "org.created", org.id, now, {"name": org.name, "sector": sector.value})
    uow.commit()
    return org


def create_person(
    uow: UnitOfWork,
    actor: Actor,
    org_id: str,
    name: str,
    email: str,
    roles: frozenset[Role],
    now: datetime,
) -> Person:
    """Org admins add people to their own organisation; only instance admins grant admin roles."""
    _require_org_admin(actor, org_id)
    if Role.INSTANCE_ADMIN in roles:
        actor.require(Permission.MANAGE_INSTANCE)
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInput("email", f"'{email}' is not an e-mail address")
    if not roles:
        raise InvalidInput("roles", "give at least one role")
    if uow.people.by_email(email) is not None:
        raise Conflict(f"a person with e-mail {email} exists already")
    uow.orgs.get(org_id)
    person = Person(str(uuid.uuid4()), org_id, name.strip(), email, roles)
    uow.people.add(person)
    record(uow, actor, "person.created", person.id, now, {"roles": sorted(roles)})
    uow.commit()
    return person


def add_contact(
    uow: UnitOfWork,
    actor: Actor,
    org_id: str,
    topic: ContactTopic,
    name: str,
    email: str,
    phone: str,
    last_verified: date,
    now: datetime,
    is_alternate: bool = False,
) -> PointOfContact:
    _require_org_admin(actor, org_id, Permission.MANAGE_CONTACTS)
    uow.orgs.get(org_id)
    if not _EMAIL.match(email.strip()):
        raise InvalidInput("email", f"'{email}' is not an e-mail address")
    contact = PointOfContact(
        str(uuid.uuid4()),
        org_id,
        topic,
        name.strip(),
        email.strip().lower(),
        phone.strip(),
        last_verified,
        is_alternate=is_alternate,
    )
    uow.contacts.add(contact)
    record(uow, actor, "contact.added", contact.id, now, {"org": org_id, "topic": topic.value})
    uow.commit()
    return contact


def verify_contact(uow: UnitOfWork, actor: Actor, contact_id: str, now: datetime) -> PointOfContact:
    """Someone called the contact and the details hold: reset the clock."""
    contact = uow.contacts.get(contact_id)
    _require_org_admin(actor, contact.org_id, Permission.MANAGE_CONTACTS)
    verified = replace(contact, last_verified=now.date())
    uow.contacts.update(verified)
    record(uow, actor, "contact.verified", contact_id, now)
    uow.commit()
    return verified


def stale(uow: UnitOfWork, today: date, max_age_days: int) -> list[PointOfContact]:
    return stale_contacts(uow.contacts.list(), today, timedelta(days=max_age_days))


def add_agreement(
    uow: UnitOfWork,
    actor: Actor,
    from_org: str,
    to_org: str,
    max_tlp: Tlp,
    vectors: frozenset[Vector],
    phases: frozenset[Phase],
    now: datetime,
) -> SharingAgreement:
    """An organisation agrees to share kinds of report with a partner, up to a TLP level."""
    _require_org_admin(actor, from_org, Permission.MANAGE_AGREEMENTS)
    if from_org == to_org:
        raise InvalidInput("to_org", "an organisation does not need an agreement with itself")
    if max_tlp not in (Tlp.AMBER, Tlp.AMBER_STRICT):
        raise InvalidInput(
            "max_tlp",
            "agreements widen AMBER or AMBER+STRICT; CLEAR and GREEN are already "
            "shared with the community and RED only ever goes to named people",
        )
    uow.orgs.get(from_org)
    uow.orgs.get(to_org)
    agreement = SharingAgreement(str(uuid.uuid4()), from_org, to_org, max_tlp, vectors, phases)
    uow.agreements.add(agreement)
    record(uow, actor, "agreement.added", agreement.id, now, {"from": from_org, "to": to_org})
    uow.commit()
    return agreement


def _require_org_admin(
    actor: Actor, org_id: str, permission: Permission = Permission.MANAGE_ORG_PEOPLE
) -> None:
    actor.require(permission)
    person = actor.person
    if person is None or Role.INSTANCE_ADMIN in person.roles:
        return
    if person.org_id != org_id:
        raise PermissionDenied(permission.value, "an admin of that organisation")
