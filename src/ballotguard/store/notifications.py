"""Tables and repositories of victim notifications and the transactional outbox.

The outbox is claimed with a lease in one conditional UPDATE that stamps the rows with a fresh
claim token, then read back by that token: two workers never hold the same row at once (SQLite
queues write transactions; on PostgreSQL the UPDATE takes the row locks), and a worker that dies
leaves rows whose lease simply runs out.
"""

from __future__ import annotations

import builtins
import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ColumnElement,
    CursorResult,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    case,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from ballotguard.errors import Conflict
from ballotguard.ports.notifications import NotificationRecord, OutboxMessage, WebhookRecord
from ballotguard.store.models import ID, Base


class VictimNotificationRow(Base):
    __tablename__ = "victim_notifications"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), index=True)
    reporter_org_id: Mapped[str] = mapped_column(ID)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    target_kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(500))
    via_intermediary: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    details_included: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    ack_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    reminders_sent: Mapped[int] = mapped_column(Integer)
    last_reminder_at: Mapped[datetime | None] = mapped_column(nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    __table_args__ = (Index("ix_victim_notifications_state", "state", "sent_at"),)


class OrgWebhookRow(Base):
    __tablename__ = "org_webhooks"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(320))


class OutboxRow(Base):
    __tablename__ = "outbox"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    notification_id: Mapped[str] = mapped_column(
        ForeignKey("victim_notifications.id"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(2000))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    available_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    claim: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    __table_args__ = (Index("ix_outbox_due", "state", "available_at"),)


def _count(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


class SqlVictimNotifications:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: NotificationRecord) -> None:
        row = VictimNotificationRow(id=record.id)
        _fill(row, record)
        self.session.add(row)
        self.session.flush()

    def update(self, record: NotificationRecord) -> None:
        row = self.session.get(VictimNotificationRow, record.id)
        if row is None:
            raise Conflict(f"victim notification {record.id} does not exist")
        _fill(row, record)
        self.session.flush()

    def get(self, notification_id: str) -> NotificationRecord | None:
        row = self.session.get(VictimNotificationRow, notification_id)
        return _record(row) if row else None

    def by_token_hash(self, token_hash: str) -> NotificationRecord | None:
        row = self.session.scalar(
            select(VictimNotificationRow).where(VictimNotificationRow.ack_token_hash == token_hash)
        )
        return _record(row) if row else None

    def for_report(self, report_id: str) -> builtins.list[NotificationRecord]:
        rows = self.session.scalars(
            select(VictimNotificationRow)
            .where(VictimNotificationRow.report_id == report_id)
            .order_by(VictimNotificationRow.created_at, VictimNotificationRow.id)
        )
        return [_record(r) for r in rows]

    def list(
        self, org_id: str | None = None, states: frozenset[str] | None = None,
        limit: int = 1000,
    ) -> builtins.list[NotificationRecord]:
        query = select(VictimNotificationRow)
        if org_id is not None:
            query = query.where(VictimNotificationRow.org_id == org_id)
        if states is not None:
            query = query.where(VictimNotificationRow.state.in_(sorted(states)))
        rows = self.session.scalars(
            query.order_by(VictimNotificationRow.created_at.desc(), VictimNotificationRow.id)
            .limit(limit)
        )
        return [_record(r) for r in rows]

    def count_by_state(self, org_id: str | None = None) -> dict[str, int]:
        query = select(VictimNotificationRow.state, func.count()).group_by(
            VictimNotificationRow.state
        )
        if org_id is not None:
            query = query.where(VictimNotificationRow.org_id == org_id)
        return {state: int(n) for state, n in self.session.execute(query)}

    def mark_sent(self, notification_id: str, at: datetime, token_hash: str) -> None:
        row = VictimNotificationRow
        self.session.execute(
            update(row)
            .where(row.id == notification_id, row.sent_at.is_(None))
            .values(sent_at=at, ack_token_hash=token_hash, updated_at=at,
                    state=case((row.state == "pending", "sent"), else_=row.state))
            .execution_options(synchronize_session=False)
        )

    def add_webhook(self, webhook: WebhookRecord) -> None:
        self.session.add(OrgWebhookRow(
            id=webhook.id, org_id=webhook.org_id, url=webhook.url,
            created_at=webhook.created_at, created_by=webhook.created_by,
        ))
        self.session.flush()

    def webhooks(self, org_id: str | None = None) -> builtins.list[WebhookRecord]:
        query = select(OrgWebhookRow)
        if org_id is not None:
            query = query.where(OrgWebhookRow.org_id == org_id)
        rows = self.session.scalars(query.order_by(OrgWebhookRow.created_at, OrgWebhookRow.id))
        return [WebhookRecord(r.id, r.org_id, r.url, r.created_at, r.created_by) for r in rows]

    def remove_webhook(self, webhook_id: str) -> bool:
        result = self.session.execute(delete(OrgWebhookRow).where(OrgWebhookRow.id == webhook_id))
        return _count(result) > 0


def _fill(row: VictimNotificationRow, record: NotificationRecord) -> None:
    row.report_id = record.report_id
    row.reporter_org_id = record.reporter_org_id
    row.org_id = record.org_id
    row.target_kind = record.target_kind
    row.description = record.description
    row.via_intermediary = record.via_intermediary
    row.outcome = record.outcome
    row.state = record.state
    row.details_included = record.details_included
    row.created_at = record.created_at
    row.updated_at = record.updated_at
    row.sent_at = record.sent_at
    row.acknowledged_at = record.acknowledged_at
    row.acknowledged_by = record.acknowledged_by
    row.ack_token_hash = record.ack_token_hash
    row.reminders_sent = record.reminders_sent
    row.last_reminder_at = record.last_reminder_at
    row.escalated_at = record.escalated_at


def _record(row: VictimNotificationRow) -> NotificationRecord:
    return NotificationRecord(
        id=row.id, report_id=row.report_id, reporter_org_id=row.reporter_org_id,
        org_id=row.org_id, target_kind=row.target_kind, description=row.description,
        via_intermediary=row.via_intermediary, outcome=row.outcome, state=row.state,
        details_included=row.details_included, created_at=row.created_at,
        updated_at=row.updated_at, sent_at=row.sent_at, acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by, ack_token_hash=row.ack_token_hash,
        reminders_sent=row.reminders_sent, last_reminder_at=row.last_reminder_at,
        escalated_at=row.escalated_at,
    )


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, messages: builtins.list[OutboxMessage]) -> None:
        self.session.add_all([
            OutboxRow(
                id=m.id, notification_id=m.notification_id, purpose=m.purpose, channel=m.channel,
                recipient=m.recipient, subject=m.subject, body=m.body, created_at=m.created_at,
                available_at=m.available_at, attempts=m.attempts, state=m.state,
                sent_at=m.sent_at, last_error=m.last_error, locked_until=m.locked_until,
            )
            for m in messages
        ])
        self.session.flush()

    def get(self, message_id: str) -> OutboxMessage | None:
        row = self.session.get(OutboxRow, message_id)
        return _message(row) if row else None

    def claim(self, now: datetime, until: datetime, limit: int) -> builtins.list[OutboxMessage]:
        token = uuid.uuid4().hex
        due = (
            select(OutboxRow.id)
            .where(OutboxRow.state == "pending", OutboxRow.available_at <= now, _unleased(now))
            .order_by(OutboxRow.available_at, OutboxRow.id)
            .limit(limit)
        )
        ids = list(self.session.scalars(due))
        if not ids:
            return []
        self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(ids), OutboxRow.state == "pending", _unleased(now))
            .values(locked_until=until, claim=token)
            .execution_options(synchronize_session=False)
        )
        rows = self.session.scalars(
            select(OutboxRow).where(OutboxRow.claim == token)
            .order_by(OutboxRow.available_at, OutboxRow.id)
        )
        return [_message(r) for r in rows]

    def mark_sent(self, message_id: str, at: datetime) -> None:
        """Sent is a fact: it holds even if the message was cancelled while in flight."""
        self.session.execute(
            update(OutboxRow).where(OutboxRow.id == message_id)
            .values(state="sent", sent_at=at, locked_until=None, claim=None,
                    attempts=OutboxRow.attempts + 1)
            .execution_options(synchronize_session=False)
        )

    def mark_failed(
        self, message_id: str, at: datetime, error: str, retry_at: datetime | None
    ) -> None:
        values: dict[str, object] = {
            "last_error": error[:2000], "locked_until": None, "claim": None,
            "attempts": OutboxRow.attempts + 1,
        }
        if retry_at is None:
            values["state"] = "failed"
        else:
            values["available_at"] = retry_at
        self.session.execute(
            update(OutboxRow).where(OutboxRow.id == message_id, OutboxRow.state == "pending")
            .values(**values).execution_options(synchronize_session=False)
        )

    def cancel_pending(self, notification_id: str) -> int:
        result = self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.notification_id == notification_id, OutboxRow.state == "pending")
            .values(state="cancelled")
            .execution_options(synchronize_session=False)
        )
        return _count(result)

    def for_notification(self, notification_id: str) -> builtins.list[OutboxMessage]:
        rows = self.session.scalars(
            select(OutboxRow).where(OutboxRow.notification_id == notification_id)
            .order_by(OutboxRow.created_at, OutboxRow.id)
        )
        return [_message(r) for r in rows]

    def count_by_state(self) -> dict[str, int]:
        query = select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
        return {state: int(n) for state, n in self.session.execute(query)}


def _unleased(now: datetime) -> ColumnElement[bool]:
    return or_(OutboxRow.locked_until.is_(None), OutboxRow.locked_until <= now)


def _message(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        id=row.id, notification_id=row.notification_id, purpose=row.purpose,
        channel=row.channel, recipient=row.recipient, subject=row.subject, body=row.body,
        created_at=row.created_at, available_at=row.available_at, attempts=row.attempts,
        state=row.state, sent_at=row.sent_at, last_error=row.last_error,
        locked_until=row.locked_until,
    )
