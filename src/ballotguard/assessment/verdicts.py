"""Verdicts: a definition's rule applied to an analyst's findings, with the reasons.

Three verdicts and never a score (issue 3, after the seeds' call for definitions that can be
tested): the rule's Kleene value true is ``interference``, false ``acceptable influence``,
unknown ``insufficient information``. The verdict names the criteria it rests on and, for each,
the answer, the confidence, the rationale and the evidence, so that a reader can check it.

Several findings on one criterion (two analysts, say) combine as follows: all that are not
``unknown`` agree -> that answer; a yes and a no -> unknown, and the reasons say they disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from ballotguard.assessment.criteria import Criterion, criterion_label
from ballotguard.assessment.definitions import Definition
from ballotguard.assessment.findings import Answer, EvidenceRef, Finding
from ballotguard.assessment.rules import deciding, describe_rule, truth


class Verdict(StrEnum):
    INTERFERENCE = "interference"
    ACCEPTABLE = "acceptable influence"
    INSUFFICIENT = "insufficient information"


_VERDICT_OF = {
    Answer.YES: Verdict.INTERFERENCE,
    Answer.NO: Verdict.ACCEPTABLE,
    Answer.UNKNOWN: Verdict.INSUFFICIENT,
}


class VerdictResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    definition_id: str
    definition_version: str
    verdict: Verdict
    rests_on: list[Criterion]
    reasons: list[str]
    ignored: list[Criterion] = []
    answers: dict[Criterion, Answer] = {}
    evidence: dict[Criterion, list[EvidenceRef]] = {}
    rule_text: str = ""


def combine(findings: Sequence[Finding]) -> tuple[dict[Criterion, Answer], list[Criterion]]:
    """Each criterion's answer from its findings, and the criteria whose findings disagree."""
    seen: dict[Criterion, set[Answer]] = {}
    for finding in findings:
        seen.setdefault(finding.criterion, set()).add(finding.answer)
    answers: dict[Criterion, Answer] = {}
    disputed: list[Criterion] = []
    for criterion, given in seen.items():
        settled = given - {Answer.UNKNOWN}
        if len(settled) == 1:
            answers[criterion] = settled.pop()
        else:
            answers[criterion] = Answer.UNKNOWN
            if settled:
                disputed.append(criterion)
    return answers, disputed


def evaluate(definition: Definition, findings: Sequence[Finding]) -> VerdictResult:
    used = set(definition.criteria)
    relevant = [f for f in findings if f.criterion in used]
    ignored = list(dict.fromkeys(f.criterion for f in findings if f.criterion not in used))
    answers, disputed = combine(relevant)
    value = truth(definition.rule, answers)
    verdict = _VERDICT_OF[value]
    rests_on = deciding(definition.rule, answers)
    rule_text = describe_rule(definition.rule)
    reasons = [_headline(definition, verdict, rule_text)]
    evidence: dict[Criterion, list[EvidenceRef]] = {}
    for criterion in rests_on:
        on_it = [f for f in relevant if f.criterion is criterion]
        reasons.append(_reason(criterion, answers.get(criterion, Answer.UNKNOWN), on_it, disputed))
        evidence[criterion] = [ref for f in on_it for ref in f.evidence]
    return VerdictResult(
        definition_id=definition.id,
        definition_version=definition.version,
        verdict=verdict,
        rests_on=rests_on,
        reasons=reasons,
        ignored=ignored,
        answers={c: answers.get(c, Answer.UNKNOWN) for c in definition.criteria},
        evidence=evidence,
        rule_text=rule_text,
    )


def _headline(definition: Definition, verdict: Verdict, rule_text: str) -> str:
    needs = f"{definition.id} {definition.version} calls it interference when: {rule_text}."
    if verdict is Verdict.INTERFERENCE:
        return f"{needs} That holds, so the verdict is interference."
    if verdict is Verdict.ACCEPTABLE:
        return f"{needs} That does not hold, so the verdict is acceptable influence."
    return f"{needs} The answers given cannot settle it, so the information is insufficient."


def _reason(
    criterion: Criterion, answer: Answer, findings: list[Finding], disputed: list[Criterion]
) -> str:
    name = criterion.value
    if not findings:
        return f"{name}: unknown — no finding was given on {criterion_label(criterion)}"
    if criterion in disputed:
        given = "; ".join(f"{f.answer.value} ({f.confidence.value} confidence)" for f in findings)
        return f"{name}: unknown — the findings disagree: {given}"
    chosen = [f for f in findings if f.answer is answer] or findings
    best = chosen[0]
    why = "; ".join(f.rationale for f in chosen if f.rationale)
    tail = f" — {why}" if why else ""
    if answer is Answer.UNKNOWN:
        return f"{name}: unknown{tail}"
    return f"{name}: {answer.value} ({best.confidence.value} confidence){tail}"
