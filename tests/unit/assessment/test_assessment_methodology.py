"""The published method (docs/methodology.md) says what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from ballotguard.assessment import (
    BASELINE_ID,
    CaseSide,
    Criterion,
    Verdict,
    builtin_definition,
    builtin_definitions,
    criterion_info,
    evaluate,
    load_cases,
    parse_cases,
)

DOC = (Path(__file__).resolve().parents[3] / "docs" / "methodology.md").read_text()
FLAT = " ".join(DOC.split())


def test_every_criterion_and_its_questions_are_published() -> None:
    for criterion in Criterion:
        info = criterion_info(criterion)
        assert f"### {info.label} (`{criterion.value}`)" in DOC
        for question in info.questions:
            assert " ".join(question.split()) in FLAT, question


def test_every_builtin_definition_and_its_rule_are_published() -> None:
    for definition in builtin_definitions():
        assert f"(`{definition.id}`, {definition.version})" in DOC
        if definition.id == BASELINE_ID:
            assert definition.rule_text in FLAT


def test_the_library_counts_are_the_published_ones() -> None:
    cases = load_cases()
    sides = [case.side for case in cases]
    assert (
        f"{len(cases)} cases written as data: {sides.count(CaseSide.ACCEPTABLE)} of acceptable "
        f"activity, {sides.count(CaseSide.INTERFERENCE)} of interference and "
        f"{sides.count(CaseSide.HARD)} hard cases" in FLAT
    )


def test_the_case_example_in_the_method_parses() -> None:
    block = re.search(r"```yaml\n(.*?)```", DOC, re.DOTALL)
    assert block is not None
    (case,) = parse_cases(block.group(1), "methodology.md")
    assert case.id == "int-troll-farm"
    result = evaluate(builtin_definition(BASELINE_ID), case.findings)
    assert result.verdict is Verdict.INSUFFICIENT
