"""Testing a definition against the case library, comparing two, and the adoption guard.

The seeds: "Governments should test their definitions to make sure they do not affect acceptable
activities such as public diplomacy." ``run_library`` runs a definition over every case;
``diff_definitions`` shows the cases whose verdict flips between two definitions and why;
``check_adoption`` refuses a definition that calls any case of acceptable activity interference
unless the adopter records a signed reason. Other mismatches are reported, not blocking: a
published definition may honestly disagree with the library's expectation, and the note says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, computed_field

from ballotguard.assessment.cases import Case, CaseSide
from ballotguard.assessment.criteria import Criterion
from ballotguard.assessment.definitions import Definition
from ballotguard.assessment.rules import describe_rule
from ballotguard.assessment.verdicts import Verdict, VerdictResult, evaluate
from ballotguard.errors import AdoptionRefused

MIN_REASON_CHARACTERS = 20


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CaseResult(_Value):
    case_id: str
    title: str
    side: CaseSide
    expected: Verdict | None
    got: Verdict
    rests_on: list[Criterion]
    passed: bool
    reasons: list[str] = []


class LibraryRun(BaseModel):
    """One run of a definition over the library. Its summary fields are computed, and ignored
    when a stored run (``model_dump``) is read back."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    definition_id: str
    definition_version: str
    rows: list[CaseResult]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        """Every case with an expectation for this definition got it."""
        return all(row.passed for row in self.rows)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failures(self) -> list[CaseResult]:
        return [row for row in self.rows if not row.passed]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def acceptable_called_interference(self) -> list[str]:
        """Cases of acceptable activity that this definition calls interference."""
        return [
            row.case_id
            for row in self.rows
            if row.side is CaseSide.ACCEPTABLE and row.got is Verdict.INTERFERENCE
        ]


def run_case(definition: Definition, case: Case) -> CaseResult:
    result = evaluate(definition, case.findings)
    expected = case.expected.get(definition.id)
    return CaseResult(
        case_id=case.id,
        title=case.title,
        side=case.side,
        expected=expected,
        got=result.verdict,
        rests_on=result.rests_on,
        passed=expected is None or expected is result.verdict,
        reasons=result.reasons,
    )


def run_library(definition: Definition, cases: Sequence[Case]) -> LibraryRun:
    return LibraryRun(
        definition_id=definition.id,
        definition_version=definition.version,
        rows=[run_case(definition, case) for case in cases],
    )


class Flip(_Value):
    case_id: str
    title: str
    a_verdict: Verdict
    b_verdict: Verdict
    why: str
    a_rests_on: list[Criterion] = []
    b_rests_on: list[Criterion] = []


def diff_definitions(a: Definition, b: Definition, cases: Sequence[Case]) -> list[Flip]:
    """The cases whose verdict differs between ``a`` and ``b``, with the criteria behind each."""
    flips = []
    for case in cases:
        result_a = evaluate(a, case.findings)
        result_b = evaluate(b, case.findings)
        if result_a.verdict is result_b.verdict:
            continue
        why = f"{_side(a, result_a)}; {_side(b, result_b)}"
        flips.append(
            Flip(
                case_id=case.id,
                title=case.title,
                a_verdict=result_a.verdict,
                b_verdict=result_b.verdict,
                why=why,
                a_rests_on=result_a.rests_on,
                b_rests_on=result_b.rests_on,
            )
        )
    return flips


def _side(definition: Definition, result: VerdictResult) -> str:
    answers = ", ".join(f"{c.value} {result.answers.get(c, 'unknown')}" for c in result.rests_on)
    return (
        f"{definition.id} needs {describe_rule(definition.rule)} and says "
        f"{result.verdict.value} because the case has {answers}"
    )


def check_adoption(run: LibraryRun, signed_reason: str | None) -> None:
    """Refuse to adopt a definition that calls acceptable activity interference, unless the
    adopter gives a reason of substance (at least 20 letters or digits), which the caller signs
    and keeps in the audit log with the run."""
    caught = run.acceptable_called_interference
    if caught and not reason_has_substance(signed_reason):
        raise AdoptionRefused(run.definition_id, caught)


def reason_has_substance(reason: str | None) -> bool:
    if reason is None:
        return False
    return len(re.sub(r"[\W_]", "", reason)) >= MIN_REASON_CHARACTERS
