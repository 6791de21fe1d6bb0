"""Contract tests for the audit store, on SQLite and PostgreSQL: an audit with its contests,
jurisdictions and assignments round-trips; files are replaced per jurisdiction and kind; rounds,
draws and entries come back in order; the pre-check counts units read by two people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ballotguard.audit.workflow import (
    AuditContest,
    AuditFile,
    AuditStatus,
    ContestStatus,
    Decision,
    Entry,
    Jurisdiction,
    Method,
    Reading,
    Round,
    SampledUnit,
    new_audit,
)
from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import Conflict

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SEED = "01234567890123456789"


def audit(audit_id: str = "a-1"):  # type: ignore[no-untyped-def]
    return new_audit(
        audit_id, "County 2026", Method.CLCA, 0.05, SEED,
        [AuditContest("Mayor", {"Alvarez": 10, "Brooks": 5}, 20, ("Alvarez",)),
         AuditContest("Measure A", {"Yes": 8, "No": 2}, 12, ("Yes",), ("North",), 0.6)],
        [Jurisdiction("North", 12), Jurisdiction("South", 8)], "admin@x", T0,
    )


def unit(seq: int, unit_id: str, round_: int = 1, phantom: bool = False) -> SampledUnit:
    return SampledUnit("a-1", round_, seq, unit_id, "North", "Box 1", "T", "B", seq + 1,
                       f"0.{seq}", phantom)


def test_an_audit_round_trips_with_contests_jurisdictions_and_people(bg: Ballotguard) -> None:
    original = audit()
    with bg.uow() as uow:
        uow.audits.add(original)
        uow.commit()
    with bg.uow() as uow:
        assert uow.audits.get("a-1") == original
        with pytest.raises(Conflict):
            uow.audits.add(original)
    changed = original.__class__(**{
        **original.__dict__, "status": AuditStatus.MEASURED, "round": 2, "next_size": 40,
        "report_id": "r-1", "updated_at": T0 + timedelta(hours=1),
        "jurisdictions": (Jurisdiction("North", 12, frozenset({"p-1", "p-2"})),
                          Jurisdiction("South", 8)),
        "contests": (original.contests[0].__class__(**{**original.contests[0].__dict__,
                                                       "status": ContestStatus.CONFIRMED}),
                     original.contests[1]),
    })
    with bg.uow() as uow:
        uow.audits.update(changed)
        uow.commit()
    with bg.uow() as uow:
        assert uow.audits.get("a-1") == changed
        assert [a.id for a in uow.audits.list()] == ["a-1"]
        assert uow.audits.get("nope") is None


def test_files_are_kept_verbatim_and_replaced_per_jurisdiction(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.audits.add(audit())
        for kind, text in (("manifest", "m1"), ("manifest", "m2"), ("cvrs", "c1")):
            uow.audits.save_file(AuditFile("a-1", "North", kind, f"{kind}.csv", text, "0" * 64, 3,
                                           "mgr@x", T0))
        uow.commit()
    with bg.uow() as uow:
        stored = uow.audits.files("a-1")
        assert [(f.kind, f.text) for f in stored] == [("manifest", "m2"), ("cvrs", "c1")]
        assert [f.text for f in uow.audits.files("a-1", "cvrs")] == ["c1"]
        assert uow.audits.files("a-1", "tallies") == []
        assert stored[0].uploaded_at == T0


def test_rounds_draws_and_entries_come_back_in_order(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.audits.add(audit())
        uow.audits.add_round(Round("a-1", 1, 0, 3, T0, "admin@x"))
        uow.audits.add_draws([unit(0, "N|T|B|1"), unit(1, "N|T|B|2"),
                              unit(2, "N|phantom|1", phantom=True)])
        uow.commit()
    measured = Round("a-1", 1, 0, 3, T0, "admin@x", T0 + timedelta(minutes=5),
                     {"Mayor": 0.04, "Measure A": 0.2}, Decision.NEXT_ROUND, 9)
    with bg.uow() as uow, pytest.raises(Conflict):
        uow.audits.add_round(Round("a-1", 1, 0, 3, T0, "admin@x"))
    with bg.uow() as uow:
        uow.audits.update_round(measured)
        uow.audits.add_draws([unit(3, "N|T|B|1", round_=2)])
        a = Reading(marks={"Mayor": ("Alvarez",)})
        b = Reading(marks={"Mayor": ("Brooks",)})
        uow.audits.add_entry(Entry("a-1", 1, "N|T|B|1", "p-1", a, T0))
        uow.audits.add_entry(Entry("a-1", 1, "N|T|B|1", "p-2", b, T0))
        uow.audits.add_entry(Entry("a-1", 1, "N|T|B|2", "p-1", a, T0))
        uow.audits.add_entry(Entry("a-1", 1, "N|T|B|2", "p-1", b, T0))
        uow.commit()
    with bg.uow() as uow:
        assert uow.audits.rounds("a-1") == [measured]
        assert [d.seq for d in uow.audits.draws("a-1")] == [0, 1, 2, 3]
        assert [d.seq for d in uow.audits.draws("a-1", 2)] == [3]
        assert uow.audits.unit("a-1", "N|T|B|1") == unit(0, "N|T|B|1")
        assert uow.audits.unit("a-1", "N|T|B|9") is None
        entries = uow.audits.entries("a-1", "N|T|B|1")
        assert [(e.person_id, e.reading.marks["Mayor"]) for e in entries] == [
            ("p-1", ("Alvarez",)), ("p-2", ("Brooks",))]
        assert len(uow.audits.entries("a-1")) == 4
        assert uow.audits.reading_counts("a-1") == (2, 1)
