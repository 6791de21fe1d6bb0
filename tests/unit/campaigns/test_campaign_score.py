from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from math import log2

from hypothesis import given, settings
from hypothesis import strategies as st

from ballotguard.campaigns import FORMULA, ReportFacts, cumulative_score, timeline
from ballotguard.vocabulary import Phase, Vector

T0 = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)  # a Monday


def facts(n: int, days: float = 0, phase: Phase = Phase.CAMPAIGN,
          vectors: frozenset[Vector] = frozenset({Vector.DISINFORMATION}),
          targets: frozenset[str] = frozenset({"org:a"}),
          techniques: frozenset[str] = frozenset()) -> ReportFacts:
    return ReportFacts(f"r{n}", T0 + timedelta(days=days), phase, vectors, targets, techniques,
                       frozenset(), None, "", f"Report {n}")


def test_one_report_scores_one() -> None:
    score = cumulative_score([facts(1)])
    assert score.value == 1.0
    assert (score.reports, score.phases, score.targets, score.vectors, score.span_days,
            score.active_weeks) == (1, 1, 1, 1, 0.0, 1)
    assert score.formula.endswith("= 1.00")


def test_empty_campaign_scores_zero() -> None:
    assert cumulative_score([]).value == 0.0


def test_breadth_and_persistence_raise_the_score() -> None:
    repeated = cumulative_score([facts(1), facts(2), facts(3)])
    assert repeated.value == log2(4)
    broad = cumulative_score([
        facts(1, 0, Phase.VOTER_REGISTRATION, targets=frozenset({"org:a"})),
        facts(2, 8, Phase.CAMPAIGN, frozenset({Vector.HACK_AND_LEAK}), frozenset({"org:b"})),
        facts(3, 15, Phase.COUNTING, frozenset({Vector.DENIAL_OF_SERVICE}), frozenset({"org:c"})),
    ])
    assert (broad.phases, broad.vectors, broad.targets, broad.active_weeks) == (3, 3, 3, 3)
    expected = log2(4) * (1 + 2 + 2 + 2) * (1 + log2(3) + log2(1 + 15 / 30))
    assert abs(broad.value - expected) < 1e-6
    assert broad.value > repeated.value
    assert "log2(1 + 3) x (1 + 2 + 2 + 2)" in broad.formula
    assert FORMULA.startswith("log2(1 + reports)")


report = st.builds(
    facts,
    n=st.integers(0, 10_000),
    days=st.floats(0, 400, allow_nan=False),
    phase=st.sampled_from(list(Phase)),
    vectors=st.frozensets(st.sampled_from(list(Vector)), max_size=3),
    targets=st.frozensets(st.sampled_from([f"org:{i}" for i in range(8)]), max_size=3),
    techniques=st.frozensets(st.sampled_from(["disarm:T0049", "attack:T1566"]), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(members=st.lists(report, min_size=1, max_size=12), extra=report)
def test_adding_a_report_never_lowers_the_score(
    members: list[ReportFacts], extra: ReportFacts
) -> None:
    before = cumulative_score(members)
    after = cumulative_score([*members, extra])
    assert after.value > before.value  # strictly: one more report adds volume
    assert after.phases >= before.phases and after.targets >= before.targets
    assert after.vectors >= before.vectors and after.active_weeks >= before.active_weeks


@settings(max_examples=200, deadline=None)
@given(members=st.lists(report, min_size=1, max_size=12), extra=report)
def test_a_report_with_a_new_phase_target_or_vector_widens_breadth(
    members: list[ReportFacts], extra: ReportFacts
) -> None:
    base = cumulative_score(members)
    unused_phase = next((p for p in Phase if p not in {m.phase for m in members}), None)
    unused_vector = next((v for v in Vector if v not in {v for m in members for v in m.vectors}),
                         None)
    variants = [(dict(target_keys=extra.target_keys | {"org:brand-new"}), "targets")]
    if unused_phase is not None:
        variants.append((dict(phase=unused_phase), "phases"))
    if unused_vector is not None:
        variants.append((dict(vectors=extra.vectors | {unused_vector}), "vectors"))
    for change, counted in variants:
        wider = replace(extra, **change)
        after = cumulative_score([*members, wider])
        assert getattr(after, counted) >= getattr(base, counted) + 1
        assert after.value > base.value
        if counted != "phases":  # a superset of the extra report's values scores no less
            assert after.value >= cumulative_score([*members, extra]).value


def test_timeline_is_sorted_with_phases() -> None:
    entries = timeline([facts(3, 10, Phase.COUNTING), facts(1, 0, Phase.CAMPAIGN),
                        facts(2, 0, Phase.VOTING_MAIL)])
    assert [(e.report_id, e.phase) for e in entries] == [
        ("r1", Phase.CAMPAIGN), ("r2", Phase.VOTING_MAIL), ("r3", Phase.COUNTING)]
    assert entries[0].title == "Report 1" and entries[0].vectors == (Vector.DISINFORMATION,)
