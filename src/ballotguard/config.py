"""Settings: typed, each with a default and a help text, read once at the entry point.

Every setting can be given as an environment variable ``BALLOTGUARD_<NAME>``. ``describe()`` lists
them for the docs and for ``ballotguard settings``; secrets are shown redacted.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BALLOTGUARD_", extra="ignore")

    database_url: str = Field(
        "sqlite:///var/ballotguard.db",
        description="SQLAlchemy URL: sqlite:///path (default, embedded) or "
        "postgresql+psycopg://user@host/db for a shared server.",
    )
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port the web server listens on.")
    session_hours: int = Field(12, ge=1, le=168, description="How long a login session lasts.")
    secure_cookies: bool = Field(
        False, description="Mark session cookies Secure (set true behind HTTPS)."
    )
    max_attachment_bytes: int = Field(
        10 * 1024 * 1024, ge=1, description="Largest evidence attachment accepted, in bytes."
    )
    page_size: int = Field(50, ge=1, le=500, description="Reports per page in lists.")
    contact_max_age_days: int = Field(
        90, ge=1, description="A point of contact not verified for this long is listed as stale."
    )
    taxii_title: str = Field(
        "Ballotguard", description="Name of this instance in the TAXII discovery resource."
    )
    taxii_max_content_length: int = Field(
        32 * 1024 * 1024,
        ge=1024,
        description="Largest TAXII request body accepted, in bytes (the API root's "
        "max_content_length).",
    )
    taxii_max_objects_per_request: int = Field(
        10_000, ge=1, description="Most STIX objects one TAXII POST may carry; more is a 413."
    )
    taxii_page_size: int = Field(
        1000, ge=1, description="TAXII objects per page when the client sends no limit."
    )
    taxii_max_page_size: int = Field(
        10_000, ge=1, description="Largest TAXII page; a larger limit is lowered to it."
    )
    taxii_next_token_minutes: int = Field(
        24 * 60,
        ge=10,
        description="How long a TAXII 'next' paging token stays valid, in minutes (survives "
        "restarts).",
    )

    # -- victim notifications (docs/notifications.md) --
    smtp_host: str = Field("127.0.0.1", description="SMTP server that sends victim notifications.")
    smtp_port: int = Field(25, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_from: str = Field(
        "ballotguard@localhost", description="From address of victim notification e-mails."
    )
    smtp_starttls: bool = Field(
        False, description="Upgrade the SMTP connection with STARTTLS before sending."
    )
    smtp_username: str = Field("", description="SMTP login name; empty sends without login.")
    smtp_password: SecretStr = Field(SecretStr(""), description="SMTP password.")
    mail_drop_dir: str = Field(
        "", description="Write victim notification e-mails as .eml files into this folder "
        "instead of sending them over SMTP (demos, trials); empty sends over SMTP. "
        "`serve --demo` uses var/mail when no SMTP server is configured."
    )
    smtp_timeout_seconds: float = Field(
        30.0, gt=0, description="How long to wait for the SMTP server before trying later."
    )
    notification_ack_hours: int = Field(
        48, ge=1, description="A victim notification not acknowledged this many hours after "
        "sending (or after its last reminder) is reminded; it is overdue from then on."
    )
    notification_reminders: int = Field(
        2, ge=0, description="Reminders sent before a notification is escalated to the "
        "organisation's alternate contact."
    )
    notification_base_url: str = Field(
        "http://127.0.0.1:8000", description="Address of this instance as recipients reach it; "
        "acknowledgement links start with it."
    )
    notification_lease_seconds: int = Field(
        120, ge=1, description="How long a delivery worker holds a claimed outbox message; a "
        "worker that dies gives it back after this."
    )
    notification_max_attempts: int = Field(
        10, ge=1, description="Failed tries of one outbox message before it is marked failed."
    )
    notification_batch: int = Field(
        50, ge=1, le=10_000, description="Outbox messages a worker claims at a time."
    )
    webhook_signing_key: SecretStr = Field(
        SecretStr(""), description="Ed25519 private key (base64 of the 32-byte seed) that signs "
        "webhooks; empty uses webhook_key_file."
    )
    webhook_key_file: str = Field(
        "var/webhook-signing.key", description="File holding the webhook signing key; created "
        "with mode 0600 on first use when webhook_signing_key is empty. Never in the database."
    )
    webhook_allow_private_addresses: bool = Field(
        False, description="Let webhooks go to loopback, private and reserved addresses (tests, "
        "closed networks); by default only public addresses are called, so a registered URL "
        "cannot reach this server's own network."
    )
    webhook_timeout_seconds: float = Field(
        10.0, gt=0, description="How long to wait for a webhook receiver before trying later."
    )
    portal_languages: str = Field(
        "en,fr", description="Languages of public notices and the public portal, comma-separated "
        "ISO 639-1 codes (supported: en, fr); the first is the portal's default."
    )

    def describe(self) -> list[tuple[str, str, str]]:
        """(name, value, help) for every setting, secrets redacted."""
        rows = []
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            shown = "**********" if isinstance(value, SecretStr) else str(value)
            rows.append((f"BALLOTGUARD_{name.upper()}", shown, info.description or ""))
        return rows
