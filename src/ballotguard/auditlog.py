"""The append-only audit log as a hash chain.

Each entry's hash covers its own fields and the previous entry's hash (the construction of
Crosby and Wallach, "Efficient Data Structures for Tamper-Evident Logging", USENIX Security 2009,
in its simplest, linear form). Changing any field of an entry breaks its own hash; deleting or
inserting one breaks the next entry's link and the sequence. The database also refuses UPDATE
and DELETE on the table; the chain is what catches someone who went around that.

This module is pure: the store appends what ``next_entry`` builds and ``verify`` reads it back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ballotguard.errors import AuditLogBroken

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS_HASH
    hash: str = ""


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 of the canonical JSON of every field but the hash itself."""
    canonical = json.dumps(
        [
            entry.seq,
            entry.at.isoformat(),
            entry.actor,
            entry.action,
            entry.subject,
            entry.detail,
            entry.prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def next_entry(
    last: AuditEntry | None,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    at = at.astimezone(UTC)
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS_HASH if last is None else last.hash
    draft = AuditEntry(seq, at, actor, action, subject, dict(detail or {}), prev)
    return AuditEntry(seq, at, actor, action, subject, draft.detail, prev, entry_hash(draft))


@dataclass(frozen=True, slots=True)
class Verification:
    entries: int
    head_hash: str


def verify(entries: Iterable[AuditEntry]) -> Verification:
    """Walk the chain in order; raise ``AuditLogBroken`` at the first entry that does not hold."""
    expected_seq, prev = 1, GENESIS_HASH
    for entry in entries:
        if entry.seq != expected_seq:
            raise AuditLogBroken(entry.seq, f"expected entry {expected_seq}: entries are missing")
        if entry.prev_hash != prev:
            raise AuditLogBroken(entry.seq, "its link to the previous entry does not match")
        if entry_hash(entry) != entry.hash:
            raise AuditLogBroken(entry.seq, "its content does not match its hash: it was altered")
        expected_seq, prev = entry.seq + 1, entry.hash
    return Verification(expected_seq - 1, prev)
