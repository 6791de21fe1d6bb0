"""Exporting every report a reader may see, page by page, as JSON or CSV rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from ballotguard.ports import UnitOfWork
from ballotguard.services.actors import Actor
from ballotguard.services.reports import list_reports
from ballotguard.sharing import Report
from ballotguard.sharing.search import ReportFilter

EXPORT_PAGE = 500
CSV_COLUMNS = [
    "id",
    "version",
    "title",
    "tlp",
    "status",
    "election",
    "phase",
    "vectors",
    "outcome",
    "impact",
    "org_id",
    "observed_at",
    "created_at",
    "updated_at",
    "observables",
    "techniques",
]


def report_stream(
    uow_factory: Callable[[], UnitOfWork],
    actor: Actor,
    where: ReportFilter,
    clock: Callable[[], datetime],
) -> Iterator[Report]:
    """Each page in its own transaction, so a long export holds no lock for its whole length."""
    cursor: str | None = None
    while True:
        with uow_factory() as uow:
            page = list_reports(uow, actor, where, EXPORT_PAGE, cursor, clock())
        yield from page.reports
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def csv_row(report: Report) -> list[str]:
    c = report.content
    return [
        report.id,
        str(report.version),
        c.title,
        c.tlp.value,
        report.status.value,
        c.election,
        c.phase.value,
        ";".join(v.value for v in c.vectors),
        c.outcome.value,
        c.impact.value,
        report.org_id,
        c.observed_at.isoformat(),
        report.created_at.isoformat(),
        report.updated_at.isoformat(),
        ";".join(f"{o.kind.value}:{o.value}" for o in c.observables),
        ";".join(c.techniques),
    ]


def csv_rows(reports: Iterable[Report]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        writer.writerow(_defused(csv_row(report)))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _defused(cells: list[str]) -> list[str]:
    """Neutralise spreadsheet formulas (CSV injection): reports carry attacker-written text."""
    return ["'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in cells]
