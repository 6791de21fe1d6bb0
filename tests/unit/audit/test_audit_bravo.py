"""BRAVO against published values: the paper's Table 1 ASNs (as reproduced by rlacalc and r2b2),
rlacalc's Colorado 2018 risk levels, and r2b2's end-of-round kmins and round sizes.

Sources (numbers only; the tools are MIT, and rlacalc also runs here as an oracle):
- Lindeman, Stark, Yates (2012), BRAVO, Table 1: ASN for margins 1 %, 4 %, 20 % at alpha 10 %
  (46,151; 2,902; 119), quoted in rlacalc 0.4.0's ``findAsn`` doctests.
- r2b2 (gwexploratoryaudits/r2b2) ``src/r2b2/tests/asn_tests.json``: ASN for winner shares
  55-90 % at alpha 10 % and 5 %; ``test_bravo.py``: end-of-round kmins [61, 116, 226] for rounds
  [100, 200, 400] of a 60/40 contest, and round sizes (first: 342 and 214,389; second: 473).
- rlacalc 0.4.0 ``ballot_polling_risk_level``: Custer County 2018 (1410 v 1132, sample 170 v 135)
  0.1342382069344729; Las Animas County 2018 (2894 v 1695, sample 45 v 32) 0.47002027242290234.
"""

from __future__ import annotations

import math

import pytest
import rlacalc

from ballotguard.audit.bravo import (
    bravo_expected_sample_size,
    bravo_kmin,
    bravo_risk,
    bravo_round_size,
    bravo_stopping_probability,
)
from ballotguard.audit.contest import Contest
from ballotguard.errors import InvalidAuditParameter, InvalidRiskLimit, NegativeVotes, NoMargin


def two(winner: int, loser: int, ballots: int | None = None) -> Contest:
    return Contest("Mayor", {"w": winner, "l": loser}, ballots or winner + loser, ("w",))


# -- expected sample sizes -----------------------------------------------------------------------

R2B2_ASN = [  # winner ballots of 10,000, alpha, ASN
    (9000, 0.1, 8),
    (8000, 0.1, 14),
    (7000, 0.1, 31),
    (6000, 0.1, 119),
    (5500, 0.1, 470),
    (9000, 0.05, 9),
    (8000, 0.05, 17),
    (7000, 0.05, 39),
    (6000, 0.05, 154),
    (5500, 0.05, 608),
]


@pytest.mark.parametrize(("winner", "alpha", "asn"), R2B2_ASN)
def test_asn_published_by_r2b2(winner: int, alpha: float, asn: int) -> None:
    assert bravo_expected_sample_size(two(winner, 10_000 - winner), alpha) == asn


@pytest.mark.parametrize(("margin", "asn"), [(0.01, 46_151), (0.04, 2_902), (0.2, 119)])
def test_asn_of_the_bravo_paper_table_1(margin: float, asn: int) -> None:
    contest = two(round(100_000 * (0.5 + margin / 2)), round(100_000 * (0.5 - margin / 2)))
    assert bravo_expected_sample_size(contest, 0.1) == asn


@pytest.mark.parametrize("margin", [0.006, 0.013, 0.05, 0.1, 0.33, 0.5, 0.9])
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1, 0.2])
def test_asn_matches_rlacalc(margin: float, alpha: float) -> None:
    contest = two(round(100_000 * (0.5 + margin / 2)), round(100_000 * (0.5 - margin / 2)))
    assert bravo_expected_sample_size(contest, alpha) == rlacalc.findAsn(alpha, margin)


def test_asn_counts_undervotes_and_other_candidates() -> None:
    """p_c is a share of all ballot cards: undervotes and a third candidate dilute the drift."""
    diluted = Contest("Mayor", {"w": 4_200, "l": 3_800, "x": 1_000}, 10_000, ("w",))
    s = 4_200 / 8_000
    expected = (math.log(10) + math.log(2 * s) / 2) / (
        0.42 * math.log(2 * s) + 0.38 * math.log(2 - 2 * s)
    )
    assert bravo_expected_sample_size(diluted, 0.1) == math.ceil(expected)


def test_asn_after_a_round_starts_from_the_current_statistic() -> None:
    contest = two(6_000, 4_000)
    after = bravo_expected_sample_size(contest, 0.1, [{"w": 30, "l": 20}])
    log_t = 30 * math.log(1.2) + 20 * math.log(0.8)
    expected = (math.log(10) - log_t + math.log(1.2) / 2) / (
        0.6 * math.log(1.2) + 0.4 * math.log(0.8)
    )
    assert after == math.ceil(expected)
    assert bravo_expected_sample_size(contest, 0.1, [{"w": 200, "l": 20}]) == 0


# -- risk ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "sampled", "risk"),
    [
        ((1410, 1132), (170, 135), 0.1342382069344729),  # Custer County 2018
        ((2894, 1695), (45, 32), 0.47002027242290234),  # Las Animas County 2018
    ],
)
def test_risk_levels_published_by_rlacalc(
    reported: tuple[int, int], sampled: tuple[int, int], risk: float
) -> None:
    measured = bravo_risk(two(*reported), 0.1, [{"w": sampled[0], "l": sampled[1]}])
    assert measured.risk == pytest.approx(risk, rel=1e-12)
    assert not measured.confirmed


@pytest.mark.parametrize(
    ("reported", "sampled"),
    [((60, 40), (30, 10)), ((510, 490), (300, 250)), ((3, 1), (5, 0)), ((7, 3), (0, 4))],
)
def test_risk_matches_rlacalc(reported: tuple[int, int], sampled: tuple[int, int]) -> None:
    measured = bravo_risk(two(*reported), 0.1, [{"w": sampled[0], "l": sampled[1]}])
    expected = rlacalc.ballot_polling_risk_level(*reported, *sampled)
    assert measured.risk == pytest.approx(min(1.0, expected), rel=1e-12)


def test_risk_is_the_smallest_over_the_ends_of_rounds() -> None:
    contest = two(6_000, 4_000)
    rounds = [{"w": 40, "l": 20}, {"w": 50, "l": 50}]
    measured = bravo_risk(contest, 0.1, rounds)
    pair = measured.pairs[("w", "l")]
    assert pair.log_statistics == pytest.approx(
        (40 * math.log(1.2) + 20 * math.log(0.8), 50 * math.log(1.2) + 50 * math.log(0.8))
    )
    assert measured.risk == pytest.approx(math.exp(-pair.log_statistics[0]))
    assert measured.confirmed  # T reached 10.7 at the end of round 1


def test_multi_candidate_contest_is_as_weak_as_its_weakest_pair() -> None:
    contest = Contest("Council", {"a": 500, "b": 400, "c": 300, "d": 100}, 1_500, ("a", "b"))
    measured = bravo_risk(contest, 0.1, [{"a": 60, "b": 50, "c": 30, "d": 5}])
    assert set(measured.pairs) == {("a", "c"), ("a", "d"), ("b", "c"), ("b", "d")}
    assert measured.risk == max(p.risk for p in measured.pairs.values())
    assert measured.risk == measured.pairs[("b", "c")].risk


def test_phantoms_count_for_every_loser() -> None:
    contest = Contest("Council", {"a": 500, "b": 300, "c": 200}, 1_000, ("a",))
    plain = bravo_risk(contest, 0.1, [{"a": 40, "b": 10, "c": 5}])
    zombie = bravo_risk(contest, 0.1, [{"a": 40, "b": 10, "c": 5}], phantoms=[3])
    explicit_b = bravo_risk(contest, 0.1, [{"a": 40, "b": 13, "c": 5}])
    explicit_c = bravo_risk(contest, 0.1, [{"a": 40, "b": 10, "c": 8}])
    assert zombie.pairs[("a", "b")].risk == explicit_b.pairs[("a", "b")].risk
    assert zombie.pairs[("a", "c")].risk == explicit_c.pairs[("a", "c")].risk
    assert zombie.risk > plain.risk


def test_a_loser_with_no_votes_is_certain_after_any_vote_for_it() -> None:
    contest = Contest("Referendum", {"yes": 10, "no": 0}, 10, ("yes",))
    assert bravo_risk(contest, 0.1, [{"yes": 4}]).risk == pytest.approx(2.0**-4)
    assert bravo_risk(contest, 0.1, [{"yes": 4, "no": 1}]).risk == 1.0


# -- kmins and round sizes -----------------------------------------------------------------------


def test_end_of_round_kmins_published_by_r2b2() -> None:
    contest = two(60_000, 40_000)
    assert [bravo_kmin(contest, 0.1, "w", "l", n) for n in (100, 200, 400)] == [61, 116, 226]
    assert bravo_kmin(contest, 0.1, "w", "l", 5) is None  # 5 of 5 gives T = 2.49 < 10


@pytest.mark.parametrize(
    ("winner", "total", "size"),
    [(60_000, 100_000, 342), (5_040_799, 10_000_000, 214_389)],
)
def test_first_round_sizes_published_by_r2b2(winner: int, total: int, size: int) -> None:
    contest = two(winner, total - winner)
    assert bravo_round_size(contest, 0.1, 0.9) == size
    assert bravo_stopping_probability(contest, 0.1, size) >= 0.9
    assert bravo_stopping_probability(contest, 0.1, size - 1) < 0.9


def test_first_round_size_near_r2b2s_for_a_two_point_margin() -> None:
    """r2b2 reports 35,707 ± 100; the smallest size reaching 0.9 is 35,646."""
    contest = two(51_000, 49_000)
    size = bravo_round_size(contest, 0.1, 0.9)
    assert abs(size - 35_707) <= 100
    assert bravo_stopping_probability(contest, 0.1, size) >= 0.9


@pytest.mark.parametrize(
    ("reported", "drawn", "sampled", "size", "tolerance"),
    [
        ((60_000, 40_000), 100, (54, 46), 473, 0),
        ((4_617_886, 4_504_975), 45_081, (22_634, 45_081 - 22_634), 160_200, 300),
    ],
)
def test_second_round_sizes_published_by_r2b2(
    reported: tuple[int, int],
    drawn: int,
    sampled: tuple[int, int],
    size: int,
    tolerance: int,
) -> None:
    contest = two(*reported)
    rounds = [{"w": sampled[0], "l": sampled[1]}]
    found = bravo_round_size(contest, 0.1, 0.9, rounds, drawn=drawn)
    assert abs(found - size) <= tolerance
    chance = bravo_stopping_probability(contest, 0.1, found, rounds, drawn=drawn)
    assert chance >= 0.9


def test_stopping_probability_of_a_round_of_one_is_exact() -> None:
    """A 99/1 contest: one ballot for w gives T = 1.98; never 10. Seven give 119 > 10."""
    contest = two(99, 1)
    assert bravo_stopping_probability(contest, 0.1, 1) == 0.0
    k = bravo_kmin(contest, 0.1, "w", "l", 4)
    assert k == 4
    assert bravo_stopping_probability(contest, 0.1, 4) == pytest.approx(0.99**4)


def test_undervotes_make_rounds_larger() -> None:
    full = two(6_000, 4_000)
    diluted = two(6_000, 4_000, ballots=20_000)
    assert bravo_round_size(diluted, 0.1, 0.9) > 1.8 * bravo_round_size(full, 0.1, 0.9)


def test_a_confirmed_contest_needs_no_more_ballots() -> None:
    contest = two(6_000, 4_000)
    assert bravo_round_size(contest, 0.1, 0.9, [{"w": 200, "l": 50}], drawn=260) == 260
    assert bravo_stopping_probability(contest, 0.1, 260, [{"w": 200, "l": 50}], drawn=260) == 1.0


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0, 1, -0.1, 1.5, math.nan, True])
def test_risk_limit_outside_zero_one(alpha: float) -> None:
    with pytest.raises(InvalidRiskLimit):
        bravo_expected_sample_size(two(60, 40), alpha)


def test_negative_votes_and_ties_are_refused_by_the_contest() -> None:
    with pytest.raises(NegativeVotes, match="'l'"):
        two(60, -1)
    with pytest.raises(NoMargin):
        two(50, 50)


@pytest.mark.parametrize(
    ("rounds", "phantoms", "field"),
    [
        ([{"x": 3}], (), "rounds[1].x"),
        ([{"w": -1}], (), "rounds[1].w"),
        ([{"w": 1.5}], (), "rounds[1].w"),
        ([{"w": 5}, {"w": 4}], (), "rounds[2].w"),
        ([{"w": 5}], (1, 2), "phantoms"),
        ([{"w": 5}, {"w": 6}], (2, 1), "phantoms[2]"),
    ],
)
def test_bad_samples(rounds: list[dict[str, int]], phantoms: tuple[int, ...], field: str) -> None:
    with pytest.raises(InvalidAuditParameter) as caught:
        bravo_risk(two(60, 40), 0.1, rounds, phantoms=phantoms)
    assert caught.value.field == field


@pytest.mark.parametrize("q", [0, 1, 1.2, -0.5, math.nan])
def test_stopping_probability_outside_zero_one(q: float) -> None:
    with pytest.raises(InvalidAuditParameter, match="strictly between 0 and 1"):
        bravo_round_size(two(60, 40), 0.1, q)


def test_unknown_pair_and_supermajority() -> None:
    with pytest.raises(InvalidAuditParameter, match="not a winner-loser pair"):
        bravo_kmin(two(60, 40), 0.1, "l", "w", 10)
    supermajority = Contest("Bond", {"yes": 70, "no": 30}, 100, ("yes",), supermajority=2 / 3)
    with pytest.raises(InvalidAuditParameter, match="plurality"):
        bravo_risk(supermajority, 0.1, [])
