"""The record of a risk-limiting audit: everything the final report prints, as JSON-ready data.

Built from ``services.audits`` (which decides who may read an audit: its administrators and the
people it assigns), so the record shows no more than the audit page. ``pdf.audit_report``
draws the PDF from this record alone and prints the SHA-256 of its canonical JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ballotguard.audit.workflow import (
    Audit,
    AuditFile,
    AuditStatus,
    ContestStatus,
    Round,
    SampledUnit,
)
from ballotguard.pdf.risk_plot import format_risk
from ballotguard.ports import UnitOfWork
from ballotguard.services import audits
from ballotguard.services.actors import Actor

CONTEST_STATUS = {
    ContestStatus.OPEN: "in_progress",
    ContestStatus.CONFIRMED: "confirmed",
    ContestStatus.HAND_COUNT: "full_hand_count",
}
METHOD_REFERENCES = {
    "bravo": "Lindeman, Stark and Yates (2012), BRAVO: Ballot-polling Risk-limiting Audits to "
    "Verify Outcomes, EVT/WOTE",
    "minerva": "Zagorski, McClearn, Morin, Vora and Yates (2021), Minerva - an Efficient "
    "Risk-Limiting Ballot Polling Audit, USENIX Security",
    "alpha-polling": "Stark (2023), ALPHA: Audit that Learns from Previously Hand-Audited "
    "Ballots, Annals of Applied Statistics; Stark (2020), SHANGRLA",
    "clca": "Stark (2023), ALPHA; Stark (2009), Kaplan-Markov P-values for comparison audits",
    "macro": "Stark (2008), A Sharper Discrepancy Measure for Post-Election Audits, Annals of "
    "Applied Statistics",
}


@dataclass(frozen=True)
class AuditView:
    """What the audit page shows, read in one unit of work."""

    audit: Audit
    rounds: list[Round]
    draws: list[SampledUnit]
    files: list[AuditFile]
    progress: list[audits.JurisdictionProgress]
    discrepancies: list[audits.Discrepancy]


def audit_view(uow: UnitOfWork, actor: Actor, audit_id: str) -> AuditView:
    audit = audits.get_audit(uow, actor, audit_id)
    return AuditView(
        audit,
        audits.rounds(uow, actor, audit_id),
        audits.draws(uow, actor, audit_id),
        audits.files(uow, actor, audit_id),
        audits.progress(uow, actor, audit_id),
        audits.discrepancies(uow, actor, audit_id),
    )


def risk_series(view: AuditView) -> dict[str, list[float | None]]:
    """Contest -> the risk measured after each round (None: that round is not measured yet)."""
    measured = [r for r in view.rounds if r.measured_at is not None]
    return {c.name: [r.risks.get(c.name) for r in measured] for c in view.audit.contests}


def conclusion(view: AuditView) -> str:
    audit = view.audit
    limit = format_risk(audit.risk_limit)
    drawn = len(view.draws)
    if audit.status is AuditStatus.CONFIRMED:
        return (f"The reported outcome of every contest is confirmed: after round {audit.round} "
                f"({drawn:,} draws) each contest's risk is at most the risk limit of {limit}. "
                "The chance that an audit like this one confirms a wrong outcome is at most "
                f"{limit}.")
    if audit.status is AuditStatus.HAND_COUNT:
        failed = [c.name for c in audit.contests if c.status is ContestStatus.HAND_COUNT]
        done = [c.name for c in audit.contests if c.status is ContestStatus.CONFIRMED]
        text = (f"A full hand count is required for {', '.join(failed)}: the sample did not "
                f"confirm the reported outcome at the risk limit of {limit}.")
        if done:
            text += f" Confirmed: {', '.join(done)}."
        if audit.report_id:
            text += f" The hub tracks the incident as report {audit.report_id}."
        return text
    return (f"The audit is in progress ({audit.status.value.replace('_', ' ')}, round "
            f"{audit.round}); no conclusion yet.")


def audit_record(
    uow: UnitOfWork, actor: Actor, audit_id: str, now: datetime, names: dict[str, str] | None = None
) -> dict[str, Any]:
    """The record (shape in ``pdf.audit_report``); ``names``: person id -> name for the page."""
    view = audit_view(uow, actor, audit_id)
    if names is None:
        names = {p.id: p.name for p in uow.people.list()}
    return record_of(view, names, now, names.get(actor.id, actor.label))


def record_of(view: AuditView, names: dict[str, str], now: datetime, by: str) -> dict[str, Any]:
    audit = view.audit
    last = {c.name: None for c in audit.contests} | {
        name: risk for r in view.rounds if r.measured_at is not None for name, risk in r.risks.items()
    }
    files = {(f.jurisdiction, f.kind): f for f in view.files}
    first_round: dict[str, int] = {}
    for d in view.draws:
        first_round.setdefault(d.unit_id, d.round)
    return {
        "audit": {
            "id": audit.id,
            "name": audit.name,
            "method": audit.method.value,
            "method_reference": METHOD_REFERENCES.get(audit.method.value, ""),
            "risk_limit": audit.risk_limit,
            "seed": audit.seed,
            "status": _status(audit),
            "created_at": audit.created_at.isoformat(),
            "created_by": names.get(audit.created_by, audit.created_by),
            "conclusion": conclusion(view),
            "report_id": audit.report_id,
        },
        "contests": [
            {"name": c.name, "winners": list(c.winners), "tally": dict(c.tally),
             "ballots": c.ballots, "status": CONTEST_STATUS[c.status], "risk": last[c.name],
             "jurisdictions": list(c.jurisdictions)}
            for c in audit.contests
        ],
        "jurisdictions": [
            {
                "name": j.name,
                "ballots": j.ballots,
                "phantoms": _phantoms(j.ballots, files.get((j.name, "manifest"))),
                "manifest_sha256": _sha(files.get((j.name, "manifest"))),
                "cvr_sha256": _sha(files.get((j.name, "cvrs")) or files.get((j.name, "tallies"))),
            }
            for j in audit.jurisdictions
        ],
        "rounds": [
            {"number": r.number, "size": r.size, "drawn_at": r.drawn_at.isoformat(),
             "risks": dict(r.risks), "decision": r.decision.value if r.decision else "pending",
             "next_size": r.next_size}
            for r in view.rounds
        ],
        "sample": [
            {"round": d.round, "ticket": d.ticket, "ballot_id": d.unit_id,
             "jurisdiction": d.jurisdiction, "container": d.container, "tabulator": d.tabulator,
             "batch": d.batch, "position": d.position, "phantom": d.phantom}
            for d in view.draws
        ],
        "discrepancies": [
            {"round": first_round.get(d.unit_id, 0), "unit": d.unit_id,
             "jurisdiction": d.jurisdiction, "kind": d.kind, "detail": d.detail}
            for d in view.discrepancies
        ],
        "exported_at": now.isoformat(),
        "exported_by": by,
    }


def _status(audit: Audit) -> str:
    if audit.status is AuditStatus.CONFIRMED:
        return "confirmed"
    if audit.status is AuditStatus.HAND_COUNT:
        return "full_hand_count"
    return "in_progress"


def _phantoms(reported: int, manifest: AuditFile | None) -> int:
    return max(0, reported - manifest.count) if manifest else 0


def _sha(file: AuditFile | None) -> str | None:
    return file.sha256 if file else None
