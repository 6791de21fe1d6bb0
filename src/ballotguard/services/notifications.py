"""Victim notifications: owed when a report is saved, delivered through the outbox, acknowledged,
reminded and escalated.

``on_report_saved`` is called by ``services.reports`` inside the report's own transaction, so the
notification and its outbox messages commit with the report or not at all (a transactional
outbox): a report saved is a notification owed, even if the process dies a moment later. Delivery
runs elsewhere (``deliver``, from the background job or ``ballotguard notifications deliver``):
it claims messages with a lease, sends each outside any transaction, and marks it sent in a short
transaction of its own. A worker killed mid-send leaves the message leased; when the lease lapses
another worker sends it again with the same idempotency key (at-least-once delivery; receivers
drop the duplicate by its Message-ID or ``webhook-id``).

Who may follow notifications: analysts those of reports they may read (TLP, through
``sharing.can_read``), organisation admins those owed to their own organisation. A member of the
victim organisation acknowledges through the API; a recipient acknowledges through the link in
the message, whose token is stored only as a hash.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ballotguard.errors import (
    DeliveryFailed,
    InvalidInput,
    NotificationClosed,
    NotificationNotFound,
    OrganisationNotFound,
    PermissionDenied,
)
from ballotguard.panel.victims import (
    ACK_PLACEHOLDER,
    Change,
    Context,
    Message,
    Next,
    Progress,
    Purpose,
    State,
    Victim,
    change_for,
    compose,
    is_overdue,
    next_step,
    owed,
    recipients,
    reporter_contact,
)
from ballotguard.ports import JobRecord, UnitOfWork
from ballotguard.ports.notifications import (
    NotificationRecord,
    OutboxMessage,
    Sender,
    WebhookRecord,
)
from ballotguard.services.actors import OPERATOR, Actor
from ballotguard.services.audit import record
from ballotguard.sharing import (
    Permission,
    PointOfContact,
    Reader,
    Report,
    Role,
    can_read,
)
from ballotguard.vocabulary import Outcome, TargetKind

DELIVER_JOB = "notifications.deliver"
REMIND_JOB = "notifications.remind"
DELIVER_EVERY = timedelta(minutes=1)
REMIND_EVERY = timedelta(minutes=15)
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)
SYSTEM = Actor(None, "notifications@system")
"""Who the audit log names for what the background job does (reminders, escalations)."""


# -- owed: the hook ------------------------------------------------------------------------------


def on_report_saved(
    uow: UnitOfWork, actor: Actor, before: Report | None, after: Report, now: datetime
) -> list[NotificationRecord]:
    """Owe, update or cancel the report's victim notifications, in the caller's transaction.

    Returns the notifications created. Cheap when the report names no victim organisation: a
    new report without one costs no query at all.
    """
    victims = owed(after).victims
    if before is None and not victims:
        return []
    existing = uow.victim_notifications.for_report(after.id) if before is not None else []
    active = {n.org_id: n for n in existing if n.state != State.CANCELLED}
    for notification in active.values():
        assert before is not None
        change = change_for(before, after, notification.org_id)
        if change is Change.CANCEL:
            _cancel(uow, notification, now)
        elif change is Change.UPDATE:
            _update(uow, notification, before, after, now)
    created = [_owe(uow, after, v, now) for v in victims
               if v.org_id not in active and _known(uow, v.org_id)]
    if created:
        record(uow, actor, "notification.owed", after.id, now,
               {"organisations": [n.org_id for n in created],
                "no_contact": [n.org_id for n in created if n.state == State.NO_CONTACT]})
        ensure_jobs(uow, now)
    return created


def _known(uow: UnitOfWork, org_id: str) -> bool:
    """A report received from another instance may name an organisation unknown here: nobody
    here can be told, and the report is still received."""
    try:
        uow.orgs.get(org_id)
    except OrganisationNotFound:
        return False
    return True


def _owe(uow: UnitOfWork, report: Report, victim: Victim, now: datetime) -> NotificationRecord:
    chosen = recipients(uow.contacts.list(victim.org_id))
    hooks = uow.victim_notifications.webhooks(victim.org_id)
    reachable = bool(chosen.primary or hooks)
    notification = NotificationRecord(
        id=str(uuid.uuid4()), report_id=report.id, reporter_org_id=report.org_id,
        org_id=victim.org_id, target_kind=victim.target_kind.value,
        description=victim.description, via_intermediary=victim.via_intermediary,
        outcome=report.content.outcome.value,
        state=State.PENDING if reachable else State.NO_CONTACT,
        details_included=_org_may_read(report, victim.org_id), created_at=now, updated_at=now,
    )
    uow.victim_notifications.add(notification)
    if reachable:
        uow.outbox.add(_messages(uow, report, notification, Purpose.NOTICE, chosen.primary,
                                 hooks, now))
    return notification


def _cancel(uow: UnitOfWork, notification: NotificationRecord, now: datetime) -> None:
    """Nothing more is sent: no pending message, no reminder. What was sent stays recorded
    (``sent_at``); an acknowledged notification stays acknowledged."""
    uow.outbox.cancel_pending(notification.id)
    if notification.state in (State.PENDING, State.NO_CONTACT, State.SENT):
        uow.victim_notifications.update(
            replace(notification, state=State.CANCELLED, updated_at=now))


def _update(uow: UnitOfWork, notification: NotificationRecord, before: Report, after: Report,
            now: datetime) -> None:
    updated = replace(notification, outcome=after.content.outcome.value, updated_at=now)
    uow.victim_notifications.update(updated)
    if notification.state in (State.NO_CONTACT, State.CANCELLED):
        return
    chosen = recipients(uow.contacts.list(notification.org_id))
    hooks = uow.victim_notifications.webhooks(notification.org_id)
    uow.outbox.add(_messages(uow, after, updated, Purpose.UPDATE, chosen.primary, hooks, now,
                             previous=before.content.outcome))


def _contact_reader(contact: PointOfContact) -> Reader:
    return Reader(contact.person_id or f"contact:{contact.id}", contact.org_id)


def _org_reader(org_id: str) -> Reader:
    return Reader(f"organisation:{org_id}", org_id)


def _org_may_read(report: Report, org_id: str) -> bool:
    return can_read(_org_reader(org_id), report)


def _messages(
    uow: UnitOfWork, report: Report, notification: NotificationRecord, purpose: Purpose,
    contacts: tuple[PointOfContact, ...], hooks: builtins.list[WebhookRecord], now: datetime,
    previous: Outcome | None = None,
) -> builtins.list[OutboxMessage]:
    """One e-mail per contact address (details only for a reader TLP admits) and one webhook
    call per registered URL (details if the organisation may read the report)."""
    victim_org = uow.orgs.get(notification.org_id)
    reporter_org = uow.orgs.get(report.org_id)
    call = reporter_contact(uow.contacts.list(report.org_id))
    victim = Victim(notification.org_id, _kind(notification), notification.description,
                    notification.via_intermediary)

    def text(detailed: bool) -> Message:
        return compose(Context(report, victim, victim_org, reporter_org, call, detailed,
                               purpose, previous))

    messages: builtins.list[OutboxMessage] = []
    seen: set[str] = set()
    for contact in contacts:
        address = contact.email.strip().lower()
        if not address or address in seen:
            continue
        seen.add(address)
        message = text(can_read(_contact_reader(contact), report))
        messages.append(_outbox(notification, purpose, "email", address, message.subject,
                                message.text, now))
    for hook in hooks:
        message = text(notification.details_included)
        body = json.dumps({
            "type": f"victim_notification.{purpose.value}",
            "notification_id": notification.id,
            "report_id": report.id,
            "organisation_id": notification.org_id,
            "outcome": report.content.outcome.value,
            "details_included": notification.details_included,
            "subject": message.subject,
            "text": message.text,
            "sections": [{"title": t, "text": s} for t, s in message.sections],
            "acknowledge_url": ACK_PLACEHOLDER,
            "acknowledge_api": f"/api/notifications/{notification.id}/acknowledge",
        }, sort_keys=True)
        messages.append(_outbox(notification, purpose, "webhook", hook.url, message.subject,
                                body, now))
    return messages


def _kind(notification: NotificationRecord) -> TargetKind:
    return TargetKind(notification.target_kind)


def _outbox(notification: NotificationRecord, purpose: Purpose, channel: str, recipient: str,
            subject: str, body: str, now: datetime) -> OutboxMessage:
    return OutboxMessage(
        id=str(uuid.uuid4()), notification_id=notification.id, purpose=purpose.value,
        channel=channel, recipient=recipient, subject=subject[:300], body=body, created_at=now,
        available_at=now,
    )


def ensure_jobs(uow: UnitOfWork, now: datetime) -> None:
    """The recurring delivery and reminder jobs exist (created with the first notification)."""
    for kind, every in ((DELIVER_JOB, DELIVER_EVERY), (REMIND_JOB, REMIND_EVERY)):
        if uow.jobs.by_key(kind) is None:
            uow.jobs.schedule(JobRecord(id=str(uuid.uuid4()), kind=kind, key=kind, payload={},
                                        run_at=now, created_at=now,
                                        interval_seconds=int(every.total_seconds())))


# -- delivery ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryRun:
    sent: int
    retried: int
    failed: int

    def summary(self) -> str:
        return f"{self.sent} sent, {self.retried} to retry, {self.failed} failed"


def retry_after(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... at most an hour, after the ``attempts``-th failure."""
    return min(RETRY_BASE * (1 << min(max(attempts - 1, 0), 20)), RETRY_CAP)


def deliver(
    uow_factory: Callable[[], UnitOfWork],
    sender: Sender,
    clock: Callable[[], datetime],
    *,
    lease: timedelta,
    batch: int,
    max_attempts: int,
    limit: int | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> DeliveryRun:
    """Send what is due until the outbox is empty (or ``limit`` messages, or ``stopping``)."""
    sent = retried = failed = 0
    while not stopping() and (limit is None or sent + retried + failed < limit):
        now = clock()
        size = batch if limit is None else min(batch, limit - sent - retried - failed)
        with uow_factory() as uow:
            claimed = uow.outbox.claim(now, now + lease, size)
            notifications = {m.notification_id: uow.victim_notifications.get(m.notification_id)
                             for m in claimed}
            uow.commit()
        if not claimed:
            break
        for message in claimed:
            if stopping():
                break
            notification = notifications[message.notification_id]
            assert notification is not None
            try:
                sender.send(message, notification)
            except DeliveryFailed as exc:
                gave_up = exc.permanent or message.attempts + 1 >= max_attempts
                _failed(uow_factory, message, clock(), str(exc), gave_up)
                failed += gave_up
                retried += not gave_up
                continue
            _sent(uow_factory, message, sender.token_hash(notification.id), clock())
            sent += 1
    return DeliveryRun(sent, retried, failed)


def _sent(uow_factory: Callable[[], UnitOfWork], message: OutboxMessage, token_hash: str,
          at: datetime) -> None:
    with uow_factory() as uow:
        uow.outbox.mark_sent(message.id, at)
        uow.victim_notifications.mark_sent(message.notification_id, at, token_hash)
        uow.commit()


def _failed(uow_factory: Callable[[], UnitOfWork], message: OutboxMessage, at: datetime,
            error: str, gave_up: bool) -> None:
    retry = None if gave_up else at + retry_after(message.attempts + 1)
    with uow_factory() as uow:
        uow.outbox.mark_failed(message.id, at, error, retry)
        uow.commit()


# -- reminders and escalation --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReminderRun:
    reminded: int
    escalated: int

    def summary(self) -> str:
        return f"{self.reminded} reminded, {self.escalated} escalated"


def progress_of(n: NotificationRecord) -> Progress:
    return Progress(State(n.state), n.sent_at, n.reminders_sent, n.last_reminder_at,
                    n.escalated_at)


def remind(uow: UnitOfWork, now: datetime, ack_hours: int, reminders: int) -> ReminderRun:
    """Remind the unacknowledged; escalate to the alternate contact after the last reminder."""
    reminded = escalated = 0
    for n in uow.victim_notifications.list(states=frozenset({State.SENT}), limit=100_000):
        step = next_step(progress_of(n), now, ack_hours, reminders)
        if step is Next.WAIT:
            continue
        report = uow.reports.get(n.report_id)
        chosen = recipients(uow.contacts.list(n.org_id))
        hooks = uow.victim_notifications.webhooks(n.org_id)
        if step is Next.REMIND:
            updated = replace(n, reminders_sent=n.reminders_sent + 1, last_reminder_at=now,
                              updated_at=now)
            uow.outbox.add(_messages(uow, report, updated, Purpose.REMINDER, chosen.primary,
                                     hooks, now))
            record(uow, SYSTEM, "notification.reminded", n.id, now,
                   {"reminder": updated.reminders_sent})
            reminded += 1
        else:
            updated = replace(n, escalated_at=now, updated_at=now)
            to = chosen.alternates or chosen.primary
            uow.outbox.add(_messages(uow, report, updated, Purpose.ESCALATION, to, [], now))
            record(uow, SYSTEM, "notification.escalated", n.id, now,
                   {"to": [c.email for c in to], "alternate": bool(chosen.alternates)})
            escalated += 1
        uow.victim_notifications.update(updated)
    uow.commit()
    return ReminderRun(reminded, escalated)


# -- acknowledgement -----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def by_token(uow: UnitOfWork, token: str) -> NotificationRecord:
    """The notification an acknowledgement link points to (the GET page; acknowledges nothing)."""
    if not token or len(token) > 200:
        raise NotificationNotFound("for this link")
    found = uow.victim_notifications.by_token_hash(token_hash(token))
    if found is None:
        raise NotificationNotFound("for this link")
    return found


def acknowledge_by_token(uow: UnitOfWork, token: str, now: datetime) -> NotificationRecord:
    """A recipient confirms through the link; a second confirmation changes nothing."""
    return _acknowledge(uow, by_token(uow, token), "link", now, SYSTEM)


def acknowledge(
    uow: UnitOfWork, actor: Actor, notification_id: str, now: datetime, by: str = ""
) -> NotificationRecord:
    """A member of the victim organisation confirms through the API or the tracking page; the
    operator at the console records a confirmation received otherwise (``by``: who and how)."""
    found = uow.victim_notifications.get(notification_id)
    if actor.person is None and actor.label == OPERATOR.label and found is not None:
        if not by.strip():
            raise InvalidInput("by", "say who confirmed it and how, e.g. 'Zofia Wren by phone'")
        return _acknowledge(uow, found, f"operator: {by.strip()[:300]}", now, actor)
    if found is None or actor.person is None or actor.person.org_id != found.org_id:
        if actor.person is not None and found is not None and _may_follow(uow, actor, found):
            raise PermissionDenied("acknowledging a notification",
                                   "a member of the organisation it was sent to")
        raise NotificationNotFound(notification_id)
    return _acknowledge(uow, found, actor.person.email, now, actor)


def _acknowledge(uow: UnitOfWork, found: NotificationRecord, by: str, now: datetime,
                 actor: Actor) -> NotificationRecord:
    if found.state == State.ACKNOWLEDGED:
        return found
    if found.state in (State.CANCELLED, State.NO_CONTACT):
        raise NotificationClosed(found.id, found.state)
    done = replace(found, state=State.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=by,
                   updated_at=now)
    uow.victim_notifications.update(done)
    record(uow, actor, "notification.acknowledged", found.id, now, {"by": by})
    uow.commit()
    return done


# -- following: tracking list, detail, flags -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotificationView:
    notification: NotificationRecord
    org_name: str
    reporter_name: str
    report_title: str | None
    """None when the reader may not read the report (an org admin following their own)."""
    overdue: bool
    messages: tuple[OutboxMessage, ...] = ()

    @property
    def status(self) -> str:
        return "overdue" if self.overdue else self.notification.state


def _roles(actor: Actor) -> frozenset[Role]:
    return actor.person.roles if actor.person is not None else frozenset()


def _may_follow(uow: UnitOfWork, actor: Actor, n: NotificationRecord,
                report: Report | None = None) -> bool:
    if actor.person is None:
        return actor.label == OPERATOR.label
    if not actor.person.may(Permission.TRACK_NOTIFICATIONS):
        return False
    roles = _roles(actor)
    if (Role.ORG_ADMIN in roles or Role.INSTANCE_ADMIN in roles) and \
            n.org_id == actor.person.org_id:
        return True
    if Role.ANALYST in roles:
        return can_read(actor.reader, report or uow.reports.get(n.report_id))
    return False


def list_notifications(
    uow: UnitOfWork, actor: Actor, now: datetime, ack_hours: int,
    status: str | None = None, limit: int = 500,
) -> builtins.list[NotificationView]:
    """The notifications the actor may follow, newest first; ``status`` filters (overdue too)."""
    actor.require(Permission.TRACK_NOTIFICATIONS)
    if status is not None and status not in {*State, "overdue"}:
        raise InvalidInput("status", f"one of {', '.join([*State, 'overdue'])}")
    states = frozenset({State.SENT}) if status == "overdue" else (
        frozenset({status}) if status else None)
    views = []
    for view in _followed(uow, actor, now, ack_hours, states):
        if status == "overdue" and not view.overdue:
            continue
        views.append(view)
        if len(views) >= limit:
            break
    return views


def _followed(
    uow: UnitOfWork, actor: Actor, now: datetime, ack_hours: int,
    states: frozenset[str] | None,
) -> Iterator[NotificationView]:
    """The notifications in ``states`` the actor may follow, newest first: analysts those of the
    reports they read, others those owed to their organisation."""
    only_org = None
    if actor.person is not None and Role.ANALYST not in _roles(actor):
        only_org = actor.person.org_id
    rows = uow.victim_notifications.list(org_id=only_org, states=states, limit=10_000)
    reports: dict[str, Report] = {}
    orgs = {o.id: o.name for o in uow.orgs.list()}
    for n in rows:
        if n.report_id not in reports:
            reports[n.report_id] = uow.reports.get(n.report_id)
        report = reports[n.report_id]
        if _may_follow(uow, actor, n, report):
            yield _view(actor, n, report, orgs, now, ack_hours)


def _view(actor: Actor, n: NotificationRecord, report: Report, orgs: dict[str, str],
          now: datetime, ack_hours: int,
          messages: tuple[OutboxMessage, ...] = ()) -> NotificationView:
    readable = actor.person is None or can_read(actor.reader, report)
    return NotificationView(
        n, orgs.get(n.org_id, n.org_id), orgs.get(n.reporter_org_id, n.reporter_org_id),
        report.content.title if readable else None,
        is_overdue(progress_of(n), now, ack_hours), messages,
    )


def get_notification(
    uow: UnitOfWork, actor: Actor, notification_id: str, now: datetime, ack_hours: int
) -> NotificationView:
    actor.require(Permission.TRACK_NOTIFICATIONS)
    n = uow.victim_notifications.get(notification_id)
    if n is None:
        raise NotificationNotFound(notification_id)
    report = uow.reports.get(n.report_id)
    if not _may_follow(uow, actor, n, report):
        raise NotificationNotFound(notification_id)
    orgs = {o.id: o.name for o in uow.orgs.list()}
    messages = tuple(_redacted(m) for m in uow.outbox.for_notification(n.id))
    return _view(actor, n, report, orgs, now, ack_hours, messages)


def _redacted(message: OutboxMessage) -> OutboxMessage:
    """Tracking shows where and when, not the text (which may carry details under TLP)."""
    return replace(message, body="")


@dataclass(frozen=True, slots=True)
class Flags:
    no_contact: int
    overdue: int
    unacknowledged: int


def flags(uow: UnitOfWork, actor: Actor, now: datetime, ack_hours: int) -> Flags | None:
    """What the dashboard warns about; None when the actor does not follow notifications."""
    if actor.person is None or not actor.person.may(Permission.TRACK_NOTIFICATIONS):
        return None
    # Only these states are counted (overdue is a state of SENT), so the acknowledged and
    # cancelled ones, most of them once an election is under way, are not loaded at all.
    views = list(_followed(uow, actor, now, ack_hours,
                           frozenset({State.NO_CONTACT, State.SENT})))
    return Flags(
        no_contact=sum(v.notification.state == State.NO_CONTACT for v in views),
        overdue=sum(v.overdue for v in views),
        unacknowledged=sum(v.notification.state == State.SENT for v in views),
    )


def for_report(uow: UnitOfWork, actor: Actor, report: Report, now: datetime,
               ack_hours: int) -> tuple[builtins.list[NotificationView], builtins.list[str]]:
    """The notifications of a report the actor reads, and the victims nobody can be told of."""
    if actor.person is None or not actor.person.may(Permission.TRACK_NOTIFICATIONS):
        return [], []
    orgs = {o.id: o.name for o in uow.orgs.list()}
    views = [_view(actor, n, report, orgs, now, ack_hours)
             for n in uow.victim_notifications.for_report(report.id)
             if _may_follow(uow, actor, n, report)]
    return views, list(owed(report).unaddressed)


# -- webhooks ------------------------------------------------------------------------------------


def add_webhook(uow: UnitOfWork, actor: Actor, org_id: str, url: str,
                now: datetime) -> WebhookRecord:
    """Register where an organisation receives signed notifications (its admin or the operator)."""
    actor.require(Permission.MANAGE_CONTACTS)
    uow.orgs.get(org_id)
    if actor.person is not None and actor.person.org_id != org_id and \
            Role.INSTANCE_ADMIN not in actor.person.roles:
        raise PermissionDenied("adding a webhook", "an admin of that organisation")
    url = url.strip()
    if not (url.startswith("https://") or url.startswith("http://")) or len(url) > 2000:
        raise InvalidInput("url", "give an http:// or https:// address (at most 2000 characters)")
    hook = WebhookRecord(str(uuid.uuid4()), org_id, url, now, actor.id)
    uow.victim_notifications.add_webhook(hook)
    record(uow, actor, "webhook.added", org_id, now, {"url": url})
    uow.commit()
    return hook


def remove_webhook(uow: UnitOfWork, actor: Actor, webhook_id: str, now: datetime) -> None:
    actor.require(Permission.MANAGE_CONTACTS)
    hooks = {h.id: h for h in uow.victim_notifications.webhooks()}
    hook = hooks.get(webhook_id)
    if hook is None or (actor.person is not None and actor.person.org_id != hook.org_id
                        and Role.INSTANCE_ADMIN not in actor.person.roles):
        raise NotificationNotFound(f"webhook {webhook_id}")
    uow.victim_notifications.remove_webhook(webhook_id)
    record(uow, actor, "webhook.removed", hook.org_id, now, {"url": hook.url})
    uow.commit()


def list_webhooks(uow: UnitOfWork, actor: Actor) -> builtins.list[WebhookRecord]:
    actor.require(Permission.MANAGE_CONTACTS)
    if actor.person is not None and Role.INSTANCE_ADMIN not in actor.person.roles:
        return uow.victim_notifications.webhooks(actor.person.org_id)
    return uow.victim_notifications.webhooks()
