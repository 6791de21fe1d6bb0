"""The decision record of a case: everything a post-election review needs, as one JSON value.

It holds the case, the rules in force, the seats and who held them, every packet version (with the
SHA-256 of its canonical JSON, so the reviewer can check the packet they hold is the one the panel
decided on), the checklist answers with their history, the deliberation notes, the recusals with
their reasons, every vote of every round, and every decision with its supersession links. The PDF
(``ballotguard.pdf.decision_record``) is drawn from this value and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ballotguard.panel.cases import Case, CaseNote, ChecklistAnswer
from ballotguard.panel.decisions import Decision, current_decision, superseded_by
from ballotguard.panel.membership import PanelRules, Seat
from ballotguard.panel.packet import Packet, withheld_counts
from ballotguard.panel.votes import Recusal, Vote

RECORD_FORMAT = "ballotguard.panel.decision-record/1"


@dataclass(frozen=True, slots=True)
class RecordInputs:
    case: Case
    rules: PanelRules
    seats: list[Seat]
    chair_seat: str | None
    packets: list[Packet]
    answers: list[ChecklistAnswer]
    notes: list[CaseNote]
    recusals: list[Recusal]
    votes: list[Vote]
    decisions: list[Decision]
    linked: list[str]
    names: dict[str, str]
    """Person id -> display name, for the people who appear in the record."""


def decision_record(inputs: RecordInputs, exported_at: datetime, exported_by: str) -> dict[str, Any]:
    case = inputs.case
    seat_names = {s.id: s.name for s in inputs.seats}
    current = current_decision(inputs.decisions)

    def who(person_id: str) -> dict[str, str]:
        return {"id": person_id, "name": inputs.names.get(person_id, person_id)}

    return {
        "format": RECORD_FORMAT,
        "exported_at": exported_at.isoformat(),
        "exported_by": who(exported_by),
        "case": {
            "id": case.id,
            "title": case.title,
            "subject": {"kind": case.subject_kind.value, "id": case.subject_id},
            "reason": case.reason,
            "escalated_by": who(case.escalated_by),
            "escalated_at": case.escalated_at.isoformat(),
            "source_reliability": case.source_reliability.value,
            "confidence": case.confidence.value,
            "status": case.status.value,
            "round": case.round,
            "linked_cases": inputs.linked,
        },
        "rules": {
            "seats": inputs.rules.seats,
            "quorum": inputs.rules.quorum,
            "notice_votes": inputs.rules.notice_votes,
            "description": inputs.rules.describe(),
        },
        "seats": [
            {
                "id": s.id,
                "name": s.name,
                "holder": who(s.holder) if s.holder else None,
                "chair": s.id == inputs.chair_seat,
            }
            for s in inputs.seats
        ],
        "packets": [
            {
                "version": p.version,
                "built_at": p.built_at.isoformat(),
                "built_by": who(p.built_by),
                "tlp": p.tlp.value,
                "withheld_red": p.withheld_red,
                "withheld": withheld_counts(p),
                "sha256": p.sha256,
                "body": p.body,
            }
            for p in inputs.packets
        ],
        "checklist": [
            {
                "item": a.item.value,
                "value": a.value,
                "note": a.note,
                "answered_by": who(a.answered_by),
                "answered_at": a.answered_at.isoformat(),
            }
            for a in sorted(inputs.answers, key=lambda a: a.answered_at)
        ],
        "notes": [
            {"id": n.id, "author": who(n.author_id), "at": n.at.isoformat(), "text": n.text}
            for n in inputs.notes
        ],
        "recusals": [
            {
                "seat": seat_names.get(r.seat_id, r.seat_id),
                "person": who(r.person_id),
                "reason": r.reason,
                "at": r.at.isoformat(),
            }
            for r in inputs.recusals
        ],
        "votes": [
            {
                "round": v.round,
                "seat": seat_names.get(v.seat_id, v.seat_id),
                "person": who(v.person_id),
                "choice": v.choice.value,
                "comment": v.comment,
                "at": v.at.isoformat(),
            }
            for v in sorted(inputs.votes, key=lambda v: (v.round, v.at, v.seat_id))
        ],
        "decisions": [
            {
                "id": d.id,
                "round": d.round,
                "outcome": d.outcome.value,
                "target": d.target,
                "rationale": d.rationale,
                "threshold_met": d.threshold_met,
                "recorded_by": who(d.recorded_by),
                "recorded_at": d.recorded_at.isoformat(),
                "supersedes": d.supersedes,
                "superseded_by": superseded_by(inputs.decisions, d.id),
                "packet_sha256": _packet_at(inputs.packets, d.recorded_at),
            }
            for d in inputs.decisions
        ],
        "current_decision": current.id if current else None,
    }


def _packet_at(packets: list[Packet], at: datetime) -> str | None:
    """The SHA-256 of the newest packet built before the decision: the one decided on."""
    before = [p for p in packets if p.built_at <= at]
    return before[-1].sha256 if before else None
