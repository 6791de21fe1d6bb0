"""Definitions of interference (public: they are the published method), their case-library runs,
adoption, and assessments of reports and campaigns (TLP-filtered through the subject)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, Field

from ballotguard.assessment import (
    Case,
    Criterion,
    CriterionInfo,
    Definition,
    Finding,
    Flip,
    LibraryRun,
    VerdictResult,
    criterion_info,
    describe_rule,
    parse_definition,
)
from ballotguard.ports import UnitOfWork
from ballotguard.services import assessments
from ballotguard.services.actors import Actor
from ballotguard.services.assessments import SubjectKind
from ballotguard.sharing import Permission
from ballotguard.web.access import PUBLIC, GuardedRoute, current_actor, needs, rule
from ballotguard.web.deps import NOW, UOW

router = APIRouter(prefix="/api", tags=["assessment"], route_class=GuardedRoute)
ACTOR = Depends(current_actor)
READ = needs(Permission.READ_REPORTS)
ASSESS = needs(Permission.ASSESS)
DOCUMENT_LIMIT = 200_000


class DefinitionOut(BaseModel):
    definition: Definition
    rule_in_words: str
    builtin: bool
    adopted: bool
    adopted_by: str | None = None
    adopted_at: datetime | None = None
    signed_reason: str | None = None


class Adoption(BaseModel):
    document: Annotated[str, Field(min_length=1, max_length=DOCUMENT_LIMIT)]
    signed_reason: Annotated[str, Field(max_length=5000)] | None = None


class DocumentIn(BaseModel):
    document: Annotated[str, Field(min_length=1, max_length=DOCUMENT_LIMIT)]


class AssessmentIn(BaseModel):
    definition_id: Annotated[str, Field(min_length=1, max_length=80)]
    findings: Annotated[list[Finding], Field(min_length=1, max_length=40)]
    reason: Annotated[str, Field(max_length=2000)] = ""


class Reassessment(BaseModel):
    findings: Annotated[list[Finding], Field(min_length=1, max_length=40)]
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class Comparison(BaseModel):
    findings: Annotated[list[Finding], Field(min_length=1, max_length=40)]
    definitions: Annotated[list[str], Field(min_length=1, max_length=10)]


class AssessmentOut(BaseModel):
    id: str
    subject_kind: str
    subject_id: str
    definition_id: str
    definition_version: str
    version: int
    author_id: str
    created_at: datetime
    updated_at: datetime
    findings: list[Finding]
    result: VerdictResult
    reason: str


def _out(view: assessments.AssessmentView) -> AssessmentOut:
    r = view.record
    return AssessmentOut(
        id=r.id, subject_kind=r.subject_kind, subject_id=r.subject_id,
        definition_id=r.definition_id, definition_version=r.definition_version,
        version=r.version, author_id=r.author_id, created_at=r.created_at,
        updated_at=r.updated_at, findings=view.findings, result=view.result, reason=view.reason,
    )


def _definition_out(entry: assessments.DefinitionEntry) -> DefinitionOut:
    adoption = entry.adoption
    return DefinitionOut(
        definition=entry.definition,
        rule_in_words=describe_rule(entry.definition.rule),
        builtin=entry.builtin,
        adopted=adoption is not None,
        adopted_by=adoption.adopted_by if adoption else None,
        adopted_at=adoption.adopted_at if adoption else None,
        signed_reason=adoption.signed_reason if adoption else None,
    )


@router.get("/criteria", response_model=list[CriterionInfo])
@rule(PUBLIC)
def criteria() -> list[CriterionInfo]:
    """The criteria a definition may weigh, with the questions an analyst answers."""
    return [criterion_info(c) for c in Criterion]


@router.get("/definitions", response_model=list[DefinitionOut])
@rule(PUBLIC)
def list_definitions(uow: UnitOfWork = UOW) -> list[DefinitionOut]:
    """The shipped and adopted definitions of interference."""
    return [_definition_out(e) for e in assessments.list_definitions(uow)]


@router.get("/definitions/{definition_id}", response_model=DefinitionOut)
@rule(PUBLIC)
def get_definition(definition_id: str, uow: UnitOfWork = UOW) -> DefinitionOut:
    for entry in assessments.list_definitions(uow):
        if entry.definition.id == definition_id:
            return _definition_out(entry)
    assessments.get_definition(uow, definition_id)  # raises the 404
    raise AssertionError("unreachable")


@router.get("/definitions/{definition_id}/test", response_model=LibraryRun)
@rule(PUBLIC)
def test_definition(definition_id: str, uow: UnitOfWork = UOW) -> LibraryRun:
    """The definition run over the case library: expected and got verdict per case."""
    return assessments.test_definition(assessments.get_definition(uow, definition_id))


@router.get("/definitions/{first}/diff/{second}", response_model=list[Flip])
@rule(PUBLIC)
def diff_definitions(first: str, second: str, uow: UnitOfWork = UOW) -> list[Flip]:
    """The cases whose verdict flips between two definitions, and why."""
    return assessments.compare_definitions(
        assessments.get_definition(uow, first), assessments.get_definition(uow, second)
    )


@router.post("/definitions/test", response_model=LibraryRun)
@rule(ASSESS)
def test_document(body: DocumentIn, actor: Actor = ACTOR) -> LibraryRun:
    """Try a draft definition (YAML) against the case library without adopting it."""
    return assessments.test_definition(parse_definition(body.document, "document"))


@router.post("/definitions", status_code=201, response_model=DefinitionOut)
@rule(needs(Permission.ADOPT_DEFINITION))
def adopt(
    body: Adoption, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> DefinitionOut:
    """Adopt a definition; refused while it calls acceptable activity interference, unless signed."""
    adoption = assessments.adopt_definition(uow, actor, body.document, body.signed_reason, now)
    definition = assessments.get_definition(uow, adoption.definition_id, adoption.version)
    return _definition_out(assessments.DefinitionEntry(definition, False, adoption))


@router.get("/cases", response_model=list[Case])
@rule(PUBLIC)
def cases() -> list[Case]:
    """The case library every definition is tested on."""
    return list(assessments.case_library())


@router.post("/reports/{report_id}/assessments", status_code=201, response_model=AssessmentOut)
@rule(ASSESS)
def assess_report(
    report_id: str, body: AssessmentIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
    now: datetime = NOW,
) -> AssessmentOut:
    return _out(assessments.assess(
        uow, actor, SubjectKind.REPORT, report_id, body.definition_id, body.findings, now,
        body.reason,
    ))


@router.get("/reports/{report_id}/assessments", response_model=list[AssessmentOut])
@rule(READ)
def report_assessments(
    report_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR
) -> list[AssessmentOut]:
    return [_out(v) for v in assessments.assessments_of(uow, actor, SubjectKind.REPORT, report_id)]


@router.post(
    "/campaigns/{campaign_id}/assessments", status_code=201, response_model=AssessmentOut
)
@rule(ASSESS)
def assess_campaign(
    campaign_id: str, body: AssessmentIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
    now: datetime = NOW,
) -> AssessmentOut:
    return _out(assessments.assess(
        uow, actor, SubjectKind.CAMPAIGN, campaign_id, body.definition_id, body.findings, now,
        body.reason,
    ))


@router.get("/campaigns/{campaign_id}/assessments", response_model=list[AssessmentOut])
@rule(READ)
def campaign_assessments(
    campaign_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR
) -> list[AssessmentOut]:
    views = assessments.assessments_of(uow, actor, SubjectKind.CAMPAIGN, campaign_id)
    return [_out(v) for v in views]


@router.get("/assessments/{assessment_id}", response_model=AssessmentOut)
@rule(READ)
def get_assessment(
    assessment_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR
) -> AssessmentOut:
    return _out(assessments.get_assessment(uow, actor, assessment_id))


@router.put("/assessments/{assessment_id}", response_model=AssessmentOut)
@rule(ASSESS)
def reassess(
    assessment_id: str, body: Reassessment, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
    now: datetime = NOW,
) -> AssessmentOut:
    return _out(assessments.reassess(uow, actor, assessment_id, body.findings, body.reason, now))


@router.get("/assessments/{assessment_id}/history", response_model=list[AssessmentOut])
@rule(READ)
def assessment_history(
    assessment_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR
) -> list[AssessmentOut]:
    changes = assessments.assessment_history(uow, actor, assessment_id)
    return [_out(assessments.view_of(change.snapshot)) for change in changes]


@router.post("/assessments/compare", response_model=list[VerdictResult])
@rule(ASSESS)
def compare(
    body: Comparison = Body(...), uow: UnitOfWork = UOW, actor: Actor = ACTOR
) -> list[VerdictResult]:
    """The same findings under several definitions, side by side."""
    return assessments.side_by_side(uow, body.findings, body.definitions)
