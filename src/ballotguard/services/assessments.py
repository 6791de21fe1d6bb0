"""Definitions of interference, their adoption, and assessments of reports and campaigns.

The method is the one published in ``docs/methodology.md`` and encoded in ``ballotguard.assessment``:
an analyst answers the criteria as findings pointing to evidence; the chosen definition's decision
rule turns them into a verdict with the criteria it rests on. This module checks who may do it,
that every piece of evidence exists in the subject, and keeps each change as a version.

Adoption runs the case library first. A definition that calls any case labelled acceptable
activity "interference" is refused unless the adopter signs a reason; the adoption, the reason
and the test run go to the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from functools import cache

from ballotguard.assessment import (
    Case,
    Definition,
    EvidenceKind,
    EvidenceRef,
    Finding,
    Flip,
    LibraryRun,
    VerdictResult,
    builtin_definitions,
    check_adoption,
    diff_definitions,
    evaluate,
    load_cases,
    parse_definition,
    run_library,
)
from ballotguard.errors import CampaignNotFound, Conflict, DefinitionNotFound, InvalidInput
from ballotguard.ports import AdoptionRecord, AssessmentChange, AssessmentRecord, UnitOfWork
from ballotguard.services.actors import Actor
from ballotguard.services.audit import record
from ballotguard.services.campaigns import get_campaign
from ballotguard.services.reports import readable_report
from ballotguard.services.stix_exchange import publish_assessment
from ballotguard.sharing import Permission, Report

REPORT_FIELDS = frozenset(
    {
        "title", "summary", "observed_at", "election", "phase", "vectors", "targets", "outcome",
        "impact", "techniques", "observables", "suspected_actor", "source_reliability",
    }
)


class SubjectKind(StrEnum):
    REPORT = "report"
    CAMPAIGN = "campaign"


@cache
def case_library() -> tuple[Case, ...]:
    return tuple(load_cases())


# --- definitions -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DefinitionEntry:
    definition: Definition
    builtin: bool
    adoption: AdoptionRecord | None


def list_definitions(uow: UnitOfWork) -> list[DefinitionEntry]:
    """The shipped definitions and the adopted ones, adopted versions first where both exist."""
    adopted = {r.definition_id: r for r in uow.definitions.list()}
    entries: list[DefinitionEntry] = []
    for definition in builtin_definitions():
        adoption = adopted.pop(definition.id, None)
        if adoption is not None and adoption.version != definition.version:
            entries.append(DefinitionEntry(_parsed(adoption), False, adoption))
            adoption = None
        entries.append(DefinitionEntry(definition, True, adoption))
    entries.extend(DefinitionEntry(_parsed(r), False, r) for r in adopted.values())
    return entries


def get_definition(uow: UnitOfWork, definition_id: str, version: str | None = None) -> Definition:
    """An adopted definition (its newest version unless one is named), else a shipped one."""
    adoption = uow.definitions.get(definition_id, version)
    if adoption is not None:
        return _parsed(adoption)
    for definition in builtin_definitions():
        if definition.id == definition_id and version in (None, definition.version):
            return definition
    raise DefinitionNotFound(definition_id if version is None else f"{definition_id}@{version}")


def _parsed(adoption: AdoptionRecord) -> Definition:
    return parse_definition(adoption.document, f"{adoption.definition_id}@{adoption.version}")


def test_definition(definition: Definition) -> LibraryRun:
    """Run a definition over the case library."""
    return run_library(definition, case_library())


def compare_definitions(first: Definition, second: Definition) -> list[Flip]:
    return diff_definitions(first, second, case_library())


def adopt_definition(
    uow: UnitOfWork, actor: Actor, document: str, signed_reason: str | None, now: datetime
) -> AdoptionRecord:
    """Adopt a definition after its case-library run; both are kept in the audit log."""
    actor.require(Permission.ADOPT_DEFINITION)
    definition = parse_definition(document, "definition")
    run = test_definition(definition)
    check_adoption(run, signed_reason)
    if uow.definitions.get(definition.id, definition.version) is not None:
        raise Conflict(f"definition {definition.id} version {definition.version} is already adopted")
    summary = run_summary(run)
    adoption = AdoptionRecord(
        definition_id=definition.id,
        version=definition.version,
        title=definition.title,
        document=document,
        adopted_by=actor.id,
        adopted_at=now,
        signed_reason=(signed_reason or "").strip(),
        test_run=summary,
    )
    uow.definitions.add(adoption)
    record(
        uow, actor, "definition.adopted", f"{definition.id}@{definition.version}", now,
        {"signed_reason": adoption.signed_reason, "test_run": summary},
    )
    uow.commit()
    return adoption


def run_summary(run: LibraryRun) -> dict[str, object]:
    """The test run as kept with the adoption: every case's expected and got verdict."""
    return {
        "definition_id": run.definition_id,
        "definition_version": run.definition_version,
        "passed": run.passed,
        "cases": len(run.rows),
        "failures": [row.case_id for row in run.failures],
        "acceptable_called_interference": list(run.acceptable_called_interference),
        "rows": [
            {
                "case": row.case_id,
                "expected": None if row.expected is None else row.expected.value,
                "got": row.got.value,
            }
            for row in run.rows
        ],
    }


# --- assessments -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssessmentView:
    record: AssessmentRecord
    findings: list[Finding]
    result: VerdictResult
    reason: str


def assess(
    uow: UnitOfWork,
    actor: Actor,
    subject_kind: SubjectKind,
    subject_id: str,
    definition_id: str,
    findings: Sequence[Finding],
    now: datetime,
    reason: str = "",
) -> AssessmentView:
    """Record an analyst's findings on a subject and the verdict the definition gives them."""
    actor.require(Permission.ASSESS)
    _check_evidence(uow, actor, subject_kind, subject_id, findings)
    definition = get_definition(uow, definition_id)
    result = evaluate(definition, findings)
    assessment = AssessmentRecord(
        id=str(uuid.uuid4()),
        subject_kind=subject_kind.value,
        subject_id=subject_id,
        definition_id=definition.id,
        definition_version=definition.version,
        verdict=result.verdict.value,
        version=1,
        author_id=actor.id,
        created_at=now,
        updated_at=now,
        body=_body(findings, result, reason),
    )
    uow.assessments.add(assessment, _change(assessment, actor, now, reason or "assessed"))
    publish_assessment(uow, assessment, now)
    record(
        uow, actor, "assessment.made", assessment.id, now,
        {"subject": f"{subject_kind.value}:{subject_id}", "verdict": result.verdict.value,
         "definition": f"{definition.id}@{definition.version}"},
    )
    uow.commit()
    return view_of(assessment)


def reassess(
    uow: UnitOfWork,
    actor: Actor,
    assessment_id: str,
    findings: Sequence[Finding],
    reason: str,
    now: datetime,
) -> AssessmentView:
    """A new version of an assessment; the earlier findings stay in its history with the reason."""
    actor.require(Permission.ASSESS)
    if not reason.strip():
        raise InvalidInput("reason", "say why the assessment changes")
    current = get_assessment(uow, actor, assessment_id).record
    kind = SubjectKind(current.subject_kind)
    _check_evidence(uow, actor, kind, current.subject_id, findings)
    definition = get_definition(uow, current.definition_id, current.definition_version)
    result = evaluate(definition, findings)
    updated = replace(
        current,
        verdict=result.verdict.value,
        version=current.version + 1,
        updated_at=now,
        body=_body(findings, result, reason),
    )
    uow.assessments.update(updated, _change(updated, actor, now, reason))
    publish_assessment(uow, updated, now)
    record(
        uow, actor, "assessment.revised", assessment_id, now,
        {"verdict": result.verdict.value, "reason": reason},
    )
    uow.commit()
    return view_of(updated)


def get_assessment(uow: UnitOfWork, actor: Actor, assessment_id: str) -> AssessmentView:
    actor.require(Permission.READ_REPORTS)
    assessment = uow.assessments.get(assessment_id)
    _subject(uow, actor, SubjectKind(assessment.subject_kind), assessment.subject_id)
    return view_of(assessment)


def assessments_of(
    uow: UnitOfWork, actor: Actor, subject_kind: SubjectKind, subject_id: str
) -> list[AssessmentView]:
    """Every assessment of a subject the reader may see, oldest first."""
    actor.require(Permission.READ_REPORTS)
    _subject(uow, actor, subject_kind, subject_id)
    return [view_of(a) for a in uow.assessments.for_subject(subject_kind.value, subject_id)]


def assessment_history(
    uow: UnitOfWork, actor: Actor, assessment_id: str
) -> list[AssessmentChange]:
    get_assessment(uow, actor, assessment_id)
    return uow.assessments.history(assessment_id)


def side_by_side(
    uow: UnitOfWork, findings: Sequence[Finding], definition_ids: Sequence[str]
) -> list[VerdictResult]:
    """The same findings under several definitions, to see where they part."""
    return [evaluate(get_definition(uow, d), findings) for d in definition_ids]


def _subject(
    uow: UnitOfWork, actor: Actor, kind: SubjectKind, subject_id: str
) -> tuple[Report, ...]:
    """The reports behind a subject, if the reader may see the subject (else a 404)."""
    if kind is SubjectKind.REPORT:
        return (readable_report(uow, actor, subject_id),)
    view = get_campaign(uow, actor, subject_id)
    if not view.fully_visible:
        raise CampaignNotFound(subject_id)
    return tuple(view.reports)


def _check_evidence(
    uow: UnitOfWork,
    actor: Actor,
    kind: SubjectKind,
    subject_id: str,
    findings: Sequence[Finding],
) -> None:
    """Every piece of evidence must exist in the subject, so a verdict never rests on air."""
    reports = {r.id: r for r in _subject(uow, actor, kind, subject_id)}
    if not findings:
        raise InvalidInput("findings", "answer at least one criterion")
    seen: set[str] = set()
    for index, finding in enumerate(findings):
        if finding.criterion.value in seen:
            raise InvalidInput(f"findings[{index}]", f"{finding.criterion.value} is answered twice")
        seen.add(finding.criterion.value)
        for ref in finding.evidence:
            problem = _evidence_problem(ref, reports, subject_id)
            if problem:
                raise InvalidInput(f"findings[{index}].evidence", problem)


def _evidence_problem(ref: EvidenceRef, reports: dict[str, Report], subject_id: str) -> str:
    if ref.kind is EvidenceKind.EXTERNAL:
        return "" if ref.ref.startswith(("https://", "http://")) else "an external source is a URL"
    if ref.kind is EvidenceKind.REPORT:
        return "" if ref.ref in reports else f"report {ref.ref} is not part of this subject"
    report_id = ref.report_id or (subject_id if subject_id in reports else None)
    report = reports.get(report_id or "")
    if report is None:
        return "say which report of the campaign the evidence is in (report_id)"
    if ref.kind is EvidenceKind.REPORT_FIELD:
        return "" if ref.ref in REPORT_FIELDS else f"{ref.ref} is not a report field"
    if ref.kind is EvidenceKind.OBSERVABLE:
        held = {f"{o.kind.value}:{o.value}" for o in report.content.observables}
        return "" if ref.ref in held else f"the report has no observable {ref.ref}"
    if ref.kind is EvidenceKind.ATTACHMENT:
        held = {a.sha256 for a in report.attachments}
        return "" if ref.ref in held else f"the report has no attachment {ref.ref}"
    if ref.kind is EvidenceKind.NOTE:
        ok = ref.ref.isdigit() and int(ref.ref) < len(report.notes)
        return "" if ok else f"the report has no note {ref.ref} (notes are numbered from 0)"
    return f"unknown evidence kind {ref.kind}"


def _body(findings: Sequence[Finding], result: VerdictResult, reason: str) -> dict[str, object]:
    return {
        "findings": [f.model_dump(mode="json") for f in findings],
        "result": result.model_dump(mode="json"),
        "reason": reason,
    }


def view_of(assessment: AssessmentRecord) -> AssessmentView:
    body = assessment.body
    findings = [Finding.model_validate(f) for f in body["findings"]]  # type: ignore[attr-defined]
    result = VerdictResult.model_validate(body["result"])
    return AssessmentView(assessment, findings, result, str(body.get("reason", "")))


def _change(
    assessment: AssessmentRecord, actor: Actor, now: datetime, reason: str
) -> AssessmentChange:
    return AssessmentChange(assessment.id, assessment.version, actor.id, now, reason, assessment)
