"""Victim notifications over JSON: tracking, acknowledgement, webhooks and the webhook key.

Analysts follow the notifications of reports they may read; organisation admins those owed to
their organisation. Any signed-in member of the victim organisation acknowledges. The public key
that verifies webhook signatures is public.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from ballotguard.delivery import load_keys
from ballotguard.ports import UnitOfWork
from ballotguard.services import notifications
from ballotguard.services.actors import Actor
from ballotguard.sharing import Permission
from ballotguard.web.access import (
    PUBLIC,
    SIGNED_IN,
    GuardedRoute,
    app_of,
    current_actor,
    needs,
    rule,
)
from ballotguard.web.deps import NOW, UOW

router = APIRouter(prefix="/api/notifications", tags=["notifications"], route_class=GuardedRoute)
ACTOR = Depends(current_actor)
TRACK = needs(Permission.TRACK_NOTIFICATIONS)
CONTACTS = needs(Permission.MANAGE_CONTACTS)


class MessageOut(BaseModel):
    id: str = Field(description="the idempotency key: Message-ID and webhook-id")
    purpose: str
    channel: str
    recipient: str
    state: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str | None


class NotificationOut(BaseModel):
    id: str
    status: str = Field(description="pending, sent, overdue, acknowledged, no_contact, cancelled")
    report_id: str
    report_title: str | None = Field(description="null when the caller may not read the report")
    organisation_id: str
    organisation: str
    reporter: str
    outcome: str
    target_kind: str
    description: str
    via_intermediary: bool
    details_included: bool
    created_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    reminders_sent: int
    escalated_at: datetime | None
    messages: list[MessageOut] = []


class WebhookIn(BaseModel):
    organisation_id: Annotated[str, Field(min_length=1, max_length=64)]
    url: Annotated[str, Field(min_length=8, max_length=2000)]


class WebhookOut(BaseModel):
    id: str
    organisation_id: str
    url: str
    created_at: datetime
    created_by: str


class WebhookKeyOut(BaseModel):
    algorithm: str = "ed25519"
    public_key: str = Field(description="base64 of the raw 32-byte Ed25519 public key")
    standard_webhooks: str = Field(description="the same key as Standard Webhooks writes it")
    signature_header: str = "webhook-signature: v1a,<base64 signature of id.timestamp.body>"


def notification_out(view: notifications.NotificationView) -> NotificationOut:
    n = view.notification
    return NotificationOut(
        id=n.id, status=view.status, report_id=n.report_id, report_title=view.report_title,
        organisation_id=n.org_id, organisation=view.org_name, reporter=view.reporter_name,
        outcome=n.outcome, target_kind=n.target_kind, description=n.description,
        via_intermediary=n.via_intermediary, details_included=n.details_included,
        created_at=n.created_at, sent_at=n.sent_at, acknowledged_at=n.acknowledged_at,
        acknowledged_by=n.acknowledged_by, reminders_sent=n.reminders_sent,
        escalated_at=n.escalated_at,
        messages=[MessageOut(
            id=m.id, purpose=m.purpose, channel=m.channel, recipient=m.recipient, state=m.state,
            attempts=m.attempts, created_at=m.created_at, sent_at=m.sent_at,
            last_error=m.last_error) for m in view.messages],
    )


@router.get("/webhook-key", response_model=WebhookKeyOut)
@rule(PUBLIC)
def webhook_key(request: Request, response: Response) -> WebhookKeyOut:
    """The public key that verifies this instance's webhook signatures."""
    keys = load_keys(app_of(request).settings)
    response.headers["cache-control"] = "public, max-age=3600"
    return WebhookKeyOut(public_key=keys.public_base64(),
                         standard_webhooks=f"whpk_{keys.public_base64()}")


@router.get("/webhooks", response_model=list[WebhookOut])
@rule(CONTACTS)
def list_webhooks(uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> list[WebhookOut]:
    return [WebhookOut(id=h.id, organisation_id=h.org_id, url=h.url, created_at=h.created_at,
                       created_by=h.created_by)
            for h in notifications.list_webhooks(uow, actor)]


@router.post("/webhooks", response_model=WebhookOut, status_code=201)
@rule(CONTACTS)
def add_webhook(body: WebhookIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
                now: datetime = NOW) -> WebhookOut:
    """Send an organisation's notifications to a URL too (its admin, or an instance admin)."""
    h = notifications.add_webhook(uow, actor, body.organisation_id, body.url, now)
    return WebhookOut(id=h.id, organisation_id=h.org_id, url=h.url, created_at=h.created_at,
                      created_by=h.created_by)


@router.delete("/webhooks/{webhook_id}", status_code=204)
@rule(CONTACTS)
def remove_webhook(webhook_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
                   now: datetime = NOW) -> Response:
    notifications.remove_webhook(uow, actor, webhook_id, now)
    return Response(status_code=204)


@router.get("", response_model=list[NotificationOut])
@rule(TRACK)
def list_notifications(
    request: Request,
    status: str | None = Query(None, max_length=20,
                               description="pending, sent, overdue, acknowledged, no_contact, "
                               "cancelled"),
    limit: int = Query(200, ge=1, le=1000),
    uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW,
) -> list[NotificationOut]:
    """The notifications the caller follows, newest first."""
    hours = app_of(request).settings.notification_ack_hours
    return [notification_out(v) for v in
            notifications.list_notifications(uow, actor, now, hours, status or None, limit)]


@router.get("/{notification_id}", response_model=NotificationOut)
@rule(TRACK)
def get_notification(request: Request, notification_id: str, uow: UnitOfWork = UOW,
                     actor: Actor = ACTOR, now: datetime = NOW) -> NotificationOut:
    """One notification with its messages (where and when; not their text)."""
    hours = app_of(request).settings.notification_ack_hours
    return notification_out(notifications.get_notification(uow, actor, notification_id, now,
                                                           hours))


@router.post("/{notification_id}/acknowledge", response_model=NotificationOut)
@rule(SIGNED_IN)
def acknowledge(request: Request, notification_id: str, uow: UnitOfWork = UOW,
                actor: Actor = ACTOR, now: datetime = NOW) -> NotificationOut:
    """A member of the victim organisation confirms the notification was received."""
    done = notifications.acknowledge(uow, actor, notification_id, now)
    with app_of(request).uow() as fresh:
        orgs = {o.id: o.name for o in fresh.orgs.list()}
    return notification_out(notifications.NotificationView(
        done, orgs.get(done.org_id, done.org_id), orgs.get(done.reporter_org_id, ""), None,
        False))
