"""Filing, correcting, triaging, annotating, retracting and reading reports.

Every read goes through ``sharing.can_read`` (or the store's translation of the same scope,
re-checked row by row here). Reads of AMBER, AMBER+STRICT and RED reports are written to the audit
log, so that the source can learn who saw what.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ballotguard.errors import (
    AttachmentTooLarge,
    InvalidInput,
    InvalidTransition,
    PermissionDenied,
    ReportNotFound,
)
from ballotguard.ports import UnitOfWork
from ballotguard.services.actors import Actor
from ballotguard.services.audit import record
from ballotguard.services.campaigns import attach_report
from ballotguard.services.notifications import on_report_saved
from ballotguard.services.stix_exchange import publish_report
from ballotguard.sharing import (
    Attachment,
    ChangeKind,
    Note,
    Permission,
    Report,
    ReportContent,
    ReportVersion,
    Status,
    agreement_recipients,
    can_read,
    check_transition,
    read_scope,
)
from ballotguard.sharing.search import Page, ReportFilter
from ballotguard.stix import ImportedReport
from ballotguard.vocabulary import Tlp

RESTRICTED = (Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)
VERSION_TICK = timedelta(milliseconds=1)
LIST_COUNT_CAP = 10_000
"""Lists count matches up to this many and then say "more than"."""


def file_report(uow: UnitOfWork, actor: Actor, content: ReportContent, now: datetime) -> Report:
    """A person files a report for their organisation; agreements add their partners."""
    report = add_report(uow, actor, content, now)
    uow.commit()
    return report


def add_report(uow: UnitOfWork, actor: Actor, content: ReportContent, now: datetime) -> Report:
    """``file_report`` in the caller's transaction, for a use case that files a report as one
    step of a larger change (a failed audit), so both commit together or not at all."""
    actor.require(Permission.FILE_REPORT)
    if actor.person is None:  # the console operator passes require() but has no organisation
        raise PermissionDenied(Permission.FILE_REPORT.value, "a person of a member organisation")
    content = _with_agreements(uow, actor.person.org_id, _checked_recipients(uow, content))
    report = Report(
        id=str(uuid.uuid4()),
        version=1,
        org_id=actor.person.org_id,
        author_id=actor.person.id,
        status=Status.NEW,
        created_at=now,
        updated_at=now,
        content=content,
    )
    uow.reports.add(report, _version(report, ChangeKind.CREATED, actor, now))
    record(uow, actor, "report.filed", report.id, now, {"tlp": content.tlp.value})
    on_report_saved(uow, actor, None, report, now)
    attach_report(uow, report, now)
    publish_report(uow, report, now)
    return report


def correct_report(
    uow: UnitOfWork,
    actor: Actor,
    report_id: str,
    content: ReportContent,
    reason: str,
    now: datetime,
) -> Report:
    """Replace what the report says; the old text stays in the history with the reason."""
    report = _own_report(uow, actor, report_id, Permission.FILE_REPORT)
    _require_reason(reason)
    content = _with_agreements(uow, report.org_id, _checked_recipients(uow, content))
    updated = _next(report, now, content=content)
    uow.reports.update(updated, _version(updated, ChangeKind.CORRECTED, actor, now, reason))
    record(uow, actor, "report.corrected", report_id, now, {"reason": reason})
    on_report_saved(uow, actor, report, updated, now)
    attach_report(uow, updated, now)
    publish_report(uow, updated, now)
    uow.commit()
    return updated


def change_status(
    uow: UnitOfWork, actor: Actor, report_id: str, status: Status, now: datetime, reason: str = ""
) -> Report:
    """Move a report through new -> triaged -> assessed -> closed. Retraction has its own door."""
    if status is Status.RETRACTED:
        return retract_report(uow, actor, report_id, reason, now)
    actor.require(Permission.TRIAGE_REPORT)
    report = readable_report(uow, actor, report_id)
    check_transition(report.status, status)
    updated = _next(report, now, status=status)
    uow.reports.update(updated, _version(updated, ChangeKind.STATUS, actor, now, reason))
    record(uow, actor, "report.status", report_id, now, {"to": status.value})
    publish_report(uow, updated, now)
    uow.commit()
    return updated


def retract_report(
    uow: UnitOfWork, actor: Actor, report_id: str, reason: str, now: datetime
) -> Report:
    """Only the reporting organisation retracts; the report stays readable, marked retracted."""
    report = _own_report(uow, actor, report_id, Permission.FILE_REPORT)
    _require_reason(reason)
    check_transition(report.status, Status.RETRACTED)
    updated = _next(report, now, status=Status.RETRACTED)
    uow.reports.update(updated, _version(updated, ChangeKind.RETRACTED, actor, now, reason))
    record(uow, actor, "report.retracted", report_id, now, {"reason": reason})
    on_report_saved(uow, actor, report, updated, now)
    attach_report(uow, updated, now)
    publish_report(uow, updated, now)
    uow.commit()
    return updated


def add_note(uow: UnitOfWork, actor: Actor, report_id: str, text: str, now: datetime) -> Report:
    actor.require(Permission.ANNOTATE_REPORT)
    report = readable_report(uow, actor, report_id)
    note = Note(author_id=actor.id, at=now, text=text)
    updated = _next(report, now, notes=[*report.notes, note])
    uow.reports.update(updated, _version(updated, ChangeKind.NOTE, actor, now))
    record(uow, actor, "report.note", report_id, now)
    publish_report(uow, updated, now)
    uow.commit()
    return updated


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    media_type: str
    data: bytes


def add_attachment(
    uow: UnitOfWork, actor: Actor, report_id: str, upload: Upload, limit: int, now: datetime
) -> Report:
    """Store evidence by its SHA-256; the same file twice is stored once."""
    actor.require(Permission.ANNOTATE_REPORT)
    if len(upload.data) > limit:
        raise AttachmentTooLarge(len(upload.data), limit)
    if not upload.data:
        raise InvalidInput("attachment", "the file is empty")
    report = readable_report(uow, actor, report_id)
    digest = hashlib.sha256(upload.data).hexdigest()
    uow.blobs.put(digest, upload.data)
    attachment = Attachment(
        filename=upload.filename,
        media_type=upload.media_type or "application/octet-stream",
        size=len(upload.data),
        sha256=digest,
        added_by=actor.id,
        added_at=now,
    )
    updated = _next(report, now, attachments=[*report.attachments, attachment])
    uow.reports.update(updated, _version(updated, ChangeKind.ATTACHMENT, actor, now))
    record(uow, actor, "report.attachment", report_id, now, {"sha256": digest})
    publish_report(uow, updated, now)
    uow.commit()
    return updated


def read_attachment(
    uow: UnitOfWork, actor: Actor, report_id: str, sha256: str, now: datetime
) -> tuple[Attachment, bytes]:
    report = get_report(uow, actor, report_id, now)
    for attachment in report.attachments:
        if attachment.sha256 == sha256:
            return attachment, uow.blobs.get(sha256)
    raise ReportNotFound(f"{report_id}/attachments/{sha256}")


def receive_report(
    uow: UnitOfWork,
    actor: Actor,
    imported: ImportedReport,
    recipient_orgs: frozenset[str],
    now: datetime,
) -> tuple[Report, str]:
    """A report received as STIX: created, corrected or retracted here as at its source.

    It belongs to the importing organisation (for a federation peer, the organisation that stands
    for the other instance), keeps its id, and only that organisation's imports may change it
    later. Returns the report and "created", "updated" or "unchanged" (an old or same version).
    """
    assert actor.person is not None
    try:
        local: Report | None = uow.reports.get(imported.report_id)
    except ReportNotFound:
        local = None
    content = imported.content.model_copy(
        update={"recipient_orgs": sorted(set(imported.content.recipient_orgs) | recipient_orgs)}
    )
    if local is None:
        return _received_new(uow, actor, imported, content, now), "created"
    if local.org_id != actor.person.org_id:
        raise PermissionDenied("changing a report", "the organisation the report came from")
    if imported.modified <= _last_received(uow, local.id, actor):
        return local, "unchanged"
    if local.status is Status.RETRACTED:
        raise InvalidTransition(Status.RETRACTED.value, "corrected", [])
    status = Status.RETRACTED if imported.revoked else local.status
    change = ChangeKind.RETRACTED if imported.revoked else ChangeKind.CORRECTED
    updated = local.model_copy(update={
        "version": local.version + 1,
        "updated_at": max(local.updated_at, imported.modified),
        "content": content,
        "status": status,
    })
    reason = "retracted at its source" if imported.revoked else "corrected at its source"
    uow.reports.update(updated, _version(updated, change, actor, now, reason))
    record(uow, actor, f"report.received.{change.value}", updated.id, now)
    on_report_saved(uow, actor, local, updated, now)
    attach_report(uow, updated, now)
    publish_report(uow, updated, now)
    return updated, "updated"


def _last_received(uow: UnitOfWork, report_id: str, actor: Actor) -> datetime:
    """The source's time of the newest version received; local triage does not count."""
    received = (ChangeKind.CREATED, ChangeKind.CORRECTED, ChangeKind.RETRACTED)
    times = [
        v.snapshot.updated_at
        for v in uow.reports.history(report_id)
        if v.change in received and v.changed_by == actor.id
    ]
    return max(times, default=datetime.min.replace(tzinfo=UTC))


def _received_new(
    uow: UnitOfWork, actor: Actor, imported: ImportedReport, content: ReportContent,
    now: datetime,
) -> Report:
    assert actor.person is not None
    report = Report(
        id=imported.report_id,
        version=1,
        org_id=actor.person.org_id,
        author_id=actor.person.id,
        status=Status.RETRACTED if imported.revoked else Status.NEW,
        created_at=imported.created,
        updated_at=imported.modified,
        content=content,
    )
    uow.reports.add(report, _version(report, ChangeKind.CREATED, actor, now, "received as STIX"))
    record(uow, actor, "report.received", report.id, now, {"tlp": content.tlp.value})
    on_report_saved(uow, actor, None, report, now)
    attach_report(uow, report, now)
    publish_report(uow, report, now)
    return report


def get_report(uow: UnitOfWork, actor: Actor, report_id: str, now: datetime) -> Report:
    """One report, if the reader may see it; restricted reads are logged."""
    report = readable_report(uow, actor, report_id)
    if report.content.tlp in RESTRICTED:
        record(uow, actor, "report.read", report_id, now, {"tlp": report.content.tlp.value})
        uow.commit()
    return report


def report_history(
    uow: UnitOfWork, actor: Actor, report_id: str, now: datetime
) -> list[ReportVersion]:
    get_report(uow, actor, report_id, now)
    return uow.reports.history(report_id)


def list_reports(
    uow: UnitOfWork,
    actor: Actor,
    where: ReportFilter,
    limit: int,
    cursor: str | None,
    now: datetime,
) -> Page:
    """A page of the reports the reader may see, newest first."""
    if limit < 1 or limit > 1000:
        raise InvalidInput("limit", "must be between 1 and 1000")
    page = uow.reports.page(read_scope(actor.reader), where, limit, cursor)
    visible = [r for r in page.reports if can_read(actor.reader, r)]
    if len(visible) != len(page.reports):
        raise AssertionError("the store returned a report the access rule refuses")
    restricted = [r.id for r in visible if r.content.tlp in RESTRICTED]
    if restricted:
        record(uow, actor, "report.listed", "reports", now, {"restricted": restricted})
        uow.commit()
    return Page(visible, page.next_cursor)


def count_reports(
    uow: UnitOfWork, actor: Actor, where: ReportFilter, cap: int | None = None
) -> int:
    """How many reports the reader may see; with ``cap``, at most ``cap + 1`` (meaning "more").

    Lists show a capped count so that a page stays as fast at a million reports as at ten
    thousand; exact counts are for dashboards and exports.
    """
    return uow.reports.count(read_scope(actor.reader), where, cap)


def dashboard_counts(uow: UnitOfWork, actor: Actor) -> dict[str, dict[str, int]]:
    """Counts by phase, vector, status and TLP over the reports the reader may see."""
    scope = read_scope(actor.reader)
    return {d: uow.reports.count_by(scope, d) for d in ("phase", "vector", "status", "tlp")}


def readable_report(uow: UnitOfWork, actor: Actor, report_id: str) -> Report:
    """The report if the reader may see it; otherwise the same 404 as a missing one."""
    report = uow.reports.get(report_id)
    if not can_read(actor.reader, report):
        raise ReportNotFound(report_id)
    return report


def _own_report(uow: UnitOfWork, actor: Actor, report_id: str, permission: Permission) -> Report:
    actor.require(permission)
    report = readable_report(uow, actor, report_id)
    if actor.person is None or actor.person.org_id != report.org_id:
        raise PermissionDenied("changing a report", "a member of the reporting organisation")
    return report


def _checked_recipients(uow: UnitOfWork, content: ReportContent) -> ReportContent:
    for org_id in content.recipient_orgs:
        uow.orgs.get(org_id)
    for person_id in content.recipient_people:
        uow.people.get(person_id)
    return content


def _with_agreements(uow: UnitOfWork, org_id: str, content: ReportContent) -> ReportContent:
    added = agreement_recipients(
        uow.agreements.list(from_org=org_id), org_id, content.tlp, content.vector_set, content.phase
    )
    extra = sorted(added - set(content.recipient_orgs))
    if not extra:
        return content
    return content.model_copy(update={"recipient_orgs": [*content.recipient_orgs, *extra]})


def _next(report: Report, now: datetime, **changes: object) -> Report:
    """The next version; its time is strictly later than the last one's (STIX versions are told
    apart by ``modified``, to the millisecond), even when two changes share a clock tick."""
    updated_at = max(now, report.updated_at + VERSION_TICK)
    return report.model_copy(
        update={"version": report.version + 1, "updated_at": updated_at, **changes}
    )


def _version(
    report: Report, change: ChangeKind, actor: Actor, now: datetime, reason: str = ""
) -> ReportVersion:
    return ReportVersion(
        report_id=report.id,
        version=report.version,
        change=change,
        changed_by=actor.id,
        changed_at=now,
        reason=reason,
        snapshot=report,
    )


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("reason", "say why: corrections and retractions keep their reason")
