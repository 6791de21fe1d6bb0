"""Ballot-level comparison: Kaplan-Markov P-values and sample sizes against published values and
rlacalc 0.4.0 (MIT, installed as a test oracle).

Published values (rlacalc's doctests, which cite Lindeman & Stark 2012 "A Gentle Introduction to
Risk-Limiting Audits" p. 5, Stark's auditTools page, Stark 2010 "Super-simple simultaneous
single-ballot risk-limiting audits" p. 4, and the New Hampshire 2016 presidential result):

- nmin at alpha 10 %, gamma 1.03905: margin 20 % -> 24, 10 % -> 48, 5 % -> 96, 0.2 % -> 2,393;
  5 % with one 1-vote overstatement -> 123; 0.5 % with o1 = u1 = 1 -> 1,067; 5 % at alpha 20 %
  -> 67.
- KM P-value, New Hampshire 2016 (354,040 v 337,589 of 725,863), 200 ballots, o1 = 1:
  0.21438135077031842.
- Expected sizes at alpha 5 %: margin 5 %, o1 = u1 = 0.1 % -> 125 (rounded: 136; not rounded
  up: 125); New Hampshire, o1 = 0.1 % -> 291 (rounded: 335); u2 = 5 % -> 52; o1 = 5 % -> none.
- rho(alpha 10 %, gamma 1.03905, lambda 20 %) = 6.5796033506092035;
  rho(10 %, 1.1, 50 %) = 15.200833727738756.
"""

from __future__ import annotations

import math

import pytest
import rlacalc

from ballotguard.audit.comparison import (
    DEFAULT_GAMMA,
    NO_ERRORS,
    PHANTOM_OVERSTATEMENT,
    Discrepancies,
    Rates,
    diluted_margin,
    expected_sample_size,
    expected_sample_size_rounded,
    km_p_value,
    km_p_value_of_overstatements,
    next_sample_size,
    overstatement,
    rho,
    sample_size,
    super_simple_sample_size,
)
from ballotguard.audit.contest import Contest
from ballotguard.errors import InvalidAuditParameter, InvalidRiskLimit

NH_2016 = (354_040 - 337_589) / (354_040 + 337_589 + 33_234)


@pytest.mark.parametrize(
    ("margin", "alpha", "counts", "size"),
    [
        (0.2, 0.1, Discrepancies(), 24),
        (0.1, 0.1, Discrepancies(), 48),
        (0.05, 0.1, Discrepancies(), 96),
        (0.002, 0.1, Discrepancies(), 2_393),
        (0.05, 0.1, Discrepancies(o1=1), 123),
        (0.005, 0.1, Discrepancies(o1=1, u1=1), 1_067),
        (0.05, 0.2, Discrepancies(), 67),
    ],
)
def test_published_sample_sizes(
    margin: float, alpha: float, counts: Discrepancies, size: int
) -> None:
    assert sample_size(margin, alpha, counts) == size


def test_published_km_p_value() -> None:
    p = km_p_value(NH_2016, 200, Discrepancies(o1=1))
    assert p == pytest.approx(0.21438135077031842, rel=1e-12)


@pytest.mark.parametrize(
    ("margin", "rates", "size", "rounded", "rounded_nearest"),
    [
        (0.05, Rates(0.001, 0, 0.001, 0), 125, 136, 125),
        (NH_2016, Rates(0.001, 0, 0, 0), 291, 335, None),
        (0.05, Rates(0, 0, 0, 0.05), 52, None, None),
        (0.05, Rates(0.05, 0, 0, 0), None, None, None),
    ],
)
def test_published_expected_sizes(
    margin: float, rates: Rates, size: int | None, rounded: int | None, rounded_nearest: int | None
) -> None:
    assert expected_sample_size(margin, 0.05, rates) == size
    if rounded is not None or size is None:
        assert expected_sample_size_rounded(margin, 0.05, rates) == rounded
    if rounded_nearest is not None:
        assert (
            expected_sample_size_rounded(margin, 0.05, rates, round_up_1=False) == rounded_nearest
        )


@pytest.mark.parametrize(
    ("alpha", "gamma", "tolerance", "value"),
    [(0.1, 1.03905, 0.2, 6.5796033506092035), (0.1, 1.1, 0.5, 15.200833727738756)],
)
def test_published_rho(alpha: float, gamma: float, tolerance: float, value: float) -> None:
    assert rho(alpha, gamma, tolerance) == pytest.approx(value, rel=1e-15)


def test_super_simple_sample_size_is_rho_over_the_margin() -> None:
    assert super_simple_sample_size(0.05, 0.1) == math.ceil(6.5796033506092035 / 0.05) == 132


# -- rlacalc over a grid ---------------------------------------------------------------------------

MARGINS = [0.003, 0.01, 0.0237, 0.05, 0.11, 0.3]
ALPHAS = [0.01, 0.05, 0.1, 0.25]
COUNTS = [(0, 0, 0, 0), (1, 0, 0, 0), (2, 1, 0, 0), (0, 0, 3, 1), (4, 0, 2, 0)]
RATES = [(0.001, 0.0001, 0.001, 0.0001), (0.0, 0.0, 0.0, 0.0), (0.004, 0.0, 0.002, 0.0)]


@pytest.mark.parametrize("margin", MARGINS)
@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("counts", COUNTS)
def test_sample_size_matches_rlacalc(
    margin: float, alpha: float, counts: tuple[int, int, int, int]
) -> None:
    o1, o2, u1, u2 = counts
    expected = rlacalc.nmin(alpha, DEFAULT_GAMMA, margin, o1, o2, u1, u2)
    ours = sample_size(margin, alpha, Discrepancies(o1, o2, u1, u2))
    if expected == o1 + o2 + 2 * u1:
        # rlacalc floors nmin at o1 + o2 + u1 + u1 (u1 twice, u2 never); ours at the count of
        # discrepancies, which is what "found in that many ballots" means.
        assert o1 + o2 + u1 + u2 <= ours <= expected
    else:
        assert ours == expected


@pytest.mark.parametrize("margin", MARGINS)
@pytest.mark.parametrize("counts", COUNTS)
@pytest.mark.parametrize("sampled", [10, 100, 1_000])
@pytest.mark.parametrize("gamma", [1.01, DEFAULT_GAMMA, 1.2])
def test_km_p_value_matches_rlacalc(
    margin: float, counts: tuple[int, int, int, int], sampled: int, gamma: float
) -> None:
    o1, o2, u1, u2 = counts
    expected = min(1.0, rlacalc.KM_P_value(sampled, gamma, margin, o1, o2, u1, u2))
    assert km_p_value(margin, sampled, Discrepancies(*counts), gamma) == pytest.approx(
        expected, rel=1e-9
    )


@pytest.mark.parametrize("margin", MARGINS)
@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("rates", RATES)
def test_expected_sizes_match_rlacalc(
    margin: float, alpha: float, rates: tuple[float, float, float, float]
) -> None:
    raw = rlacalc.KM_Expected_sample_size(alpha, DEFAULT_GAMMA, margin, *rates)
    ours = expected_sample_size(margin, alpha, Rates(*rates))
    ours_rounded = expected_sample_size_rounded(margin, alpha, Rates(*rates))
    if math.isnan(raw):  # rlacalc's rounded version raises on the NaN; ours says "none"
        assert ours is None and ours_rounded is None
        return
    rounded = rlacalc.KM_Expected_sample_size_rounded(alpha, DEFAULT_GAMMA, margin, *rates)
    assert ours == raw
    assert ours_rounded == (None if math.isnan(rounded) else rounded)


@pytest.mark.parametrize("margin", [0.01, 0.05, 0.2])
@pytest.mark.parametrize(
    ("audited", "counts"), [(50, (1, 0, 0, 0)), (300, (2, 0, 1, 0)), (80, COUNTS[0])]
)
def test_next_sample_size_matches_rlacalc(
    margin: float, audited: int, counts: tuple[int, int, int, int]
) -> None:
    ours = next_sample_size(margin, 0.1, audited, Discrepancies(*counts))
    rates = [c / audited for c in counts]
    if math.isnan(rlacalc.KM_Expected_sample_size(0.1, DEFAULT_GAMMA, margin, *rates)):
        assert ours is None  # rlacalc raises on the NaN here
        return
    expected = rlacalc.nminToGo(audited, 0.1, DEFAULT_GAMMA, margin, *counts)
    assert ours == (None if math.isnan(expected) else expected)


# -- the general Kaplan-Markov form ---------------------------------------------------------------


def test_general_form_agrees_with_the_counts() -> None:
    values = [0] * 90 + [1, 1, 2, -1, -2, -1, 0, 0, 0, 0]
    by_counts = km_p_value(0.04, 100, Discrepancies.from_overstatements(values))
    assert km_p_value_of_overstatements(0.04, values) == pytest.approx(by_counts, rel=1e-12)
    assert Discrepancies.from_overstatements(values) == Discrepancies(o1=2, o2=1, u1=2, u2=1)


def test_p_value_is_below_the_risk_limit_at_the_sample_size() -> None:
    """nmin replaces ln(1 - mu/(2 gamma)) by -mu/(2 gamma), so it errs on the large side."""
    for margin in (0.01, 0.05, 0.2):
        for counts in (Discrepancies(), Discrepancies(o1=1), Discrepancies(o1=2, u1=1)):
            n = sample_size(margin, 0.1, counts)
            assert km_p_value(margin, n, counts) <= 0.1


# -- margins and overstatements -------------------------------------------------------------------


def test_diluted_margin_of_one_and_of_several_contests() -> None:
    mayor = Contest("Mayor", {"a": 600, "b": 300, "c": 100}, 1_000, ("a",))
    council = Contest("Council", {"x": 300, "y": 280, "z": 250}, 800, ("x", "y"))
    assert diluted_margin([mayor]) == 0.3
    assert diluted_margin([mayor, council]) == 30 / 1_000
    assert diluted_margin([mayor, council], ballots=1_500) == 30 / 1_500
    with pytest.raises(InvalidAuditParameter, match="fewer than contest 'Mayor'"):
        diluted_margin([mayor], ballots=900)


MAYOR = Contest("Mayor", {"a": 600, "b": 300, "c": 100}, 1_000, ("a",))


@pytest.mark.parametrize(
    ("cvr", "audited", "expected"),
    [
        ({"a": 1}, {"a": 1}, 0),
        ({"a": 1}, {}, 1),  # the CVR showed a vote the ballot does not have
        ({"a": 1}, {"b": 1}, 2),
        ({"a": 1}, {"c": 1}, 2),
        ({}, {"b": 1}, 1),
        ({"b": 1}, {"a": 1}, -1),  # pairs (a, b): -2 and (a, c): -1; the larger counts
        ({"b": 1}, {"b": 1}, 0),
        ({"c": 1}, {"b": 1}, 1),  # a-b pair: 0 - (-1) = 1
        ({}, {}, 0),
        (None, {"a": 1}, PHANTOM_OVERSTATEMENT),
        ({"a": 1}, None, PHANTOM_OVERSTATEMENT),
    ],
)
def test_overstatements(
    cvr: dict[str, int] | None, audited: dict[str, int] | None, expected: int
) -> None:
    assert overstatement(MAYOR, cvr, audited) == expected


def test_an_understatement_of_every_pair_is_the_smallest_one() -> None:
    contest = Contest("Mayor", {"a": 600, "b": 300}, 1_000, ("a",))
    assert overstatement(contest, {"b": 1}, {"a": 1}) == -2


# -- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: sample_size(0, 0.1), "margin"),
        (lambda: sample_size(1.5, 0.1), "margin"),
        (lambda: sample_size(math.nan, 0.1), "margin"),
        (lambda: sample_size(0.05, 0.1, gamma=1.0), "gamma"),
        (lambda: sample_size(0.05, 0.1, gamma=0.5), "gamma"),
        (lambda: Discrepancies(o1=-1), "o1"),
        (lambda: Discrepancies(u2=1.5), "u2"),  # type: ignore[arg-type]
        (lambda: Rates(o1=-0.1), "o1"),
        (lambda: Rates(o2=2.0), "o2"),
        (lambda: km_p_value(0.05, 3, Discrepancies(o1=4)), "discrepancies"),
        (lambda: km_p_value(0.05, -1, NO_DISCREPANCIES), "sampled"),
        (lambda: km_p_value_of_overstatements(0.05, [0, 3]), "overstatements[1]"),
        (lambda: Discrepancies.from_overstatements([0, 3]), "overstatements[1]"),
        (lambda: next_sample_size(0.05, 0.1, 0, NO_DISCREPANCIES), "audited"),
        (lambda: next_sample_size(0.05, 0.1, 2, Discrepancies(o1=3)), "discrepancies"),
        (lambda: rho(0.1, DEFAULT_GAMMA, 1.0), "tolerance"),
        (lambda: rho(0.1, DEFAULT_GAMMA, 0.9), "tolerance"),
        (lambda: overstatement(MAYOR, {"d": 1}, {}), "cvr.d"),
        (lambda: overstatement(MAYOR, {}, {"a": 2}), "audited.a"),
        (lambda: diluted_margin([]), "contests"),
    ],
)
def test_bad_input_names_the_field(call: object, field: str) -> None:
    assert callable(call)
    with pytest.raises(InvalidAuditParameter) as caught:
        call()
    assert caught.value.field == field


NO_DISCREPANCIES = Discrepancies()


@pytest.mark.parametrize("alpha", [0, 1, -1, math.nan])
def test_risk_limits_outside_zero_one(alpha: float) -> None:
    with pytest.raises(InvalidRiskLimit):
        sample_size(0.05, alpha)
    with pytest.raises(InvalidRiskLimit):
        expected_sample_size(0.05, alpha, NO_ERRORS)
