"""Durable ``next`` tokens for TAXII paging.

A token is the base64url of a small JSON object: the position of the last row served
(``date_added`` and the store's sequence number), a fingerprint of the filters the page was asked
with, and when it was issued. The server keeps nothing, so a token survives a restart and works on
any instance over the same database; it is refused (400, saying why) when it does not decode, when
it was issued for other filters or another collection, or when it is older than the configured age
(at least 10 minutes; 24 hours by default). medallion keeps its tokens in memory for 30 seconds.

Nothing in a token is secret, and forging one only moves the forger's own cursor: every row still
passes the access rule, so no signature is needed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from ballotguard.ports import ObjectQuery
from ballotguard.web.taxii.media import TaxiiError

MAX_TOKEN_LENGTH = 1000
Position = tuple[datetime, int]


def fingerprint(endpoint: str, query: ObjectQuery) -> str:
    """The endpoint (with its collection and object) and the filters a page was asked with; not
    ``limit``, which a client may change from page to page."""
    canonical = json.dumps(
        [
            endpoint,
            sorted(query.ids),
            sorted(query.types),
            sorted(query.spec_versions),
            sorted(query.versions),
            _utc(query.added_after).isoformat() if query.added_after else None,
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]


def issue(position: Position, filters: str, now: datetime) -> str:
    date_added, seq = position
    payload = {"p": [_utc(date_added).isoformat(), seq], "f": filters, "t": _utc(now).isoformat()}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def redeem(token: str, filters: str, now: datetime, max_age: timedelta) -> Position:
    """The position a token stands for, or a 400 that tells the client what to do."""
    payload = _decode(token)
    try:
        date_text, seq = payload["p"]
        date_added = _utc(datetime.fromisoformat(date_text))
        issued = _utc(datetime.fromisoformat(payload["t"]))
        sent_filters = payload["f"]
        if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(sent_filters, str):
            raise TypeError("seq must be an integer and the fingerprint a string")
    except (KeyError, TypeError, ValueError):
        raise _garbled() from None
    if sent_filters != filters:
        raise TaxiiError(
            400,
            "Invalid next token",
            "this 'next' token was issued for another collection, endpoint or filters; send the "
            "same added_after and match[...] parameters as the first page, or start again "
            "without 'next'",
        )
    if now - issued > max_age:
        minutes = int(max_age.total_seconds() // 60)
        raise TaxiiError(
            400,
            "Expired next token",
            f"this 'next' token was issued at {issued.isoformat()} and is valid for {minutes} "
            "minutes; ask for the first page again (added_after lets you resume from a date)",
        )
    return date_added, seq


def _decode(token: str) -> dict[str, Any]:
    if len(token) > MAX_TOKEN_LENGTH:
        raise _garbled()
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        raise _garbled() from None
    if not isinstance(payload, dict):
        raise _garbled()
    return payload


def _garbled() -> TaxiiError:
    return TaxiiError(
        400,
        "Invalid next token",
        "the 'next' parameter is not a token this server issued; use the 'next' value of the "
        "previous page exactly as received, or leave it out to start from the first page",
    )


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
