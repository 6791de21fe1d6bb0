"""Dependencies shared by the API and the UI: the unit of work and the clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from fastapi import Depends, Query, Request

from ballotguard.ports import UnitOfWork
from ballotguard.sharing import Status
from ballotguard.sharing.search import ReportFilter
from ballotguard.vocabulary import Outcome, Phase, Tlp, Vector
from ballotguard.web.access import app_of


def unit_of_work(request: Request) -> Iterator[UnitOfWork]:
    with app_of(request).uow() as uow:
        yield uow


def now(request: Request) -> datetime:
    return app_of(request).clock()


def report_filter(
    phase: Phase | None = None,
    vector: Vector | None = None,
    status: Status | None = None,
    tlp: Tlp | None = None,
    outcome: Outcome | None = None,
    org_id: str | None = Query(None, max_length=64),
    election: str | None = Query(None, max_length=200),
    q: str | None = Query(None, max_length=200, description="words in the title or summary"),
    retracted: bool = Query(False, description="also list retracted reports"),
) -> ReportFilter:
    return ReportFilter(
        phase, vector, status, tlp, outcome, org_id or None, election or None, q or None,
        include_retracted=retracted,
    )


UOW = Depends(unit_of_work)
NOW = Depends(now)
FILTER = Depends(report_filter)
