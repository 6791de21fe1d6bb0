"""SHANGRLA's assorters (Stark 2020): hypothesis tests of the properties the method rests on,
and a table of values with the expected errors."""

from __future__ import annotations

from collections.abc import Collection

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballotguard.audit.assorters import (
    Assorter,
    Card,
    Overstatement,
    assertions,
    mean,
    reported_margin,
)
from ballotguard.audit.contest import Contest
from ballotguard.errors import InvalidAuditParameter, NoMargin

CANDIDATES = ["w", "l", "x"]

marks = st.frozensets(st.sampled_from(CANDIDATES), max_size=3)
cards = st.lists(
    st.one_of(st.just({}), st.builds(lambda m: {"c": m}, marks)), min_size=1, max_size=60
)


def votes(deck: list[dict[str, Collection[str]]], candidate: str, seats: int) -> int:
    return sum(1 for card in deck if "c" in card and 0 < len(card["c"]) <= seats
               and candidate in card["c"])


@given(cards, st.integers(min_value=1, max_value=2))
def test_plurality_mean_above_half_iff_winner_beats_loser(deck, seats) -> None:  # type: ignore[no-untyped-def]
    a = Assorter("c", "w", "l", seats)
    values = [a.assort(card) for card in deck]
    assert all(0 <= v <= a.upper == 1 for v in values)
    vw, vl = votes(deck, "w", seats), votes(deck, "l", seats)
    assert (mean(values) > 0.5) == (vw > vl)
    assert (mean(values) == pytest.approx(0.5)) == (vw == vl)


@given(cards, st.sampled_from([0.55, 0.6, 2 / 3, 0.75]))
def test_supermajority_mean_above_half_iff_share_above_threshold(deck, f) -> None:  # type: ignore[no-untyped-def]
    a = Assorter("c", "w", None, 1, f)
    values = [a.assort(card) for card in deck]
    assert all(0 <= v <= a.upper for v in values)
    valid = sum(1 for card in deck if "c" in card and len(card["c"]) == 1)
    vw = votes(deck, "w", 1)
    share_wins = vw > f * valid
    m = mean(values)
    if abs(vw - f * valid) > 1e-9:
        assert (m > 0.5) == share_wins


pairs = st.lists(st.tuples(marks, marks), min_size=1, max_size=60)


@given(pairs)
@settings(max_examples=300)
def test_overstatement_mean_above_half_iff_true_mean_above_half(rows) -> None:  # type: ignore[no-untyped-def]
    a = Assorter("c", "w", "l", 1)
    cvrs: list[Card] = [{"c": r} for r, _ in rows]
    mvrs: list[Card] = [{"c": m} for _, m in rows]
    v = reported_margin(a, cvrs)
    if v <= 0:
        return
    b = Overstatement(a, v)
    values = [b.assort(c, m) for c, m in zip(cvrs, mvrs, strict=True)]
    assert all(-1e-12 <= x <= b.upper + 1e-12 for x in values)
    true_mean = mean([a.assort(m) for m in mvrs])
    if abs(true_mean - 0.5) > 1e-9:
        assert (mean(values) > 0.5) == (true_mean > 0.5)
    else:
        assert mean(values) == pytest.approx(0.5)


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 500), min_size=3))
def test_multi_winner_assertions_cover_every_winner_loser_pair(tally) -> None:  # type: ignore[no-untyped-def]
    ranked = sorted(tally, key=lambda k: -tally[k])
    winners = tuple(ranked[:2])
    if tally[ranked[1]] <= tally[ranked[2]]:
        with pytest.raises(NoMargin):
            Contest("c", tally, sum(tally.values()), winners)
        return
    contest = Contest("c", tally, sum(tally.values()), winners)
    got = {(a.winner, a.loser) for a in assertions(contest)}
    assert got == {(w, loser) for w in winners for loser in ranked[2:]}
    for a in assertions(contest):
        assert a.mean_from_tally(tally, contest.ballots) > 0.5


# -- a table of values ---------------------------------------------------------------------------

P = Assorter("c", "w", "l", 1)
S = Assorter("c", "w", None, 1, 2 / 3)


@pytest.mark.parametrize(
    ("assorter", "card", "value"),
    [
        (P, {"c": {"w"}}, 1.0),
        (P, {"c": {"l"}}, 0.0),
        (P, {"c": {"x"}}, 0.5),
        (P, {"c": set()}, 0.5),  # undervote
        (P, {"c": {"w", "l"}}, 0.5),  # overvote in a one-seat contest
        (P, {"other": {"w"}}, 0.5),  # the contest is not on the card
        (P, None, 0.0),  # a card not found: the worst case
        (S, {"c": {"w"}}, 0.75),
        (S, {"c": {"l"}}, 0.0),
        (S, {"c": set()}, 0.5),
        (S, None, 0.0),
    ],
)
def test_assorter_values(assorter: Assorter, card: Card | None, value: float) -> None:
    assert assorter.assort(card) == pytest.approx(value)


def test_overstatement_values_for_a_five_percent_margin() -> None:
    b = Overstatement(P, 0.05)
    assert b.no_error == pytest.approx(1 / 1.95)
    assert b.upper == pytest.approx(2 / 1.95)
    assert b.assort({"c": {"w"}}, {"c": {"x"}}) == pytest.approx(0.5 / 1.95)  # one-vote over
    assert b.assort({"c": {"w"}}, {"c": {"l"}}) == 0.0  # two-vote overstatement
    assert b.assort({"c": {"l"}}, {"c": {"w"}}) == pytest.approx(2 / 1.95)  # two-vote under
    assert b.assort(None, {"c": {"w"}}) == pytest.approx(1.5 / 1.95)  # phantom CVR, card found
    assert b.assort(None, None) == pytest.approx(0.5 / 1.95)  # phantom CVR, no card (a zombie)
    assert b.assort({"c": {"w"}}, None) == 0.0  # card not found


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: Overstatement(P, 0.0), "margin"),
        (lambda: Overstatement(P, 1.5), "margin"),
        (lambda: reported_margin(P, []), "cvrs"),
        (lambda: P.mean_from_tally({"w": 1, "l": 0}, 0), "cards"),
        (lambda: Contest("c", {"w": 10, "l": 1}, 11, ("w",), supermajority=0.4), "supermajority"),
    ],
)
def test_bad_input(call, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidAuditParameter) as caught:
        call()
    assert caught.value.field == field


def test_supermajority_without_the_share_has_no_margin() -> None:
    with pytest.raises(NoMargin) as caught:
        Contest("measure", {"yes": 60, "no": 40}, 100, ("yes",), supermajority=2 / 3)
    assert "66.6667%" in str(caught.value)
