"""The ALPHA test supermartingale, and audits of many contests from one shared sample.

Method: Stark (2023), "ALPHA: Audit that Learns from Previously Hand-Audited Ballots", Annals of
Applied Statistics 17(1) (arXiv:2201.02707), applied to SHANGRLA's assorters (Stark 2020; see
:mod:`ballotguard.audit.assorters`).

For draws X_1, X_2, … in [0, u] from a population of N cards (without replacement; N = None
means with replacement) and the null "the population mean is ≤ mu" (mu = 1/2 for an assertion),

    T_j = prod_{i ≤ j} ( X_i·eta_i/mu_i + (u - X_i)·(u - eta_i)/(u - mu_i) ) / u,

where mu_i = (N·mu - S_{i-1}) / (N - i + 1) is the null mean of the cards not yet drawn
(S = running sum); mu_i < 0 proves the null false (T = ∞) and mu_i > u proves it true (T = 0
from then on). T is a nonnegative supermartingale under the null, so by Ville's inequality the
chance that it ever reaches 1/alpha is at most alpha: the risk after j draws is
``min(1, 1 / max_{i ≤ j} T_i)``.

eta_i, the guess of the true mean before draw i, is ALPHA's *truncated shrinkage* estimator
(section 2.5.2): ``eta_i = min(u, max((d·eta_0 + S_{i-1}) / (d + i - 1), mu_i + c/sqrt(d + i - 1)))``,
i.e. the sample mean shrunk towards the prior guess eta_0 with weight d, kept above mu_i by a
margin that shrinks like 1/sqrt(i). Defaults: eta_0 = the reported assorter mean, d = 100,
c = (eta_0 - mu)/2. ``fixed=True`` keeps eta_i = eta_0 throughout (with replacement that is
BRAVO's likelihood ratio for two candidates; with eta_0 = u it is the Kaplan-Markov product).

Card-level comparison audits use the overstatement assorter; their default bet is a fixed eta_0
chosen to maximise the expected log-growth of T when the CVRs err at assumed rates
(:func:`comparison_eta`), since shrinking towards the sample mean would pull the bet down to
the no-error value, where T barely grows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ballotguard.audit.assorters import Assorter, Card, Overstatement, assertions
from ballotguard.audit.contest import Contest, check_risk_limit
from ballotguard.errors import InvalidAuditParameter

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Bet:
    """How ALPHA guesses the mean: prior guess eta_0, its weight d, the floor margin c."""

    eta0: float
    d: float = 100.0
    c: float | None = None
    fixed: bool = False


def _check_bet(bet: Bet, u: float, mu: float) -> None:
    if not mu < bet.eta0 <= u:
        raise InvalidAuditParameter("eta0", f"{bet.eta0!r} must lie in ({mu:g}, {u:g}]")
    if bet.d < 0:
        raise InvalidAuditParameter("d", f"{bet.d!r} must be ≥ 0")


def log_statistic(
    x: Sequence[float] | FloatArray,
    u: float,
    bet: Bet,
    population: int | None = None,
    mu: float = 0.5,
) -> FloatArray:
    """log T_j for j = 1..len(x) (-inf where T hit 0, +inf once the null is proved false)."""
    xs = np.asarray(x, dtype=np.float64)
    if xs.size and (xs.min() < 0 or xs.max() > u * (1 + 1e-12)):
        raise InvalidAuditParameter("sample", f"values must lie in [0, {u:g}]")
    _check_bet(bet, u, mu)
    n = xs.size
    if population is not None and n > population:
        raise InvalidAuditParameter(
            "sample", f"{n} draws without replacement from {population} cards"
        )
    j = np.arange(1, n + 1, dtype=np.float64)
    s_prev = np.concatenate(([0.0], np.cumsum(xs)[:-1])) if n else np.zeros(0)
    if population is None:
        mu_j = np.full(n, mu)
    else:
        mu_j = (population * mu - s_prev) / (population - j + 1)
    if bet.fixed:
        eta = np.full(n, bet.eta0)
    else:
        c = (bet.eta0 - mu) / 2 if bet.c is None else bet.c
        weight = bet.d + j - 1
        shrunk = (bet.d * bet.eta0 + s_prev) / np.where(weight > 0, weight, 1.0)
        eta = np.minimum(u, np.maximum(shrunk, mu_j + c / np.sqrt(np.where(weight > 0, weight, 1.0))))
    inside = (mu_j > 0) & (mu_j < u)
    safe_mu = np.where(inside, mu_j, 0.5 * u)
    eta = np.maximum(eta, safe_mu)  # a bet never below the null mean
    with np.errstate(divide="ignore"):
        term = (xs * eta / safe_mu + (u - xs) * (u - eta) / (u - safe_mu)) / u
        log_term = np.log(term)
    log_term = np.where(mu_j <= 0, np.inf, log_term)
    log_term = np.where(mu_j >= u, -np.inf, log_term)
    with np.errstate(invalid="ignore"):
        out = np.cumsum(log_term)
    # once +inf (null proved false) stay +inf; once -inf stay -inf (nan only from inf - inf)
    first_inf = np.flatnonzero(np.isposinf(log_term))
    first_zero = np.flatnonzero(np.isneginf(log_term))
    if first_inf.size and (not first_zero.size or first_inf[0] < first_zero[0]):
        out[first_inf[0] :] = np.inf
    elif first_zero.size:
        out[first_zero[0] :] = -np.inf
    return np.asarray(out, dtype=np.float64)


def risk(log_t: FloatArray) -> float:
    """``min(1, 1 / max_j T_j)``: the measured risk after the whole sample."""
    if log_t.size == 0:
        return 1.0
    top = float(np.max(log_t))
    return 1.0 if top <= 0 else math.exp(-top)


def first_stop(log_t: FloatArray, alpha: float) -> int | None:
    """The number of draws after which T first reached 1/alpha, or None."""
    hits = np.flatnonzero(log_t >= math.log(1 / alpha))
    return int(hits[0]) + 1 if hits.size else None


# -- comparison audits: the bet for assumed error rates --------------------------------------------


@dataclass(frozen=True)
class ErrorRates:
    """Assumed rates (per card) of one- and two-vote over- and understatements in the CVRs."""

    over1: float = 0.0
    over2: float = 0.0
    under1: float = 0.0
    under2: float = 0.0

    def __post_init__(self) -> None:
        for name in ("over1", "over2", "under1", "under2"):
            rate = getattr(self, name)
            if not 0 <= rate < 1:
                raise InvalidAuditParameter(name, f"{rate!r} is not a rate in [0, 1)")
        if self.over1 + self.over2 + self.under1 + self.under2 >= 1:
            raise InvalidAuditParameter("rates", "the error rates add up to 1 or more")

    def outcomes(self) -> list[tuple[float, float]]:
        """(probability, overstatement as a multiple of u) for each kind of card."""
        none = 1 - self.over1 - self.over2 - self.under1 - self.under2
        return [(none, 0.0), (self.over1, 0.5), (self.over2, 1.0),
                (self.under1, -0.5), (self.under2, -1.0)]


def comparison_eta(clca: Overstatement, rates: ErrorRates, mu: float = 0.5) -> float:
    """The fixed eta in (mu, u_B) that maximises E[log term] when CVRs err at ``rates``.

    With no errors assumed the best bet is everything (eta = u_B), which a single two-vote
    overstatement would zero; so the assumed two-vote rate is floored at 1e-4 for the bet.
    """
    u = clca.upper
    outcomes = [(pr, clca.value_for(w)) for pr, w in
                ErrorRates(rates.over1, max(rates.over2, 1e-4), rates.under1,
                           rates.under2).outcomes() if pr > 0]

    def growth(eta: float) -> float:
        return sum(pr * math.log((x * eta / mu + (u - x) * (u - eta) / (u - mu)) / u)
                   for pr, x in outcomes)

    lo, hi = mu, u * (1 - 1e-9)
    for _ in range(200):  # golden-section search on a concave function
        a, b = lo + (hi - lo) * 0.381966, lo + (hi - lo) * 0.618034
        if growth(a) < growth(b):
            lo = a
        else:
            hi = b
    return (lo + hi) / 2


def comparison_sample_size(
    clca: Overstatement,
    alpha: float,
    population: int,
    rates: ErrorRates | None = None,
    bet: Bet | None = None,
) -> int | None:
    """Cards a CLCA must audit to stop if the CVRs err at exactly ``rates``.

    The errors are spread evenly through the sample (the k-th error of a kind falls on draw
    ceil(k / rate)); the answer is the first n at which T_n ≥ 1/alpha, or None if none ≤ N.
    """
    alpha = check_risk_limit(alpha)
    rates = rates or ErrorRates()
    if sum(pr * clca.value_for(w) for pr, w in rates.outcomes()) <= 0.5:
        return None  # errors at these rates cancel the margin: the outcome would be wrong
    bet = bet or Bet(comparison_eta(clca, rates), fixed=True)
    n = 1024
    while True:
        n = min(n, population)
        xs = np.full(n, clca.no_error)
        draws = np.arange(1, n + 1)
        for rate, w in ((rates.over1, 0.5), (rates.over2, 1.0),
                        (rates.under1, -0.5), (rates.under2, -1.0)):
            if rate > 0:
                hit = np.floor(draws * rate) > np.floor((draws - 1) * rate)
                xs[hit] = clca.value_for(w)
        stop = first_stop(log_statistic(xs, clca.upper, bet, population), alpha)
        if stop is not None:
            return stop
        if n == population:
            return None
        n *= 4


# -- audits of many contests from one sample ----------------------------------------------------


@dataclass(frozen=True)
class AssertionRisk:
    assertion: str
    contest: str
    risk: float
    stopped_after: int | None  # draws after which the risk first fell to alpha


@dataclass(frozen=True)
class ContestResult:
    contest: str
    risk: float  # the largest risk of the contest's assertions
    confirmed: bool
    assertions: tuple[AssertionRisk, ...]


@dataclass(frozen=True)
class AuditResult:
    """Per assertion and per contest: what one shared sample says about every contest."""

    alpha: float
    contests: Mapping[str, ContestResult]

    @property
    def confirmed(self) -> bool:
        return all(c.confirmed for c in self.contests.values())


def _collect(alpha: float, rows: list[AssertionRisk]) -> AuditResult:
    by_contest: dict[str, list[AssertionRisk]] = {}
    for row in rows:
        by_contest.setdefault(row.contest, []).append(row)
    contests = {
        name: ContestResult(
            name,
            max(r.risk for r in items),
            all(r.risk <= alpha for r in items),
            tuple(items),
        )
        for name, items in by_contest.items()
    }
    return AuditResult(alpha, contests)


def _check_contests(contests: Sequence[Contest], population: int) -> None:
    names = [c.name for c in contests]
    if len(set(names)) != len(names):
        raise InvalidAuditParameter("contests", "two contests share a name")
    for c in contests:
        if c.ballots > population:
            raise InvalidAuditParameter(
                "population",
                f"{population} cards, but contest {c.name!r} is on {c.ballots} of them",
            )


def polling_audit(
    contests: Sequence[Contest],
    sample: Sequence[Card | None],
    population: int,
    alpha: float,
    *,
    replacement: bool = False,
    d: float = 100.0,
) -> AuditResult:
    """ALPHA ballot polling of every contest's assertions on one shared sample of cards.

    ``sample`` is the cards in draw order, read by hand (``None``: a card not found, the worst
    case); ``population`` the number of cards the sample was drawn from (uniformly). A card
    that does not contain a contest scores 1/2 for its assertions.
    """
    alpha = check_risk_limit(alpha)
    _check_contests(contests, population)
    rows = []
    for contest in contests:
        for a in assertions(contest):
            reported = a.mean_from_tally(contest.tally, population)
            xs = np.array([a.assort(card) for card in sample], dtype=np.float64)
            log_t = log_statistic(xs, a.upper, Bet(reported, d), None if replacement else population)
            rows.append(AssertionRisk(a.name, contest.name, risk(log_t), first_stop(log_t, alpha)))
    return _collect(alpha, rows)


def comparison_audit(
    contests: Sequence[Contest],
    sample: Sequence[tuple[Card | None, Card | None]],
    population: int,
    alpha: float,
    *,
    margins: Mapping[str, float] | None = None,
    rates: ErrorRates | None = None,
    replacement: bool = False,
) -> AuditResult:
    """ALPHA card-level comparison of every contest's assertions on one shared sample.

    ``sample`` is (CVR, manual reading) per drawn card in draw order (``None`` CVR: a phantom;
    ``None`` reading: a card not found). ``margins`` maps an assertion's name to its reported
    margin from the CVRs (:func:`~ballotguard.audit.assorters.reported_margin`); by default the
    margin is taken from the reported tallies over ``population``.
    """
    alpha = check_risk_limit(alpha)
    _check_contests(contests, population)
    rows = []
    for contest in contests:
        for a in assertions(contest):
            if margins is not None and a.name in margins:
                margin = margins[a.name]
            else:
                margin = 2 * a.mean_from_tally(contest.tally, population) - 1
            clca = Overstatement(a, margin)
            bet = Bet(comparison_eta(clca, rates or ErrorRates()), fixed=True)
            xs = np.array([clca.assort(cvr, mvr) for cvr, mvr in sample], dtype=np.float64)
            log_t = log_statistic(xs, clca.upper, bet, None if replacement else population)
            rows.append(AssertionRisk(a.name, contest.name, risk(log_t), first_stop(log_t, alpha)))
    return _collect(alpha, rows)


def assertion_for(contest: Contest, winner: str, loser: str | None = None) -> Assorter:
    """The contest's assertion for ``winner`` (against ``loser`` in a plurality contest)."""
    for a in assertions(contest):
        if a.winner == winner and a.loser == loser:
            return a
    raise InvalidAuditParameter("assertion", f"no assertion {winner!r} vs {loser!r} in {contest.name!r}")
