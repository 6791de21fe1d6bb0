"""BRAVO: ballot-polling risk-limiting audits, Wald's sequential probability ratio test.

Method: Lindeman, Stark and Yates (2012), "BRAVO: Ballot-polling Risk-limiting Audits to Verify
Outcomes", EVT/WOTE '12. Ballots are drawn with replacement. For each (reported winner w,
reported loser l) pair, with reported votes v_w, v_l:

    s = v_w / (v_w + v_l)                   w's share of the ballots that show w or l
    T = Π  2s        for each drawn ballot showing w
        Π  2(1 - s)  for each drawn ballot showing l      (other ballots leave T alone)

T is a nonnegative martingale with mean 1 when the pair is tied (the least favourable wrong
outcome), so by Ville's inequality the chance it ever reaches 1/alpha is at most alpha. A pair is
confirmed once T ≥ 1/alpha at the end of a round; its *risk* is the smallest 1/T over the ends of the
rounds so far (capped at 1). The contest is confirmed when every pair is; its risk is the largest
pair risk. A drawn phantom ballot (Bañuelos and Stark 2012, manifest phantoms) counts as a vote for
the loser of every pair.

Sample sizes, stated exactly:

- **Expected sample size (ASN)**: the paper's approximation (section 5, from Wald):
  ``(ln(1/alpha) + ln(2s)/2) / (p_w ln(2s) + p_l ln(2 - 2s))``, with p_c = v_c / ballots (ballot
  cards containing the contest, undervotes included), rounded up, for the pair that needs most.
  After some rounds, ln(1/alpha) becomes ln(1/(alpha T)) with the pair's current T.
- **The size that stops with probability q** (``bravo_round_size``): rounds are evaluated at
  their end, as audits are run. For a round of m more ballots, assuming the reported tallies
  are right, the number of ballots that show w or l is Binomial(m, p_w + p_l) and, given r of
  them, the number for w is Binomial(r, s); the pair stops when that count reaches
  ``kmin(r)``. The probability is summed exactly (scipy's binomial tails) over r. It is a
  saw-tooth in m (kmin steps up every other ballot or so, and the teeth drift), so the size is
  the *smallest* m with P(m) ≥ q: bisection finds a crossing, then sizes below it are scanned in
  blocks of 256 until a whole block stays below q (the teeth's peaks rise with m). This is what
  r2b2's end-of-round BRAVO reports for its examples. The contest needs the largest size over the
  pairs not yet confirmed; for a two-candidate contest the result is exact, for more
  candidates each pair gets probability ≥ q on its own.
- **Next rounds**: the same, starting from each pair's current T. Sizes are cumulative ballots
  to have drawn (``drawn`` is what has been drawn so far, every ballot counted).

Cross-checks in the tests: the ASNs of the paper's Table 1 as reproduced by rlacalc 0.4.0 and
r2b2, rlacalc's ballot-polling risk levels for two Colorado 2018 counties, and r2b2's
end-of-round BRAVO kmins and round sizes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import binom

from ballotguard.audit.contest import Contest, check_risk_limit
from ballotguard.errors import InvalidAuditParameter

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _check_probability(q: float) -> float:
    if isinstance(q, bool) or not isinstance(q, int | float) or math.isnan(q) or not 0 < q < 1:
        raise InvalidAuditParameter(
            "stopping_probability", f"{q!r} must lie strictly between 0 and 1"
        )
    return float(q)


def _check_count(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidAuditParameter(field, f"{value!r} is not a count of ballots")
    return value


def _plurality(contest: Contest) -> Contest:
    if contest.supermajority is not None:
        raise InvalidAuditParameter("contest", "BRAVO here audits plurality contests")
    return contest


@dataclass(frozen=True)
class _Pair:
    winner: str
    loser: str
    share: float  # s
    up: float  # ln(2s) > 0, a ballot for the winner
    down: float  # ln(2 - 2s) < 0, a ballot for the loser
    fraction: float  # (v_w + v_l) / ballots, capped at 1


def _pairs(contest: Contest) -> list[_Pair]:
    out = []
    for winner, loser in contest.pairs():
        s = contest.winner_share(winner, loser)
        down = math.log(2 - 2 * s) if s < 1 else -math.inf
        out.append(
            _Pair(
                winner,
                loser,
                s,
                math.log(2 * s),
                down,
                min(1.0, contest.pair_fraction(winner, loser)),
            )
        )
    return out


def _log_statistic(pair: _Pair, winner_votes: int, loser_votes: int) -> float:
    if loser_votes and pair.down == -math.inf:
        return -math.inf
    return winner_votes * pair.up + (loser_votes * pair.down if loser_votes else 0.0)


# -- risk ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairRisk:
    """One pair after the rounds so far: ln T at the end of each round, and the pair's risk."""

    winner: str
    loser: str
    winner_share: float
    log_statistics: tuple[float, ...]
    risk: float
    confirmed: bool


@dataclass(frozen=True)
class BravoRisk:
    """BRAVO's measured risk of a contest: per pair, and the contest's (the largest)."""

    contest: str
    pairs: Mapping[tuple[str, str], PairRisk]
    risk: float
    confirmed: bool


def _check_samples(
    contest: Contest, samples: Sequence[Mapping[str, int]], phantoms: Sequence[int]
) -> None:
    if phantoms and len(phantoms) != len(samples):
        raise InvalidAuditParameter("phantoms", f"{len(phantoms)} counts for {len(samples)} rounds")
    previous: Mapping[str, int] = {}
    for j, sample in enumerate(samples, start=1):
        for candidate, votes in sample.items():
            if candidate not in contest.tally:
                raise InvalidAuditParameter(
                    f"rounds[{j}].{candidate}", f"not a candidate in contest {contest.name!r}"
                )
            _check_count(votes, f"rounds[{j}].{candidate}")
            if votes < previous.get(candidate, 0):
                raise InvalidAuditParameter(
                    f"rounds[{j}].{candidate}",
                    f"{votes} is fewer than the {previous[candidate]} of the round before: "
                    "counts are cumulative",
                )
        previous = sample
    last = 0
    for j, count in enumerate(phantoms, start=1):
        _check_count(count, f"phantoms[{j}]")
        if count < last:
            raise InvalidAuditParameter(f"phantoms[{j}]", "phantom counts are cumulative")
        last = count


def bravo_risk(
    contest: Contest,
    alpha: float,
    samples: Sequence[Mapping[str, int]],
    *,
    phantoms: Sequence[int] = (),
) -> BravoRisk:
    """Risk of a contest after rounds given as cumulative sampled votes per candidate.

    ``samples[j]`` counts, for round j and all rounds before it, the drawn ballots showing each
    candidate (a ballot drawn twice counts twice). ``phantoms[j]``, if given, counts the drawn
    phantom ballots the same way.
    """
    alpha = check_risk_limit(alpha)
    _plurality(contest)
    _check_samples(contest, samples, phantoms)
    threshold = math.log(1 / alpha)
    pairs: dict[tuple[str, str], PairRisk] = {}
    for pair in _pairs(contest):
        logs = tuple(
            _log_statistic(
                pair,
                sample.get(pair.winner, 0),
                sample.get(pair.loser, 0) + (phantoms[j] if phantoms else 0),
            )
            for j, sample in enumerate(samples)
        )
        best = max(logs, default=0.0)
        risk = 1.0 if best <= 0 else math.exp(-best)
        pairs[(pair.winner, pair.loser)] = PairRisk(
            pair.winner, pair.loser, pair.share, logs, risk, best >= threshold
        )
    risk = max((p.risk for p in pairs.values()), default=0.0)
    confirmed = all(p.confirmed for p in pairs.values())
    return BravoRisk(contest.name, pairs, risk, confirmed)


def _current_logs(
    contest: Contest,
    alpha: float,
    samples: Sequence[Mapping[str, int]],
    phantoms: Sequence[int],
) -> list[tuple[_Pair, float, bool]]:
    """Each pair, its ln T now, and whether it is already confirmed."""
    measured = bravo_risk(contest, alpha, samples, phantoms=phantoms)
    out = []
    for pair in _pairs(contest):
        risk = measured.pairs[(pair.winner, pair.loser)]
        now = risk.log_statistics[-1] if risk.log_statistics else 0.0
        out.append((pair, now, risk.confirmed))
    return out


# -- sizes ---------------------------------------------------------------------------------------


def bravo_expected_sample_size(
    contest: Contest,
    alpha: float,
    samples: Sequence[Mapping[str, int]] = (),
    *,
    phantoms: Sequence[int] = (),
) -> int:
    """BRAVO's ASN: the expected number of *further* ballots to confirm every pair.

    Zero when the contest is already confirmed. See the module docstring for the formula.
    """
    alpha = check_risk_limit(alpha)
    _plurality(contest)
    needed = 0
    for pair, now, confirmed in _current_logs(contest, alpha, samples, phantoms):
        if confirmed:
            continue
        p_w = pair.fraction * pair.share
        p_l = pair.fraction * (1 - pair.share)
        drift = p_w * pair.up + (p_l * pair.down if p_l else 0.0)
        remaining = math.log(1 / alpha) - now + pair.up / 2
        needed = max(needed, math.ceil(remaining / drift))
    return needed


def bravo_kmin(
    contest: Contest, alpha: float, winner: str, loser: str, relevant: int
) -> int | None:
    """The fewest ballots for ``winner`` among ``relevant`` ballots showing winner or loser
    that confirm the pair from the start (``None`` if even ``relevant`` do not)."""
    alpha = check_risk_limit(alpha)
    _check_count(relevant, "relevant")
    for pair in _pairs(_plurality(contest)):
        if (pair.winner, pair.loser) == (winner, loser):
            kmins = _kmins(pair, math.log(1 / alpha), np.array([relevant], dtype=np.int64))
            k = int(kmins[0])
            return None if k > relevant else k
    raise InvalidAuditParameter("pair", f"({winner!r}, {loser!r}) is not a winner-loser pair")


def _kmins(pair: _Pair, deficit: float, relevant: IntArray) -> IntArray:
    """Per r in ``relevant``: the smallest j with j·up + (r - j)·down ≥ deficit (r + 1 if none)."""
    r = relevant.astype(np.float64)
    if pair.down == -math.inf:  # every vote is the winner's: j = r works iff r·up ≥ deficit
        return np.where(r * pair.up >= deficit, relevant, relevant + 1).astype(np.int64)

    def holds(j: NDArray[np.float64]) -> NDArray[np.bool_]:
        return np.asarray(j * pair.up + (r - j) * pair.down >= deficit)

    j = np.ceil((deficit - r * pair.down) / (pair.up - pair.down))
    j = np.maximum(j, 0.0)
    j = np.where((j > 0) & holds(j - 1), j - 1, j)  # float rounding, one step either way
    j = np.where(holds(j), j, j + 1)
    return np.minimum(j, r + 1).astype(np.int64)


def _pair_probability(pair: _Pair, deficit: float, more: int) -> float:
    """P[the pair is confirmed at the end of a round of ``more`` ballots], reported shares."""
    if deficit <= 0:
        return 1.0
    if more <= 0:
        return 0.0
    lo, hi = _window(pair, more)
    relevant = np.arange(lo, hi + 1, dtype=np.int64)
    weights = binom.pmf(relevant, more, pair.fraction)
    kmins = _kmins(pair, deficit, relevant)
    tails = binom.sf(kmins - 1, relevant, pair.share)
    return float(np.clip(np.sum(weights * tails), 0.0, 1.0))


def bravo_stopping_probability(
    contest: Contest,
    alpha: float,
    size: int,
    samples: Sequence[Mapping[str, int]] = (),
    *,
    drawn: int = 0,
    phantoms: Sequence[int] = (),
) -> float:
    """The chance that a round ending at ``size`` cumulative ballots confirms the contest's
    weakest pair, if the reported tallies are right (the smallest probability over the pairs
    not yet confirmed; 1 when all are)."""
    alpha = check_risk_limit(alpha)
    _check_count(size, "size")
    _check_count(drawn, "drawn")
    threshold = math.log(1 / alpha)
    chances = [
        _pair_probability(pair, threshold - now, size - drawn)
        for pair, now, confirmed in _current_logs(_plurality(contest), alpha, samples, phantoms)
        if not confirmed
    ]
    return min(chances, default=1.0)


def bravo_round_size(
    contest: Contest,
    alpha: float,
    q: float = 0.9,
    samples: Sequence[Mapping[str, int]] = (),
    *,
    drawn: int = 0,
    phantoms: Sequence[int] = (),
) -> int:
    """Cumulative ballots to have drawn so the next round confirms each open pair with
    probability ≥ q (the first round when ``samples`` is empty). ``drawn`` when confirmed."""
    alpha, q = check_risk_limit(alpha), _check_probability(q)
    _check_count(drawn, "drawn")
    threshold = math.log(1 / alpha)
    size = drawn
    for pair, now, confirmed in _current_logs(_plurality(contest), alpha, samples, phantoms):
        if confirmed:
            continue
        size = max(size, drawn + _smallest_size(pair, threshold - now, q))
    return size


_SCAN = 256


def _smallest_size(pair: _Pair, deficit: float, q: float) -> int:
    """The smallest m with P[confirmed after m more ballots] ≥ q (see the module docstring)."""
    hit = _bisect(lambda m: _pair_probability(pair, deficit, m), q)
    relevant = np.arange(hit + 1, dtype=np.int64)
    given = binom.sf(_kmins(pair, deficit, relevant) - 1, relevant, pair.share)
    best, top = hit, hit
    while top > 1:
        bottom = max(1, top - _SCAN)
        found = [m for m in range(bottom, top) if _chance_from(pair, given, m) >= q]
        if not found:
            break
        best, top = min(found), bottom
    return best


def _chance_from(pair: _Pair, given: FloatArray, more: int) -> float:
    """P[confirmed] after ``more`` ballots from P[confirmed | r relevant ballots] (``given``)."""
    lo, hi = _window(pair, more)
    relevant = np.arange(lo, hi + 1, dtype=np.int64)
    return float(np.sum(binom.pmf(relevant, more, pair.fraction) * given[lo : hi + 1]))


def _window(pair: _Pair, more: int) -> tuple[int, int]:
    """The counts of relevant ballots among ``more`` that carry all but ~1e-30 of the mass."""
    mean = more * pair.fraction
    spread = 12 * math.sqrt(more * pair.fraction * (1 - pair.fraction)) + 2
    return max(0, math.floor(mean - spread)), min(more, math.ceil(mean + spread))


def _bisect(chance: Callable[[int], float], q: float) -> int:
    hi = 1
    while chance(hi) < q:
        hi *= 2
        if hi > 1 << 40:
            raise InvalidAuditParameter("stopping_probability", f"no round size reaches {q}")
    lo = hi // 2 if hi > 1 else 0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if chance(mid) >= q:
            hi = mid
        else:
            lo = mid
    return hi
