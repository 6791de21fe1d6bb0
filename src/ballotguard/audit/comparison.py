"""Ballot-level comparison audits: the Kaplan-Markov P-value and super-simple sample sizes.

Methods:

- P. B. Stark (2009), "Risk-limiting post-election audits: P-values from common probability
  inequalities", IEEE Transactions on Information Forensics and Security 4(4): the
  Kaplan-Markov bound on the P-value from the overstatements found in a sample drawn with
  replacement.
- P. B. Stark (2010), "Super-simple simultaneous single-ballot risk-limiting audits",
  EVT/WOTE '10: the error bound ``U = 2 gamma / mu`` per ballot (``mu`` the diluted margin,
  ``gamma`` > 1 the error inflation factor), the sample-size multiplier ``rho`` and the sample
  size ``rho / mu`` that tolerates a set number of 1-vote overstatements.
- M. Lindeman and P. B. Stark (2012), "A Gentle Introduction to Risk-Limiting Audits", IEEE
  Security & Privacy 10(5): the sample size for given discrepancy counts and the expected size
  for given discrepancy rates, as in Stark's online "Tools for Comparison Risk-Limiting
  Election Audits" and rlacalc.

The *diluted margin* ``mu`` is the smallest margin in votes between a reported winner and a
reported loser, divided by the ballot cards in the audit's universe (all contests under audit
share it in a simultaneous audit). Each audited ballot's *overstatement* ``e`` is, in votes, how
much the voting system's record (CVR) overstated the smallest margin, taken as the largest over
the winner-loser pairs of ``(cvr_w - cvr_l) - (audit_w - audit_l)``: 1 or 2 for a one- or two-vote
overstatement, -1 or -2 for understatements, 0 when they agree. A ballot that cannot be found
(a phantom) or has no CVR counts as a two-vote overstatement (Bañuelos and Stark 2012).

After n ballots with overstatements e_1..e_n the Kaplan-Markov P-value is

    P = prod_i (1 - mu / (2 gamma)) / (1 - e_i / (2 gamma))

which with o1, o2, u1, u2 counts of 1- and 2-vote over- and understatements is
``(1 - mu/(2 gamma))^n (1 - 1/(2 gamma))^-o1 (1 - 1/gamma)^-o2 (1 + 1/(2 gamma))^-u1
(1 + 1/gamma)^-u2``. The audit stops when P <= alpha.

Rounding rules follow rlacalc 0.4.0 (the sizes are reproduced there to the ballot): the
*rounded* expected size turns rates into counts with ``ceil`` (1-vote, by default) or Python's
``round`` (half to even; 2-vote, by default) and iterates up to ten times to a fixed point.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ballotguard.audit.contest import Contest, check_risk_limit
from ballotguard.errors import InvalidAuditParameter

DEFAULT_GAMMA = 1.03905
"""The error inflation factor Colorado and rlacalc use by default."""

PHANTOM_OVERSTATEMENT = 2
"""The overstatement counted for a sampled ballot that cannot be found or has no CVR."""


def _check_margin(margin: float) -> float:
    if isinstance(margin, bool) or not isinstance(margin, int | float) or math.isnan(margin):
        raise InvalidAuditParameter("margin", f"{margin!r} is not a number")
    if not 0 < margin <= 1:
        raise InvalidAuditParameter("margin", f"{margin!r} must lie in (0, 1]")
    return float(margin)


def _check_gamma(gamma: float) -> float:
    if isinstance(gamma, bool) or not isinstance(gamma, int | float) or math.isnan(gamma):
        raise InvalidAuditParameter("gamma", f"{gamma!r} is not a number")
    if gamma <= 1:
        raise InvalidAuditParameter("gamma", f"{gamma!r} must be greater than 1")
    return float(gamma)


def _check_count(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidAuditParameter(field, f"{value!r} is not a count (a whole number >= 0)")
    return value


def _check_rate(value: float, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise InvalidAuditParameter(field, f"{value!r} is not a rate")
    if not 0 <= value <= 1:
        raise InvalidAuditParameter(field, f"{value!r} must lie in [0, 1]")
    return float(value)


@dataclass(frozen=True)
class Discrepancies:
    """Counts of 1- and 2-vote overstatements (o1, o2) and understatements (u1, u2)."""

    o1: int = 0
    o2: int = 0
    u1: int = 0
    u2: int = 0

    def __post_init__(self) -> None:
        for name in ("o1", "o2", "u1", "u2"):
            _check_count(getattr(self, name), name)

    @property
    def total(self) -> int:
        return self.o1 + self.o2 + self.u1 + self.u2

    @classmethod
    def from_overstatements(cls, overstatements: Iterable[int]) -> Discrepancies:
        """Counts from per-ballot overstatements in votes (-2..2)."""
        counts = {1: 0, 2: 0, -1: 0, -2: 0}
        for i, e in enumerate(overstatements):
            if isinstance(e, bool) or e not in (-2, -1, 0, 1, 2):
                raise InvalidAuditParameter(f"overstatements[{i}]", f"{e!r} is not in -2..2")
            if e:
                counts[e] += 1
        return cls(counts[1], counts[2], counts[-1], counts[-2])


@dataclass(frozen=True)
class Rates:
    """Expected rates (per audited ballot) of each kind of discrepancy."""

    o1: float = 0.001
    o2: float = 0.0001
    u1: float = 0.001
    u2: float = 0.0001

    def __post_init__(self) -> None:
        for name in ("o1", "o2", "u1", "u2"):
            _check_rate(getattr(self, name), name)


NO_ERRORS = Rates(0.0, 0.0, 0.0, 0.0)


# -- margins and overstatements -------------------------------------------------------------------


def diluted_margin(contests: Iterable[Contest], ballots: int | None = None) -> float:
    """The smallest winner-loser margin in votes over the contests, divided by ``ballots``.

    ``ballots`` is the number of ballot cards in the audit's universe; by default the largest
    ``Contest.ballots`` (one contest: its own ballot cards).
    """
    contests = list(contests)
    if not contests:
        raise InvalidAuditParameter("contests", "no contest to audit")
    universe = (
        max(c.ballots for c in contests) if ballots is None else _check_count(ballots, "ballots")
    )
    smallest = None
    for contest in contests:
        if contest.supermajority is not None:
            raise InvalidAuditParameter(
                "contest", "the comparison margin here is for plurality contests"
            )
        if contest.ballots > universe:
            raise InvalidAuditParameter(
                "ballots", f"{universe} ballot cards, fewer than contest {contest.name!r} has"
            )
        for winner, loser in contest.pairs():
            margin = contest.tally[winner] - contest.tally[loser]
            smallest = margin if smallest is None else min(smallest, margin)
    if smallest is None:
        raise InvalidAuditParameter("contests", "no contest has a reported loser")
    return smallest / universe


def overstatement(
    contest: Contest, cvr: Mapping[str, int] | None, audited: Mapping[str, int] | None
) -> int:
    """How many votes the CVR overstated the contest's weakest margin by, on one ballot.

    ``cvr`` and ``audited`` give the votes (0 or 1) each candidate has on the ballot according
    to the voting system and to the audit board; a missing candidate has 0. ``None`` for either
    (no CVR, or the ballot could not be found) is the worst case, ``PHANTOM_OVERSTATEMENT``.
    """
    if cvr is None or audited is None:
        return PHANTOM_OVERSTATEMENT
    for label, record in (("cvr", cvr), ("audited", audited)):
        for candidate, votes in record.items():
            if candidate not in contest.tally:
                raise InvalidAuditParameter(
                    f"{label}.{candidate}", f"not a candidate in contest {contest.name!r}"
                )
            if isinstance(votes, bool) or votes not in (0, 1):
                raise InvalidAuditParameter(f"{label}.{candidate}", f"{votes!r} is not 0 or 1")
    return max(
        (cvr.get(w, 0) - cvr.get(loser, 0)) - (audited.get(w, 0) - audited.get(loser, 0))
        for w, loser in contest.pairs()
    )


# -- the Kaplan-Markov P-value --------------------------------------------------------------------


def km_p_value(
    margin: float, sampled: int, discrepancies: Discrepancies, gamma: float = DEFAULT_GAMMA
) -> float:
    """The Kaplan-Markov P-value after ``sampled`` ballots with these discrepancies (at most 1)."""
    margin, gamma = _check_margin(margin), _check_gamma(gamma)
    _check_count(sampled, "sampled")
    if discrepancies.total > sampled:
        raise InvalidAuditParameter(
            "discrepancies", f"{discrepancies.total} discrepancies in {sampled} ballots"
        )
    d = discrepancies
    log_p = (
        sampled * math.log(1 - margin / (2 * gamma))
        - d.o1 * math.log(1 - 1 / (2 * gamma))
        - d.o2 * math.log(1 - 1 / gamma)
        - d.u1 * math.log(1 + 1 / (2 * gamma))
        - d.u2 * math.log(1 + 1 / gamma)
    )
    return 1.0 if log_p >= 0 else math.exp(log_p)


def km_p_value_of_overstatements(
    margin: float, overstatements: Iterable[float], gamma: float = DEFAULT_GAMMA
) -> float:
    """The Kaplan-Markov P-value from each sampled ballot's overstatement in votes.

    Overstatements need not be whole (e.g. weighted multi-contest taints) but must be below
    ``2 gamma``, the largest the bound allows.
    """
    margin, gamma = _check_margin(margin), _check_gamma(gamma)
    step = math.log(1 - margin / (2 * gamma))
    log_p = 0.0
    for i, e in enumerate(overstatements):
        if isinstance(e, bool) or not isinstance(e, int | float) or math.isnan(e):
            raise InvalidAuditParameter(f"overstatements[{i}]", f"{e!r} is not a number")
        if e >= 2 * gamma:
            raise InvalidAuditParameter(
                f"overstatements[{i}]", f"{e!r} is at least 2 gamma = {2 * gamma}"
            )
        log_p += step - math.log(1 - e / (2 * gamma))
    return 1.0 if log_p >= 0 else math.exp(log_p)


# -- sample sizes ----------------------------------------------------------------------------------


def sample_size(
    margin: float,
    alpha: float,
    discrepancies: Discrepancies = Discrepancies(),
    gamma: float = DEFAULT_GAMMA,
) -> int:
    """Ballots to audit so that P <= alpha given these discrepancies (rlacalc's ``nmin``).

    At least the number of discrepancies (they were found in that many ballots).
    """
    margin, gamma, alpha = _check_margin(margin), _check_gamma(gamma), check_risk_limit(alpha)
    d = discrepancies
    size = math.ceil(
        -2.0
        * gamma
        * (
            math.log(alpha)
            + d.o1 * math.log(1.0 - 1.0 / (2.0 * gamma))
            + d.o2 * math.log(1.0 - 1.0 / gamma)
            + d.u1 * math.log(1.0 + 1.0 / (2.0 * gamma))
            + d.u2 * math.log(1.0 + 1.0 / gamma)
        )
        / margin
    )
    return max(d.total, size)


def expected_sample_size(
    margin: float, alpha: float, rates: Rates = Rates(), gamma: float = DEFAULT_GAMMA
) -> int | None:
    """The sample size at which P <= alpha if discrepancies occur at exactly these rates.

    ``None`` when the expected overstatements outweigh the margin: the audit would not be
    expected to stop short of a full hand count.
    """
    margin, gamma, alpha = _check_margin(margin), _check_gamma(gamma), check_risk_limit(alpha)
    denominator = (
        math.log(1 - margin / (2 * gamma))
        - rates.o1 * math.log(1 - 1 / (2 * gamma))
        - rates.o2 * math.log(1 - 1 / gamma)
        - rates.u1 * math.log(1 + 1 / (2 * gamma))
        - rates.u2 * math.log(1 + 1 / gamma)
    )
    if denominator >= 0:
        return None
    return math.ceil(math.log(alpha) / denominator)


def expected_sample_size_rounded(
    margin: float,
    alpha: float,
    rates: Rates = Rates(),
    gamma: float = DEFAULT_GAMMA,
    *,
    round_up_1: bool = True,
    round_up_2: bool = False,
) -> int | None:
    """The expected size with whole discrepancy counts, as Stark's tools and rlacalc give it.

    Starting from ``expected_sample_size``, the rates times the size are made whole (``ceil``
    if ``round_up_*``, else ``round``) and ``sample_size`` recomputed, up to ten times, until the
    size stops changing. ``None`` if it does not settle, or if the rates admit no size.
    """
    size = expected_sample_size(margin, alpha, rates, gamma)
    if size is None:
        return None
    last = size
    for _ in range(10):
        one = math.ceil if round_up_1 else round
        two = math.ceil if round_up_2 else round
        counts = Discrepancies(
            int(one(rates.o1 * size)),
            int(two(rates.o2 * size)),
            int(one(rates.u1 * size)),
            int(two(rates.u2 * size)),
        )
        size = sample_size(margin, alpha, counts, gamma)
        if size == last:
            return size
        last = size
    return None


def next_sample_size(
    margin: float,
    alpha: float,
    audited: int,
    discrepancies: Discrepancies,
    gamma: float = DEFAULT_GAMMA,
) -> int | None:
    """The cumulative size to aim for after ``audited`` ballots, assuming the discrepancies
    go on at the rates seen so far (rlacalc's ``nminToGo``; ``round``, not ``ceil``)."""
    _check_count(audited, "audited")
    if audited == 0:
        raise InvalidAuditParameter("audited", "no ballot audited yet: use expected_sample_size")
    if discrepancies.total > audited:
        raise InvalidAuditParameter(
            "discrepancies", f"{discrepancies.total} discrepancies in {audited} ballots"
        )
    d = discrepancies
    rates = Rates(d.o1 / audited, d.o2 / audited, d.u1 / audited, d.u2 / audited)
    return expected_sample_size_rounded(margin, alpha, rates, gamma, round_up_1=False)


def rho(alpha: float, gamma: float = DEFAULT_GAMMA, tolerance: float = 0.2) -> float:
    """Stark (2010)'s sample-size multiplier: the sample ``rho / mu`` confirms the outcome if it
    finds no 2-vote overstatement and at most ``tolerance * rho`` 1-vote overstatements."""
    alpha, gamma = check_risk_limit(alpha), _check_gamma(gamma)
    tolerance = _check_rate(tolerance, "tolerance")
    if tolerance >= 1:
        raise InvalidAuditParameter("tolerance", f"{tolerance!r} must be below 1")
    denominator = 1.0 / (2.0 * gamma) + tolerance * math.log(1.0 - 1.0 / (2.0 * gamma))
    if denominator <= 0:
        raise InvalidAuditParameter(
            "tolerance", f"{tolerance!r} tolerates so many overstatements that no sample suffices"
        )
    return -math.log(alpha) / denominator


def super_simple_sample_size(
    margin: float, alpha: float, gamma: float = DEFAULT_GAMMA, tolerance: float = 0.2
) -> int:
    """Stark (2010)'s initial sample: ``ceil(rho / mu)``."""
    margin = _check_margin(margin)
    return math.ceil(rho(alpha, gamma, tolerance) / margin)
