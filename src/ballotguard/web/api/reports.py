"""Reports over JSON: file, read, list, correct, triage, annotate, attach, retract, export."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile as StarletteUpload

from ballotguard.errors import AttachmentTooLarge
from ballotguard.ports import UnitOfWork
from ballotguard.services import reports
from ballotguard.services.actors import Actor
from ballotguard.services.exports import CSV_COLUMNS, csv_rows, report_stream
from ballotguard.sharing import Permission, Report, ReportContent, ReportVersion, Status
from ballotguard.sharing.search import ReportFilter
from ballotguard.web.access import GuardedRoute, app_of, current_actor, needs, rule
from ballotguard.web.deps import FILTER, NOW, UOW

router = APIRouter(prefix="/api/reports", tags=["reports"], route_class=GuardedRoute)
ACTOR = Depends(current_actor)
READ = needs(Permission.READ_REPORTS)


class ReportPage(BaseModel):
    reports: list[Report]
    next_cursor: str | None
    total: int = Field(description="matching reports, counted up to the cap")
    total_is_exact: bool = Field(description="false when there are more than `total` matches")


class Correction(BaseModel):
    content: ReportContent
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class StatusChange(BaseModel):
    status: Status
    reason: Annotated[str, Field(max_length=2000)] = ""


class Retraction(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class NoteIn(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=10_000)]


@router.get("", response_model=ReportPage)
@rule(READ)
def list_reports(
    where: ReportFilter = FILTER,
    limit: int = Query(50, ge=1, le=1000),
    cursor: str | None = Query(None, max_length=200),
    uow: UnitOfWork = UOW,
    actor: Actor = ACTOR,
    now: datetime = NOW,
) -> ReportPage:
    """Newest first; only the reports the caller may read under TLP 2.0."""
    page = reports.list_reports(uow, actor, where, limit, cursor, now)
    cap = reports.LIST_COUNT_CAP
    total = reports.count_reports(uow, actor, where, cap)
    return ReportPage(
        reports=page.reports,
        next_cursor=page.next_cursor,
        total=min(total, cap),
        total_is_exact=total <= cap,
    )


@router.post("", status_code=201, response_model=Report)
@rule(needs(Permission.FILE_REPORT))
def file_report(
    content: ReportContent, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> Report:
    return reports.file_report(uow, actor, content, now)


@router.get("/export")
@rule(READ)
def export_reports(
    request: Request,
    format: Literal["json", "csv"] = "json",
    where: ReportFilter = FILTER,
    actor: Actor = ACTOR,
) -> StreamingResponse:
    """Every report the caller may read, retracted ones included (an export is a record, the
    ``status`` column says which), streamed; each page is logged like a list read."""
    bg = app_of(request)
    stream = report_stream(bg.uow, actor, replace(where, include_retracted=True), bg.clock)
    if format == "csv":
        return StreamingResponse(
            csv_rows(stream),
            media_type="text/csv",
            headers={
                "Content-Disposition": "attachment; filename=reports.csv",
                "X-Columns": ",".join(CSV_COLUMNS),
            },
        )
    return StreamingResponse(_json_array(stream), media_type="application/json")


def _json_array(stream: Iterable[Report]) -> Iterator[str]:
    yield "["
    for index, report in enumerate(stream):
        yield ("," if index else "") + report.model_dump_json()
    yield "]"


@router.get("/{report_id}", response_model=Report)
@rule(READ)
def get_report(
    report_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> Report:
    return reports.get_report(uow, actor, report_id, now)


@router.get("/{report_id}/history", response_model=list[ReportVersion])
@rule(READ)
def history(
    report_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> list[ReportVersion]:
    return reports.report_history(uow, actor, report_id, now)


@router.put("/{report_id}", response_model=Report)
@rule(needs(Permission.FILE_REPORT))
def correct(
    report_id: str,
    body: Correction,
    uow: UnitOfWork = UOW,
    actor: Actor = ACTOR,
    now: datetime = NOW,
) -> Report:
    return reports.correct_report(uow, actor, report_id, body.content, body.reason, now)


@router.post("/{report_id}/status", response_model=Report)
@rule(needs(Permission.TRIAGE_REPORT))
def change_status(
    report_id: str,
    body: StatusChange,
    uow: UnitOfWork = UOW,
    actor: Actor = ACTOR,
    now: datetime = NOW,
) -> Report:
    return reports.change_status(uow, actor, report_id, body.status, now, body.reason)


@router.post("/{report_id}/retract", response_model=Report)
@rule(needs(Permission.FILE_REPORT))
def retract(
    report_id: str,
    body: Retraction,
    uow: UnitOfWork = UOW,
    actor: Actor = ACTOR,
    now: datetime = NOW,
) -> Report:
    return reports.retract_report(uow, actor, report_id, body.reason, now)


@router.post("/{report_id}/notes", response_model=Report, status_code=201)
@rule(needs(Permission.ANNOTATE_REPORT))
def add_note(
    report_id: str, body: NoteIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> Report:
    return reports.add_note(uow, actor, report_id, body.text, now)


@router.post("/{report_id}/attachments", response_model=Report, status_code=201)
@rule(needs(Permission.ANNOTATE_REPORT))
async def add_attachment(
    report_id: str, request: Request, file: UploadFile = File(...), actor: Actor = ACTOR
) -> Report:
    bg = app_of(request)
    upload = await read_upload(file, bg.settings.max_attachment_bytes)
    with bg.uow() as uow:
        return reports.add_attachment(
            uow, actor, report_id, upload, bg.settings.max_attachment_bytes, bg.clock()
        )


async def read_upload(file: StarletteUpload, limit: int) -> reports.Upload:
    """Read at most ``limit`` + 1 bytes, so an oversized file is refused without filling memory."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise AttachmentTooLarge(file.size or len(data), limit)
    return reports.Upload(file.filename or "evidence", file.content_type or "", data)


@router.get("/{report_id}/attachments/{sha256}")
@rule(READ)
def download(
    report_id: str, sha256: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> Response:
    attachment, data = reports.read_attachment(uow, actor, report_id, sha256, now)
    return Response(
        data,
        media_type=attachment.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{attachment.filename}"',
            "X-Content-SHA256": attachment.sha256,
            "X-Content-Type-Options": "nosniff",
        },
    )
