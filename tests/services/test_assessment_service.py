"""Assessments and definitions through the services, on SQLite and PostgreSQL: evidence must exist
in the subject, verdicts are versioned, TLP applies through the subject, and adoption runs the
case library and refuses a definition that calls acceptable activity interference unless signed."""

from __future__ import annotations

import pytest

from ballotguard.assessment import (
    Answer,
    CaseSide,
    EvidenceKind,
    EvidenceRef,
    Finding,
    Verdict,
)
from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import (
    AdoptionRefused,
    AssessmentNotFound,
    CampaignNotFound,
    Conflict,
    DefinitionNotFound,
    InvalidDefinition,
    InvalidInput,
    PermissionDenied,
    ReportNotFound,
)
from ballotguard.services import assessments as svc
from ballotguard.services import reports as rs
from ballotguard.services.actors import person_actor
from ballotguard.services.assessments import SubjectKind
from ballotguard.sharing import Observable, Report
from ballotguard.sharing.observables import ObservableKind
from ballotguard.vocabulary import Confidence, Tlp
from support import world

from .conftest import People, build

BASELINE = "ballotguard-baseline"


@pytest.fixture
def hub(bg: Ballotguard) -> People:
    return build(bg)


def case_findings(side: CaseSide, expected: Verdict, report: Report) -> list[Finding]:
    """The findings of a library case whose baseline verdict is ``expected``, re-pointed at the
    report's summary so that the evidence exists in the subject."""
    for case in svc.case_library():
        if case.side is side and case.expected.get(BASELINE) is expected:
            return [
                f.model_copy(update={"evidence": [summary(report)] if f.evidence else []})
                for f in case.findings
            ]
    raise AssertionError(f"no {side} case expecting {expected}")


def summary(report: Report) -> EvidenceRef:
    return EvidenceRef(kind=EvidenceKind.REPORT_FIELD, ref="summary", report_id=report.id)


def assess(hub: People, report: Report, findings: list[Finding], who=None, definition=BASELINE):
    actor = person_actor(who or hub.cec_analyst)
    with hub.bg.uow() as uow:
        return svc.assess(uow, actor, SubjectKind.REPORT, report.id, definition, findings,
                          hub.bg.clock(), "first look")


def test_an_interference_case_gets_its_verdict_with_the_criteria_it_rests_on(hub: People) -> None:
    report = world.file(hub.bg, hub.cec_reporter)
    view = assess(hub, report, case_findings(CaseSide.INTERFERENCE, Verdict.INTERFERENCE, report))
    assert view.result.verdict is Verdict.INTERFERENCE
    assert view.result.rests_on
    assert view.record.verdict == "interference"
    assert view.record.definition_id == BASELINE
    with hub.bg.uow() as uow:
        stored = svc.assessments_of(uow, person_actor(hub.cert_analyst), SubjectKind.REPORT,
                                    report.id)
    assert [v.record.id for v in stored] == [view.record.id]
    assert stored[0].findings == view.findings


def test_public_diplomacy_case_is_acceptable_influence(hub: People) -> None:
    report = world.file(hub.bg, hub.cec_reporter)
    view = assess(hub, report, case_findings(CaseSide.ACCEPTABLE, Verdict.ACCEPTABLE, report))
    assert view.result.verdict is Verdict.ACCEPTABLE


def test_unknown_answers_give_insufficient_information(hub: People) -> None:
    report = world.file(hub.bg, hub.cec_reporter)
    with hub.bg.uow() as uow:
        definition = svc.get_definition(uow, BASELINE)
    findings = [
        Finding(criterion=c, answer=Answer.UNKNOWN, confidence=Confidence.LOW)
        for c in definition.criteria
    ]
    assert assess(hub, report, findings).result.verdict is Verdict.INSUFFICIENT


@pytest.mark.parametrize(
    ("ref", "problem"),
    [
        (EvidenceRef(kind=EvidenceKind.REPORT_FIELD, ref="password"), "not a report field"),
        (EvidenceRef(kind=EvidenceKind.OBSERVABLE, ref="domain:absent.example"), "no observable"),
        (EvidenceRef(kind=EvidenceKind.ATTACHMENT, ref="a" * 64), "no attachment"),
        (EvidenceRef(kind=EvidenceKind.NOTE, ref="3"), "no note"),
        (EvidenceRef(kind=EvidenceKind.REPORT, ref="some-other-report"), "not part of"),
    ],
)
def test_evidence_that_is_not_in_the_report_is_refused(hub: People, ref: EvidenceRef, problem: str) -> None:
    report = world.file(hub.bg, hub.cec_reporter)
    finding = Finding(criterion="deception", answer=Answer.YES, confidence=Confidence.HIGH,
                      evidence=[ref], rationale="accounts posed as locals")
    with pytest.raises(InvalidInput, match=problem):
        assess(hub, report, [finding])
    with hub.bg.uow() as uow:
        assert uow.assessments.for_subject("report", report.id) == []


def test_evidence_that_is_in_the_report_is_accepted(hub: People) -> None:
    domain = Observable(kind=ObservableKind.DOMAIN, value="veldra-news.example")
    report = world.file(hub.bg, hub.cec_reporter, observables=[domain])
    with hub.bg.uow() as uow:
        report = rs.add_note(uow, person_actor(hub.cec_reporter), report.id, "seen twice",
                             hub.bg.clock())
    finding = Finding(
        criterion="deception", answer=Answer.YES, confidence=Confidence.HIGH,
        evidence=[
            EvidenceRef(kind=EvidenceKind.OBSERVABLE, ref="domain:veldra-news.example"),
            EvidenceRef(kind=EvidenceKind.NOTE, ref="0"),
            EvidenceRef(kind=EvidenceKind.EXTERNAL, ref="https://factcheck.example/item"),
        ],
        rationale="the site hides who runs it",
    )
    view = assess(hub, report, [finding])
    assert view.findings[0].evidence[0].ref == "domain:veldra-news.example"


def test_a_finding_without_evidence_is_refused_at_the_edge() -> None:
    with pytest.raises(ValueError, match="evidence"):
        Finding(criterion="coercion", answer=Answer.YES, confidence=Confidence.HIGH)


def test_reassessing_keeps_the_history_with_reasons(hub: People) -> None:
    report = world.file(hub.bg, hub.cec_reporter)
    with hub.bg.uow() as uow:
        definition = svc.get_definition(uow, BASELINE)
    unknown = [Finding(criterion=c, answer=Answer.UNKNOWN, confidence=Confidence.LOW)
               for c in definition.criteria]
    first = assess(hub, report, unknown)
    better = case_findings(CaseSide.INTERFERENCE, Verdict.INTERFERENCE, report)
    with hub.bg.uow() as uow:
        second = svc.reassess(uow, person_actor(hub.cec_analyst), first.record.id, better,
                              "the CERT traced the accounts", hub.bg.clock())
    assert second.record.version == 2
    assert second.result.verdict is Verdict.INTERFERENCE
    with hub.bg.uow() as uow:
        history = svc.assessment_history(uow, person_actor(hub.cec_analyst), first.record.id)
    assert [(c.version, c.snapshot.verdict) for c in history] == [
        (1, "insufficient information"), (2, "interference")]
    assert history[1].reason == "the CERT traced the accounts"


def test_assessments_follow_the_report_tlp(hub: People) -> None:
    report = world.file(hub.bg, hub.cec_reporter, tlp=Tlp.AMBER)
    view = assess(hub, report, case_findings(CaseSide.INTERFERENCE, Verdict.INTERFERENCE, report))
    outsider = person_actor(hub.platform_analyst)
    with hub.bg.uow() as uow:
        with pytest.raises(ReportNotFound):
            svc.assessments_of(uow, outsider, SubjectKind.REPORT, report.id)
        with pytest.raises(ReportNotFound):
            svc.get_assessment(uow, outsider, view.record.id)
        with pytest.raises(ReportNotFound):
            svc.assess(uow, outsider, SubjectKind.REPORT, report.id, BASELINE, view.findings,
                       hub.bg.clock())
        with pytest.raises(AssessmentNotFound):
            svc.get_assessment(uow, outsider, "no-such-assessment")


def test_assessing_needs_the_assess_permission(hub: People) -> None:
    report = world.file(hub.bg, hub.cec_reporter)
    findings = case_findings(CaseSide.INTERFERENCE, Verdict.INTERFERENCE, report)
    with pytest.raises(PermissionDenied):
        assess(hub, report, findings, who=hub.cec_reporter)
    assert assess(hub, report, findings, who=hub.ngo_panel).result.verdict is Verdict.INTERFERENCE


def test_a_campaign_assessment_needs_every_report_of_the_campaign_readable(hub: People) -> None:
    link = Observable(kind=ObservableKind.URL, value="https://veldra-truth.example/x")
    hidden = world.file(hub.bg, hub.cec_reporter, observables=[link], tlp=Tlp.AMBER)
    one = world.file(hub.bg, hub.cert_analyst, observables=[link])
    world.file(hub.bg, hub.cert_analyst, observables=[link])
    with hub.bg.uow() as uow:
        campaign_id = uow.correlation.campaign_of(one.id)
    finding = Finding(criterion="deception", answer=Answer.YES, confidence=Confidence.HIGH,
                      evidence=[EvidenceRef(kind=EvidenceKind.REPORT, ref=hidden.id)],
                      rationale="the same fake site")
    with hub.bg.uow() as uow:
        with pytest.raises(CampaignNotFound):
            svc.assess(uow, person_actor(hub.cert_analyst), SubjectKind.CAMPAIGN, campaign_id,
                       BASELINE, [finding], hub.bg.clock())
        view = svc.assess(uow, person_actor(hub.cec_analyst), SubjectKind.CAMPAIGN, campaign_id,
                          BASELINE, [finding], hub.bg.clock())
    assert view.record.subject_kind == "campaign"


def test_side_by_side_evaluates_the_same_findings_under_each_definition(hub: People) -> None:
    report = world.file(hub.bg, hub.cec_reporter)
    findings = case_findings(CaseSide.INTERFERENCE, Verdict.INTERFERENCE, report)
    with hub.bg.uow() as uow:
        ids = [e.definition.id for e in svc.list_definitions(uow)]
        results = svc.side_by_side(uow, findings, ids)
    assert [r.definition_id for r in results] == ids
    assert len(ids) >= 4


# -- definitions and adoption -------------------------------------------------------------------


def test_shipped_definitions_are_listed_and_the_baseline_passes_the_library(hub: People) -> None:
    with hub.bg.uow() as uow:
        entries = svc.list_definitions(uow)
        baseline = svc.get_definition(uow, BASELINE)
    assert {e.definition.id for e in entries} >= {BASELINE, "australia-2018", "canada-csis",
                                                  "eu-fimi"}
    run = svc.test_definition(baseline)
    assert run.passed
    assert len(run.rows) >= 40
    assert run.acceptable_called_interference == []


def test_unknown_definition_is_not_found(hub: People) -> None:
    with hub.bg.uow() as uow, pytest.raises(DefinitionNotFound):
        svc.get_definition(uow, "nobody-defined-this")


def _catch_all(version: str = "1.0.0") -> str:
    """A careless definition: any foreign nexus is interference (it catches public diplomacy)."""
    return f"""id: catch-all
version: {version}
title: Anything foreign
source:
  title: A careless draft
  publisher: Test
  year: 2026
  url: https://example.org/draft
criteria: [foreign_nexus]
rule: foreign_nexus
rationale: A draft that treats every foreign act as interference.
"""


def test_adoption_refuses_a_definition_that_calls_diplomacy_interference(hub: People) -> None:
    admin = person_actor(hub.instance_admin)
    with hub.bg.uow() as uow, pytest.raises(AdoptionRefused) as refused:
        svc.adopt_definition(uow, admin, _catch_all(), None, hub.bg.clock())
    assert refused.value.case_ids  # names the acceptable cases it would catch
    with hub.bg.uow() as uow:
        assert uow.definitions.get("catch-all") is None


def test_adoption_with_a_signed_reason_is_kept_with_its_test_run(hub: People) -> None:
    admin = person_actor(hub.instance_admin)
    reason = "Adopted for a sanctions-monitoring exercise only; diplomacy cases reviewed by hand."
    with hub.bg.uow() as uow:
        adoption = svc.adopt_definition(uow, admin, _catch_all(), reason, hub.bg.clock())
    assert adoption.signed_reason == reason
    assert adoption.test_run["acceptable_called_interference"]
    with hub.bg.uow() as uow:
        entries = [(e.action, e.subject, e.detail) for e in uow.audit_log.entries()]
        assert svc.get_definition(uow, "catch-all").id == "catch-all"
    adopted = [e for e in entries if e[0] == "definition.adopted"]
    assert adopted and adopted[0][1] == "catch-all@1.0.0"
    assert adopted[0][2]["signed_reason"] == reason
    assert adopted[0][2]["test_run"]["cases"] >= 40
    with hub.bg.uow() as uow, pytest.raises(Conflict):
        svc.adopt_definition(uow, admin, _catch_all(), reason, hub.bg.clock())


def test_adoption_needs_the_adopt_permission(hub: People) -> None:
    with hub.bg.uow() as uow, pytest.raises(PermissionDenied):
        svc.adopt_definition(uow, person_actor(hub.cec_analyst), _catch_all(), "x" * 40,
                             hub.bg.clock())


def test_a_broken_definition_is_refused_with_its_line(hub: People) -> None:
    document = _catch_all().replace("rule: foreign_nexus", "rule: foreign_nexxus")
    with hub.bg.uow() as uow, pytest.raises(InvalidDefinition, match="line 10"):
        svc.adopt_definition(uow, person_actor(hub.instance_admin), document, None,
                             hub.bg.clock())
