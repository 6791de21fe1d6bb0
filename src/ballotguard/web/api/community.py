"""Organisations, people, points of contact, sharing agreements, API tokens, the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from ballotguard.auditlog import Verification
from ballotguard.ports import UnitOfWork
from ballotguard.services import auth, reports, stakeholders
from ballotguard.services.actors import Actor
from ballotguard.services.audit import verify_log
from ballotguard.sharing import (
    ContactTopic,
    Organisation,
    Permission,
    Person,
    PointOfContact,
    Role,
    Sector,
    SharingAgreement,
)
from ballotguard.vocabulary import Phase, Tlp, Vector
from ballotguard.web.access import SIGNED_IN, GuardedRoute, app_of, current_actor, needs, rule
from ballotguard.web.deps import NOW, UOW

router = APIRouter(prefix="/api", tags=["community"], route_class=GuardedRoute)
ACTOR = Depends(current_actor)
Name = Annotated[str, Field(min_length=1, max_length=200)]


class OrganisationIn(BaseModel):
    name: Name
    sector: Sector
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]


class PersonIn(BaseModel):
    org_id: str
    name: Name
    email: Annotated[str, Field(max_length=320)]
    roles: Annotated[list[Role], Field(min_length=1)]


class ContactIn(BaseModel):
    org_id: str
    topic: ContactTopic
    name: Name
    email: Annotated[str, Field(max_length=320)]
    phone: Annotated[str, Field(max_length=40)] = ""
    last_verified: date
    is_alternate: bool = False


class AgreementIn(BaseModel):
    from_org: str
    to_org: str
    max_tlp: Tlp
    vectors: list[Vector] = []
    phases: list[Phase] = []


class TokenIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]


class TokenOut(BaseModel):
    token: str
    note: str = "Shown once. Send it as 'Authorization: Bearer <token>'."


@router.get("/me")
@rule(SIGNED_IN)
def me(actor: Actor = ACTOR) -> Person:
    assert actor.person is not None
    return actor.person


@router.get("/stats")
@rule(needs(Permission.READ_REPORTS))
def stats(uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> dict[str, dict[str, int]]:
    """Counts by phase, vector, status and TLP over the reports the caller may read."""
    return reports.dashboard_counts(uow, actor)


@router.get("/orgs")
@rule(SIGNED_IN)
def list_orgs(uow: UnitOfWork = UOW) -> list[Organisation]:
    return uow.orgs.list()


@router.post("/orgs", status_code=201)
@rule(needs(Permission.MANAGE_INSTANCE))
def create_org(
    body: OrganisationIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> Organisation:
    return stakeholders.create_org(uow, actor, body.name, body.sector, body.country, now)


@router.get("/people")
@rule(SIGNED_IN)
def list_people(
    org_id: str | None = Query(None, max_length=64), uow: UnitOfWork = UOW
) -> list[Person]:
    return uow.people.list(org_id)


@router.post("/people", status_code=201)
@rule(needs(Permission.MANAGE_ORG_PEOPLE))
def create_person(
    body: PersonIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> Person:
    return stakeholders.create_person(
        uow, actor, body.org_id, body.name, body.email, frozenset(body.roles), now
    )


@router.get("/contacts")
@rule(SIGNED_IN)
def list_contacts(
    org_id: str | None = Query(None, max_length=64), uow: UnitOfWork = UOW
) -> list[PointOfContact]:
    return uow.contacts.list(org_id)


@router.get("/contacts/stale")
@rule(SIGNED_IN)
def stale_contacts(
    request: Request,
    uow: UnitOfWork = UOW,
    now: datetime = NOW,
    max_age_days: int | None = Query(None, ge=1, le=3650),
) -> list[PointOfContact]:
    """Contacts nobody has verified recently: call them before the crisis, not during it."""
    default = app_of(request).settings.contact_max_age_days
    return stakeholders.stale(uow, now.date(), max_age_days or default)


@router.post("/contacts", status_code=201)
@rule(needs(Permission.MANAGE_CONTACTS))
def add_contact(
    body: ContactIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> PointOfContact:
    return stakeholders.add_contact(
        uow,
        actor,
        body.org_id,
        body.topic,
        body.name,
        body.email,
        body.phone,
        body.last_verified,
        now,
        body.is_alternate,
    )


@router.post("/contacts/{contact_id}/verify")
@rule(needs(Permission.MANAGE_CONTACTS))
def verify_contact(
    contact_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> PointOfContact:
    return stakeholders.verify_contact(uow, actor, contact_id, now)


@router.get("/agreements")
@rule(SIGNED_IN)
def list_agreements(uow: UnitOfWork = UOW) -> list[SharingAgreement]:
    return uow.agreements.list()


@router.post("/agreements", status_code=201)
@rule(needs(Permission.MANAGE_AGREEMENTS))
def add_agreement(
    body: AgreementIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> SharingAgreement:
    return stakeholders.add_agreement(
        uow,
        actor,
        body.from_org,
        body.to_org,
        body.max_tlp,
        frozenset(body.vectors),
        frozenset(body.phases),
        now,
    )


@router.post("/tokens", status_code=201)
@rule(SIGNED_IN)
def create_token(
    body: TokenIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> TokenOut:
    assert actor.person is not None
    return TokenOut(token=auth.create_token(uow, actor, actor.person, body.name, now))


@router.get("/audit-log/verify")
@rule(needs(Permission.VERIFY_AUDIT_LOG))
def verify_audit_log(uow: UnitOfWork = UOW) -> Verification:
    return verify_log(uow)
