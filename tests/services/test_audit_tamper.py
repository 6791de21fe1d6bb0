"""The audit-log tamper test, on SQLite and PostgreSQL.

Entries are written through the services. Then someone with direct database access goes around
the append-only triggers (drops them on SQLite; on PostgreSQL runs as a replication session, for
which ordinary triggers do not fire) and alters, deletes, forges or truncates entries.
``verify_log`` must name the first entry that no longer holds, and pass on an untouched log.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Connection, text

from ballotguard.auditlog import AuditEntry, entry_hash, next_entry
from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import AuditLogBroken
from ballotguard.services import reports as rs
from ballotguard.services.actors import person_actor
from ballotguard.services.audit import verify_log
from ballotguard.sharing import Role
from ballotguard.store.models import AuditLogRow
from ballotguard.vocabulary import Tlp
from support import world
from support.clock import FakeClock


def fill(bg: Ballotguard, clock: FakeClock) -> list[AuditEntry]:
    """Ten entries of the kinds the services write."""
    cec = world.org(bg, "Central Election Commission")
    cert = world.org(bg, "National CERT")
    ana = world.person(bg, cec, [Role.ANALYST])
    bo = world.person(bg, cert, [Role.ANALYST])
    for n in range(3):
        clock.advance(minutes=7)
        filed = world.file(bg, ana, tlp=Tlp.AMBER, recipient_orgs=[cert.id],
                           title=f"Report {n} — Überprüfung")
        with bg.uow() as uow:
            rs.get_report(uow, person_actor(bo), filed.id, clock.now)
    with bg.uow() as uow:
        entries = list(uow.audit_log.entries())
    assert len(entries) == 10  # 2 orgs, 2 people, 3 filed, 3 restricted reads
    return entries


def tamper(bg: Ballotguard, change: Callable[[Connection], object]) -> None:
    """Go around the database's refusal, as an attacker with the database's password would."""
    with bg.engine.begin() as conn:
        if bg.engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        change(conn)


def insert(conn: Connection, entry: AuditEntry) -> None:
    conn.execute(AuditLogRow.__table__.insert().values(
        seq=entry.seq, at=entry.at, actor=entry.actor, action=entry.action,
        subject=entry.subject, detail=json.dumps(entry.detail, sort_keys=True),
        prev_hash=entry.prev_hash, hash=entry.hash))


def broken(bg: Ballotguard) -> AuditLogBroken:
    with bg.uow() as uow, pytest.raises(AuditLogBroken) as caught:
        verify_log(uow)
    return caught.value


def test_an_untouched_log_verifies(bg: Ballotguard, clock: FakeClock) -> None:
    entries = fill(bg, clock)
    with bg.uow() as uow:
        result = verify_log(uow)
    assert (result.entries, result.head_hash) == (len(entries), entries[-1].hash)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET detail = '{\"tlp\": \"GREEN\"}' WHERE seq = 5",
     "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 5",
     "UPDATE audit_log SET subject = 'another-report' WHERE seq = 5",
     "UPDATE audit_log SET action = 'report.deleted' WHERE seq = 5"],
)
def test_an_altered_entry_is_named(bg: Ballotguard, clock: FakeClock, statement: str) -> None:
    fill(bg, clock)
    tamper(bg, lambda conn: conn.execute(text(statement)))
    error = broken(bg)
    assert error.seq == 5
    assert "altered" in error.reason


def test_an_altered_time_is_named(bg: Ballotguard, clock: FakeClock) -> None:
    entries = fill(bg, clock)
    moved = entries[6].at - timedelta(hours=3)
    table = AuditLogRow.__table__
    tamper(bg, lambda conn: conn.execute(
        table.update().where(table.c.seq == 7).values(at=moved)))
    assert broken(bg).seq == 7


def test_a_deleted_middle_entry_is_found(bg: Ballotguard, clock: FakeClock) -> None:
    fill(bg, clock)
    tamper(bg, lambda conn: conn.execute(text("DELETE FROM audit_log WHERE seq = 5")))
    error = broken(bg)
    assert error.seq == 6
    assert "expected entry 5" in error.reason


def test_a_truncated_start_is_found(bg: Ballotguard, clock: FakeClock) -> None:
    fill(bg, clock)
    tamper(bg, lambda conn: conn.execute(text("DELETE FROM audit_log WHERE seq <= 3")))
    error = broken(bg)
    assert error.seq == 4
    assert "expected entry 1" in error.reason


def test_a_forged_entry_in_place_of_a_real_one_is_found(bg: Ballotguard, clock: FakeClock) -> None:
    """The forger even recomputes the forged entry's own hash; the next link gives it away."""
    entries = fill(bg, clock)
    forged = next_entry(entries[3], entries[4].at, "mallory", "report.read", "nothing-to-see")
    assert forged.seq == 5 and forged.hash == entry_hash(forged)

    def swap(conn: Connection) -> None:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 5"))
        insert(conn, forged)

    tamper(bg, swap)
    error = broken(bg)
    assert error.seq == 6
    assert "link" in error.reason


def test_a_forged_entry_appended_with_a_made_up_hash_is_found(
    bg: Ballotguard, clock: FakeClock
) -> None:
    entries = fill(bg, clock)
    head = entries[-1]
    forged = AuditEntry(head.seq + 1, head.at, "mallory", "report.read", "r-x", {},
                        head.hash, "f" * 64)
    tamper(bg, lambda conn: insert(conn, forged))
    error = broken(bg)
    assert error.seq == head.seq + 1
    assert "altered" in error.reason


def test_a_forged_entry_with_a_skipped_number_is_found(bg: Ballotguard, clock: FakeClock) -> None:
    entries = fill(bg, clock)
    head = entries[-1]
    draft = AuditEntry(head.seq + 5, head.at, "mallory", "x", "y", {}, head.hash)
    forged = dataclasses.replace(draft, hash=entry_hash(draft))
    tamper(bg, lambda conn: insert(conn, forged))
    error = broken(bg)
    assert error.seq == head.seq + 5
    assert f"expected entry {head.seq + 1}" in error.reason


def test_the_services_keep_appending_to_a_verified_chain(bg: Ballotguard, clock: FakeClock) -> None:
    entries = fill(bg, clock)
    author = world.person(bg, world.org(bg))
    world.file(bg, author)
    with bg.uow() as uow:
        result = verify_log(uow)
        last = uow.audit_log.last()
    assert result.entries == len(entries) + 3
    assert last is not None and (last.action, result.head_hash) == ("report.filed", last.hash)
