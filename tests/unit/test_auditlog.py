"""The hash chain of the audit log, without a database: building entries and verifying them."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ballotguard.auditlog import GENESIS_HASH, AuditEntry, entry_hash, next_entry, verify
from ballotguard.errors import AuditLogBroken

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def chain(n: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for i in range(n):
        last = entries[-1] if entries else None
        entries.append(next_entry(last, T0 + timedelta(seconds=i), f"actor-{i % 3}",
                                  "report.read", f"r-{i}", {"tlp": "AMBER", "i": i}))
    return entries


def test_next_entry_links_to_the_last() -> None:
    first = next_entry(None, T0, "ana@cec.example", "report.filed", "r-1", {"tlp": "RED"})
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert first.hash == entry_hash(first)
    assert len(first.hash) == 64
    second = next_entry(first, T0, "ana@cec.example", "report.read", "r-1")
    assert (second.seq, second.prev_hash, second.detail) == (2, first.hash, {})


def test_times_are_kept_in_utc() -> None:
    local = datetime(2026, 11, 2, 11, 0, tzinfo=timezone(timedelta(hours=2)))
    entry = next_entry(None, local, "a", "x", "s")
    assert entry.at == T0
    assert entry.at.tzinfo is UTC


def test_the_detail_is_copied_not_shared() -> None:
    detail = {"k": "v"}
    entry = next_entry(None, T0, "a", "x", "s", detail)
    detail["k"] = "changed"
    assert entry.detail == {"k": "v"}
    assert verify([entry]).entries == 1


def test_an_untouched_chain_verifies() -> None:
    entries = chain(6)
    result = verify(entries)
    assert (result.entries, result.head_hash) == (6, entries[-1].hash)
    assert verify([]).entries == 0
    assert verify([]).head_hash == GENESIS_HASH


@pytest.mark.parametrize(
    ("field", "value"),
    [("actor", "mallory"), ("action", "report.filed"), ("subject", "r-other"),
     ("detail", {"tlp": "GREEN", "i": 2}), ("at", T0 + timedelta(days=1))],
)
def test_an_altered_entry_is_named(field: str, value: object) -> None:
    entries = chain(5)
    entries[2] = dataclasses.replace(entries[2], **{field: value})
    with pytest.raises(AuditLogBroken, match="altered") as caught:
        verify(entries)
    assert caught.value.seq == 3


def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link() -> None:
    entries = chain(5)
    forged = dataclasses.replace(entries[2], actor="mallory")
    entries[2] = dataclasses.replace(forged, hash=entry_hash(forged))
    with pytest.raises(AuditLogBroken, match="link") as caught:
        verify(entries)
    assert caught.value.seq == 4


def test_a_deleted_entry_is_found() -> None:
    entries = chain(5)
    del entries[2]
    with pytest.raises(AuditLogBroken, match="expected entry 3") as caught:
        verify(entries)
    assert caught.value.seq == 4


def test_a_deleted_start_is_found() -> None:
    with pytest.raises(AuditLogBroken, match="expected entry 1") as caught:
        verify(chain(5)[2:])
    assert caught.value.seq == 3


def test_an_inserted_entry_is_found() -> None:
    entries = chain(5)
    forged = next_entry(entries[1], T0, "mallory", "report.read", "r-x")
    entries.insert(2, forged)  # seq 3 twice: the original 3 no longer follows
    with pytest.raises(AuditLogBroken) as caught:
        verify(entries)
    assert caught.value.seq == 3


def test_a_reordered_chain_is_found() -> None:
    entries = chain(4)
    entries[1], entries[2] = entries[2], entries[1]
    with pytest.raises(AuditLogBroken) as caught:
        verify(entries)
    assert caught.value.seq == 3
