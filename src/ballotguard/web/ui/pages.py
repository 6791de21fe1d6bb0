"""The analyst's pages: sign in, dashboard, report list, report form, report detail, contacts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ballotguard.errors import AccountLocked, AuthenticationFailed, InvalidInput, NotFound
from ballotguard.services import auth, notifications, reports, stakeholders
from ballotguard.sharing import (
    ContactTopic,
    Permission,
    Role,
    Status,
)
from ballotguard.sharing.search import ReportFilter
from ballotguard.vocabulary import (
    ActorKind,
    Confidence,
    Impact,
    Outcome,
    Phase,
    SourceReliability,
    TargetKind,
    Tlp,
    Vector,
)
from ballotguard.web.access import (
    CSRF_FIELD,
    PUBLIC,
    SESSION_COOKIE,
    SIGNED_IN,
    Caller,
    GuardedRoute,
    app_of,
    identify,
    needs,
    rule,
)
from ballotguard.web.api.reports import read_upload
from ballotguard.web.deps import FILTER
from ballotguard.web.ui.assessment_form import report_page
from ballotguard.web.ui.forms import form_to_content
from ballotguard.web.ui.viewer import viewer_of

router = APIRouter(
    route_class=GuardedRoute, include_in_schema=False, default_response_class=HTMLResponse
)
CALLER = Depends(identify)
READ = needs(Permission.READ_REPORTS)
VOCABULARY = {
    "phases": list(Phase),
    "vectors": list(Vector),
    "outcomes": list(Outcome),
    "impacts": list(Impact),
    "tlps": list(Tlp),
    "target_kinds": list(TargetKind),
    "actor_kinds": list(ActorKind),
    "confidences": list(Confidence),
    "reliabilities": list(SourceReliability),
    "statuses": list(Status),
}


def render(
    request: Request, caller: Caller, template: str, status_code: int = 200, **context: Any
) -> Response:
    viewer = viewer_of(request, caller)
    templates = request.app.state.templates
    return templates.TemplateResponse(  # type: ignore[no-any-return]
        request,
        template,
        {"viewer": viewer, "csrf_field": CSRF_FIELD, **VOCABULARY, **context},
        status_code=status_code,
    )


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
@rule(PUBLIC)
def login_page(
    request: Request, next: str = Query("/", max_length=300), caller: Caller = CALLER
) -> Response:
    return render(request, caller, "login.html", next=_safe_next(next), email="", error=None)


@router.post("/login")
@rule(PUBLIC)
async def login(request: Request, caller: Caller = CALLER) -> Response:
    form = await request.form()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "/")))
    bg = app_of(request)
    try:
        with bg.uow() as uow:
            session = auth.login(
                uow, email, password, bg.clock(), timedelta(hours=bg.settings.session_hours)
            )
    except AuthenticationFailed as exc:
        status_code = 429 if isinstance(exc, AccountLocked) else 401
        return render(request, caller, "login.html", status_code=status_code, next=target,
                      email=email, error=str(exc))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session.session_id,
        httponly=True,
        samesite="strict",
        secure=bg.settings.secure_cookies,
        max_age=bg.settings.session_hours * 3600,
    )
    return response


@router.post("/logout")
@rule(SIGNED_IN)
def logout(request: Request) -> Response:
    with app_of(request).uow() as uow:
        auth.logout(uow, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


AUDIT_WORK = (Permission.ADMINISTER_AUDIT, Permission.UPLOAD_AUDIT_FILES,
              Permission.ENTER_AUDIT_VOTES)


@router.get("/")
@rule(SIGNED_IN)
def dashboard(request: Request, caller: Caller = CALLER) -> Response:
    """The reports dashboard; the audit roles, which read no reports, land on their audits."""
    person = caller.actor.person
    if person is not None and not person.may(Permission.READ_REPORTS) and any(
        person.may(p) for p in AUDIT_WORK
    ):
        return RedirectResponse("/audits", status_code=303)
    caller.actor.require(Permission.READ_REPORTS)
    bg = app_of(request)
    with bg.uow() as uow:
        counts = reports.dashboard_counts(uow, caller.actor)
        newest = reports.list_reports(
            uow, caller.actor, ReportFilter(include_retracted=False), 10, None, bg.clock()
        )
        stale = stakeholders.stale(uow, bg.clock().date(), bg.settings.contact_max_age_days)
        notice_flags = notifications.flags(uow, caller.actor, bg.clock(),
                                           bg.settings.notification_ack_hours)
    return render(
        request,
        caller,
        "dashboard.html",
        counts=counts,
        newest=newest.reports,
        total=sum(counts["tlp"].values()),
        stale_count=len(stale),
        notice_flags=notice_flags,
    )


@router.get("/reports")
@rule(READ)
def report_list(
    request: Request,
    where: ReportFilter = FILTER,
    cursor: str | None = Query(None, max_length=200),
    caller: Caller = CALLER,
) -> Response:
    bg = app_of(request)
    with bg.uow() as uow:
        page = reports.list_reports(
            uow, caller.actor, where, bg.settings.page_size, cursor, bg.clock()
        )
        counted = reports.count_reports(uow, caller.actor, where, reports.LIST_COUNT_CAP)
    cap = reports.LIST_COUNT_CAP
    total = f"{cap:,}+" if counted > cap else f"{counted:,}"
    query = {k: v for k, v in request.query_params.items() if k != "cursor" and v}
    return render(request, caller, "reports.html", page=page, total=total, where=where, query=query)


def _form_choices(request: Request) -> dict[str, Any]:
    with app_of(request).uow() as uow:
        return {"orgs": uow.orgs.list(), "people": uow.people.list()}


@router.get("/reports/new")
@rule(needs(Permission.FILE_REPORT))
def new_report(request: Request, caller: Caller = CALLER) -> Response:
    return render(request, caller, "report_form.html", form={}, errors={}, **_form_choices(request))


@router.post("/reports/new")
@rule(needs(Permission.FILE_REPORT))
async def submit_report(request: Request, caller: Caller = CALLER) -> Response:
    form = await request.form()
    content, errors = form_to_content(form)
    if content is not None:
        bg = app_of(request)
        try:
            with bg.uow() as uow:
                report = reports.file_report(uow, caller.actor, content, bg.clock())
            return RedirectResponse(f"/reports/{report.id}", status_code=303)
        except InvalidInput as exc:
            errors = {exc.field: exc.reason}
        except NotFound as exc:
            errors = {"recipient_orgs": str(exc)}
    kept = {
        key: form.getlist(key)
        if key in ("vectors", "recipient_orgs", "recipient_people")
        else form.get(key)
        for key in form
    }
    return render(
        request,
        caller,
        "report_form.html",
        status_code=422,
        form=kept,
        errors=errors,
        **_form_choices(request),
    )


@router.get("/reports/{report_id}")
@rule(READ)
def report_detail(
    request: Request,
    report_id: str,
    definition: str | None = Query(None, max_length=80),
    compare: str | None = Query(None, max_length=64),
    caller: Caller = CALLER,
) -> Response:
    page = report_page(app_of(request), caller.actor, report_id, definition, compare)
    return render(request, caller, "report_detail.html", **page)


def _back(report_id: str) -> Response:
    return RedirectResponse(f"/reports/{report_id}", status_code=303)


@router.post("/reports/{report_id}/notes")
@rule(needs(Permission.ANNOTATE_REPORT))
async def note(request: Request, report_id: str, caller: Caller = CALLER) -> Response:
    form = await request.form()
    bg = app_of(request)
    with bg.uow() as uow:
        reports.add_note(uow, caller.actor, report_id, _text(form.get("text"), "text"), bg.clock())
    return _back(report_id)


@router.post("/reports/{report_id}/status")
@rule(needs(Permission.TRIAGE_REPORT))
async def status(request: Request, report_id: str, caller: Caller = CALLER) -> Response:
    form = await request.form()
    bg = app_of(request)
    try:
        wanted = Status(str(form.get("status", "")))
    except ValueError:
        raise InvalidInput("status", "choose a status from the list") from None
    with bg.uow() as uow:
        reports.change_status(
            uow, caller.actor, report_id, wanted, bg.clock(), str(form.get("reason", ""))
        )
    return _back(report_id)


@router.post("/reports/{report_id}/attachments")
@rule(needs(Permission.ANNOTATE_REPORT))
async def attach(request: Request, report_id: str, caller: Caller = CALLER) -> Response:
    form = await request.form()
    file = form.get("file")
    if file is None or isinstance(file, str):
        raise InvalidInput("file", "choose a file to attach")
    bg = app_of(request)
    upload = await read_upload(file, bg.settings.max_attachment_bytes)
    with bg.uow() as uow:
        reports.add_attachment(
            uow, caller.actor, report_id, upload, bg.settings.max_attachment_bytes, bg.clock()
        )
    return _back(report_id)


@router.get("/contacts")
@rule(SIGNED_IN)
def contacts(request: Request, caller: Caller = CALLER) -> Response:
    bg = app_of(request)
    with bg.uow() as uow:
        all_contacts = uow.contacts.list()
        stale = {
            c.id
            for c in stakeholders.stale(uow, bg.clock().date(), bg.settings.contact_max_age_days)
        }
        orgs = {o.id: o for o in uow.orgs.list()}
    return render(
        request,
        caller,
        "contacts.html",
        contacts=all_contacts,
        stale=stale,
        orgs=orgs,
        topics=list(ContactTopic),
        roles=list(Role),
    )


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "write something")
    return value
