"""Campaign pages: the list, one campaign with its timeline and link graph, and the analysts'
decisions (confirm or reject a link, split, merge), each with its reason.

Every number and picture comes from ``services.campaigns``, which shows a reader only the
reports they may read (TLP): a campaign never reveals a report, nor counts one, beyond that.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ballotguard.campaigns import DecisionKind
from ballotguard.errors import InvalidInput
from ballotguard.services import campaigns
from ballotguard.sharing import Permission
from ballotguard.web.access import Caller, GuardedRoute, app_of, identify, needs, rule
from ballotguard.web.ui.graphics import graph_picture, timeline_picture
from ballotguard.web.ui.pages import render

router = APIRouter(
    route_class=GuardedRoute, include_in_schema=False, default_response_class=HTMLResponse
)
CALLER = Depends(identify)
READ = needs(Permission.READ_REPORTS)
CORRELATE = needs(Permission.CORRELATE)
ID_LIMIT = 64
REASON_LIMIT = 2000


@router.get("/campaigns")
@rule(READ)
def campaign_list(request: Request, caller: Caller = CALLER) -> Response:
    with app_of(request).uow() as uow:
        summaries = campaigns.list_campaigns(uow, caller.actor)
    summaries.sort(key=lambda s: (-s.score.value, s.id))
    return render(request, caller, "campaigns.html", campaigns=summaries)


def _campaign_page(
    request: Request, caller: Caller, campaign_id: str, status_code: int = 200,
    **context: Any,
) -> Response:
    with app_of(request).uow() as uow:
        view = campaigns.get_campaign(uow, caller.actor, campaign_id)
        people = {p.id: p for p in uow.people.list()}
    numbers = {r.id: i + 1 for i, r in enumerate(view.reports)}
    titles = {r.id: r.content.title for r in view.reports}
    context.setdefault("error", None)
    return render(
        request, caller, "campaign.html", status_code,
        campaign=view,
        numbers=numbers,
        titles=titles,
        people=people,
        timeline=timeline_picture(view.reports),
        graph=graph_picture(view.reports, view.links, view.decisions),
        decided={(d.a, d.b): d for d in view.decisions},
        **context,
    )


@router.get("/campaigns/{campaign_id}")
@rule(READ)
def campaign(request: Request, campaign_id: str, caller: Caller = CALLER) -> Response:
    return _campaign_page(request, caller, campaign_id)


def _text(form: Any, name: str, limit: int) -> str:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise InvalidInput(name, f"at most {limit} characters")
    return text


def _back(campaign_id: str | None) -> Response:
    target = f"/campaigns/{campaign_id}" if campaign_id else "/campaigns"
    return RedirectResponse(target, status_code=303)


@router.post("/campaigns/{campaign_id}/links")
@rule(CORRELATE)
async def decide(request: Request, campaign_id: str, caller: Caller = CALLER) -> Response:
    """Confirm or reject the link between two of the campaign's reports."""
    form = await request.form()
    bg = app_of(request)
    try:
        a, b = _text(form, "a", ID_LIMIT), _text(form, "b", ID_LIMIT)
        reason = _text(form, "reason", REASON_LIMIT)
        try:
            kind = DecisionKind(_text(form, "kind", 20))
        except ValueError:
            raise InvalidInput("kind", "choose confirm or reject") from None
        with bg.uow() as uow:
            landed = campaigns.decide_link(uow, caller.actor, a, b, kind, reason, bg.clock())
    except InvalidInput as exc:
        return _campaign_page(request, caller, campaign_id, 422, error=str(exc))
    return _back(landed if landed else None)


@router.post("/campaigns/{campaign_id}/split")
@rule(CORRELATE)
async def split(request: Request, campaign_id: str, caller: Caller = CALLER) -> Response:
    """Split the chosen reports off the campaign."""
    form = await request.form()
    bg = app_of(request)
    part = frozenset(str(v)[:ID_LIMIT] for v in form.getlist("reports"))
    try:
        reason = _text(form, "reason", REASON_LIMIT)
        with bg.uow() as uow:
            left = campaigns.split_campaign(uow, caller.actor, campaign_id, part, reason,
                                            bg.clock())
    except InvalidInput as exc:
        return _campaign_page(request, caller, campaign_id, 422, error=str(exc))
    return _back(campaign_id if campaign_id in left else (left[0] if left else None))


@router.post("/campaigns/{campaign_id}/merge")
@rule(CORRELATE)
async def merge(request: Request, campaign_id: str, caller: Caller = CALLER) -> Response:
    """Merge another campaign into this one."""
    form = await request.form()
    bg = app_of(request)
    try:
        other = _text(form, "other", ID_LIMIT)
        reason = _text(form, "reason", REASON_LIMIT)
        if not other:
            raise InvalidInput("other", "give the other campaign's id")
        with bg.uow() as uow:
            merged = campaigns.merge_campaigns(uow, caller.actor, campaign_id, other, reason,
                                               bg.clock())
    except InvalidInput as exc:
        return _campaign_page(request, caller, campaign_id, 422, error=str(exc))
    return _back(merged)
