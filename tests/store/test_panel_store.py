"""Contract tests for the panel store, on SQLite and PostgreSQL: rules and seats, cases, the
append-only parts of a case, one vote per seat and round, and decisions that are never updated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import Conflict
from ballotguard.panel.cases import (
    Case,
    CaseNote,
    CaseStatus,
    ChecklistAnswer,
    ChecklistItem,
    SubjectKind,
)
from ballotguard.panel.decisions import Decision, NoticeKind
from ballotguard.panel.membership import PanelRules, Seat
from ballotguard.panel.packet import Packet
from ballotguard.panel.votes import Choice, Recusal, Vote
from ballotguard.vocabulary import Confidence, SourceReliability, Tlp

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def case(case_id: str = "c1", at: datetime = T0, subject: str = "r1") -> Case:
    return Case(case_id, "Phishing of poll workers", SubjectKind.REPORT, subject, "pattern",
                "analyst", at, SourceReliability.B, Confidence.MODERATE)


def decision(id_: str, round_: int = 1, supersedes: str | None = None,
             case_id: str = "c1") -> Decision:
    return Decision(id_, case_id, NoticeKind.PUBLIC, "", "why", T0 + timedelta(hours=round_),
                    "chair", supersedes, True, round_)


def test_rules_and_seats_round_trip(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        assert uow.panel.rules() is None and uow.panel.seats() == []
        uow.panel.save_rules(PanelRules(7, 5, 6), "seat-2")
        uow.panel.save_seats([Seat("seat-1", "Seat 1", 1, "p1"), Seat("seat-2", "Chair", 2)])
        uow.commit()
    with bg.uow() as uow:
        assert uow.panel.rules() == PanelRules(7, 5, 6)
        assert uow.panel.chair_seat() == "seat-2"
        # moving a holder between seats replaces the set without colliding on the unique holder
        uow.panel.save_seats([Seat("seat-1", "Seat 1", 1), Seat("seat-2", "Chair", 2, "p1")])
        uow.commit()
    with bg.uow() as uow:
        assert [s.holder for s in uow.panel.seats()] == [None, "p1"]


def test_cases_list_newest_first_and_change_only_round_and_status(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.panel.add_case(case("c1", T0))
        uow.panel.add_case(case("c2", T0 + timedelta(hours=1), subject="r2"))
        uow.commit()
    with bg.uow() as uow, pytest.raises(Conflict):
        uow.panel.add_case(case("c1"))
    with bg.uow() as uow:
        changed = case("c1")
        uow.panel.update_case(Case(**{**_fields(changed), "round": 2, "status": CaseStatus.DECIDED,
                                      "title": "ignored"}))
        uow.commit()
    with bg.uow() as uow:
        assert [c.id for c in uow.panel.list_cases()] == ["c2", "c1"]
        stored = uow.panel.get_case("c1")
        assert stored is not None
        assert (stored.round, stored.status, stored.title) == (
            2, CaseStatus.DECIDED, "Phishing of poll workers")
        assert [c.id for c in uow.panel.cases_of("report", "r2")] == ["c2"]
        assert uow.panel.get_case("nope") is None


def _fields(c: Case) -> dict[str, object]:
    return {name: getattr(c, name) for name in Case.__dataclass_fields__}


def test_what_a_case_gathers_is_appended_in_order(bg: Ballotguard) -> None:
    packet = Packet("c1", 1, T0, "analyst", Tlp.AMBER,
                    {"reports": [{"id": "r1"}], "withheld": {"RED": 2}, "é": "ü"}, "0" * 64)
    with bg.uow() as uow:
        uow.panel.add_case(case())
        uow.panel.add_packet(packet)
        uow.panel.add_answer(ChecklistAnswer("c1", ChecklistItem.SCOPE, "local", "n", "p1", T0))
        uow.panel.add_answer(ChecklistAnswer("c1", ChecklistItem.SCOPE, "national", "", "p2", T0))
        uow.panel.add_note(CaseNote("n2", "c1", "p1", "second", T0 + timedelta(minutes=2)))
        uow.panel.add_note(CaseNote("n1", "c1", "p1", "first", T0 + timedelta(minutes=1)))
        uow.panel.add_recusal(Recusal("c1", "seat-5", "p5", "conflict", T0))
        uow.panel.link_cases("c1", "c0")
        uow.panel.link_cases("c0", "c1")
        uow.commit()
    with bg.uow() as uow, pytest.raises(Conflict):
        uow.panel.add_packet(packet)
    with bg.uow() as uow, pytest.raises(Conflict):
        uow.panel.add_recusal(Recusal("c1", "seat-5", "p5", "again", T0))
    with bg.uow() as uow:
        assert uow.panel.packets("c1") == [packet]
        assert [a.value for a in uow.panel.answers("c1")] == ["local", "national"]
        assert [n.text for n in uow.panel.notes("c1")] == ["first", "second"]
        assert uow.panel.recusals("c1")[0].reason == "conflict"
        assert uow.panel.linked("c1") == ["c0"] and uow.panel.linked("c0") == ["c1"]


def test_a_seat_votes_once_per_round(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.panel.add_vote(Vote("c1", 1, "seat-1", "p1", Choice.PUBLIC, T0, "yes"))
        uow.panel.add_vote(Vote("c1", 2, "seat-1", "p1", Choice.NONE, T0))
        uow.commit()
    with bg.uow() as uow:
        with pytest.raises(Conflict, match="already voted in round 1"):
            uow.panel.add_vote(Vote("c1", 1, "seat-1", "p1", Choice.ABSTAIN, T0))
        # the failed insert leaves the transaction usable
        uow.panel.add_vote(Vote("c1", 1, "seat-2", "p2", Choice.ABSTAIN, T0))
        uow.commit()
    with bg.uow() as uow:
        assert [(v.round, v.seat_id, v.choice) for v in uow.panel.votes("c1")] == [
            (1, "seat-1", Choice.PUBLIC), (1, "seat-2", Choice.ABSTAIN), (2, "seat-1", Choice.NONE)
        ]
        assert [v.comment for v in uow.panel.votes("c1", 1)] == ["yes", ""]


def test_decisions_are_inserted_once_per_round_and_superseded_once(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.panel.add_decision(decision("d1"))
        uow.panel.add_decision(decision("d2", 2, "d1"))
        uow.commit()
    for clash in (decision("d3", 2), decision("d4", 3, "d1")):
        with bg.uow() as uow, pytest.raises(Conflict):
            uow.panel.add_decision(clash)
    with bg.uow() as uow:
        assert [d.id for d in uow.panel.decisions("c1")] == ["d1", "d2"]
        assert uow.panel.get_decision("d2") == decision("d2", 2, "d1")
        assert uow.panel.get_decision("nope") is None
    from ballotguard.store.panel import SqlPanelStore

    assert not any("decision" in name and name != "add_decision" and not name.endswith("s")
                   and name != "get_decision" for name in dir(SqlPanelStore)
                   if not name.startswith("_"))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE panel_decisions SET outcome = 'no_notice'",
        "DELETE FROM panel_decisions",
        "UPDATE panel_votes SET choice = 'abstain'",
        "DELETE FROM panel_packets",
    ],
)
def test_the_database_refuses_to_change_decisions_votes_and_packets(
    bg: Ballotguard, statement: str
) -> None:
    from sqlalchemy import exc, text

    packet = Packet("c1", 1, T0, "analyst", Tlp.GREEN, {}, "0" * 64)
    with bg.uow() as uow:
        uow.panel.add_decision(decision("d1"))
        uow.panel.add_vote(Vote("c1", 1, "seat-1", "p1", Choice.PUBLIC, T0))
        uow.panel.add_packet(packet)
        uow.commit()
    with bg.engine.connect() as conn, pytest.raises(exc.DBAPIError, match="append-only"):
        conn.execute(text(statement))
    with bg.uow() as uow:
        assert uow.panel.get_decision("d1") == decision("d1")
        assert uow.panel.votes("c1")[0].choice is Choice.PUBLIC
