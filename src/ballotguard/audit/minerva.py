"""MINERVA: round-by-round ballot-polling risk-limiting audits.

Method: Zagórski, McClearn, Morin, McBurnett and Vora (2021), "Minerva — an efficient
risk-limiting ballot polling audit", 30th USENIX Security Symposium (the Athena class:
arXiv:2008.02315). Ballots are drawn with replacement in rounds of pre-set cumulative sizes.

Definitions used here, for one (reported winner w, reported loser l) pair, counting only the
drawn ballots that show w or l (the *relevant* ballots):

- ``p = v_w / (v_w + v_l)`` under the alternative (the reported result), ``1/2`` under the null
  (a tie, the least favourable wrong outcome).
- ``n_1 < n_2 < …`` cumulative relevant ballots at the end of each round, ``K_j`` winner ballots
  among them.
- ``sigma_j(k) = P_null[K_j ≥ k and the audit did not stop in rounds 1..j-1]`` and ``omega_j(k)`` the
  same under the alternative (sub-probability distributions, truncated at each round's kmin).
- ``kmin_j`` is the smallest k > n_j / 2 with ``sigma_j(k) ≤ alpha · omega_j(k)`` and ``omega_j(k) > 0``
  (``None`` when no k ≤ n_j has it: that round cannot stop the audit); the audit stops in round
  j when ``k_j ≥ kmin_j``. The risk this spends under a tie is ``sigma_j(kmin_j) ≤ alpha omega_j(kmin_j)``,
  and the omega_j(kmin_j) of all rounds sum to at most 1, so the chance of confirming a tied (or
  worse) outcome is at most alpha.
- The *risk* of round j is the tail ratio ``sigma_j(k_j) / omega_j(k_j)``; the audit stops when it is at
  most alpha, so the risk reported for an audit is the smallest over its rounds (r2b2's
  ``get_risk_level``).

Round sizes, stated exactly because tools disagree:

- **First round**: the smallest n such that ``P_p[K_1 ≥ kmin_1(n)] ≥ q`` (the probability of
  stopping in round 1 when the reported result is right). That probability is a saw-tooth in n
  (kmin steps up by one every ~2 ballots), so a bisection alone can land above the smallest such
  n; we bisect, then scan every smaller n in blocks until a whole block stays below q (the saw
  tooth's peaks rise with n). r2b2 and Arlo report the bisection point, which can be larger.
- **Later rounds**: the cumulative n reached by bisection on the same probability, now
  conditional on the observed ``k_{j-1}`` and the earlier kmins (one convolution per probe).
- Sizes are in relevant ballots per pair; :func:`minerva_round_size` converts them to ballots to
  draw by dividing by the pair's share of the contest's ballot cards, rounded up, and takes the
  maximum over pairs (r2b2 *multiplies* by that share, which under-draws when there are
  undervotes or other candidates).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.signal import fftconvolve
from scipy.special import bdtrc
from scipy.stats import binom

from ballotguard.audit.contest import Contest, check_risk_limit
from ballotguard.errors import InvalidAuditParameter

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_BLOCK = 2048


# -- checks ----------------------------------------------------------------------------------------


def _check_share(p: float) -> float:
    if not 0.5 < p <= 1:
        raise InvalidAuditParameter("winner_share", f"{p!r} must lie in (1/2, 1]")
    return float(p)


def _check_probability(q: float, field_name: str = "stopping_probability") -> float:
    if isinstance(q, bool) or not isinstance(q, int | float) or not 0 < q < 1 or math.isnan(q):
        raise InvalidAuditParameter(field_name, f"{q!r} must lie strictly between 0 and 1")
    return float(q)


def _check_rounds(rounds: Sequence[int], winner_counts: Sequence[int] | None = None) -> None:
    previous = 0
    for j, n in enumerate(rounds, start=1):
        if isinstance(n, bool) or not isinstance(n, int) or n <= previous:
            raise InvalidAuditParameter(
                f"rounds[{j}]", f"{n!r}: cumulative round sizes must be whole and grow from > 0"
            )
        previous = n
    if winner_counts is None:
        return
    if len(winner_counts) != len(rounds):
        raise InvalidAuditParameter(
            "winner_counts", f"{len(winner_counts)} counts for {len(rounds)} rounds"
        )
    prev_n, prev_k = 0, 0
    for j, (n, k) in enumerate(zip(rounds, winner_counts, strict=True), start=1):
        if isinstance(k, bool) or not isinstance(k, int) or not prev_k <= k <= prev_k + n - prev_n:
            raise InvalidAuditParameter(
                f"winner_counts[{j}]",
                f"{k!r}: cumulative winner ballots must grow by 0..{n - prev_n} in round {j}",
            )
        prev_n, prev_k = n, k


# -- the exact machinery -------------------------------------------------------------------------


def _tail(k: IntArray | int, n: IntArray | int, p: float) -> FloatArray:
    """P[Bin(n, p) ≥ k], elementwise."""
    kk = np.asarray(k, dtype=np.int64) - 1
    nn = np.broadcast_to(np.asarray(n, dtype=np.int64), kk.shape)
    # bdtrc is the binomial survival function as a plain ufunc (scipy.stats adds ~0.2 ms a call)
    out = bdtrc(np.clip(kk, -1, nn), nn, p)
    return np.asarray(np.where(kk >= nn, 0.0, np.where(kk < 0, 1.0, out)), dtype=np.float64)


def _holds(alpha: float, p: float, ns: IntArray, k: IntArray) -> NDArray[np.bool_]:
    """MINERVA's first-round rule ``alpha·P_p[K ≥ k] ≥ P_½[K ≥ k]``.

    Where both tails underflow to 0 (far above kmin) the rule counts as holding, which keeps it
    monotone in k; the kmin found is far below that region, where ``P_p[K ≥ kmin] > 0``.
    """
    kk = np.minimum(k, ns)
    ok = alpha * _tail(kk, ns, p) >= _tail(kk, ns, 0.5)
    return np.asarray(np.where(k > ns, True, ok))


def _scalar_kmin(alpha: float, p: float, n: int) -> int:
    """kmin_1(n) by bisection on k (``n + 1`` when none exists)."""
    lo, hi = n // 2, n + 1  # the rule fails at lo (or lo is below the floor), holds at hi
    one = np.array([n], dtype=np.int64)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if bool(_holds(alpha, p, one, np.array([mid], dtype=np.int64))[0]):
            hi = mid
        else:
            lo = mid
    return hi


def _first_round_kmins(alpha: float, p: float, ns: IntArray) -> IntArray:
    """kmin_1(n) for every n of a block of consecutive sizes (``n + 1`` where none exists).

    Exact kmins at the block's ends, linear interpolation between them, then each entry steps by
    one until the rule holds at kmin and fails at kmin - 1 (the first round's tail ratio is
    monotone in k, so this is the bisection's answer, computed for the whole block at once).
    """
    floor = ns // 2 + 1
    first, last = int(ns[0]), int(ns[-1])
    k_first, k_last = _scalar_kmin(alpha, p, first), _scalar_kmin(alpha, p, last)
    if last > first:
        guess = k_first + np.round((ns - first) * ((k_last - k_first) / (last - first)))
    else:
        guess = np.full(ns.shape, k_first)
    k = np.clip(guess.astype(np.int64), floor, ns + 1)
    while True:
        up = ~_holds(alpha, p, ns, k)
        down = ~up & (k > floor) & _holds(alpha, p, ns, k - 1)
        if not up.any() and not down.any():
            return k
        k = k + up.astype(np.int64) - down.astype(np.int64)


def _first_round_probability(alpha: float, p: float, ns: IntArray) -> FloatArray:
    kmins = _first_round_kmins(alpha, p, ns)
    return np.where(kmins > ns, 0.0, _tail(kmins, ns, p))


def _convolve(dist: FloatArray, step: FloatArray) -> FloatArray:
    small = min(len(dist), len(step)) < 512
    out = np.convolve(dist, step) if small else fftconvolve(dist, step)
    return np.asarray(np.clip(out, 0.0, None), dtype=np.float64)


@dataclass(frozen=True)
class _State:
    """The truncated (not-yet-stopped) distributions after the last round, null and alternative.

    ``null[i]`` and ``alt[i]`` are the probabilities of ``K = offset + i``; mass below 1e-25 at
    either end is dropped (it moves no tail that matters by more than ~1e-19).
    """

    n: int
    offset: int
    null: FloatArray
    alt: FloatArray


_START = _State(0, 0, np.ones(1), np.ones(1))
_CUT = 1e-25


def _step(m: int, p: float) -> tuple[int, FloatArray, FloatArray]:
    """The pmfs of Bin(m, 1/2) and Bin(m, p) on one window holding all but ~1e-300 of both."""
    lo, hi = m, 0
    for prob in (0.5, p):
        sd = math.sqrt(m * prob * (1 - prob))
        lo = min(lo, max(0, math.floor(m * prob - 40 * sd - 5)))
        hi = max(hi, min(m, math.ceil(m * prob + 40 * sd + 5)))
    ks = np.arange(lo, hi + 1)
    null = np.asarray(binom.pmf(ks, m, 0.5), dtype=np.float64)
    alt = np.asarray(binom.pmf(ks, m, p), dtype=np.float64)
    return lo, null, alt


def _trim(state: _State) -> _State:
    keep = np.flatnonzero(np.maximum(state.null, state.alt) > _CUT)
    if keep.size == 0:
        return _State(state.n, state.offset, np.zeros(1), np.zeros(1))
    a, b = int(keep[0]), int(keep[-1]) + 1
    return _State(state.n, state.offset + a, state.null[a:b].copy(), state.alt[a:b].copy())


def _advance(state: _State, n: int, p: float) -> _State:
    lo, null_step, alt_step = _step(n - state.n, p)
    prev = _trim(state)
    null = _convolve(prev.null, null_step)
    alt = _convolve(prev.alt, alt_step)
    return _State(n, prev.offset + lo, null, alt)


def _tails_at(state: _State, k: int) -> tuple[float, float]:
    """sigma(k), omega(k) read from the state's own distributions."""
    i = max(0, k - state.offset)
    return float(state.null[i:].sum()), float(state.alt[i:].sum())


def _kmin(state: _State, alpha: float) -> int | None:
    """The smallest k > n/2 with ``sigma(k) <= alpha omega(k)`` and ``omega(k) > 0``; None if no
    k <= n has it.

    Searched upward from n/2, where the tails are large: far above the mass the FFT's rounding
    noise (~1e-17) would swamp both tails, so the search never looks there for a failure.
    """
    floor = state.n // 2 + 1
    null_tail = np.cumsum(state.null[::-1])[::-1]
    alt_tail = np.cumsum(state.alt[::-1])[::-1]
    # below the window every tail is the whole remaining mass
    if floor < state.offset and alt_tail[0] > 0 and alpha * alt_tail[0] >= null_tail[0]:
        return floor
    first = max(0, floor - state.offset)
    holds = (alpha * alt_tail[first:] >= null_tail[first:]) & (alt_tail[first:] > 0)
    found = np.flatnonzero(holds)
    if not found.size:
        return None
    kmin = int(found[0]) + first + state.offset
    return kmin if kmin <= state.n else None


def _truncate(state: _State, kmin: int | None) -> _State:
    if kmin is None:
        return state
    cut = kmin - state.offset
    if cut <= 0:
        return _State(state.n, state.offset, np.zeros(1), np.zeros(1))
    return _State(state.n, state.offset, state.null[:cut].copy(), state.alt[:cut].copy())


def _exact_tails(previous: _State, n: int, p: float, k: int) -> tuple[float, float]:
    """sigma(k), omega(k) for the round ending at ``n``, summed term by term (accurate in far
    tails)."""
    m = n - previous.n
    i = previous.offset + np.arange(len(previous.null))
    sigma = float(np.sum(previous.null * _tail(k - i, m, 0.5)))
    omega = float(np.sum(previous.alt * _tail(k - i, m, p)))
    return sigma, omega


# -- pairwise API -------------------------------------------------------------------------------


def minerva_kmins(p: float, alpha: float, rounds: Sequence[int]) -> tuple[int | None, ...]:
    """kmin of each round of a cumulative schedule (relevant ballots), for winner share ``p``."""
    p, alpha = _check_share(p), check_risk_limit(alpha)
    _check_rounds(rounds)
    state, kmins = _START, []
    for n in rounds:
        state = _advance(state, n, p)
        kmin = _kmin(state, alpha)
        kmins.append(kmin)
        state = _truncate(state, kmin)
    return tuple(kmins)


@dataclass(frozen=True)
class ScheduledRound:
    """One round of a planned schedule: its kmin and the chance it stops the audit."""

    n: int
    kmin: int | None
    stop_if_reported: float  # P_p[the audit stops in this round]
    stop_if_tied: float  # P_½[the audit stops in this round]: the risk this round spends


def minerva_schedule(p: float, alpha: float, rounds: Sequence[int]) -> tuple[ScheduledRound, ...]:
    """kmins and stopping probabilities of a planned schedule, under the reported result and a tie.

    The tie column sums to at most alpha over any schedule: that is MINERVA's risk limit.
    """
    p, alpha = _check_share(p), check_risk_limit(alpha)
    _check_rounds(rounds)
    state, out = _START, []
    for n in rounds:
        state = _advance(state, n, p)
        kmin = _kmin(state, alpha)
        if kmin is None:
            out.append(ScheduledRound(n, None, 0.0, 0.0))
        else:
            sigma, omega = _tails_at(state, kmin)
            out.append(ScheduledRound(n, kmin, omega, sigma))
        state = _truncate(state, kmin)
    return tuple(out)


@dataclass(frozen=True)
class PairRisk:
    """The MINERVA result of one winner-loser pair after the rounds so far."""

    risks: tuple[float, ...]
    kmins: tuple[int | None, ...]
    stopped_round: int | None

    @property
    def risk(self) -> float:
        return min(self.risks) if self.risks else 1.0


def _pair_history(
    p: float, alpha: float, rounds: Sequence[int], winner_counts: Sequence[int]
) -> tuple[PairRisk, _State]:
    state, risks, kmins = _START, [], []
    stopped: int | None = None
    for j, (n, k) in enumerate(zip(rounds, winner_counts, strict=True), start=1):
        if stopped is not None:
            break
        sigma, omega = _exact_tails(state, n, p, k)
        risks.append(1.0 if omega <= 0 else min(1.0, sigma / omega))
        state = _advance(state, n, p)
        kmin = _kmin(state, alpha)
        kmins.append(kmin)
        if kmin is not None and k >= kmin:
            stopped = j
        state = _truncate(state, kmin)
    return PairRisk(tuple(risks), tuple(kmins), stopped), state


def minerva_pair_risk(
    p: float, alpha: float, rounds: Sequence[int], winner_counts: Sequence[int]
) -> PairRisk:
    """The risk after each round for cumulative relevant-ballot counts and winner counts.

    Rounds after the one that stopped the audit are ignored (there is nothing left to measure).
    """
    p, alpha = _check_share(p), check_risk_limit(alpha)
    _check_rounds(rounds, winner_counts)
    return _pair_history(p, alpha, rounds, winner_counts)[0]


def minerva_first_round_size(
    p: float, alpha: float, q: float = 0.9, *, smallest: bool = False
) -> int:
    """The first round (relevant ballots) that stops with probability ≥ q if p is right.

    By default the smallest n from which on *every* larger first round also reaches q, so that
    drawing a few more ballots than planned never lowers the chance below q; with
    ``smallest=True`` the smallest n that reaches q at all (it can be followed by sizes that do
    not). See the module docstring.
    """
    p, alpha, q = _check_share(p), check_risk_limit(alpha), _check_probability(q)

    def prob(n: int) -> float:
        return float(_first_round_probability(alpha, p, np.array([n], dtype=np.int64))[0])

    hi = max(1, _normal_guess(p, alpha, q))
    while prob(hi) < q:
        hi *= 2
    lo = 0  # prob(0) = 0 < q
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if prob(mid) >= q:
            hi = mid
        else:
            lo = mid
    return _scan_smallest(p, alpha, q, hi) if smallest else _scan_stays(p, alpha, q, hi)


def _block(p: float, alpha: float, start: int, stop: int) -> tuple[IntArray, FloatArray]:
    ns = np.arange(max(1, start), stop, dtype=np.int64)
    return ns, _first_round_probability(alpha, p, ns)


def _scan_smallest(p: float, alpha: float, q: float, hit: int) -> int:
    """Scan below ``hit`` block by block until a whole block's saw-tooth peaks stay below q."""
    best, top = hit, hit
    while top > 1:
        ns, probs = _block(p, alpha, top - _BLOCK, top)
        hits = np.flatnonzero(probs >= q)
        if hits.size:
            best = int(ns[hits[0]])
        elif probs.max() < q:
            break
        top = int(ns[0])
    return best


def _scan_stays(p: float, alpha: float, q: float, hit: int) -> int:
    """One past the largest n below q: blocks above ``hit`` until a block's troughs all reach q,
    then, if none of those fell short, blocks below ``hit`` until one does."""
    last_miss = None
    bottom = hit
    while True:
        ns, probs = _block(p, alpha, bottom, bottom + _BLOCK)
        misses = np.flatnonzero(probs < q)
        if misses.size:
            last_miss = int(ns[misses[-1]])
        else:
            break
        bottom += _BLOCK
    if last_miss is not None:
        return last_miss + 1
    top = hit
    while top > 1:
        ns, probs = _block(p, alpha, top - _BLOCK, top)
        misses = np.flatnonzero(probs < q)
        if misses.size:
            return int(ns[misses[-1]]) + 1
        top = int(ns[0])
    return 1


def _normal_guess(p: float, alpha: float, q: float) -> int:
    from scipy.stats import norm

    z = float(norm.isf(alpha * q)) + float(norm.isf(1 - q)) * 2 * math.sqrt(p * (1 - p))
    return max(1, math.ceil((z / (2 * p - 1)) ** 2))


def minerva_stopping_probability(
    p: float,
    alpha: float,
    n: int,
    rounds: Sequence[int] = (),
    winner_counts: Sequence[int] = (),
) -> float:
    """The chance, if p is right, that a round ending at cumulative ``n`` stops the audit.

    ``rounds``/``winner_counts`` are the rounds already drawn (none for the first round).
    """
    p, alpha = _check_share(p), check_risk_limit(alpha)
    _check_rounds([*rounds, n], [*winner_counts, winner_counts[-1] if winner_counts else 0])
    result, state = _pair_history(p, alpha, rounds, winner_counts)
    if result.stopped_round is not None:
        return 1.0
    return _probability_after(state, alpha, p, n, winner_counts[-1] if winner_counts else 0)


def _probability_after(state: _State, alpha: float, p: float, n: int, k_prev: int) -> float:
    if state.n == 0:
        return float(_first_round_probability(alpha, p, np.array([n], dtype=np.int64))[0])
    nxt = _advance(state, n, p)
    kmin = _kmin(nxt, alpha)
    if kmin is None:
        return 0.0
    return float(_tail(kmin - k_prev, n - state.n, p))


def minerva_next_round_size(
    p: float,
    alpha: float,
    rounds: Sequence[int],
    winner_counts: Sequence[int],
    q: float = 0.9,
    limit: int | None = None,
) -> int | None:
    """The cumulative size of the next round (relevant ballots) that stops with probability ≥ q.

    Found by bisection (see the module docstring). ``None`` when the audit already stopped or no
    size up to ``limit`` (default: 64 times the rounds so far, at least 10⁷) reaches q.
    """
    p, alpha, q = _check_share(p), check_risk_limit(alpha), _check_probability(q)
    if not rounds:
        return minerva_first_round_size(p, alpha, q)
    _check_rounds(rounds, winner_counts)
    result, state = _pair_history(p, alpha, rounds, winner_counts)
    if result.stopped_round is not None:
        return None
    k_prev, n_prev = winner_counts[-1], rounds[-1]
    cap = limit if limit is not None else max(10_000_000, 64 * n_prev)
    lo, hi = n_prev, n_prev + max(1, _normal_guess(p, alpha, q))
    while _probability_after(state, alpha, p, hi, k_prev) < q:
        lo = hi
        hi = n_prev + 2 * (hi - n_prev)
        if hi > cap:
            return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _probability_after(state, alpha, p, mid, k_prev) >= q:
            hi = mid
        else:
            lo = mid
    return hi


# -- contest API ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContestRisk:
    """MINERVA's measured risk of a contest: per pair, and the contest's (the largest)."""

    contest: str
    pairs: Mapping[tuple[str, str], PairRisk]
    risk: float
    confirmed: bool


def _pair_counts(
    contest: Contest, winner: str, loser: str, samples: Sequence[Mapping[str, int]]
) -> tuple[list[int], list[int]]:
    rounds, counts = [], []
    for j, sample in enumerate(samples, start=1):
        for candidate, votes in sample.items():
            if candidate not in contest.tally:
                raise InvalidAuditParameter(
                    f"rounds[{j}].{candidate}", f"not a candidate in contest {contest.name!r}"
                )
            if isinstance(votes, bool) or not isinstance(votes, int) or votes < 0:
                raise InvalidAuditParameter(
                    f"rounds[{j}].{candidate}", f"{votes!r} is not a count of ballots"
                )
        rounds.append(sample.get(winner, 0) + sample.get(loser, 0))
        counts.append(sample.get(winner, 0))
    return rounds, counts


def minerva_risk(
    contest: Contest, alpha: float, samples: Sequence[Mapping[str, int]]
) -> ContestRisk:
    """Risk of a contest after rounds given as cumulative sampled votes per candidate.

    Every (winner, loser) pair is audited on the ballots that show either; the contest is
    confirmed when every pair stopped; its risk is the largest pair risk.
    """
    alpha = check_risk_limit(alpha)
    if contest.supermajority is not None:
        raise InvalidAuditParameter("contest", "MINERVA here audits plurality contests")
    pairs: dict[tuple[str, str], PairRisk] = {}
    for winner, loser in contest.pairs():
        rounds, counts = _pair_counts(contest, winner, loser, samples)
        keep = _strictly_growing(rounds)
        rounds = [rounds[i] for i in keep]
        counts = [counts[i] for i in keep]
        _check_rounds(rounds, counts)
        p = contest.winner_share(winner, loser)
        pairs[(winner, loser)] = _pair_history(p, alpha, rounds, counts)[0]
    risk = max((r.risk for r in pairs.values()), default=0.0)
    confirmed = all(r.stopped_round is not None for r in pairs.values())
    return ContestRisk(contest.name, pairs, risk, confirmed)


def _strictly_growing(rounds: Sequence[int]) -> list[int]:
    """Indices of the rounds that added relevant ballots (a round may add none for a pair)."""
    keep, last = [], 0
    for i, n in enumerate(rounds):
        if n > last:
            keep.append(i)
            last = n
    return keep


def minerva_round_size(
    contest: Contest,
    alpha: float,
    q: float = 0.9,
    samples: Sequence[Mapping[str, int]] = (),
) -> int:
    """Ballots to draw in total (cumulative) so the next round stops with probability ≥ q.

    Per pair: the MINERVA size in relevant ballots, divided by the pair's share of the contest's
    ballot cards (rounded up); the contest needs the largest over the pairs not yet stopped.
    """
    alpha, q = check_risk_limit(alpha), _check_probability(q)
    drawn = sum(samples[-1].values()) if samples else 0
    sizes = [drawn]
    for winner, loser in contest.pairs():
        rounds, counts = _pair_counts(contest, winner, loser, samples)
        keep = _strictly_growing(rounds)
        rounds = [rounds[i] for i in keep]
        counts = [counts[i] for i in keep]
        p = contest.winner_share(winner, loser)
        relevant = minerva_next_round_size(p, alpha, rounds, counts, q)
        if relevant is None:
            continue
        share = min(1.0, contest.pair_fraction(winner, loser))
        new_relevant = relevant - (rounds[-1] if rounds else 0)
        sizes.append(drawn + math.ceil(new_relevant / share))
    return max(sizes)
