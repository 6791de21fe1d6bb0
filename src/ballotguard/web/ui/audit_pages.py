"""Risk-limiting audit pages: the list, the setup form, one audit (progress by jurisdiction,
uploads, assignments, rounds with the risk plot, the administrator's steps), retrieval lists (CSV
and printable PDF), the audit board's ballots and entry form (two-person confirmation), and the
final report (PDF, and its JSON record).

``services.audits`` decides who may see and do what: an audit is shown to its administrators
and the people it assigns (others get a 404); uploads and entries are limited to the person's
jurisdictions. A bad file or form changes nothing and comes back with the error naming the line
or field.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from ballotguard.audit.workflow import Audit, AuditStatus, Confirmation, ConfirmationState, Method
from ballotguard.errors import InvalidInput, PermissionDenied
from ballotguard.pdf.audit_report import (
    METHOD_NAMES,
    audit_report_pdf,
    canonical,
    retrieval_list_pdf,
)
from ballotguard.pdf.risk_plot import risk_plot
from ballotguard.services import audit_records, audits
from ballotguard.sharing import Permission, Person, Role
from ballotguard.web.access import SIGNED_IN, Caller, GuardedRoute, app_of, identify, needs, rule
from ballotguard.web.ui.audit_forms import (
    CONTEST_BLOCKS,
    MAX_CONTEST_BLOCKS,
    SetupForm,
    describe,
    reading_from,
    text,
    unit_contests,
)
from ballotguard.web.ui.pages import render

router = APIRouter(
    route_class=GuardedRoute, include_in_schema=False, default_response_class=HTMLResponse
)
CALLER = Depends(identify)
ADMINISTER = needs(Permission.ADMINISTER_AUDIT)
UPLOAD = needs(Permission.UPLOAD_AUDIT_FILES)
ENTER = needs(Permission.ENTER_AUDIT_VOTES)
UPLOAD_LIMIT = 50_000_000
FILE_KINDS = {"manifest": "ballot manifest", "cvrs": "cast vote records",
              "tallies": "batch tallies"}
STATUS_WORDS = {
    AuditStatus.SETUP: "Setting up: waiting for files",
    AuditStatus.READY: "Ready to draw the first sample",
    AuditStatus.SAMPLED: "Sample drawn: audit boards are reading ballots",
    AuditStatus.VOTES_ENTERED: "Every reading confirmed: ready to measure",
    AuditStatus.MEASURED: "Measured: another round is needed",
    AuditStatus.CONFIRMED: "Outcome confirmed",
    AuditStatus.HAND_COUNT: "Full hand count required",
}
STATE_WORDS = {
    ConfirmationState.MISSING: "not read yet",
    ConfirmationState.PENDING: "one reading: a second member must confirm",
    ConfirmationState.CONFIRMED: "confirmed by two members",
    ConfirmationState.DISAGREEMENT: "the readings disagree",
}


def _names(uow: Any) -> dict[str, str]:
    return {p.id: p.name for p in uow.people.list()}


def _person(caller: Caller) -> Person | None:
    return caller.actor.person


def _may(caller: Caller, permission: Permission) -> bool:
    person = _person(caller)
    return person is not None and person.may(permission)


def _assigned(caller: Caller, audit: Audit, jurisdiction: str) -> bool:
    person = _person(caller)
    return audits.is_assigned(audit, person, jurisdiction)


# -- list and setup ------------------------------------------------------------------------------


@router.get("/audits")
@rule(SIGNED_IN)
def audit_list(request: Request, caller: Caller = CALLER) -> Response:
    with app_of(request).uow() as uow:
        found = audits.list_audits(uow, caller.actor)
    found.sort(key=lambda a: a.created_at, reverse=True)
    return render(request, caller, "audits.html", audits=found, status_words=STATUS_WORDS,
                  methods=METHOD_NAMES, can_administer=_may(caller, Permission.ADMINISTER_AUDIT))


def _setup_page(request: Request, caller: Caller, form: SetupForm, status_code: int = 200,
                error: str | None = None) -> Response:
    return render(request, caller, "audit_new.html", status_code, form=form,
                  methods=METHOD_NAMES, error=error, more=min(form.blocks + 3, MAX_CONTEST_BLOCKS))


@router.get("/audits/new")
@rule(ADMINISTER)
def new_audit_page(
    request: Request, contests: int = Query(CONTEST_BLOCKS, ge=1, le=MAX_CONTEST_BLOCKS),
    caller: Caller = CALLER,
) -> Response:
    form = SetupForm({"risk_limit": "5", "stopping": "90", "method": "bravo"}, contests)
    return _setup_page(request, caller, form)


@router.post("/audits")
@rule(ADMINISTER)
async def create(request: Request, caller: Caller = CALLER) -> Response:
    bg = app_of(request)
    form = SetupForm.read(await request.form())
    try:
        with bg.uow() as uow:
            audit = audits.create_audit(
                uow, caller.actor, form.values.get("name", ""), form.method(), form.risk_limit(),
                form.values.get("seed", ""), form.contests(), form.jurisdictions(), bg.clock(),
                stopping_probability=form.stopping(),
            )
    except InvalidInput as exc:
        return _setup_page(request, caller, form, 422, str(exc))
    return RedirectResponse(f"/audits/{audit.id}", status_code=303)


# -- one audit -----------------------------------------------------------------------------------


def _audit_page(request: Request, caller: Caller, audit_id: str, status_code: int = 200,
                error: str | None = None, notice: str | None = None) -> Response:
    with app_of(request).uow() as uow:
        view = audit_records.audit_view(uow, caller.actor, audit_id)
        names = _names(uow)
        staff = [p for p in uow.people.list()
                 if p.roles & {Role.JURISDICTION_MANAGER, Role.AUDIT_BOARD}]
    audit = view.audit
    measured = [r for r in view.rounds if r.measured_at is not None]
    plot = risk_plot(audit_records.risk_series(view), audit.risk_limit) if measured else None
    can_upload = {j.name: _may(caller, Permission.UPLOAD_AUDIT_FILES)
                  and _assigned(caller, audit, j.name) for j in audit.jurisdictions}
    can_enter = {j.name: _may(caller, Permission.ENTER_AUDIT_VOTES)
                 and _assigned(caller, audit, j.name) for j in audit.jurisdictions}
    files = {(f.jurisdiction, f.kind): f for f in view.files}
    return render(
        request, caller, "audit.html", status_code,
        view=view, audit=audit, names=names, staff=staff, plot=plot, measured=measured,
        methods=METHOD_NAMES, status_words=STATUS_WORDS, files=files, file_kinds=FILE_KINDS,
        needs=audit.method.needs, can_upload=can_upload, can_enter=can_enter,
        can_administer=_may(caller, Permission.ADMINISTER_AUDIT),
        conclusion=audit_records.conclusion(view), error=error, notice=notice,
        quote=quote,
    )


@router.get("/audits/{audit_id}")
@rule(SIGNED_IN)
def audit_page(request: Request, audit_id: str, caller: Caller = CALLER) -> Response:
    return _audit_page(request, caller, audit_id)


def _back(audit_id: str, anchor: str = "") -> Response:
    return RedirectResponse(f"/audits/{audit_id}{anchor}", status_code=303)


async def _step(request: Request, caller: Caller, audit_id: str, anchor: str,
                action: Any) -> Response:
    """Run one use case with the posted form; on a refusal show the audit page with the reason."""
    form = await request.form()
    bg = app_of(request)
    try:
        with bg.uow() as uow:
            await action(uow, form, bg.clock())
    except InvalidInput as exc:
        return _audit_page(request, caller, audit_id, 422, str(exc))
    except PermissionDenied as exc:
        return _audit_page(request, caller, audit_id, 403, str(exc))
    return _back(audit_id, anchor)


@router.post("/audits/{audit_id}/assign")
@rule(ADMINISTER)
async def assign(request: Request, audit_id: str, caller: Caller = CALLER) -> Response:
    async def action(uow: Any, form: Any, now: Any) -> None:
        person = text(form, "person", 64)
        if not person:
            raise InvalidInput("person", "choose a person")
        audits.assign_jurisdiction(uow, caller.actor, audit_id, text(form, "jurisdiction"),
                                   person, now, remove=form.get("remove") == "yes")

    return await _step(request, caller, audit_id, "#jurisdictions", action)


async def _read_text(form: Any) -> tuple[str, str]:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("file", "choose a CSV file to upload")
    data = await upload.read(UPLOAD_LIMIT + 1)
    if len(data) > UPLOAD_LIMIT:
        raise InvalidInput("file", f"the file is over {UPLOAD_LIMIT:,} bytes")
    try:
        return upload.filename[:200], data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("file", "the file is not UTF-8 text (save the CSV as UTF-8)") from None


@router.post("/audits/{audit_id}/files")
@rule(UPLOAD)
async def upload(request: Request, audit_id: str, caller: Caller = CALLER) -> Response:
    async def action(uow: Any, form: Any, now: Any) -> None:
        jurisdiction, kind = text(form, "jurisdiction"), text(form, "kind", 20)
        if kind not in FILE_KINDS:
            raise InvalidInput("kind", "upload a manifest, CVRs or batch tallies")
        filename, content = await _read_text(form)
        if kind == "manifest":
            audits.upload_manifest(uow, caller.actor, audit_id, jurisdiction, filename, content,
                                   now)
        else:
            audits.upload_cvrs(uow, caller.actor, audit_id, jurisdiction, filename, content, now)

    return await _step(request, caller, audit_id, "#jurisdictions", action)


@router.post("/audits/{audit_id}/rounds")
@rule(ADMINISTER)
async def draw(request: Request, audit_id: str, caller: Caller = CALLER) -> Response:
    async def action(uow: Any, form: Any, now: Any) -> None:
        raw = text(form, "size", 20)
        size = None
        if raw:
            if not raw.isdigit():
                raise InvalidInput("size", f"{raw!r} is not a whole number of draws")
            size = int(raw)
        audits.start_round(uow, caller.actor, audit_id, now, size=size)

    return await _step(request, caller, audit_id, "#rounds", action)


@router.post("/audits/{audit_id}/measure")
@rule(ADMINISTER)
async def measure(request: Request, audit_id: str, caller: Caller = CALLER) -> Response:
    async def action(uow: Any, form: Any, now: Any) -> None:
        audits.measure_round(uow, caller.actor, audit_id, now)

    return await _step(request, caller, audit_id, "#rounds", action)


@router.post("/audits/{audit_id}/hand-count")
@rule(ADMINISTER)
async def hand_count(request: Request, audit_id: str, caller: Caller = CALLER) -> Response:
    async def action(uow: Any, form: Any, now: Any) -> None:
        audits.require_full_hand_count(uow, caller.actor, audit_id, text(form, "reason", 2000),
                                       now)

    return await _step(request, caller, audit_id, "#rounds", action)


# -- retrieval lists -----------------------------------------------------------------------------


def _retrieval(request: Request, caller: Caller, audit_id: str, jurisdiction: str,
               round_: int | None) -> tuple[Audit, int, list[Any]]:
    with app_of(request).uow() as uow:
        audit = audits.get_audit(uow, caller.actor, audit_id)
        if jurisdiction:
            audit.jurisdiction(jurisdiction)
        number = round_ or audit.round
        if number < 1 or number > audit.round:
            raise InvalidInput("round", f"the audit has {audit.round} round(s)")
        rows = audits.retrieval_list(uow, caller.actor, audit_id,
                                     jurisdiction=jurisdiction or None, round_=number)
    return audit, number, rows


def _filename(audit: Audit, jurisdiction: str, number: int, ext: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in (jurisdiction or "all")).strip("-")
    return f"retrieval-{audit.id[:8]}-{safe or 'all'}-round{number}.{ext}"


@router.get("/audits/{audit_id}/retrieval.csv")
@rule(SIGNED_IN)
def retrieval_csv(
    request: Request, audit_id: str, jurisdiction: str = Query("", max_length=200),
    round: int | None = Query(None, ge=1, le=10_000), caller: Caller = CALLER,
) -> Response:
    audit, number, rows = _retrieval(request, caller, audit_id, jurisdiction, round)
    return Response(audits.retrieval_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition":
            f'attachment; filename="{_filename(audit, jurisdiction, number, "csv")}"'})


@router.get("/audits/{audit_id}/retrieval.pdf")
@rule(SIGNED_IN)
def retrieval_pdf(
    request: Request, audit_id: str, jurisdiction: str = Query("", max_length=200),
    round: int | None = Query(None, ge=1, le=10_000), caller: Caller = CALLER,
) -> Response:
    audit, number, rows = _retrieval(request, caller, audit_id, jurisdiction, round)
    pdf = retrieval_list_pdf(audit.name, jurisdiction or "all jurisdictions", number,
                             [asdict(r) for r in rows])
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition":
            f'inline; filename="{_filename(audit, jurisdiction, number, "pdf")}"'})


# -- the audit board -----------------------------------------------------------------------------


def _board_page(request: Request, caller: Caller, audit_id: str, jurisdiction: str,
                status_code: int = 200, error: str | None = None) -> Response:
    with app_of(request).uow() as uow:
        audit = audits.get_audit(uow, caller.actor, audit_id)
        audit.jurisdiction(jurisdiction)
        rows = (audits.retrieval_list(uow, caller.actor, audit_id, jurisdiction=jurisdiction)
                if audit.round else [])
        states = {c.unit_id: c for c in audits.confirmations(uow, caller.actor, audit_id,
                                                             jurisdiction)}
        names = _names(uow)
    me = caller.actor.id
    return render(
        request, caller, "audit_board.html", status_code, audit=audit, jurisdiction=jurisdiction,
        rows=rows, states=states, state_words=STATE_WORDS, names=names, me=me,
        describe=describe, can_enter=_may(caller, Permission.ENTER_AUDIT_VOTES)
        and _assigned(caller, audit, jurisdiction), open_round=audit.status in (
            AuditStatus.SAMPLED, AuditStatus.VOTES_ENTERED), error=error, quote=quote,
    )


@router.get("/audits/{audit_id}/board")
@rule(SIGNED_IN)
def board(request: Request, audit_id: str, jurisdiction: str = Query(..., max_length=200),
          caller: Caller = CALLER) -> Response:
    return _board_page(request, caller, audit_id, jurisdiction)


def _entry_page(request: Request, caller: Caller, audit_id: str, unit_id: str,
                status_code: int = 200, error: str | None = None) -> Response:
    with app_of(request).uow() as uow:
        audit = audits.get_audit(uow, caller.actor, audit_id)
        unit = next((u for u in audits.draws(uow, caller.actor, audit_id)
                     if u.unit_id == unit_id), None)
        if unit is None:
            raise InvalidInput("unit", f"{unit_id!r} was not drawn in this audit")
        state = next((c for c in audits.confirmations(uow, caller.actor, audit_id,
                                                      unit.jurisdiction)
                      if c.unit_id == unit_id), None)
        names = _names(uow)
    mine = state.readings.get(caller.actor.id) if state else None
    return render(
        request, caller, "audit_entry.html", status_code, audit=audit, unit=unit, state=state,
        state_words=STATE_WORDS, mine=mine, names=names, describe=describe,
        contests=unit_contests(audit, unit.jurisdiction), batch=audit.method is Method.MACRO,
        others=_others(state, caller.actor.id), error=error, quote=quote,
        can_enter=_may(caller, Permission.ENTER_AUDIT_VOTES)
        and _assigned(caller, audit, unit.jurisdiction),
    )


def _others(state: Confirmation | None, me: str) -> list[str]:
    return [person for person in (state.readings if state else {}) if person != me]


@router.get("/audits/{audit_id}/entry")
@rule(ENTER)
def entry_page(request: Request, audit_id: str, unit: str = Query(..., max_length=400),
               caller: Caller = CALLER) -> Response:
    return _entry_page(request, caller, audit_id, unit)


@router.post("/audits/{audit_id}/entry")
@rule(ENTER)
async def enter(request: Request, audit_id: str, caller: Caller = CALLER) -> Response:
    form = await request.form()
    bg = app_of(request)
    unit_id = text(form, "unit", 400)
    try:
        with bg.uow() as uow:
            audit = audits.get_audit(uow, caller.actor, audit_id)
            unit = next((u for u in audits.draws(uow, caller.actor, audit_id)
                         if u.unit_id == unit_id), None)
            if unit is None:
                raise InvalidInput("unit", f"{unit_id!r} was not drawn in this audit")
            reading = reading_from(audit, unit.jurisdiction, form)
            audits.record_entry(uow, caller.actor, audit_id, unit_id, reading, bg.clock())
    except (InvalidInput, PermissionDenied) as exc:
        status = 403 if isinstance(exc, PermissionDenied) else 422
        return _entry_page(request, caller, audit_id, unit_id, status, str(exc))
    target = f"/audits/{audit_id}/board?jurisdiction={quote(unit.jurisdiction)}"
    return RedirectResponse(f"{target}#unit-{quote(unit_id)}", status_code=303)


# -- the final report ----------------------------------------------------------------------------


def _record(request: Request, caller: Caller, audit_id: str) -> dict[str, Any]:
    bg = app_of(request)
    with bg.uow() as uow:
        return audit_records.audit_record(uow, caller.actor, audit_id, bg.clock())


@router.get("/audits/{audit_id}/report.pdf")
@rule(SIGNED_IN)
def report_pdf(request: Request, audit_id: str, caller: Caller = CALLER) -> Response:
    record = _record(request, caller, audit_id)
    return Response(audit_report_pdf(record), media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="audit-{audit_id[:8]}-report.pdf"'})


@router.get("/audits/{audit_id}/record.json")
@rule(SIGNED_IN)
def record_json(request: Request, audit_id: str, caller: Caller = CALLER) -> Response:
    """The record the report is drawn from, in the canonical JSON whose SHA-256 it prints."""
    record = _record(request, caller, audit_id)
    return Response(canonical(record), media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="audit-{audit_id[:8]}-record.json"'})

