"""The expert panel over JSON: seats, cases, votes, decisions and their export.

Seats and rules change with ``manage_panel``; cases are escalated with ``escalate_case``; seat
holders (``sit_on_panel`` and a seat) deliberate, recuse and vote; the chair decides. Reading a
case is open to seat holders, panel managers and the case's escalator: the service decides, and
answers 404 to anyone else.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ballotguard.panel.cases import ChecklistItem, SubjectKind
from ballotguard.panel.votes import Choice
from ballotguard.pdf.decision_record import decision_record_pdf
from ballotguard.ports import UnitOfWork
from ballotguard.services import panel
from ballotguard.services.actors import Actor
from ballotguard.sharing import Permission
from ballotguard.vocabulary import Confidence, SourceReliability
from ballotguard.web.access import SIGNED_IN, GuardedRoute, current_actor, needs, rule
from ballotguard.web.deps import NOW, UOW

router = APIRouter(prefix="/api/panel", tags=["panel"], route_class=GuardedRoute)
ACTOR = Depends(current_actor)
MANAGE = needs(Permission.MANAGE_PANEL)
ESCALATE = needs(Permission.ESCALATE_CASE)
SIT = needs(Permission.SIT_ON_PANEL)
Text = Annotated[str, Field(max_length=20_000)]
Short = Annotated[str, Field(max_length=300)]
Id = Annotated[str, Field(min_length=1, max_length=64)]
Json = dict[str, Any]


class RulesIn(BaseModel):
    seats: int | None = Field(None, ge=1, le=25)
    quorum: int | None = Field(None, ge=1, le=25)
    notice_votes: int | None = Field(None, ge=1, le=25)


class SeatIn(BaseModel):
    name: Annotated[str, Field(max_length=120)] | None = None
    holder: Id | None = Field(None, description="person id to seat; see `vacate` to empty it")
    vacate: bool = False


class ChairIn(BaseModel):
    seat_id: Id


class EscalateIn(BaseModel):
    subject_kind: SubjectKind
    subject_id: Id
    reason: Text
    title: Short = ""
    source_reliability: SourceReliability | None = None
    confidence: Confidence = Confidence.LOW


class EvidenceIn(BaseModel):
    reports: Annotated[list[Id], Field(max_length=1000)] = []


class ChecklistIn(BaseModel):
    item: ChecklistItem
    value: Annotated[str, Field(max_length=80)]
    note: Text = ""


class NoteIn(BaseModel):
    text: Text


class LinkIn(BaseModel):
    other: Id


class RecusalIn(BaseModel):
    reason: Text


class VoteIn(BaseModel):
    choice: Choice
    comment: Text = ""


class DecisionIn(BaseModel):
    rationale: Text = ""
    target: Short = ""
    supersedes: Id | None = None


class ReopenIn(BaseModel):
    reason: Text


def _plain(value: Any) -> Any:
    return jsonable_encoder(value)


def panel_out(uow: UnitOfWork) -> Json:
    rules = panel.panel_rules(uow)
    return {
        "rules": _plain(asdict(rules)),
        "description": rules.describe(),
        "chair_seat": panel.chair_seat(uow),
        "seats": _plain([asdict(s) for s in panel.seats(uow)]),
    }


def case_out(view: panel.CaseView) -> Json:
    return {
        "case": _plain(asdict(view.case)),
        "packets": _plain([asdict(p) for p in view.packets]),
        "checklist": _plain([asdict(a) for a in view.answers.values()]),
        "checklist_history": _plain([asdict(a) for a in view.answer_history]),
        "notes": _plain([asdict(n) for n in view.notes]),
        "recusals": _plain([asdict(r) for r in view.recusals]),
        "votes": _plain([asdict(v) for v in view.votes]),
        "decisions": _plain([asdict(d) for d in view.decisions]),
        "current_decision": view.current_decision.id if view.current_decision else None,
        "linked": view.linked,
        "tally": {**_plain(asdict(view.tally)), "cast": view.tally.cast},
        "supported_outcome": view.supported_outcome.value,
        "quorum_met": view.quorum_met,
    }


@router.get("", response_model=Json)
@rule(SIGNED_IN)
def get_panel(uow: UnitOfWork = UOW) -> Json:
    """The seats, their holders, the chair and the threshold in force."""
    return panel_out(uow)


@router.put("/rules", response_model=Json)
@rule(MANAGE)
def put_rules(body: RulesIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
              now: datetime = NOW) -> Json:
    panel.configure_panel(uow, actor, now, body.seats, body.quorum, body.notice_votes)
    return panel_out(uow)


@router.put("/seats/{seat_id}", response_model=Json)
@rule(MANAGE)
def put_seat(seat_id: str, body: SeatIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
             now: datetime = NOW) -> Json:
    """Rename a seat, seat a panel member in it, or vacate it; each change is audited."""
    if body.name is not None:
        panel.rename_seat(uow, actor, seat_id, body.name, now)
    if body.holder is not None or body.vacate:
        panel.assign_seat(uow, actor, seat_id, None if body.vacate else body.holder, now)
    return panel_out(uow)


@router.put("/chair", response_model=Json)
@rule(MANAGE)
def put_chair(body: ChairIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
              now: datetime = NOW) -> Json:
    panel.set_chair(uow, actor, body.seat_id, now)
    return panel_out(uow)


@router.get("/cases", response_model=list[Json])
@rule(SIGNED_IN)
def list_cases(uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> list[Json]:
    """Cases the caller may read: all for seat holders and panel managers, else their own."""
    return [
        {
            "case": _plain(asdict(s.case)), "tlp": s.tlp, "acted": s.acted, "seats": s.seats,
            "current_decision": _plain(asdict(s.current)) if s.current else None,
        }
        for s in panel.list_cases(uow, actor)
    ]


@router.post("/cases", response_model=Json, status_code=201)
@rule(ESCALATE)
def escalate(body: EscalateIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
             now: datetime = NOW) -> Json:
    """Escalate a report or campaign the caller can read; the first packet is frozen now."""
    case = panel.escalate(uow, actor, body.subject_kind, body.subject_id, body.reason, now,
                          body.title, body.source_reliability, body.confidence)
    return case_out(panel.get_case(uow, actor, case.id))


@router.get("/cases/{case_id}", response_model=Json)
@rule(SIGNED_IN)
def get_case(case_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> Json:
    return case_out(panel.get_case(uow, actor, case_id))


@router.post("/cases/{case_id}/evidence", response_model=Json, status_code=201)
@rule(ESCALATE)
def add_evidence(case_id: str, body: EvidenceIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
                 now: datetime = NOW) -> Json:
    """A new packet version; earlier versions stay as they were."""
    packet = panel.add_evidence(uow, actor, case_id, now, body.reports)
    return _plain(asdict(packet))  # type: ignore[no-any-return]


def _case_after(uow: UnitOfWork, actor: Actor, case_id: str) -> Json:
    return case_out(panel.get_case(uow, actor, case_id))


@router.post("/cases/{case_id}/checklist", response_model=Json)
@rule(SIT)
def answer_checklist(case_id: str, body: ChecklistIn, uow: UnitOfWork = UOW,
                     actor: Actor = ACTOR, now: datetime = NOW) -> Json:
    panel.answer_checklist(uow, actor, case_id, body.item, body.value, body.note, now)
    return _case_after(uow, actor, case_id)


@router.post("/cases/{case_id}/notes", response_model=Json)
@rule(SIT)
def add_note(case_id: str, body: NoteIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
             now: datetime = NOW) -> Json:
    panel.add_case_note(uow, actor, case_id, body.text, now)
    return _case_after(uow, actor, case_id)


@router.post("/cases/{case_id}/links", response_model=Json)
@rule(SIT)
def link_case(case_id: str, body: LinkIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
              now: datetime = NOW) -> Json:
    panel.link_cases(uow, actor, case_id, body.other, now)
    return _case_after(uow, actor, case_id)


@router.post("/cases/{case_id}/recusals", response_model=Json)
@rule(SIT)
def recuse(case_id: str, body: RecusalIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
           now: datetime = NOW) -> Json:
    """Step aside from the case for a conflict of interest; the reason is recorded."""
    panel.recuse(uow, actor, case_id, body.reason, now)
    return _case_after(uow, actor, case_id)


@router.post("/cases/{case_id}/votes", response_model=Json)
@rule(SIT)
def vote(case_id: str, body: VoteIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
         now: datetime = NOW) -> Json:
    """Vote (or abstain) once in the current round; a recused seat is refused (409)."""
    panel.vote(uow, actor, case_id, body.choice, now, body.comment)
    return _case_after(uow, actor, case_id)


@router.post("/cases/{case_id}/decisions", response_model=Json, status_code=201)
@rule(SIT)
def decide(case_id: str, body: DecisionIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
           now: datetime = NOW) -> Json:
    """The chair records the decision the votes support; decisions are never changed."""
    decision = panel.record_decision(uow, actor, case_id, now, body.rationale, body.target,
                                     body.supersedes)
    return _plain(asdict(decision))  # type: ignore[no-any-return]


@router.post("/cases/{case_id}/reopen", response_model=Json)
@rule(SIT)
def reopen(case_id: str, body: ReopenIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
           now: datetime = NOW) -> Json:
    """The chair opens a new voting round; the next decision must supersede the current one."""
    panel.reopen_case(uow, actor, case_id, body.reason, now)
    return _case_after(uow, actor, case_id)


@router.get("/cases/{case_id}/record.json", response_model=Json)
@rule(SIGNED_IN)
def record_json(case_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
                now: datetime = NOW) -> Json:
    """The complete decision record, for post-election review (each export is audited)."""
    return panel.export_record(uow, actor, case_id, now)


@router.get("/cases/{case_id}/record.pdf", response_class=Response)
@rule(SIGNED_IN)
def record_pdf(case_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
               now: datetime = NOW) -> Response:
    """The decision record as a PDF, drawn from the JSON record (whose SHA-256 it prints)."""
    pdf = decision_record_pdf(panel.export_record(uow, actor, case_id, now))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="decision-record-{case_id}.pdf"',
    })
