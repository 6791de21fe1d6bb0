"""ALPHA (Stark 2023): its special cases against closed forms and rlacalc's Kaplan-Markov
P-values, the shared-sample audit of several contests, and the errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import rlacalc

from ballotguard.audit.alpha import (
    Bet,
    ErrorRates,
    comparison_audit,
    comparison_eta,
    comparison_sample_size,
    first_stop,
    log_statistic,
    polling_audit,
    risk,
)
from ballotguard.audit.assorters import Assorter, Overstatement
from ballotguard.audit.contest import Contest
from ballotguard.errors import InvalidAuditParameter, InvalidRiskLimit


@pytest.mark.parametrize(("p", "k", "n"), [(0.6, 5, 7), (0.55, 60, 100), (0.52, 1040, 2000)])
def test_fixed_bet_with_replacement_is_walds_sprt(p: float, k: int, n: int) -> None:
    # two candidates: A = 1 for the winner, 0 for the loser; BRAVO's likelihood ratio
    xs = np.array([1.0] * k + [0.0] * (n - k))
    log_t = log_statistic(xs, 1.0, Bet(p, fixed=True))
    assert log_t[-1] == pytest.approx(k * math.log(2 * p) + (n - k) * math.log(2 * (1 - p)))


@pytest.mark.parametrize(
    ("n", "margin", "o1", "u1", "u2"),
    [(100, 0.05, 0, 0, 0), (200, 0.02, 1, 0, 0), (500, 0.01, 2, 1, 0), (80, 0.1, 0, 2, 1),
     (1000, 0.005, 3, 0, 0)],
)
def test_all_in_comparison_bet_is_kaplan_markov(n: int, margin: float, o1: int, u1: int, u2: int) -> None:
    # ALPHA with eta = u_B, with replacement, is the Kaplan-Markov P-value with gamma = 1
    b = Overstatement(Assorter("c", "w", "l"), margin)
    xs = np.full(n, b.no_error)
    xs[:o1] = b.value_for(0.5)
    xs[o1 : o1 + u1] = b.value_for(-0.5)
    xs[o1 + u1 : o1 + u1 + u2] = b.value_for(-1.0)
    log_t = log_statistic(xs, b.upper, Bet(b.upper, fixed=True))
    expected = rlacalc.KM_P_value(n, 1 + 1e-12, margin, o1, 0, u1, u2)
    assert math.exp(-log_t[-1]) == pytest.approx(expected, rel=1e-6)


def test_zero_error_sample_size_is_kaplan_markov_closed_form() -> None:
    b = Overstatement(Assorter("c", "w", "l"), 0.05)
    bet = Bet(b.upper, fixed=True)
    # with replacement the first n with (1 - v/2)^-n >= 1/alpha
    xs = np.full(400, b.no_error)
    assert first_stop(log_statistic(xs, b.upper, bet), 0.05) == math.ceil(
        math.log(0.05) / math.log(1 - 0.05 / 2)
    )


def test_without_replacement_the_null_mean_moves_with_the_sample() -> None:
    # 10 cards, 6 sampled ones all for the winner: the 4 left would need a mean of -0.25
    # for the population mean to be 1/2, so the null is proved false
    log_t = log_statistic(np.ones(6), 1.0, Bet(0.6), population=10)
    assert np.isposinf(log_t[-1]) and risk(log_t) == 0.0
    # ...and a sample of losers proves the null true: the statistic stays at 0
    log_t = log_statistic(np.zeros(6), 1.0, Bet(0.6), population=10)
    assert np.isneginf(log_t[-1]) and risk(log_t) == 1.0


def test_truncated_shrinkage_keeps_the_bet_above_the_null_mean() -> None:
    rng = np.random.default_rng(20240601)
    xs = rng.choice([0.0, 0.5, 1.0], size=300, p=[0.45, 0.1, 0.45])
    log_t = log_statistic(xs, 1.0, Bet(0.55, d=10), population=1000)
    assert np.all(np.isfinite(log_t))
    assert risk(log_t) > 0.05  # a tie gives no evidence


def test_comparison_eta_bets_less_when_more_errors_are_expected() -> None:
    b = Overstatement(Assorter("c", "w", "l"), 0.02)
    few = comparison_eta(b, ErrorRates(over1=0.001))
    many = comparison_eta(b, ErrorRates(over1=0.01, over2=0.002))
    assert 0.5 < many < few < b.upper


@pytest.mark.parametrize(
    ("rates", "low", "high"),
    [(ErrorRates(), 100, 130), (ErrorRates(over1=0.01), 120, 200),
     (ErrorRates(over1=0.01, over2=0.002), 150, 400)],
)
def test_comparison_sample_size_grows_with_errors(rates: ErrorRates, low: int, high: int) -> None:
    b = Overstatement(Assorter("c", "w", "l"), 0.05)
    n = comparison_sample_size(b, 0.05, 100_000, rates)
    assert n is not None and low <= n <= high


# -- several contests, one sample ------------------------------------------------------------

MAYOR = Contest("mayor", {"ann": 3000, "bob": 2000, "cat": 500}, 6000, ("ann",))
COUNCIL = Contest("council", {"dan": 2500, "eve": 2400, "fay": 900, "gus": 600}, 4000,
                  ("dan", "eve"))
MEASURE = Contest("measure", {"yes": 4200, "no": 1500}, 6000, ("yes",), supermajority=2 / 3)


def _deck(seed: int) -> list[dict[str, set[str]]]:
    """6000 cards voting exactly as reported; council only on the first 4000."""
    mayor = ["ann"] * 3000 + ["bob"] * 2000 + ["cat"] * 500 + [""] * 500
    council = ([{"dan", "eve"}] * 1800 + [{"dan", "fay"}] * 700 + [{"eve", "gus"}] * 600
               + [{"fay"}] * 200 + [set()] * 700)
    measure = ["yes"] * 4200 + ["no"] * 1500 + [""] * 300
    rng = np.random.default_rng(seed)
    rng.shuffle(mayor)
    rng.shuffle(measure)
    cards = []
    for i in range(6000):
        card: dict[str, set[str]] = {
            "mayor": {mayor[i]} if mayor[i] else set(),
            "measure": {measure[i]} if measure[i] else set(),
        }
        if i < 4000:
            card["council"] = council[i]
        cards.append(card)
    return cards


def test_one_polling_sample_measures_every_contest() -> None:
    deck = _deck(7)
    order = np.random.default_rng(11).permutation(6000)[:700]
    sample = [deck[i] for i in order]
    result = polling_audit([MAYOR, COUNCIL, MEASURE], sample, 6000, 0.1)
    assert set(result.contests) == {"mayor", "council", "measure"}
    council = result.contests["council"]
    assert len(council.assertions) == 4  # dan and eve, each against fay and gus
    assert council.risk == max(a.risk for a in council.assertions)
    assert result.contests["mayor"].confirmed
    assert result.contests["mayor"].risk < 1e-3
    # dan-eve is not an assertion (both won); eve beats fay by 1500 of 6000 cards
    assert all(0 <= a.risk <= 1 for c in result.contests.values() for a in c.assertions)


def test_one_comparison_sample_measures_every_contest() -> None:
    deck = _deck(3)
    order = np.random.default_rng(5).permutation(6000)[:300]
    sample = [(deck[i], deck[i]) for i in order]  # CVRs match the paper
    result = comparison_audit([MAYOR, COUNCIL, MEASURE], sample, 6000, 0.05)
    assert result.confirmed
    # a missing card and a two-vote overstatement push the mayor's risk up
    bad = [(deck[i], None) for i in order[:3]] + sample[3:]
    worse = comparison_audit([MAYOR], bad, 6000, 0.05)
    assert worse.contests["mayor"].risk > result.contests["mayor"].risk


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda: polling_audit([MAYOR], [], 6000, 1.2), InvalidRiskLimit, "risk_limit"),
        (lambda: polling_audit([MAYOR, MAYOR], [], 6000, 0.1), InvalidAuditParameter, "contests"),
        (lambda: polling_audit([MAYOR], [], 100, 0.1), InvalidAuditParameter, "population"),
        (lambda: log_statistic([1.5], 1.0, Bet(0.6)), InvalidAuditParameter, "sample"),
        (lambda: log_statistic([1.0], 1.0, Bet(0.4)), InvalidAuditParameter, "eta0"),
        (lambda: log_statistic([1.0] * 3, 1.0, Bet(0.6), 2), InvalidAuditParameter, "sample"),
        (lambda: ErrorRates(over1=-0.1), InvalidAuditParameter, "over1"),
        (lambda: ErrorRates(over1=0.6, under1=0.5), InvalidAuditParameter, "rates"),
    ],
)
def test_bad_input(call, error, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as caught:
        call()
    assert caught.value.field == field
