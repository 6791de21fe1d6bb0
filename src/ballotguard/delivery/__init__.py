"""Delivery adapters: e-mail over SMTP and signed webhooks; they send what the outbox holds.

``Dispatcher`` is the ``ports.notifications.Sender`` the delivery job uses: it fills in the
acknowledgement link (derived from the instance key at send time, never stored) and hands the
message to the mailer (SMTP, or ``.eml`` files when ``mail_drop_dir`` is set) or the webhook
poster.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ballotguard.config import Settings
from ballotguard.delivery.keys import Keys, load_keys
from ballotguard.delivery.maildrop import MailDrop
from ballotguard.delivery.smtp import SmtpMailer, build
from ballotguard.delivery.webhook import WebhookPoster
from ballotguard.panel.victims import ACK_PLACEHOLDER
from ballotguard.ports.notifications import NotificationRecord, OutboxMessage


def ack_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/notifications/ack/{token}"


class Dispatcher:
    def __init__(self, settings: Settings, clock: Callable[[], datetime],
                 keys: Keys | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.keys = keys or load_keys(settings)
        self.mailer: SmtpMailer | MailDrop = (
            MailDrop(Path(settings.mail_drop_dir)) if settings.mail_drop_dir
            else SmtpMailer(settings)
        )
        self._poster: WebhookPoster | None = None

    def token_hash(self, notification_id: str) -> str:
        return self.keys.ack_token_hash(notification_id)

    def send(self, message: OutboxMessage, notification: NotificationRecord) -> None:
        link = ack_url(self.settings.notification_base_url,
                       self.keys.ack_token(notification.id))
        body = message.body.replace(ACK_PLACEHOLDER, link)
        if message.channel == "webhook":
            if self._poster is None:
                self._poster = WebhookPoster(self.keys, self.settings.webhook_timeout_seconds,
                                             self.settings.webhook_allow_private_addresses)
            self._poster.post(message.recipient, message.id, int(self.clock().timestamp()),
                              body.encode())
            return
        mail = build(message, self.settings.smtp_from, body, self.clock(), notification.id)
        self.mailer.send(mail, message.recipient)

    def close(self) -> None:
        self.mailer.close()
        if self._poster is not None:
            self._poster.close()


__all__ = ["Dispatcher", "Keys", "MailDrop", "ack_url", "load_keys"]
