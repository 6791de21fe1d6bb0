"""The case library, testing a definition against it, diffs, and the adoption guard."""

from __future__ import annotations

import textwrap

import pytest

from ballotguard.assessment import (
    BASELINE_ID,
    NARRATIVE,
    Answer,
    AnyOf,
    CaseSide,
    Citation,
    Criterion,
    Definition,
    EvidenceKind,
    LibraryRun,
    Verdict,
    builtin_definition,
    builtin_definitions,
    case_by_id,
    check_adoption,
    diff_definitions,
    evaluate,
    load_cases,
    parse_cases,
    reason_has_substance,
    run_library,
)
from ballotguard.errors import (
    AdoptionRefused,
    CaseNotFound,
    Conflict,
    InvalidCaseFile,
    InvalidInput,
)

CASES = load_cases()
BUILTIN_IDS = [d.id for d in builtin_definitions()]


def test_the_library_has_enough_cases_on_each_side() -> None:
    sides = [case.side for case in CASES]
    assert len(CASES) >= 40
    assert sides.count(CaseSide.ACCEPTABLE) >= 10
    assert sides.count(CaseSide.INTERFERENCE) >= 10
    assert sides.count(CaseSide.HARD) >= 5
    assert len({case.id for case in CASES}) == len(CASES)


def test_every_case_expects_a_verdict_from_every_builtin_definition() -> None:
    for case in CASES:
        assert sorted(case.expected) == sorted(BUILTIN_IDS), case.id


def test_the_library_covers_the_issue_s_examples() -> None:
    ids = {case.id for case in CASES}
    for wanted in (
        "pd-attributed-speech",
        "pd-cultural-exchange",
        "pd-open-democracy-grant",
        "pd-ambassador-endorses-candidate",
        "pd-labelled-state-media-ads",
        "int-covert-funding-intermediaries",
        "int-hack-and-leak",
        "int-troll-farm",
        "int-deepfake-candidate",
        "int-diaspora-intimidation",
        "int-covert-economic-coercion",
        "int-ddos-results-site",
        "int-forged-authority-letters",
        "hard-domestic-troll-farm",
        "hard-open-trade-threat",
        "hard-fimi-open-amplification",
        "hard-unattributed-true-leak",
    ):
        assert wanted in ids


def test_the_library_passes_under_the_baseline() -> None:
    run = run_library(builtin_definition(BASELINE_ID), CASES)
    assert run.failures == []
    assert run.passed
    assert run.acceptable_called_interference == []
    by_side = {case.side: set() for case in CASES}  # type: dict[CaseSide, set[Verdict]]
    for row in run.rows:
        by_side[row.side].add(row.got)
    assert by_side[CaseSide.ACCEPTABLE] == {Verdict.ACCEPTABLE}
    assert by_side[CaseSide.INTERFERENCE] == {Verdict.INTERFERENCE}


@pytest.mark.parametrize("def_id", BUILTIN_IDS)
def test_each_builtin_meets_its_expectations_and_catches_no_acceptable_case(def_id: str) -> None:
    run = run_library(builtin_definition(def_id), CASES)
    assert [row.case_id for row in run.failures] == []
    assert run.acceptable_called_interference == []
    assert run.definition_id == def_id


def test_every_disagreement_with_the_baseline_is_explained() -> None:
    for case in CASES:
        baseline = case.expected[BASELINE_ID]
        if case.side is CaseSide.HARD or any(v is not baseline for v in case.expected.values()):
            assert len(case.note) > 60, case.id


def test_the_hard_cases_are_hard() -> None:
    """Each hard case splits the definitions or cannot be settled on its facts."""
    for case in CASES:
        if case.side is CaseSide.HARD:
            verdicts = set(case.expected.values())
            assert len(verdicts) > 1 or verdicts == {Verdict.INSUFFICIENT}, case.id


def test_every_case_cites_evidence_for_each_yes_or_no() -> None:
    for case in CASES:
        for finding in case.findings:
            if finding.answer is not Answer.UNKNOWN:
                assert finding.evidence, (case.id, finding.criterion)
                assert finding.rationale, (case.id, finding.criterion)


def test_a_case_is_found_by_id() -> None:
    assert case_by_id("int-troll-farm").side is CaseSide.INTERFERENCE
    with pytest.raises(CaseNotFound):
        case_by_id("no-such-case")


# --- diffs -------------------------------------------------------------------------------------


def test_baseline_and_canada_flip_on_hard_cases_with_reasons() -> None:
    flips = diff_definitions(
        builtin_definition(BASELINE_ID), builtin_definition("canada-csis"), CASES
    )
    by_id = {flip.case_id: flip for flip in flips}
    trade = by_id["hard-open-trade-threat"]
    assert (trade.a_verdict, trade.b_verdict) == (Verdict.INTERFERENCE, Verdict.ACCEPTABLE)
    assert "coercion yes" in trade.why
    assert "deception no" in trade.why and "threat_to_person no" in trade.why
    assert trade.b_rests_on == [Criterion.DECEPTION, Criterion.THREAT_TO_PERSON]
    assert by_id["hard-domestic-troll-farm"].b_rests_on[0] is Criterion.FOREIGN_NEXUS
    lobbying = by_id["hard-covert-regulatory-lobbying"]
    assert (lobbying.a_verdict, lobbying.b_verdict) == (Verdict.ACCEPTABLE, Verdict.INTERFERENCE)
    assert all(case_by_id(f.case_id).side is CaseSide.HARD for f in flips)


def test_baseline_and_fimi_flip_on_open_amplification() -> None:
    flips = diff_definitions(builtin_definition(BASELINE_ID), builtin_definition("eu-fimi"), CASES)
    amplification = next(f for f in flips if f.case_id == "hard-fimi-open-amplification")
    assert amplification.b_verdict is Verdict.INTERFERENCE
    assert "manipulative yes" in amplification.why


def test_a_definition_does_not_flip_against_itself() -> None:
    for definition in builtin_definitions():
        assert diff_definitions(definition, definition, CASES) == []


def test_every_pair_of_builtins_has_flips() -> None:
    definitions = builtin_definitions()
    for index, a in enumerate(definitions):
        for b in definitions[index + 1 :]:
            assert diff_definitions(a, b, CASES), (a.id, b.id)


# --- the adoption guard ------------------------------------------------------------------------


def naive_definition() -> Definition:
    """'Anything from abroad aimed at the election': the definition the seeds warn against."""
    return Definition(
        id="any-foreign-activity",
        version="0.1.0",
        title="Any foreign activity aimed at an election",
        source=Citation(title="Nobody", publisher="Nobody", year=2024, url="https://example.org"),
        criteria=[Criterion.FOREIGN_NEXUS],
        rule=AnyOf(any_of=[Criterion.FOREIGN_NEXUS]),
        rationale="A strawman.",
    )


def test_a_definition_that_catches_public_diplomacy_is_refused() -> None:
    run = run_library(naive_definition(), CASES)
    caught = run.acceptable_called_interference
    assert "pd-attributed-speech" in caught
    assert "pd-ambassador-endorses-candidate" in caught
    assert "pd-domestic-attack-ad" not in caught
    assert run.passed  # it has no expectations in the library, so nothing "fails"
    for reason in (None, "", "   ", "ok, fine", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"):
        with pytest.raises(AdoptionRefused) as refused:
            check_adoption(run, reason)
        assert isinstance(refused.value, Conflict)
        assert refused.value.definition_id == "any-foreign-activity"
        assert refused.value.case_ids == caught
        assert "pd-attributed-speech" in str(refused.value)


def test_a_signed_reason_of_substance_lets_it_through() -> None:
    run = run_library(naive_definition(), CASES)
    check_adoption(run, "Adopted for a research comparison only, not for decisions.")


def test_a_clean_definition_is_adopted_without_a_reason() -> None:
    run = run_library(builtin_definition(BASELINE_ID), CASES)
    check_adoption(run, None)


def test_failures_other_than_catching_acceptable_activity_do_not_block() -> None:
    baseline = builtin_definition(BASELINE_ID)
    lenient = baseline.model_copy(update={"id": "lenient", "rule": Criterion.COERCION})
    case = case_by_id("int-troll-farm")
    expect_lenient = case.model_copy(update={"expected": {"lenient": Verdict.INTERFERENCE}})
    run = run_library(lenient, [expect_lenient])
    assert not run.passed
    assert [row.case_id for row in run.failures] == ["int-troll-farm"]
    check_adoption(run, None)


def test_reason_substance_counts_letters_and_digits() -> None:
    assert not reason_has_substance("a b c d e f g h i j k l m n o p q r s")
    assert reason_has_substance("The panel accepts this risk for 2026.")


def test_a_library_run_serialises_its_summary_and_reads_back() -> None:
    run = run_library(builtin_definition("eu-fimi"), CASES[:3])
    data = run.model_dump(mode="json")
    assert data["passed"] is True
    assert data["failures"] == []
    assert data["acceptable_called_interference"] == []
    assert len(data["rows"]) == 3
    assert LibraryRun.model_validate(data) == run
    assert LibraryRun.model_validate_json(run.model_dump_json()) == run


def test_a_row_without_an_expectation_passes_and_says_so() -> None:
    run = run_library(naive_definition(), CASES[:1])
    assert run.rows[0].expected is None
    assert run.rows[0].passed


# --- case files ----------------------------------------------------------------------------------

CASE_FILE = textwrap.dedent(
    """\
    - id: example-case
      title: An example
      side: acceptable
      narrative: Something happened.
      findings:
        foreign_nexus: yes (high) — State A did it
        deception: no (moderate) — openly
        intent: unknown
        coercion:
          answer: no
          confidence: high
          rationale: nothing threatened
          evidence:
            - {kind: external, ref: "https://example.org/story"}
      expected:
        ballotguard-baseline: acceptable influence
      note: An example.
    """
)


def case_refused(text: str) -> InvalidCaseFile:
    with pytest.raises(InvalidCaseFile) as caught:
        parse_cases(text, "cases.yaml")
    assert isinstance(caught.value, InvalidInput)
    assert f"line {caught.value.line}" in str(caught.value)
    return caught.value


def test_a_case_file_parses_both_finding_forms() -> None:
    (case,) = parse_cases(CASE_FILE)
    by_criterion = {f.criterion: f for f in case.findings}
    nexus = by_criterion[Criterion.FOREIGN_NEXUS]
    assert (nexus.answer, nexus.confidence.value, nexus.rationale) == (
        Answer.YES,
        "high",
        "State A did it",
    )
    assert nexus.evidence == [NARRATIVE]
    assert by_criterion[Criterion.INTENT].evidence == []
    assert by_criterion[Criterion.COERCION].evidence[0].kind is EvidenceKind.EXTERNAL
    assert case.expected == {"ballotguard-baseline": Verdict.ACCEPTABLE}
    result = evaluate(builtin_definition(BASELINE_ID), case.findings)
    # corrupting and the democratic target are unanswered
    assert result.verdict is Verdict.INSUFFICIENT
    assert result.rests_on == [
        Criterion.DEMOCRATIC_TARGET,
        Criterion.CORRUPTING,
        Criterion.INTENT,
        Criterion.HARM_OR_SCALE,
    ]


def test_an_unknown_criterion_in_a_case_is_refused_at_its_line() -> None:
    error = case_refused(CASE_FILE.replace("deception: no", "charisma: no"))
    assert error.line == 7
    assert "unknown criterion 'charisma'" in error.problem


def test_a_finding_without_confidence_is_refused_at_its_line() -> None:
    error = case_refused(
        CASE_FILE.replace("deception: no (moderate) — openly", "deception: no — openly")
    )
    assert error.line == 7
    assert "needs a confidence" in error.problem


def test_a_full_finding_without_evidence_is_refused_at_its_line() -> None:
    text = CASE_FILE.replace(
        '      evidence:\n        - {kind: external, ref: "https://example.org/story"}\n',
        "      evidence: []\n",
    )
    error = case_refused(text)
    assert error.line == 10
    assert "coercion" in error.problem and "no evidence" in error.problem


def test_an_unknown_verdict_and_a_missing_field_are_refused() -> None:
    error = case_refused(
        CASE_FILE.replace(
            "ballotguard-baseline: acceptable influence", "ballotguard-baseline: fine"
        )
    )
    assert error.line == 16
    error = case_refused(CASE_FILE.replace("  side: acceptable\n", ""))
    assert "'side' is missing" in error.problem
    assert error.line == 1


def test_bad_yaml_and_duplicates_in_a_case_file_are_refused() -> None:
    assert case_refused(CASE_FILE.replace("title: An example", "title: [oops")).line in (2, 3)
    doubled = CASE_FILE + CASE_FILE
    error = case_refused(doubled)
    assert error.line == 18
    assert "used twice" in error.problem
    assert case_refused("id: not-a-list\n").line == 1
