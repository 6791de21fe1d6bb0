"""The panel room: the cases list, one case with its packet, threshold checklist, notes, votes
per seat, recusals and the decision; and the "Escalate to the panel" form posted from report and
campaign pages.

Everything shown comes from ``services.panel``, which lets in seat holders, panel managers and a
case's escalator only (others get a 404 for a case, a 403 for the room).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ballotguard.errors import Conflict, InvalidInput, NotOnPanel, PermissionDenied
from ballotguard.panel.cases import (
    CHECKLIST_QUESTIONS,
    CHECKLIST_VALUES,
    ChecklistItem,
    SubjectKind,
)
from ballotguard.panel.packet import withheld_line
from ballotguard.panel.votes import Choice
from ballotguard.services import panel
from ballotguard.sharing import Permission
from ballotguard.vocabulary import Confidence, SourceReliability
from ballotguard.web.access import SIGNED_IN, Caller, GuardedRoute, app_of, identify, needs, rule
from ballotguard.web.ui.pages import render

router = APIRouter(
    route_class=GuardedRoute, include_in_schema=False, default_response_class=HTMLResponse
)
CALLER = Depends(identify)
SIT = needs(Permission.SIT_ON_PANEL)
ESCALATE = needs(Permission.ESCALATE_CASE)
TEXT_LIMIT = 20_000
CHOICE_WORDS = {
    Choice.PUBLIC: "Public notice",
    Choice.TARGETED: "Targeted notice",
    Choice.NONE: "No notice",
    Choice.ABSTAIN: "Abstain",
}


def _text(form: Any, name: str, limit: int = TEXT_LIMIT) -> str:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise InvalidInput(name, f"at most {limit} characters")
    return text


@router.get("/panel")
@rule(SIGNED_IN)
def room(request: Request, caller: Caller = CALLER) -> Response:
    with app_of(request).uow() as uow:
        cases = panel.list_cases(uow, caller.actor)
        seats = panel.seats(uow)
        rules = panel.panel_rules(uow)
        chair = panel.chair_seat(uow)
        names = {p.id: p.name for p in uow.people.list()}
    return render(request, caller, "panel.html", cases=cases, seats=seats, rules=rules,
                  chair=chair, names=names)


def _case_page(
    request: Request, caller: Caller, case_id: str, status_code: int = 200, error: str | None = None
) -> Response:
    with app_of(request).uow() as uow:
        view = panel.get_case(uow, caller.actor, case_id)
        names = {p.id: p.name for p in uow.people.list()}
        me = caller.actor.person
        my_seat = next((s for s in view.seats if me and s.holder == me.id), None)
    recused = {r.seat_id: r for r in view.recusals}
    voted = {v.seat_id: v for v in view.votes}
    return render(
        request, caller, "panel_case.html", status_code,
        view=view, names=names, my_seat=my_seat, recused=recused, voted=voted,
        is_chair=my_seat is not None and my_seat.id == view.chair_seat,
        questions=CHECKLIST_QUESTIONS, values=CHECKLIST_VALUES, items=list(ChecklistItem),
        choices=CHOICE_WORDS, withheld=withheld_line(view.packet) if view.packet else "",
        seat_names={s.id: s.name for s in view.seats}, error=error,
    )


@router.get("/panel/cases/{case_id}")
@rule(SIGNED_IN)
def case_page(request: Request, case_id: str, caller: Caller = CALLER) -> Response:
    return _case_page(request, caller, case_id)


def _back(case_id: str, anchor: str = "") -> Response:
    return RedirectResponse(f"/panel/cases/{case_id}{anchor}", status_code=303)


@router.post("/panel/cases")
@rule(ESCALATE)
async def escalate(request: Request, caller: Caller = CALLER) -> Response:
    """Escalate a report or campaign (the form on its page) and open the new case."""
    form = await request.form()
    bg = app_of(request)
    kind_text = _text(form, "subject_kind", 20)
    subject_id = _text(form, "subject_id", 64)
    try:
        kind = SubjectKind(kind_text)
        confidence = Confidence(_text(form, "confidence", 20) or "low")
        reliability_text = _text(form, "source_reliability", 1)
        reliability = SourceReliability(reliability_text) if reliability_text else None
    except ValueError:
        raise InvalidInput("subject_kind", "choose a report or a campaign, and a known "
                           "confidence and reliability") from None
    with bg.uow() as uow:
        case = panel.escalate(uow, caller.actor, kind, subject_id, _text(form, "reason"),
                              bg.clock(), _text(form, "title", 300), reliability, confidence)
    return _back(case.id)


async def _act(request: Request, caller: Caller, case_id: str, anchor: str, action: Any) -> Response:
    form = await request.form()
    bg = app_of(request)
    try:
        with bg.uow() as uow:
            action(uow, form, bg.clock())
    except (InvalidInput, Conflict) as exc:
        status = 422 if isinstance(exc, InvalidInput) else 409
        return _case_page(request, caller, case_id, status, str(exc))
    except (NotOnPanel, PermissionDenied) as exc:
        return _case_page(request, caller, case_id, 403, str(exc))
    return _back(case_id, anchor)


@router.post("/panel/cases/{case_id}/checklist")
@rule(SIT)
async def checklist(request: Request, case_id: str, caller: Caller = CALLER) -> Response:
    def action(uow: Any, form: Any, now: Any) -> None:
        try:
            item = ChecklistItem(_text(form, "item", 40))
        except ValueError:
            raise InvalidInput("item", "choose an item of the checklist") from None
        panel.answer_checklist(uow, caller.actor, case_id, item, _text(form, "value", 80),
                               _text(form, "note"), now)

    return await _act(request, caller, case_id, "#checklist", action)


@router.post("/panel/cases/{case_id}/notes")
@rule(SIT)
async def note(request: Request, case_id: str, caller: Caller = CALLER) -> Response:
    def action(uow: Any, form: Any, now: Any) -> None:
        panel.add_case_note(uow, caller.actor, case_id, _text(form, "text"), now)

    return await _act(request, caller, case_id, "#notes", action)


@router.post("/panel/cases/{case_id}/recusal")
@rule(SIT)
async def recusal(request: Request, case_id: str, caller: Caller = CALLER) -> Response:
    def action(uow: Any, form: Any, now: Any) -> None:
        panel.recuse(uow, caller.actor, case_id, _text(form, "reason"), now)

    return await _act(request, caller, case_id, "#votes", action)


@router.post("/panel/cases/{case_id}/vote")
@rule(SIT)
async def vote(request: Request, case_id: str, caller: Caller = CALLER) -> Response:
    def action(uow: Any, form: Any, now: Any) -> None:
        try:
            choice = Choice(_text(form, "choice", 20))
        except ValueError:
            raise InvalidInput("choice", "choose public notice, targeted notice, no notice or "
                               "abstain") from None
        panel.vote(uow, caller.actor, case_id, choice, now, _text(form, "comment"))

    return await _act(request, caller, case_id, "#votes", action)


@router.post("/panel/cases/{case_id}/decision")
@rule(SIT)
async def decision(request: Request, case_id: str, caller: Caller = CALLER) -> Response:
    def action(uow: Any, form: Any, now: Any) -> None:
        panel.record_decision(uow, caller.actor, case_id, now, _text(form, "rationale"),
                              _text(form, "target", 300), _text(form, "supersedes", 64) or None)

    return await _act(request, caller, case_id, "#decision", action)


@router.post("/panel/cases/{case_id}/reopen")
@rule(SIT)
async def reopen(request: Request, case_id: str, caller: Caller = CALLER) -> Response:
    def action(uow: Any, form: Any, now: Any) -> None:
        panel.reopen_case(uow, caller.actor, case_id, _text(form, "reason"), now)

    return await _act(request, caller, case_id, "#votes", action)
