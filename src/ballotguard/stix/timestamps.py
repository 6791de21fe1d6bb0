"""STIX timestamps: RFC 3339, UTC, ``Z``, at least millisecond precision (STIX 2.1 §3.2).

Ballotguard writes milliseconds, or microseconds when the time has them, so that a time read back
equals the time written (a correction must not move ``observed_at`` by a few microseconds).
stix2-validator accepts any number of fractional digits; ``created`` and ``modified`` need three
or more. Reading is strict: the ``Z`` is required, because a STIX timestamp without it is invalid
and guessing the zone of a time in a security report is worse than refusing it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ballotguard.errors import InvalidInput

_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$"
)


def format_timestamp(moment: datetime) -> str:
    """``2026-10-30T14:00:00.000Z``; ``.123456Z`` when the time has sub-millisecond digits."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; STIX times are UTC")
    utc = moment.astimezone(UTC)
    micro = utc.microsecond
    fraction = f"{micro // 1000:03d}" if micro % 1000 == 0 else f"{micro:06d}"
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{fraction}Z"
    )


def parse_timestamp(text: object, field: str = "timestamp") -> datetime:
    """An aware UTC datetime, or ``InvalidInput`` naming the field and what is wrong.

    Digits beyond microseconds are dropped (Python keeps six); that loses nothing Ballotguard
    writes.
    """
    if not isinstance(text, str):
        raise InvalidInput(field, f"{text!r} is not a timestamp string")
    match = _TIMESTAMP.match(text)
    if match is None:
        raise InvalidInput(field, f"'{text}' is not a STIX timestamp like 2026-10-30T14:00:00.000Z (UTC, ending in Z)")
    year, month, day, hour, minute, second, fraction = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=UTC
        )
    except ValueError as exc:
        raise InvalidInput(field, f"'{text}' is not a real date and time: {exc}") from None


def has_millisecond_precision(text: str) -> bool:
    """``created`` and ``modified`` must carry at least three fractional digits."""
    dot = text.rfind(".")
    return dot != -1 and len(text) - dot - 2 >= 3
