"""Ports of victim notifications and the transactional outbox that delivers them.

A notification is what one report owes one victim organisation; its messages (e-mails to the
organisation's points of contact, a signed webhook call) are outbox rows written in the same
transaction as the report, so that a report saved is a notification owed, and a crash between the
two is impossible. A background worker claims outbox rows with a lease, sends them outside any
transaction, and marks them sent; each row's id is its idempotency key (the e-mail's Message-ID,
the webhook's ``webhook-id``), so a message resent after a crash carries the same key.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    """One notification owed by one report to one victim organisation.

    ``state``: pending, sent, acknowledged, no_contact or cancelled (``panel.victims.State``).
    ``details_included``: the victim organisation may read the report, so the notice carries its
    details. ``ack_token_hash``: SHA-256 of the acknowledgement token, set when first sent.
    """

    id: str
    report_id: str
    reporter_org_id: str
    org_id: str
    target_kind: str
    description: str
    via_intermediary: bool
    outcome: str
    state: str
    details_included: bool
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    ack_token_hash: str | None = None
    reminders_sent: int = 0
    last_reminder_at: datetime | None = None
    escalated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WebhookRecord:
    """Where an organisation receives its notifications as signed HTTP POSTs."""

    id: str
    org_id: str
    url: str
    created_at: datetime
    created_by: str


class VictimNotifications(Protocol):
    """Notifications owed to victims of breaches and attempted breaches, and their acknowledgement."""

    def add(self, record: NotificationRecord) -> None: ...
    def update(self, record: NotificationRecord) -> None: ...
    def get(self, notification_id: str) -> NotificationRecord | None: ...
    def by_token_hash(self, token_hash: str) -> NotificationRecord | None: ...
    def for_report(self, report_id: str) -> builtins.list[NotificationRecord]: ...
    def list(
        self, org_id: str | None = None, states: frozenset[str] | None = None,
        limit: int = 1000,
    ) -> builtins.list[NotificationRecord]: ...
    def count_by_state(self, org_id: str | None = None) -> dict[str, int]: ...
    def mark_sent(self, notification_id: str, at: datetime, token_hash: str) -> None:
        """The first message went out: pending becomes sent; later messages change nothing."""
        ...
    def add_webhook(self, webhook: WebhookRecord) -> None: ...
    def webhooks(self, org_id: str | None = None) -> builtins.list[WebhookRecord]: ...
    def remove_webhook(self, webhook_id: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One message to deliver. ``id`` is the idempotency key.

    ``channel``: email (``recipient`` an address) or webhook (``recipient`` a URL; ``body`` the
    JSON to post). ``state``: pending, sent, failed (gave up) or cancelled. ``available_at``: not
    before (the back-off after a failure). ``locked_until``: the lease of the worker sending it.
    """

    id: str
    notification_id: str
    purpose: str
    channel: str
    recipient: str
    subject: str
    body: str
    created_at: datetime
    available_at: datetime
    attempts: int = 0
    state: str = "pending"
    sent_at: datetime | None = None
    last_error: str | None = None
    locked_until: datetime | None = None


class Outbox(Protocol):
    """Messages written in the same transaction as their cause, delivered by a background job."""

    def add(self, messages: builtins.list[OutboxMessage]) -> None: ...
    def get(self, message_id: str) -> OutboxMessage | None: ...
    def claim(self, now: datetime, until: datetime, limit: int) -> builtins.list[OutboxMessage]:
        """Lease up to ``limit`` pending, due, unleased messages, oldest first."""
        ...
    def mark_sent(self, message_id: str, at: datetime) -> None: ...
    def mark_failed(
        self, message_id: str, at: datetime, error: str, retry_at: datetime | None
    ) -> None:
        """Count a failed try; ``retry_at`` None gives up (state failed)."""
        ...
    def cancel_pending(self, notification_id: str) -> int: ...
    def for_notification(self, notification_id: str) -> builtins.list[OutboxMessage]: ...
    def count_by_state(self) -> dict[str, int]: ...


class Sender(Protocol):
    """Delivers one outbox message (e-mail or webhook); raises ``DeliveryFailed``."""

    def send(self, message: OutboxMessage, notification: NotificationRecord) -> None: ...
    def token_hash(self, notification_id: str) -> str:
        """SHA-256 of the acknowledgement token the messages of this notification carry."""
        ...
