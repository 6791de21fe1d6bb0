"""MACRO batch comparison (Stark 2008) with PPEB and the Kaplan-Markov P-value (Stark 2009)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballotguard.audit.contest import Contest
from ballotguard.audit.macro import (
    Batch,
    error_bound,
    macro,
    p_value,
    sample_size,
    selection_probabilities,
    taint,
    total_error_bound,
)
from ballotguard.errors import InvalidAuditParameter, InvalidRiskLimit, NegativeVotes

MAYOR = Contest("mayor", {"w": 600, "l": 400, "x": 100}, 1200, ("w",))  # margins 200 and 500
B1 = Batch("b1", 500, {"mayor": {"w": 300, "l": 150, "x": 40}})
B2 = Batch("b2", 700, {"mayor": {"w": 300, "l": 250, "x": 60}})


@pytest.mark.parametrize(
    ("batch", "bound"),
    [(B1, (300 - 150 + 500) / 200), (B2, (300 - 250 + 700) / 200)],
)
def test_error_bounds(batch: Batch, bound: float) -> None:
    assert error_bound(batch, [MAYOR]) == pytest.approx(bound)


def test_macro_takes_the_worst_pair_relative_to_its_margin() -> None:
    # two w votes were really l votes: (150 - 146)/200 against w-l, (260 - 258)/500 against w-x
    audited = {"mayor": {"w": 298, "l": 152, "x": 40}}
    assert macro(B1, audited, [MAYOR]) == pytest.approx(4 / 200)
    assert taint(B1, audited, [MAYOR]) == pytest.approx((4 / 200) / 3.25)
    assert macro(B1, B1.reported, [MAYOR]) == 0.0


def test_ppeb_probabilities_and_the_zero_error_sample_size() -> None:
    u = total_error_bound([B1, B2], [MAYOR])
    assert u == pytest.approx(3.25 + 3.75)
    probs = selection_probabilities([B1, B2], [MAYOR])
    assert probs == pytest.approx({"b1": 3.25 / 7, "b2": 3.75 / 7})
    n = sample_size(u, 0.1)
    assert n == math.ceil(math.log(0.1) / math.log(1 - 1 / 7))
    assert p_value(u, [0.0] * n) <= 0.1 < p_value(u, [0.0] * (n - 1))


def test_taints_raise_the_p_value_and_the_sample_size() -> None:
    assert p_value(7.0, [0.0] * 20) < p_value(7.0, [0.1] + [0.0] * 19)
    assert p_value(7.0, [1.0]) == 1.0
    assert sample_size(7.0, 0.1, taint_rate=0.1, expected_taint=0.2) > sample_size(7.0, 0.1)


batch_votes = st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(-15, 15))


@given(st.lists(batch_votes, min_size=1, max_size=12))
def test_total_macro_below_one_means_the_winner_really_won(rows) -> None:  # type: ignore[no-untyped-def]
    vw = sum(r[0] for r in rows)
    vl = sum(r[1] for r in rows)
    if vw <= vl:
        return
    contest = Contest("c", {"w": vw, "l": vl}, vw + vl + 1000, ("w",))
    total, true_w, true_l = 0.0, 0, 0
    for i, (w, loser, shift) in enumerate(rows):
        moved = max(-loser, min(w, shift))  # votes moved from w to l by the hand count
        batch = Batch(f"b{i}", w + loser, {"c": {"w": w, "l": loser}})
        actual = {"c": {"w": w - moved, "l": loser + moved}}
        e = macro(batch, actual, [contest])
        assert e <= error_bound(batch, [contest]) + 1e-12
        total += e
        true_w += w - moved
        true_l += loser + moved
    if total < 1:
        assert true_w > true_l


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda: sample_size(7.0, 0.0), InvalidRiskLimit, "risk_limit"),
        (lambda: sample_size(1.0, 0.1), InvalidAuditParameter, "total_error_bound"),
        (lambda: sample_size(7.0, 0.1, 0.9, 0.9), InvalidAuditParameter, "expected_taint"),
        (lambda: p_value(7.0, [1.5]), InvalidAuditParameter, "taints[1]"),
        (lambda: Batch("b9", 10, {"mayor": {"w": -1}}), NegativeVotes, "tally.w"),
        (lambda: Batch("b9", -1, {}), InvalidAuditParameter, "batches.b9.ballots"),
        (lambda: macro(B1, {}, [MAYOR]), InvalidAuditParameter, "audited.b1.mayor"),
        (lambda: total_error_bound([B1, B1], [MAYOR]), InvalidAuditParameter, "batches"),
    ],
)
def test_bad_input(call, error, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as caught:
        call()
    assert caught.value.field == field
