"""MINERVA against published values: r2b2's tests, Arlo's MINERVA cases as r2b2 checks them, and
the first-round sizes of the 2016 US presidential contests at risk limit 10% and stopping
probability 90% (r2b2's data set, from the MINERVA and Athena papers)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from ballotguard.audit.contest import Contest
from ballotguard.audit.minerva import (
    _first_round_probability,
    minerva_first_round_size,
    minerva_kmins,
    minerva_next_round_size,
    minerva_pair_risk,
    minerva_risk,
    minerva_round_size,
    minerva_schedule,
    minerva_stopping_probability,
)
from ballotguard.errors import (
    InvalidAuditParameter,
    InvalidRiskLimit,
    NegativeVotes,
    NoMargin,
)

DATA = Path(__file__).parent / "data"


# -- r2b2's own tests (MIT; tests/test_minerva.py) ---------------------------------------------

@pytest.mark.parametrize(
    ("p", "alpha", "rounds", "kmins"),
    [
        (0.6, 0.1, [100, 200, 400], (58, 113, 221)),
        # the second round cannot stop: every path to 14 winner ballots stopped at 13
        (0.6, 0.1, [13, 14, 15], (13, None, 14)),
    ],
)
def test_kmins_match_r2b2(p: float, alpha: float, rounds: list[int], kmins: tuple[int | None, ...]) -> None:
    assert minerva_kmins(p, alpha, rounds) == kmins


def test_hypothetical_risk_matches_r2b2_cli() -> None:
    # r2b2 CLI, 60000-40000, alpha 0.1, round of 100 with 57 winner ballots: p-value 0.12662462400132510
    assert minerva_pair_risk(0.6, 0.1, [100], [57]).risk == pytest.approx(0.1266246240013251, rel=1e-12)


def test_first_round_size_matches_r2b2_cli_and_shows_the_saw_tooth() -> None:
    # r2b2's CLI recommends 111 for 60000-40000 at stopping probability 0.7
    assert minerva_first_round_size(0.6, 0.1, 0.7) == 111
    # ...but 102 already stops with probability >= 0.7; 103..110 do not all reach it
    assert minerva_first_round_size(0.6, 0.1, 0.7, smallest=True) == 102
    probs = _first_round_probability(0.1, 0.6, np.arange(100, 113))
    assert probs[102 - 100] >= 0.7 > probs[110 - 100]
    assert (probs[111 - 100 :] >= 0.7).all()


# -- Arlo's MINERVA cases, the expected values as r2b2's tests/test_minerva_arlo.py holds them -----

ARLO = [
    # ballots, tally, winners, cumulative sample per round, stopped, p-value (to 1e-6)
    (1200, {"a": 600, "b": 400, "c": 100}, ("a",),
     [{"a": 40, "b": 40, "c": 3}, {"a": 110, "b": 70, "c": 13}], True, 0.006382),
    (1100, {"a": 400, "b": 400, "c": 200, "d": 100}, ("a", "b"),
     [{"a": 40, "b": 40, "c": 18, "d": 2}], True, 0.006465),
    (1100, {"a": 400, "b": 400, "c": 200, "d": 100}, ("a", "b"),
     [{"a": 30, "b": 30, "c": 30, "d": 10}], False, 0.552702),
    (1100, {"a": 400, "b": 400, "c": 200, "d": 100}, ("a", "b"),
     [{"a": 30, "b": 30, "c": 30, "d": 10}, {"a": 80, "b": 80, "c": 55, "d": 35}], True, 0.083535),
    (1200, {"a": 600, "b": 400, "c": 100}, ("a",), [{"a": 56, "b": 40, "c": 3}], True, 0.093394),
    (10100100, {"a": 5100000, "b": 4900000, "c": 100}, ("a",),
     [{"a": 5100, "b": 4990, "c": 1}], False, 0.168962),
    (10100100, {"a": 5100000, "b": 4900000, "c": 100}, ("a",),
     [{"a": 5100, "b": 4990, "c": 1}, {"a": 10200, "b": 9890, "c": 1}], True, 0.039079),
    (10100100, {"a": 5100000, "b": 4900000, "c": 100}, ("a",),
     [{"a": 50100, "b": 49900, "c": 1}, {"a": 101100, "b": 98900, "c": 1}], True, 0.001610),
]


@pytest.mark.parametrize(("ballots", "tally", "winners", "samples", "stopped", "pvalue"), ARLO)
def test_arlo_cases(ballots, tally, winners, samples, stopped, pvalue) -> None:  # type: ignore[no-untyped-def]
    result = minerva_risk(Contest("c", tally, ballots, winners), 0.1, samples)
    assert result.confirmed is stopped
    assert abs(result.risk - pvalue) < 1e-6


# -- the 2016 presidential first-round sizes ------------------------------------------------------

STATES = json.loads((DATA / "minerva_2016_first_round.json").read_text())["states"]


@pytest.mark.parametrize("state", STATES, ids=[s["state"] for s in STATES])
def test_2016_first_round_sizes(state: dict[str, int | str]) -> None:
    clinton, trump = int(state["Clinton"]), int(state["Trump"])
    winner = "Trump" if trump > clinton else "Clinton"
    contest = Contest(str(state["state"]), {"Clinton": clinton, "Trump": trump},
                      int(state["contest_ballots"]), (winner,))
    assert minerva_round_size(contest, 0.1, 0.9) == state["first_round"]


# -- definitions checked against brute force -----------------------------------------------------

@pytest.mark.parametrize("p", [0.7, 0.62, 0.58, 0.55])
@pytest.mark.parametrize("q", [0.5, 0.8, 0.9])
def test_first_round_sizes_agree_with_exhaustive_search(p: float, q: float) -> None:
    alpha = 0.1
    small = minerva_first_round_size(p, alpha, q, smallest=True)
    stays = minerva_first_round_size(p, alpha, q)
    ns = np.arange(1, 3 * stays + 50)
    probs = _first_round_probability(alpha, p, ns)
    assert int(ns[np.flatnonzero(probs >= q)[0]]) == small
    assert int(ns[np.flatnonzero(probs < q)[-1]]) + 1 == stays


def test_a_schedule_spends_at_most_the_risk_limit_under_a_tie() -> None:
    schedule = minerva_schedule(0.55, 0.1, [300, 600, 900, 1500, 3000, 6000])
    assert sum(r.stop_if_tied for r in schedule) <= 0.1
    for r in schedule:
        assert r.stop_if_tied <= 0.1 * r.stop_if_reported + 1e-15
    assert sum(r.stop_if_reported for r in schedule) > 0.99


def test_next_round_reaches_the_stopping_probability() -> None:
    rounds, counts = [100], [55]  # 60-40 reported, the first round did not stop (kmin 58)
    assert minerva_pair_risk(0.6, 0.1, rounds, counts).stopped_round is None
    nxt = minerva_next_round_size(0.6, 0.1, rounds, counts, 0.9)
    assert nxt is not None and nxt > 100
    assert minerva_stopping_probability(0.6, 0.1, nxt, rounds, counts) >= 0.9
    assert minerva_stopping_probability(0.6, 0.1, nxt - 1, rounds, counts) < 0.9 or nxt == 101


def test_next_round_is_none_once_stopped() -> None:
    assert minerva_next_round_size(0.6, 0.1, [100], [60]) is None


def test_round_size_scales_by_the_pairs_share_of_ballots() -> None:
    contest = Contest("c", {"a": 600, "b": 400, "c": 100}, 1200, ("a",))
    relevant = minerva_first_round_size(0.6, 0.1, 0.9)
    assert minerva_round_size(contest, 0.1, 0.9) == math.ceil(relevant / (1000 / 1200))


# -- bad input: each a clear error naming the field ----------------------------------------------

@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda: minerva_kmins(0.6, 0.0, [10]), InvalidRiskLimit, "risk_limit"),
        (lambda: minerva_kmins(0.6, 1.0, [10]), InvalidRiskLimit, "risk_limit"),
        (lambda: minerva_kmins(0.6, float("nan"), [10]), InvalidRiskLimit, "risk_limit"),
        (lambda: minerva_kmins(0.5, 0.1, [10]), InvalidAuditParameter, "winner_share"),
        (lambda: minerva_kmins(0.6, 0.1, [10, 10]), InvalidAuditParameter, "rounds[2]"),
        (lambda: minerva_kmins(0.6, 0.1, [0]), InvalidAuditParameter, "rounds[1]"),
        (lambda: minerva_pair_risk(0.6, 0.1, [10, 20], [5]), InvalidAuditParameter, "winner_counts"),
        (lambda: minerva_pair_risk(0.6, 0.1, [10], [11]), InvalidAuditParameter, "winner_counts[1]"),
        (lambda: minerva_pair_risk(0.6, 0.1, [10, 20], [6, 5]), InvalidAuditParameter,
         "winner_counts[2]"),
        (lambda: minerva_first_round_size(0.6, 0.1, 1.0), InvalidAuditParameter,
         "stopping_probability"),
        (lambda: Contest("mayor", {"a": 500, "b": 500}, 1000, ("a",)), NoMargin, "contest.mayor"),
        (lambda: Contest("mayor", {"a": 500, "b": -1}, 1000, ("a",)), NegativeVotes, "tally.b"),
        (lambda: Contest("mayor", {"a": 500, "b": 1}, 100, ("a",)), InvalidAuditParameter,
         "ballots"),
        (lambda: Contest("mayor", {"a": 500, "b": 1}, 600, ("z",)), InvalidAuditParameter,
         "winners"),
        (lambda: minerva_risk(Contest("m", {"a": 6, "b": 4}, 10, ("a",)), 0.1, [{"x": 1}]),
         InvalidAuditParameter, "rounds[1].x"),
    ],
)
def test_bad_input(call, error, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as caught:
        call()
    assert caught.value.field == field
