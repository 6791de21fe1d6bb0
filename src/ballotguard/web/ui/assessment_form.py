"""The report page's analysis sections: its assessments, the assessment form, the side-by-side
comparison and the campaign box.

The form asks, for each criterion of the chosen definition, an answer, a confidence, the evidence
(checkboxes drawn from the report itself, plus an optional public URL) and a rationale. Each
criterion's problem is kept next to it, and whatever was typed is shown again: nothing is lost.
Everything is read through the services, so the sections obey the one TLP rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from ballotguard.assessment import (
    BASELINE_ID,
    Criterion,
    Finding,
    criterion_info,
    criterion_label,
    parse_findings,
)
from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import InvalidInput, NotFound
from ballotguard.services import assessments, campaigns, reports
from ballotguard.services.actors import Actor
from ballotguard.services.assessments import REPORT_FIELDS, SubjectKind
from ballotguard.sharing import TRANSITIONS, Report

EVIDENCE_FIELDS = (
    "title", "summary", "observed_at", "phase", "vectors", "targets", "outcome", "impact",
    "techniques", "observables", "suspected_actor", "source_reliability", "election",
)
"""The report fields offered as evidence, in the order the form shows them."""


@dataclass(frozen=True, slots=True)
class EvidenceChoice:
    value: str
    label: str


def evidence_choices(report: Report) -> list[EvidenceChoice]:
    """Every piece of the report a finding may cite, as ``kind|ref`` form values."""
    choices = [
        EvidenceChoice(f"report_field|{name}", f"report field: {name.replace('_', ' ')}")
        for name in EVIDENCE_FIELDS
        if name in REPORT_FIELDS
    ]
    for observable in report.content.observables:
        ref = f"{observable.kind.value}:{observable.value}"
        choices.append(EvidenceChoice(f"observable|{ref}", f"observable {ref}"))
    for attachment in report.attachments:
        choices.append(EvidenceChoice(
            f"attachment|{attachment.sha256}",
            f"attachment {attachment.filename} (SHA-256 {attachment.sha256[:12]}…)",
        ))
    for index, note in enumerate(report.notes):
        text = note.text if len(note.text) <= 60 else note.text[:59] + "…"
        choices.append(EvidenceChoice(f"note|{index}", f"note {index}: {text}"))
    return choices


def typed_values(form: FormData) -> dict[str, Any]:
    """What the person typed, to show the form again: lists for checkboxes, text otherwise."""
    return {
        key: [str(v) for v in form.getlist(key)] if key.startswith("evidence-") else
        str(form.get(key) or "")
        for key in form
    }


def form_to_findings(
    form: FormData, criteria: list[Criterion]
) -> tuple[list[Finding], dict[str, str]]:
    """The findings, or the problems keyed by criterion so each shows next to its fieldset."""
    findings: list[Finding] = []
    errors: dict[str, str] = {}
    for criterion in criteria:
        name = criterion.value
        try:
            findings.extend(parse_findings([_raw_finding(form, criterion)]))
        except InvalidInput as exc:
            errors[name] = f"{criterion_label(criterion)}: {exc.reason}"
    return findings, errors


def _raw_finding(form: FormData, criterion: Criterion) -> dict[str, Any]:
    name = criterion.value
    evidence: list[dict[str, str]] = []
    for value in form.getlist(f"evidence-{name}"):
        kind, _, ref = str(value).partition("|")
        evidence.append({"kind": kind, "ref": ref})
    url = str(form.get(f"url-{name}") or "").strip()
    if url:
        evidence.append({"kind": "external", "ref": url})
    return {
        "criterion": name,
        "answer": str(form.get(f"answer-{name}") or "unknown"),
        "confidence": str(form.get(f"confidence-{name}") or "moderate"),
        "evidence": evidence,
        "rationale": str(form.get(f"rationale-{name}") or ""),
    }


def service_error(exc: InvalidInput, findings: list[Finding]) -> dict[str, str]:
    """A service's refusal (``findings[2].evidence: …``) placed on the criterion it is about."""
    field = exc.field
    if field.startswith("findings[") and "]" in field:
        index = field[len("findings["):field.index("]")]
        if index.isdigit() and int(index) < len(findings):
            criterion = findings[int(index)].criterion
            return {criterion.value: f"{criterion_label(criterion)}: {exc.reason}"}
    return {"form": str(exc)}


def definition_ids(entries: list[assessments.DefinitionEntry]) -> list[str]:
    """Each definition id once, in the order the service lists them."""
    return list(dict.fromkeys(entry.definition.id for entry in entries))


def report_page(
    bg: Ballotguard,
    actor: Actor,
    report_id: str,
    definition_id: str | None = None,
    compare: str | None = None,
) -> dict[str, Any]:
    """Everything the report page shows, read for this actor through the services."""
    with bg.uow() as uow:
        report = reports.get_report(uow, actor, report_id, bg.clock())
        history = uow.reports.history(report_id)
        orgs = {o.id: o for o in uow.orgs.list()}
        people = {p.id: p for p in uow.people.list()}
        views = assessments.assessments_of(uow, actor, SubjectKind.REPORT, report_id)
        entries = assessments.list_definitions(uow)
        chosen = assessments.get_definition(uow, definition_id or BASELINE_ID)
        campaign = campaigns.campaign_of_report(uow, actor, report_id)
        compared = _compared(uow, actor, report_id, compare, definition_ids(entries))
    return {
        "report": report,
        "history": history,
        "orgs": orgs,
        "people": people,
        "next_statuses": TRANSITIONS[report.status],
        "assessments": views,
        "definition_ids": definition_ids(entries),
        "chosen": chosen,
        "chosen_criteria": [criterion_info(c) for c in chosen.criteria],
        "evidence": evidence_choices(report),
        "campaign": campaign,
        "compared": compared,
        "typed": {},
        "assess_errors": {},
    }


def _compared(
    uow: Any, actor: Actor, report_id: str, assessment_id: str | None, ids: list[str]
) -> dict[str, Any] | None:
    """The findings of one of this report's assessments under every definition."""
    if not assessment_id:
        return None
    try:
        view = assessments.get_assessment(uow, actor, assessment_id)
    except NotFound:
        return None
    if view.record.subject_kind != SubjectKind.REPORT.value or view.record.subject_id != report_id:
        return None
    return {"assessment": view, "results": assessments.side_by_side(uow, view.findings, ids)}
