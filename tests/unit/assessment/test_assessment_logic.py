"""Kleene's three-valued logic, the rules' plain-English reading, and what a verdict rests on."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballotguard.assessment import (
    AllOf,
    Answer,
    AnyOf,
    Criterion,
    EvidenceKind,
    EvidenceRef,
    Finding,
    Rule,
    Verdict,
    builtin_definition,
    builtin_definitions,
    criteria_of,
    deciding,
    describe_rule,
    evaluate,
    is_monotone,
    kleene_and,
    kleene_not,
    kleene_or,
    negate,
    truth,
)
from ballotguard.vocabulary import Confidence

Y, N, U = Answer.YES, Answer.NO, Answer.UNKNOWN
C = Criterion
EVIDENCE = [EvidenceRef(kind=EvidenceKind.REPORT_FIELD, ref="summary")]


def finding(criterion: Criterion, answer: Answer) -> Finding:
    return Finding(
        criterion=criterion,
        answer=answer,
        confidence=Confidence.HIGH,
        evidence=[] if answer is U else EVIDENCE,
        rationale=f"{criterion.value} is {answer.value}",
    )


def findings(answers: dict[Criterion, Answer]) -> list[Finding]:
    return [finding(c, a) for c, a in answers.items()]


# --- the truth tables ------------------------------------------------------------------------

AND_TABLE = {
    (Y, Y): Y, (Y, U): U, (Y, N): N,
    (U, Y): U, (U, U): U, (U, N): N,
    (N, Y): N, (N, U): N, (N, N): N,
}  # fmt: skip
OR_TABLE = {
    (Y, Y): Y, (Y, U): Y, (Y, N): Y,
    (U, Y): Y, (U, U): U, (U, N): U,
    (N, Y): Y, (N, U): U, (N, N): N,
}  # fmt: skip


@pytest.mark.parametrize(("pair", "expected"), AND_TABLE.items())
def test_kleene_and_table(pair: tuple[Answer, Answer], expected: Answer) -> None:
    assert kleene_and(*pair) is expected
    rule = AllOf(all_of=[C.COERCION, C.DECEPTION])
    assert truth(rule, {C.COERCION: pair[0], C.DECEPTION: pair[1]}) is expected


@pytest.mark.parametrize(("pair", "expected"), OR_TABLE.items())
def test_kleene_or_table(pair: tuple[Answer, Answer], expected: Answer) -> None:
    assert kleene_or(*pair) is expected
    rule = AnyOf(any_of=[C.COERCION, C.DECEPTION])
    assert truth(rule, {C.COERCION: pair[0], C.DECEPTION: pair[1]}) is expected


def test_kleene_not_swaps_true_and_false_and_keeps_unknown() -> None:
    assert [kleene_not(v) for v in (Y, N, U)] == [N, Y, U]
    assert truth(negate(C.INTENT), {C.INTENT: Y}) is N
    assert truth(negate(C.INTENT), {}) is U


def test_a_criterion_without_an_answer_is_unknown() -> None:
    assert truth(C.DECEPTION, {}) is U
    assert truth(AllOf(all_of=[C.DECEPTION, C.INTENT]), {C.INTENT: Y}) is U
    assert truth(AllOf(all_of=[C.DECEPTION, C.INTENT]), {C.INTENT: N}) is N


# --- every criterion, through a published rule, on all three paths ----------------------------


def _pivotal_context(rule: Rule, pivot: Criterion) -> dict[Criterion, Answer] | None:
    """Answers (yes/no) for the rule's other criteria under which ``pivot`` alone decides."""
    others = [c for c in criteria_of(rule) if c is not pivot]
    for values in itertools.product((Y, N), repeat=len(others)):
        context = dict(zip(others, values, strict=True))
        if truth(rule, {**context, pivot: Y}) is Y and truth(rule, {**context, pivot: N}) is N:
            return context
    return None


def test_every_criterion_is_used_by_a_builtin_definition() -> None:
    used = {c for d in builtin_definitions() for c in d.criteria}
    assert used == set(Criterion)


@pytest.mark.parametrize(
    ("def_id", "criterion"),
    [(d.id, c) for d in builtin_definitions() for c in d.criteria],
)
def test_each_criterion_drives_yes_no_and_unknown_verdicts(
    def_id: str, criterion: Criterion
) -> None:
    definition = builtin_definition(def_id)
    context = _pivotal_context(definition.rule, criterion)
    assert context is not None, f"{criterion} can never decide {def_id}"
    for answer, verdict in ((Y, Verdict.INTERFERENCE), (N, Verdict.ACCEPTABLE)):
        result = evaluate(definition, findings({**context, criterion: answer}))
        assert result.verdict is verdict
        assert criterion in result.rests_on
    unknown = evaluate(definition, findings({**context, criterion: U}))
    assert unknown.verdict is Verdict.INSUFFICIENT
    assert unknown.rests_on == [criterion]
    missing = evaluate(definition, findings(context))
    assert missing.verdict is Verdict.INSUFFICIENT
    assert missing.rests_on == [criterion]
    assert any("no finding was given" in reason for reason in missing.reasons)


# --- what a verdict rests on ---------------------------------------------------------------------

AUSTRALIA_LIKE = AllOf(
    all_of=[C.FOREIGN_NEXUS, AnyOf(any_of=[C.COERCION, C.DECEPTION, C.CORRUPTING]), C.INTENT]
)


def test_true_any_of_rests_on_the_yes_answers_only() -> None:
    answers = {C.FOREIGN_NEXUS: Y, C.COERCION: N, C.DECEPTION: Y, C.CORRUPTING: U, C.INTENT: Y}
    assert truth(AUSTRALIA_LIKE, answers) is Y
    assert deciding(AUSTRALIA_LIKE, answers) == [C.FOREIGN_NEXUS, C.DECEPTION, C.INTENT]


def test_false_all_of_rests_on_the_no_answers_only() -> None:
    answers = {C.FOREIGN_NEXUS: N, C.COERCION: Y, C.DECEPTION: U, C.INTENT: Y}
    assert truth(AUSTRALIA_LIKE, answers) is N
    assert deciding(AUSTRALIA_LIKE, answers) == [C.FOREIGN_NEXUS]


def test_false_any_of_rests_on_every_no() -> None:
    answers = {C.FOREIGN_NEXUS: Y, C.COERCION: N, C.DECEPTION: N, C.CORRUPTING: N, C.INTENT: U}
    assert truth(AUSTRALIA_LIKE, answers) is N
    assert deciding(AUSTRALIA_LIKE, answers) == [C.COERCION, C.DECEPTION, C.CORRUPTING]


def test_unknown_rests_on_the_unknowns_that_matter() -> None:
    answers = {C.FOREIGN_NEXUS: Y, C.COERCION: N, C.DECEPTION: U, C.CORRUPTING: N, C.INTENT: U}
    assert truth(AUSTRALIA_LIKE, answers) is U
    assert deciding(AUSTRALIA_LIKE, answers) == [C.DECEPTION, C.INTENT]


def test_not_rests_on_what_it_negates() -> None:
    rule = AllOf(all_of=[C.DEMOCRATIC_TARGET, negate(C.COORDINATED)])
    assert truth(rule, {C.DEMOCRATIC_TARGET: Y, C.COORDINATED: Y}) is N
    assert deciding(rule, {C.DEMOCRATIC_TARGET: Y, C.COORDINATED: Y}) == [C.COORDINATED]
    assert not is_monotone(rule)
    assert is_monotone(AUSTRALIA_LIKE)


answer_maps = st.dictionaries(st.sampled_from(list(Criterion)), st.sampled_from([Y, N, U]))


@given(answers=answer_maps)
def test_the_deciding_answers_alone_give_the_same_verdict(
    answers: dict[Criterion, Answer],
) -> None:
    """Minimal and sufficient: keeping only the answers a result rests on keeps a true or false
    result; every criterion a result rests on was answered (or unknown, for unknown results)."""
    for definition in builtin_definitions():
        value = truth(definition.rule, answers)
        rests_on = deciding(definition.rule, answers)
        assert rests_on, definition.id
        kept = {c: answers[c] for c in rests_on if c in answers}
        if value is U:
            assert all(answers.get(c, U) is U for c in rests_on)
        else:
            assert truth(definition.rule, kept) is value
            assert all(answers.get(c, U) is not U for c in rests_on)


@given(answers=answer_maps, criterion=st.sampled_from(list(Criterion)))
def test_a_further_yes_never_turns_interference_into_acceptable(
    answers: dict[Criterion, Answer], criterion: Criterion
) -> None:
    """The built-in rules are monotone: more evidence of yes never clears an activity."""
    for definition in builtin_definitions():
        assert is_monotone(definition.rule)
        before = evaluate(definition, findings(answers)).verdict
        after = evaluate(definition, findings({**answers, criterion: Y})).verdict
        rank = {Verdict.ACCEPTABLE: 0, Verdict.INSUFFICIENT: 1, Verdict.INTERFERENCE: 2}
        assert rank[after] >= rank[before]


@given(answers=answer_maps)
def test_resolving_an_unknown_never_overturns_a_decided_verdict(
    answers: dict[Criterion, Answer],
) -> None:
    """Kleene's logic is monotone in information: a decided verdict stays decided."""
    for definition in builtin_definitions():
        before = evaluate(definition, findings(answers)).verdict
        if before is Verdict.INSUFFICIENT:
            continue
        for criterion in definition.criteria:
            if answers.get(criterion, U) is U:
                for answer in (Y, N):
                    after = evaluate(definition, findings({**answers, criterion: answer}))
                    assert after.verdict is before


# --- plain English ------------------------------------------------------------------------------


def test_describe_rule_reads_as_plain_english() -> None:
    assert describe_rule(C.DECEPTION) == "deception"
    assert describe_rule(AUSTRALIA_LIKE) == (
        "foreign nexus, at least one of (coercion, deception or corrupting) and intent"
    )
    nested = AnyOf(any_of=[AllOf(all_of=[C.COERCION, C.INTENT]), negate(C.FOREIGN_NEXUS)])
    assert (
        describe_rule(nested)
        == "at least one of (all of (coercion and intent) or no foreign nexus)"
    )
    assert describe_rule(negate(AnyOf(any_of=[C.COERCION, C.DECEPTION]))) == (
        "not at least one of (coercion or deception)"
    )


def test_each_builtin_rule_is_described() -> None:
    texts = {d.id: d.rule_text for d in builtin_definitions()}
    assert texts["canada-csis"] == (
        "foreign nexus, contrary to sovereignty and at least one of (deception or threat to a person)"
    )
    assert texts["eu-fimi"] == "foreign nexus, manipulative, coordinated, intent and harm at scale"


def test_definitions_and_rules_round_trip_through_json() -> None:
    for definition in builtin_definitions():
        assert type(definition).model_validate_json(definition.model_dump_json()) == definition
    rule = AnyOf(any_of=[negate(C.INTENT), AllOf(all_of=[C.COERCION, C.DECEPTION])])
    dumped = rule.model_dump(mode="json")
    assert dumped == {"any_of": [{"not": "intent"}, {"all_of": ["coercion", "deception"]}]}
    assert AnyOf.model_validate(dumped) == rule
