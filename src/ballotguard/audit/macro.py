"""Batch-level comparison audits with MACRO and sampling proportional to error bounds (PPEB).

Method: Stark (2008), "A sharper discrepancy measure for post-election audits", Annals of
Applied Statistics 2(3): the *maximum across-contest relative overstatement* (MACRO) of batch p
is

    e_p = max over contests c, reported winners w, reported losers l of
          ((v_pw - v_pl) - (a_pw - a_pl)) / V_wl,

with v the reported and a the audited (hand-counted) votes of batch p and V_wl = v_w - v_l the
reported contest-wide margin in votes. Every reported outcome is right if sum_p e_p < 1. Each
batch has an a-priori bound u_p = max (v_pw - v_pl + b_p) / V_wl (all b_p ballots of the batch
really for the loser), and U = sum_p u_p.

Sampling: n draws with replacement, batch p with probability u_p / U (PPEB; Aslam, Popa and
Rivest 2008). The P-value is the Kaplan-Markov bound for PPEB with taints t_j = e_pj / u_pj
(Stark 2009, "Risk-limiting post-election audits: P-values from common probability
inequalities", IEEE TIFS 4(4)): ``P = prod_j (1 - 1/U) / (1 - t_j)``. The sample size for an
expected taint t at rate r solves ``n ln(1 - 1/U) - n r ln(1 - t) <= ln alpha``; with no error
expected, ``n = ceil(ln alpha / ln(1 - 1/U))``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ballotguard.audit.contest import Contest, check_risk_limit
from ballotguard.errors import InvalidAuditParameter, NegativeVotes

Counts = Mapping[str, Mapping[str, int]]  # contest -> candidate -> votes


@dataclass(frozen=True)
class Batch:
    """A batch as reported: its ballots and its reported votes per contest on it."""

    name: str
    ballots: int
    reported: Counts

    def __post_init__(self) -> None:
        if self.ballots < 0:
            raise InvalidAuditParameter(f"batches.{self.name}.ballots", f"{self.ballots} < 0")
        _check_counts(self.name, self.reported)


def _check_counts(batch: str, counts: Counts) -> None:
    for contest, tally in counts.items():
        for candidate, votes in tally.items():
            if votes < 0:
                raise NegativeVotes(candidate, votes, f"{contest} (batch {batch})")


def _pairs(contests: Sequence[Contest]) -> list[tuple[Contest, str, str, int]]:
    out = []
    for c in contests:
        if c.supermajority is not None:
            raise InvalidAuditParameter("contests", "MACRO here audits plurality contests")
        for w, loser in c.pairs():
            out.append((c, w, loser, c.tally[w] - c.tally[loser]))
    return out


def error_bound(batch: Batch, contests: Sequence[Contest]) -> float:
    """u_p: the largest relative overstatement the batch could hold (0 if it holds none)."""
    best = 0.0
    for c, w, loser, margin in _pairs(contests):
        tally = batch.reported.get(c.name)
        if tally is None:
            continue
        best = max(best, (tally.get(w, 0) - tally.get(loser, 0) + batch.ballots) / margin)
    return best


def macro(batch: Batch, audited: Counts, contests: Sequence[Contest]) -> float:
    """e_p: the batch's maximum across-contest relative overstatement (negative: understated)."""
    _check_counts(batch.name, audited)
    best = -math.inf
    for c, w, loser, margin in _pairs(contests):
        reported = batch.reported.get(c.name)
        if reported is None:
            continue
        actual = audited.get(c.name)
        if actual is None:
            raise InvalidAuditParameter(
                f"audited.{batch.name}.{c.name}", "the hand count of this contest is missing"
            )
        e = ((reported.get(w, 0) - reported.get(loser, 0)) - (actual.get(w, 0) - actual.get(loser, 0)))
        best = max(best, e / margin)
    return best if best > -math.inf else 0.0


def total_error_bound(batches: Sequence[Batch], contests: Sequence[Contest]) -> float:
    """U = sum of u_p; must exceed 1 for an audit to be needed at all."""
    names = [b.name for b in batches]
    if len(set(names)) != len(names):
        raise InvalidAuditParameter("batches", "two batches share a name")
    return sum(error_bound(b, contests) for b in batches)


def selection_probabilities(batches: Sequence[Batch], contests: Sequence[Contest]) -> dict[str, float]:
    """PPEB: the chance each draw picks each batch, u_p / U."""
    total = total_error_bound(batches, contests)
    return {b.name: error_bound(b, contests) / total for b in batches}


def p_value(total_bound: float, taints: Sequence[float]) -> float:
    """Kaplan-Markov P-value for PPEB draws with taints t_j = e_p / u_p (each ≤ 1)."""
    if total_bound <= 1:
        raise InvalidAuditParameter("total_error_bound", f"{total_bound!r} must exceed 1")
    log_p = 0.0
    for j, t in enumerate(taints, start=1):
        if t > 1 + 1e-12:
            raise InvalidAuditParameter(f"taints[{j}]", f"{t!r}: a taint cannot exceed 1")
        if t >= 1:
            return 1.0
        log_p += math.log(1 - 1 / total_bound) - math.log(1 - t)
    return min(1.0, math.exp(log_p))


def taint(batch: Batch, audited: Counts, contests: Sequence[Contest]) -> float:
    """t = e_p / u_p for a drawn batch."""
    bound = error_bound(batch, contests)
    return 0.0 if bound == 0 else macro(batch, audited, contests) / bound


def sample_size(
    total_bound: float, alpha: float, taint_rate: float = 0.0, expected_taint: float = 0.0
) -> int:
    """Draws (PPEB, with replacement) to reach ``alpha`` if a fraction ``taint_rate`` of the
    draws show taint ``expected_taint`` and the rest none."""
    alpha = check_risk_limit(alpha)
    if total_bound <= 1:
        raise InvalidAuditParameter("total_error_bound", f"{total_bound!r} must exceed 1")
    if not 0 <= taint_rate < 1:
        raise InvalidAuditParameter("taint_rate", f"{taint_rate!r} must lie in [0, 1)")
    if not 0 <= expected_taint < 1:
        raise InvalidAuditParameter("expected_taint", f"{expected_taint!r} must lie in [0, 1)")
    per_draw = math.log(1 - 1 / total_bound) - taint_rate * math.log(1 - expected_taint)
    if per_draw >= 0:
        raise InvalidAuditParameter(
            "expected_taint", "at that rate of error the audit never stops: count by hand"
        )
    return math.ceil(math.log(alpha) / per_draw - 1e-9)
