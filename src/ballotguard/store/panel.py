"""Tables and repository of the panel seats, cases, votes and decisions.

What a case gathers is inserted, never updated: packets (by version), checklist answers, notes,
recusals, votes (one per seat and round, enforced by the primary key) and decisions (one per case
and round; a decision is superseded at most once, enforced by a unique ``supersedes``). The
repository has no method that changes a decision.
"""

from __future__ import annotations

import builtins
import json
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

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
from ballotguard.store.models import ID, Base
from ballotguard.vocabulary import Confidence, SourceReliability, Tlp


class PanelSettingsRow(Base):
    """The panel's rules and chair: one row (id 1), absent until first changed."""

    __tablename__ = "panel_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seats: Mapped[int] = mapped_column(Integer)
    quorum: Mapped[int] = mapped_column(Integer)
    notice_votes: Mapped[int] = mapped_column(Integer)
    chair_seat: Mapped[str | None] = mapped_column(ID, nullable=True)


class SeatRow(Base):
    __tablename__ = "panel_seats"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer)
    holder_id: Mapped[str | None] = mapped_column(ID, nullable=True, unique=True)


class CaseRow(Base):
    __tablename__ = "panel_cases"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(ID)
    reason: Mapped[str] = mapped_column(Text)
    escalated_by: Mapped[str] = mapped_column(ID)
    escalated_at: Mapped[datetime]
    source_reliability: Mapped[str] = mapped_column(String(1))
    confidence: Mapped[str] = mapped_column(String(20))
    round: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    __table_args__ = (Index("ix_panel_cases_subject", "subject_kind", "subject_id"),)


class CaseLinkRow(Base):
    """Two linked cases (accumulation); stored once with ``a < b``."""

    __tablename__ = "panel_case_links"
    a: Mapped[str] = mapped_column(ID, primary_key=True)
    b: Mapped[str] = mapped_column(ID, primary_key=True)


class PacketRow(Base):
    __tablename__ = "panel_packets"
    case_id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    built_at: Mapped[datetime]
    built_by: Mapped[str] = mapped_column(ID)
    tlp: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))


class ChecklistRow(Base):
    __tablename__ = "panel_checklist"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ID, index=True)
    item: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text)
    answered_by: Mapped[str] = mapped_column(ID)
    answered_at: Mapped[datetime]


class NoteRow(Base):
    __tablename__ = "panel_notes"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ID, index=True)
    author_id: Mapped[str] = mapped_column(ID)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class RecusalRow(Base):
    __tablename__ = "panel_recusals"
    case_id: Mapped[str] = mapped_column(ID, primary_key=True)
    seat_id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ID)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class VoteRow(Base):
    __tablename__ = "panel_votes"
    case_id: Mapped[str] = mapped_column(ID, primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seat_id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ID)
    choice: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    comment: Mapped[str] = mapped_column(Text)


class DecisionRow(Base):
    __tablename__ = "panel_decisions"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ID)
    round: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(300))
    rationale: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(ID)
    supersedes: Mapped[str | None] = mapped_column(ID, nullable=True, unique=True)
    threshold_met: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (UniqueConstraint("case_id", "round", name="uq_panel_decisions_round"),)


class SqlPanelStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- rules and seats ----------------------------------------------------------------------

    def rules(self) -> PanelRules | None:
        row = self.session.get(PanelSettingsRow, 1)
        if row is None:
            return None
        return PanelRules(seats=row.seats, quorum=row.quorum, notice_votes=row.notice_votes)

    def save_rules(self, rules: PanelRules, chair_seat: str | None) -> None:
        row = self.session.get(PanelSettingsRow, 1)
        if row is None:
            row = PanelSettingsRow(id=1)
            self.session.add(row)
        row.seats, row.quorum, row.notice_votes = rules.seats, rules.quorum, rules.notice_votes
        row.chair_seat = chair_seat
        self.session.flush()

    def chair_seat(self) -> str | None:
        row = self.session.get(PanelSettingsRow, 1)
        return row.chair_seat if row else None

    def seats(self) -> builtins.list[Seat]:
        rows = self.session.scalars(select(SeatRow).order_by(SeatRow.position))
        return [Seat(r.id, r.name, r.position, r.holder_id) for r in rows]

    def save_seats(self, seats: builtins.list[Seat]) -> None:
        """Replace the seats with ``seats`` (holders cleared first so a move never collides)."""
        self.session.execute(delete(SeatRow))
        self.session.flush()
        for seat in seats:
            self.session.add(SeatRow(
                id=seat.id, name=seat.name, position=seat.position, holder_id=seat.holder
            ))
        self.session.flush()

    # -- cases --------------------------------------------------------------------------------

    def add_case(self, case: Case) -> None:
        if self.session.get(CaseRow, case.id) is not None:
            raise Conflict(f"panel case {case.id} exists already")
        row = CaseRow(id=case.id)
        _fill_case(row, case)
        self.session.add(row)
        self.session.flush()

    def get_case(self, case_id: str) -> Case | None:
        row = self.session.get(CaseRow, case_id)
        return _case(row) if row else None

    def update_case(self, case: Case) -> None:
        row = self.session.get(CaseRow, case.id)
        if row is None:
            raise Conflict(f"panel case {case.id} does not exist")
        row.round, row.status = case.round, case.status.value
        self.session.flush()

    def list_cases(self) -> builtins.list[Case]:
        rows = self.session.scalars(
            select(CaseRow).order_by(CaseRow.escalated_at.desc(), CaseRow.id)
        )
        return [_case(r) for r in rows]

    def cases_of(self, subject_kind: str, subject_id: str) -> builtins.list[Case]:
        rows = self.session.scalars(
            select(CaseRow)
            .where(CaseRow.subject_kind == subject_kind, CaseRow.subject_id == subject_id)
            .order_by(CaseRow.escalated_at)
        )
        return [_case(r) for r in rows]

    def link_cases(self, a: str, b: str) -> None:
        first, second = sorted((a, b))
        if self.session.get(CaseLinkRow, (first, second)) is None:
            self.session.add(CaseLinkRow(a=first, b=second))
            self.session.flush()

    def linked(self, case_id: str) -> builtins.list[str]:
        rows = self.session.scalars(
            select(CaseLinkRow).where(or_(CaseLinkRow.a == case_id, CaseLinkRow.b == case_id))
        )
        return sorted(r.b if r.a == case_id else r.a for r in rows)

    # -- what a case gathers (append-only) ----------------------------------------------------

    def add_packet(self, packet: Packet) -> None:
        self._insert(PacketRow(
            case_id=packet.case_id,
            version=packet.version,
            built_at=packet.built_at,
            built_by=packet.built_by,
            tlp=packet.tlp.value,
            body=json.dumps(packet.body, sort_keys=True, ensure_ascii=False),
            sha256=packet.sha256,
        ), f"packet version {packet.version} of case {packet.case_id} exists already")

    def packets(self, case_id: str) -> builtins.list[Packet]:
        rows = self.session.scalars(
            select(PacketRow).where(PacketRow.case_id == case_id).order_by(PacketRow.version)
        )
        return [
            Packet(
                case_id=r.case_id,
                version=r.version,
                built_at=r.built_at,
                built_by=r.built_by,
                tlp=Tlp(r.tlp),
                body=json.loads(r.body),
                sha256=r.sha256,
            )
            for r in rows
        ]

    def add_answer(self, answer: ChecklistAnswer) -> None:
        self._insert(ChecklistRow(
            case_id=answer.case_id,
            item=answer.item.value,
            value=answer.value,
            note=answer.note,
            answered_by=answer.answered_by,
            answered_at=answer.answered_at,
        ), "checklist answer")

    def answers(self, case_id: str) -> builtins.list[ChecklistAnswer]:
        rows = self.session.scalars(
            select(ChecklistRow).where(ChecklistRow.case_id == case_id).order_by(ChecklistRow.id)
        )
        return [
            ChecklistAnswer(r.case_id, ChecklistItem(r.item), r.value, r.note, r.answered_by,
                            r.answered_at)
            for r in rows
        ]

    def add_note(self, note: CaseNote) -> None:
        self._insert(NoteRow(
            id=note.id, case_id=note.case_id, author_id=note.author_id, text=note.text, at=note.at
        ), f"note {note.id} exists already")

    def notes(self, case_id: str) -> builtins.list[CaseNote]:
        rows = self.session.scalars(
            select(NoteRow).where(NoteRow.case_id == case_id).order_by(NoteRow.at, NoteRow.id)
        )
        return [CaseNote(r.id, r.case_id, r.author_id, r.text, r.at) for r in rows]

    def add_recusal(self, recusal: Recusal) -> None:
        self._insert(RecusalRow(
            case_id=recusal.case_id,
            seat_id=recusal.seat_id,
            person_id=recusal.person_id,
            reason=recusal.reason,
            at=recusal.at,
        ), f"seat {recusal.seat_id} is already recused from case {recusal.case_id}")

    def recusals(self, case_id: str) -> builtins.list[Recusal]:
        rows = self.session.scalars(
            select(RecusalRow).where(RecusalRow.case_id == case_id).order_by(RecusalRow.at)
        )
        return [Recusal(r.case_id, r.seat_id, r.person_id, r.reason, r.at) for r in rows]

    def add_vote(self, vote: Vote) -> None:
        self._insert(VoteRow(
            case_id=vote.case_id,
            round=vote.round,
            seat_id=vote.seat_id,
            person_id=vote.person_id,
            choice=vote.choice.value,
            at=vote.at,
            comment=vote.comment,
        ), f"seat {vote.seat_id} has already voted in round {vote.round} of case {vote.case_id}")

    def votes(self, case_id: str, round_: int | None = None) -> builtins.list[Vote]:
        query = select(VoteRow).where(VoteRow.case_id == case_id)
        if round_ is not None:
            query = query.where(VoteRow.round == round_)
        rows = self.session.scalars(query.order_by(VoteRow.round, VoteRow.at, VoteRow.seat_id))
        return [
            Vote(r.case_id, r.round, r.seat_id, r.person_id, Choice(r.choice), r.at, r.comment)
            for r in rows
        ]

    # -- decisions (insert only) --------------------------------------------------------------

    def add_decision(self, decision: Decision) -> None:
        self._insert(DecisionRow(
            id=decision.id,
            case_id=decision.case_id,
            round=decision.round,
            outcome=decision.outcome.value,
            target=decision.target,
            rationale=decision.rationale,
            recorded_at=decision.recorded_at,
            recorded_by=decision.recorded_by,
            supersedes=decision.supersedes,
            threshold_met=decision.threshold_met,
        ), f"case {decision.case_id} already has a decision for round {decision.round}, "
           f"or decision {decision.supersedes} was already superseded")

    def get_decision(self, decision_id: str) -> Decision | None:
        row = self.session.get(DecisionRow, decision_id)
        return _decision(row) if row else None

    def decisions(self, case_id: str) -> builtins.list[Decision]:
        rows = self.session.scalars(
            select(DecisionRow).where(DecisionRow.case_id == case_id).order_by(DecisionRow.round)
        )
        return [_decision(r) for r in rows]

    def _insert(self, row: Base, clash: str) -> None:
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError as err:
            raise Conflict(clash) from err


def _fill_case(row: CaseRow, case: Case) -> None:
    row.title = case.title
    row.subject_kind = case.subject_kind.value
    row.subject_id = case.subject_id
    row.reason = case.reason
    row.escalated_by = case.escalated_by
    row.escalated_at = case.escalated_at
    row.source_reliability = case.source_reliability.value
    row.confidence = case.confidence.value
    row.round = case.round
    row.status = case.status.value


def _case(row: CaseRow) -> Case:
    return Case(
        id=row.id,
        title=row.title,
        subject_kind=SubjectKind(row.subject_kind),
        subject_id=row.subject_id,
        reason=row.reason,
        escalated_by=row.escalated_by,
        escalated_at=row.escalated_at,
        source_reliability=SourceReliability(row.source_reliability),
        confidence=Confidence(row.confidence),
        round=row.round,
        status=CaseStatus(row.status),
    )


def _decision(row: DecisionRow) -> Decision:
    return Decision(
        id=row.id,
        case_id=row.case_id,
        outcome=NoticeKind(row.outcome),
        target=row.target,
        rationale=row.rationale,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        supersedes=row.supersedes,
        threshold_met=row.threshold_met,
        round=row.round,
    )
