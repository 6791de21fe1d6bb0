"""Findings need evidence; evaluation ignores what the definition does not use and says why."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from ballotguard.assessment import (
    Answer,
    Criterion,
    EvidenceKind,
    EvidenceRef,
    Finding,
    Verdict,
    builtin_definition,
    combine,
    criteria_of,
    evaluate,
    parse_findings,
)
from ballotguard.errors import FindingWithoutEvidence, InvalidInput
from ballotguard.vocabulary import Confidence

C = Criterion
NOTE = EvidenceRef(kind=EvidenceKind.NOTE, ref="0", description="analyst note")


def make(criterion: Criterion, answer: Answer, **extra: Any) -> Finding:
    data: dict[str, Any] = {
        "criterion": criterion,
        "answer": answer,
        "confidence": Confidence.MODERATE,
        "evidence": [] if answer is Answer.UNKNOWN else [NOTE],
        "rationale": f"{criterion.value} looked at",
    }
    data.update(extra)
    return Finding.model_validate(data)


@pytest.mark.parametrize("answer", [Answer.YES, Answer.NO])
def test_a_yes_or_no_finding_without_evidence_is_refused(answer: Answer) -> None:
    with pytest.raises(ValidationError) as caught:
        make(C.DECEPTION, answer, evidence=[])
    error = caught.value.errors()[0]["ctx"]["error"]
    assert isinstance(error, FindingWithoutEvidence)
    assert isinstance(error, InvalidInput)
    assert error.criterion == "deception"
    assert "deception" in str(error)


def test_parse_findings_raises_the_domain_error_itself() -> None:
    raw: list[dict[str, Any]] = [
        {"criterion": "intent", "answer": "unknown", "confidence": "low"},
        {"criterion": "coercion", "answer": "yes", "confidence": "high", "evidence": []},
    ]
    with pytest.raises(FindingWithoutEvidence) as caught:
        parse_findings(raw)
    assert caught.value.criterion == "coercion"
    assert caught.value.field == "evidence"


def test_parse_findings_names_the_field_of_other_mistakes() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_findings([{"criterion": "charm", "answer": "yes", "confidence": "high"}])
    assert caught.value.field == "findings[0].criterion"


def test_an_unknown_finding_may_cite_no_evidence() -> None:
    assert make(C.INTENT, Answer.UNKNOWN).evidence == []


@pytest.mark.parametrize(
    ("kind", "ref"),
    [
        (EvidenceKind.ATTACHMENT, "not-a-hash"),
        (EvidenceKind.NOTE, "first"),
        (EvidenceKind.OBSERVABLE, "example.org"),
        (EvidenceKind.EXTERNAL, "the newspaper"),
    ],
)
def test_an_evidence_ref_must_fit_its_kind(kind: EvidenceKind, ref: str) -> None:
    with pytest.raises(ValidationError, match=kind.value):
        EvidenceRef(kind=kind, ref=ref)


def test_evidence_refs_of_every_kind() -> None:
    refs = [
        EvidenceRef(kind=EvidenceKind.REPORT_FIELD, ref="summary", report_id="r-1"),
        EvidenceRef(kind=EvidenceKind.OBSERVABLE, ref="domain:example.org", report_id="r-1"),
        EvidenceRef(kind=EvidenceKind.ATTACHMENT, ref="a" * 64, report_id="r-1"),
        EvidenceRef(kind=EvidenceKind.NOTE, ref="2", report_id="r-1"),
        EvidenceRef(kind=EvidenceKind.REPORT, ref="r-2"),
        EvidenceRef(kind=EvidenceKind.EXTERNAL, ref="https://example.org/story"),
    ]
    assert {r.kind for r in refs} == set(EvidenceKind)


def test_findings_on_unused_criteria_are_ignored_and_listed() -> None:
    canada = builtin_definition("canada-csis")
    findings = [
        make(C.FOREIGN_NEXUS, Answer.YES),
        make(C.CONTRARY_TO_SOVEREIGNTY, Answer.YES),
        make(C.DECEPTION, Answer.NO),
        make(C.THREAT_TO_PERSON, Answer.NO),
        make(C.COERCION, Answer.YES),
        make(C.INTENT, Answer.YES),
    ]
    result = evaluate(canada, findings)
    assert result.verdict is Verdict.ACCEPTABLE
    assert result.ignored == [C.COERCION, C.INTENT]
    assert result.rests_on == [C.DECEPTION, C.THREAT_TO_PERSON]
    assert result.definition_id == "canada-csis"
    assert result.definition_version == canada.version


def test_reasons_are_plain_sentences_with_answer_confidence_and_rationale() -> None:
    baseline = builtin_definition("ballotguard-baseline")
    findings = [
        make(C.DEMOCRATIC_TARGET, Answer.YES, rationale="voters in the election"),
        make(
            C.DECEPTION, Answer.YES, confidence="high", rationale="accounts posed as local voters"
        ),
        make(C.INTENT, Answer.YES, rationale="to depress turnout"),
    ]
    result = evaluate(baseline, findings)
    assert result.verdict is Verdict.INTERFERENCE
    assert result.rests_on == [C.DEMOCRATIC_TARGET, C.DECEPTION, C.INTENT]
    assert "deception: yes (high confidence) — accounts posed as local voters" in result.reasons
    assert "holds, so the verdict is interference" in result.reasons[0]
    assert result.evidence[C.DECEPTION] == [NOTE]
    assert result.answers[C.COERCION] is Answer.UNKNOWN


def test_disagreeing_findings_make_the_criterion_unknown_and_say_so() -> None:
    findings = [make(C.DECEPTION, Answer.YES), make(C.DECEPTION, Answer.NO)]
    answers, disputed = combine(findings)
    assert answers == {C.DECEPTION: Answer.UNKNOWN}
    assert disputed == [C.DECEPTION]
    result = evaluate(
        builtin_definition("ballotguard-baseline"),
        [
            *findings,
            make(C.DEMOCRATIC_TARGET, Answer.YES),
            make(C.COERCION, Answer.NO),
            make(C.CORRUPTING, Answer.NO),
            make(C.INTENT, Answer.YES),
        ],
    )
    assert result.verdict is Verdict.INSUFFICIENT
    assert result.rests_on == [C.DECEPTION]
    assert any("the findings disagree" in reason for reason in result.reasons)


def test_an_unknown_finding_does_not_dilute_a_yes() -> None:
    answers, disputed = combine(
        [make(C.CORRUPTING, Answer.UNKNOWN), make(C.CORRUPTING, Answer.YES)]
    )
    assert answers == {C.CORRUPTING: Answer.YES}
    assert disputed == []


def test_no_findings_at_all_is_insufficient_information() -> None:
    for def_id in ("ballotguard-baseline", "eu-fimi"):
        result = evaluate(builtin_definition(def_id), [])
        assert result.verdict is Verdict.INSUFFICIENT
        assert result.rests_on == criteria_of(builtin_definition(def_id).rule)
