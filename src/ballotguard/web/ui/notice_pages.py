"""Pages for drafting, checking and publishing a notice, and for voting information.

``/notices``: the notices the person may read and, for seat holders, the decisions awaiting a
notice. ``/notices/{id}``: for seat holders the draft in every configured language, the checks
(grade per language, flags), the briefings of the required parties and the publish form (the
chair publishes); for everyone who may read it, the published versions. ``/voting-info``: the
official voting information pages, edited by election officials of an election authority.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ballotguard.errors import Conflict, InvalidInput, PermissionDenied
from ballotguard.panel.briefings import PARTY_NAMES, Party
from ballotguard.panel.languages import NAMES, field_label, parse_languages, term_label
from ballotguard.panel.notices import TEXT_FIELDS, Audience, NoticeContent, NoticeText
from ballotguard.services import notices
from ballotguard.services import panel as panel_service
from ballotguard.sharing import Permission
from ballotguard.vocabulary import ActorKind, Confidence, Vector
from ballotguard.web.access import SIGNED_IN, Caller, GuardedRoute, app_of, identify, needs, rule
from ballotguard.web.ui.pages import render

router = APIRouter(
    route_class=GuardedRoute, include_in_schema=False, default_response_class=HTMLResponse
)
CALLER = Depends(identify)
SIT = needs(Permission.SIT_ON_PANEL)
EDIT_INFO = needs(Permission.EDIT_VOTING_INFO)
LIMIT = 50_000


def _languages(request: Request) -> tuple[str, ...]:
    return parse_languages(app_of(request).settings.portal_languages)


def _text(form: Any, name: str, limit: int = LIMIT) -> str:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise InvalidInput(name, f"at most {limit} characters")
    return text


def _term(form: Any, name: str, kind: Any) -> Any:
    value = _text(form, name, 80)
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(name, f"'{value}' is not a choice") from None


def _content(form: Any, langs: tuple[str, ...]) -> NoticeContent:
    return NoticeContent(
        threat_type=_term(form, "threat_type", Vector),
        actor_kind=_term(form, "actor_kind", ActorKind),
        confidence=_term(form, "confidence", Confidence),
        channel_url=_text(form, "channel_url", 2000),
        texts={lang: NoticeText.of({f: _text(form, f"{lang}.{f}", 4000) for f in TEXT_FIELDS})
               for lang in langs},
    )


def _helpers(langs: tuple[str, ...]) -> dict[str, Any]:
    return {
        "langs": langs, "lang_names": NAMES, "text_fields": TEXT_FIELDS,
        "fl": lambda f: field_label(f, "en"), "tl": lambda t: term_label(t, "en") if t else "",
        "vectors_list": list(Vector), "actor_kinds_list": list(ActorKind),
        "confidence_list": list(Confidence), "parties": list(Party), "party_names": PARTY_NAMES,
    }


@router.get("/notices")
@rule(SIGNED_IN)
def notice_list(request: Request, caller: Caller = CALLER) -> Response:
    with app_of(request).uow() as uow:
        views = notices.list_notices(uow, caller.actor)
        awaiting = notices.decisions_awaiting_notice(uow, caller.actor)
        orgs = sorted(uow.orgs.list(), key=lambda o: o.name)
    return render(request, caller, "notices.html", notices=views, awaiting=awaiting, orgs=orgs,
                  error=None, **_helpers(_languages(request)))


@router.post("/notices")
@rule(SIT)
async def start(request: Request, caller: Caller = CALLER) -> Response:
    form = await request.form()
    bg = app_of(request)
    decision_id = _text(form, "decision_id", 64)
    target = _text(form, "target_org_id", 64) or None
    with bg.uow() as uow:
        notice = notices.start_notice(uow, caller.actor, decision_id, target, bg.clock())
    return RedirectResponse(f"/notices/{notice.id}", status_code=303)


def _notice_page(request: Request, caller: Caller, notice_id: str, status_code: int = 200,
                 **context: Any) -> Response:
    langs = _languages(request)
    with app_of(request).uow() as uow:
        view = notices.get_notice(uow, caller.actor, notice_id)
        person = caller.actor.person
        seat = person is not None and panel_service.holds_seat(uow, person.id)
        chair = person is not None and panel_service.is_chair(uow, person.id)
        report = notices.check_notice(uow, caller.actor, notice_id, langs) if seat else None
        status = None
        if seat and view.notice.audience is Audience.PUBLIC:
            try:
                status = notices.briefing_status(uow, caller.actor, view.notice.decision_id)
            except (Conflict, PermissionDenied) as exc:
                context.setdefault("decision_problem", str(exc))
    context.setdefault("error", None)
    context.setdefault("decision_problem", None)
    return render(request, caller, "notice.html", status_code, view=view, seat=seat,
                  chair=chair, report=report, status=status,
                  draft=context.pop("draft", view.notice.draft), **_helpers(langs), **context)


@router.get("/notices/{notice_id}")
@rule(SIGNED_IN)
def notice_page(request: Request, notice_id: str, caller: Caller = CALLER) -> Response:
    return _notice_page(request, caller, notice_id)


@router.post("/notices/{notice_id}/draft")
@rule(SIT)
async def save_draft(request: Request, notice_id: str, caller: Caller = CALLER) -> Response:
    form = await request.form()
    bg = app_of(request)
    content = None
    try:
        content = _content(form, _languages(request))
        with bg.uow() as uow:
            notices.save_draft(uow, caller.actor, notice_id, content, bg.clock())
    except InvalidInput as exc:
        extra = {"draft": content} if content is not None else {}
        return _notice_page(request, caller, notice_id, 422, error=str(exc), **extra)
    return RedirectResponse(f"/notices/{notice_id}#checks", status_code=303)


@router.post("/notices/{notice_id}/briefings")
@rule(SIT)
async def brief(request: Request, notice_id: str, caller: Caller = CALLER) -> Response:
    form = await request.form()
    bg = app_of(request)
    try:
        try:
            party = Party(_text(form, "party", 40))
        except ValueError:
            raise InvalidInput("party", "choose who was informed") from None
        text = _text(form, "text", 20_000)
        with bg.uow() as uow:
            view = notices.get_notice(uow, caller.actor, notice_id)
            notices.brief(uow, caller.actor, view.notice.decision_id, party, text, None,
                          bg.clock())
    except (InvalidInput, Conflict) as exc:
        return _notice_page(request, caller, notice_id, 422, error=str(exc))
    return RedirectResponse(f"/notices/{notice_id}#briefings", status_code=303)


@router.post("/notices/{notice_id}/publish")
@rule(SIT)
async def publish(request: Request, notice_id: str, caller: Caller = CALLER) -> Response:
    form = await request.form()
    bg = app_of(request)
    try:
        with bg.uow() as uow:
            notices.publish(uow, caller.actor, notice_id, _languages(request),
                            form.get("acknowledge_flags") == "yes", bg.clock(),
                            _text(form, "reason", 2000))
    except (InvalidInput, Conflict, PermissionDenied) as exc:
        return _notice_page(request, caller, notice_id, 422, error=str(exc))
    return RedirectResponse(f"/notices/{notice_id}#versions", status_code=303)


# -- voting information -----------------------------------------------------------------------


def _voting_page(request: Request, caller: Caller, status_code: int = 200,
                 **context: Any) -> Response:
    with app_of(request).uow() as uow:
        pages = notices.voting_pages(uow)
    context.setdefault("error", None)
    context.setdefault("editing", None)
    return render(request, caller, "voting_info.html", status_code, pages=pages,
                  langs=_languages(request), lang_names=NAMES, **context)


@router.get("/voting-info")
@rule(EDIT_INFO)
def voting_info(request: Request, caller: Caller = CALLER) -> Response:
    return _voting_page(request, caller)


@router.get("/voting-info/{slug}/{lang}")
@rule(EDIT_INFO)
def edit_voting_page(request: Request, slug: str, lang: str, caller: Caller = CALLER) -> Response:
    with app_of(request).uow() as uow:
        page = notices.voting_page(uow, slug[:80], lang[:8])
    return _voting_page(request, caller, editing=page)


@router.post("/voting-info")
@rule(EDIT_INFO)
async def save_voting_page(request: Request, caller: Caller = CALLER) -> Response:
    form = await request.form()
    bg = app_of(request)
    values = {k: _text(form, k) for k in ("slug", "lang", "title", "body", "reason")}
    try:
        with bg.uow() as uow:
            page = notices.save_voting_page(uow, caller.actor, values["slug"], values["lang"],
                                            values["title"], values["body"], values["reason"],
                                            _languages(request), bg.clock())
    except (InvalidInput, Conflict, PermissionDenied) as exc:
        return _voting_page(request, caller, 422, error=str(exc), form=values)
    return RedirectResponse(f"/portal/{page.lang}/voting-info/{page.slug}", status_code=303)
