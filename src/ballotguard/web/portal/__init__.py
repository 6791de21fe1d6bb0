"""The public portal (no login): notices and their versions, the methodology, voting information.

Every page is server-rendered without JavaScript, in each configured language
(``/portal/{lang}/...``; ``/portal`` redirects to the first), with a language switch, landmarks,
a skip link and a print style sheet. Pages carry ``Cache-Control`` so a cache in front of the
portal can absorb a surge on election day.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from ballotguard.panel.languages import NAMES, field_label, parse_languages, portal_text, term_label
from ballotguard.panel.notices import TEXT_FIELDS
from ballotguard.services import notices
from ballotguard.web.access import PUBLIC, GuardedRoute, app_of, rule
from ballotguard.web.portal.markdown import render_markdown

router = APIRouter(
    prefix="/portal", route_class=GuardedRoute, include_in_schema=False,
    default_response_class=HTMLResponse,
)
CACHE = "public, max-age=60"


def languages(request: Request) -> tuple[str, ...]:
    return parse_languages(app_of(request).settings.portal_languages)


def _lang(request: Request, lang: str) -> tuple[str, tuple[str, ...]]:
    langs = languages(request)
    if lang not in langs:
        raise HTTPException(404, f"the portal is not published in '{lang}'")
    return lang, langs


def _render(request: Request, template: str, lang: str, langs: tuple[str, ...], path: str,
            **context: Any) -> Response:
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(request, template, {
        "lang": lang, "langs": langs, "names": NAMES, "path": path,
        "t": lambda key: portal_text(key, lang),
        "fl": lambda field: field_label(field, lang),
        "tl": lambda term: term_label(term, lang) if term is not None else "",
        "text_fields": TEXT_FIELDS,
        **context,
    })
    response.headers["Cache-Control"] = CACHE
    response.headers["Content-Language"] = lang
    return response


@router.get("")
@rule(PUBLIC)
def portal_root(request: Request) -> Response:
    return RedirectResponse(f"/portal/{languages(request)[0]}", status_code=307)


@router.get("/{lang}")
@rule(PUBLIC)
def home(request: Request, lang: str) -> Response:
    lang, langs = _lang(request, lang)
    with app_of(request).uow() as uow:
        views = notices.public_notices(uow)
        pages = notices.voting_pages(uow, lang)
    return _render(request, "portal_home.html", lang, langs, "", notices=views, pages=pages)


@router.get("/{lang}/notices/{notice_id}")
@rule(PUBLIC)
def notice(request: Request, lang: str, notice_id: str) -> Response:
    lang, langs = _lang(request, lang)
    with app_of(request).uow() as uow:
        view = notices.public_notice(uow, notice_id[:64])
    return _render(request, "portal_notice.html", lang, langs, f"/notices/{view.notice.id}",
                   view=view, versions=list(reversed(view.versions)))


@router.get("/{lang}/methodology")
@rule(PUBLIC)
def methodology(request: Request, lang: str) -> Response:
    lang, langs = _lang(request, lang)
    with app_of(request).uow() as uow:
        method = notices.methodology(uow)
    return _render(request, "portal_methodology.html", lang, langs, "/methodology",
                   method=method)


@router.get("/{lang}/voting-info")
@rule(PUBLIC)
def voting_info(request: Request, lang: str) -> Response:
    lang, langs = _lang(request, lang)
    with app_of(request).uow() as uow:
        pages = notices.voting_pages(uow, lang)
    return _render(request, "portal_voting_list.html", lang, langs, "/voting-info", pages=pages)


@router.get("/{lang}/voting-info/{slug}")
@rule(PUBLIC)
def voting_page(request: Request, lang: str, slug: str) -> Response:
    lang, langs = _lang(request, lang)
    with app_of(request).uow() as uow:
        page = notices.voting_page(uow, slug[:80], lang)
        history = notices.voting_page_history(uow, slug[:80], lang)
    return _render(request, "portal_voting_page.html", lang, langs, f"/voting-info/{page.slug}",
                   page=page, body=render_markdown(page.body), history=history)
