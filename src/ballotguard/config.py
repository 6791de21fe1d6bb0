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

    def describe(self) -> list[tuple[str, str, str]]:
        """(name, value, help) for every setting, secrets redacted."""
        rows = []
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            shown = "**********" if isinstance(value, SecretStr) else str(value)
            rows.append((f"BALLOTGUARD_{name.upper()}", shown, info.description or ""))
        return rows
