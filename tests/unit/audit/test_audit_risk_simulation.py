"""The risk limit, checked by simulation: when the reported winner did not really win (a tie, or
a reversed outcome), the audit confirms the wrong outcome with frequency at most alpha, within
Monte-Carlo error (three standard errors above alpha would fail). Seeded; a few seconds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ballotguard.audit.alpha import Bet, first_stop, log_statistic
from ballotguard.audit.assorters import Assorter, Overstatement
from ballotguard.audit.minerva import minerva_kmins

ALPHA = 0.1
TRIALS = 1500


def _bound(trials: int) -> float:
    return ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / trials)


@pytest.mark.parametrize(("true_w", "true_l"), [(1000, 1000), (960, 1040)])
def test_alpha_polling_rarely_confirms_a_wrong_winner(true_w: int, true_l: int) -> None:
    # reported 1100-900 for w; truly a tie or a loss; up to 600 of the 2000 cards are drawn
    population = np.array([1.0] * true_w + [0.0] * true_l)
    rng = np.random.default_rng(6_2024)
    confirmed = 0
    for _ in range(TRIALS):
        draws = rng.permutation(population)[:600]
        log_t = log_statistic(draws, 1.0, Bet(0.55, d=50), population=2000)
        confirmed += first_stop(log_t, ALPHA) is not None
    assert confirmed / TRIALS <= _bound(TRIALS)


def test_alpha_comparison_rarely_confirms_a_wrong_winner() -> None:
    # CVRs say 1100-900 for w; 100 of w's CVRs are truly votes for l: a tie
    b = Overstatement(Assorter("c", "w", "l"), 0.1)
    truth = np.array([b.no_error] * 1900 + [b.value_for(1.0)] * 100)  # two-vote overstatements
    rng = np.random.default_rng(61)
    confirmed = 0
    bet = Bet(b.upper * 0.98, fixed=True)
    for _ in range(TRIALS):
        draws = rng.permutation(truth)[:400]
        confirmed += first_stop(log_statistic(draws, b.upper, bet, population=2000), ALPHA) is not None
    assert confirmed / TRIALS <= _bound(TRIALS)


def test_minerva_rarely_confirms_a_tie() -> None:
    # reported 55%: three rounds of a pre-set schedule; the truth is a tie
    rounds = [200, 400, 800]
    kmins = minerva_kmins(0.55, ALPHA, rounds)
    rng = np.random.default_rng(2021)
    trials = 20_000
    counts = np.cumsum(rng.binomial([200, 200, 400], 0.5, size=(trials, 3)), axis=1)
    stopped = np.zeros(trials, dtype=bool)
    for j, kmin in enumerate(kmins):
        if kmin is not None:
            stopped |= counts[:, j] >= kmin
    assert stopped.mean() <= _bound(trials)
