"""Filters on the report list, as data: the store compiles them to a query, ``matches`` is the
same rule for one report (used by tests to check the store and by fakes)."""

from __future__ import annotations

from dataclasses import dataclass

from ballotguard.sharing.reports import Report, Status
from ballotguard.vocabulary import Outcome, Phase, Tlp, Vector


@dataclass(frozen=True, slots=True)
class ReportFilter:
    phase: Phase | None = None
    vector: Vector | None = None
    status: Status | None = None
    tlp: Tlp | None = None
    outcome: Outcome | None = None
    org_id: str | None = None
    election: str | None = None
    text: str | None = None
    include_retracted: bool = True
    """Lists people look at pass False: a retracted report stays readable by its id and under
    ``status=retracted``, but leaves the working lists (and a retraction received from a
    federated peer hides the report the same way)."""

    def matches(self, report: Report) -> bool:
        content = report.content
        needle = (self.text or "").lower()
        return (
            (self.phase is None or content.phase == self.phase)
            and (self.vector is None or self.vector in content.vectors)
            and (self.status is None or report.status == self.status)
            and (self.include_retracted or self.status is not None
                 or report.status is not Status.RETRACTED)
            and (self.tlp is None or content.tlp == self.tlp)
            and (self.outcome is None or content.outcome == self.outcome)
            and (self.org_id is None or report.org_id == self.org_id)
            and (self.election is None or content.election == self.election)
            and (not needle or needle in content.title.lower() or needle in content.summary.lower())
        )


@dataclass(frozen=True, slots=True)
class Page:
    """A page of reports and the cursor for the next one (``None`` on the last page)."""

    reports: list[Report]
    next_cursor: str | None
