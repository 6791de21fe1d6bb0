"""Measuring a round of an audit and sizing the next one: the risk of every contest from the
ballots (or batches) read so far, and whether the audit stops, goes on or needs a full hand count.

The methods and the papers they follow are in :mod:`~ballotguard.audit.workflow`'s docstring;
the sizes are stated there exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ballotguard.audit import alpha as alpha_test
from ballotguard.audit import macro
from ballotguard.audit.assorters import Card, Overstatement, assertions
from ballotguard.audit.bravo import bravo_risk, bravo_round_size
from ballotguard.audit.contest import Contest
from ballotguard.audit.draws import (
    FrameBatch,
)
from ballotguard.audit.minerva import minerva_risk, minerva_round_size
from ballotguard.audit.workflow import (
    ASSUMED_RATES,
    Audit,
    AuditContest,
    ContestStatus,
    Decision,
    Method,
    Reading,
    SampledUnit,
)
from ballotguard.errors import InvalidAuditParameter, NoMargin

# -- measuring a round ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What a measurement needs: the frame, every draw so far, the agreed readings, and for
    comparison audits the reported records (CVRs by ballot id; batches with reported votes)."""

    population: int
    jurisdiction_ballots: Mapping[str, int]
    draws: Sequence[SampledUnit]
    readings: Mapping[str, Reading]
    cvrs: Mapping[str, Card] = field(default_factory=dict)
    batches: Sequence[FrameBatch] = ()

    def rounds(self) -> list[int]:
        return sorted({d.round for d in self.draws})

    def reading(self, unit: SampledUnit) -> Reading | None:
        """None: the worst case (a phantom, or a ballot that was not found)."""
        if unit.phantom:
            return None
        reading = self.readings.get(unit.unit_id)
        if reading is None:
            raise InvalidAuditParameter("readings", f"{unit.unit_id!r} has no confirmed reading")
        return None if reading.not_found else reading


@dataclass(frozen=True)
class ContestMeasure:
    contest: str
    risk: float
    confirmed: bool
    sampled: int  # draws that count for the contest


def _frame_of(audit: Audit, contest: AuditContest, evidence: Evidence) -> int:
    names = contest.jurisdictions or tuple(j.name for j in audit.jurisdictions)
    return sum(evidence.jurisdiction_ballots[n] for n in names)


def _polling_counts(
    contest: AuditContest, evidence: Evidence
) -> tuple[list[dict[str, int]], list[int], int]:
    """Cumulative votes per candidate, and phantoms/not-found, at the end of each round."""
    seats = len(contest.winners)
    counts: dict[str, int] = {}
    worst = 0
    drawn = 0
    samples: list[dict[str, int]] = []
    phantoms: list[int] = []
    for r in evidence.rounds():
        for unit in evidence.draws:
            if unit.round != r or not contest.in_jurisdiction(unit.jurisdiction):
                continue
            drawn += 1
            reading = evidence.reading(unit)
            if reading is None:
                worst += 1
                continue
            marks = reading.marks.get(contest.name, ())
            if 0 < len(marks) <= seats:
                for m in marks:
                    counts[m] = counts.get(m, 0) + 1
        samples.append(dict(counts))
        phantoms.append(worst)
    return samples, phantoms, drawn


def _with_worst(contest: Contest, samples: list[dict[str, int]], worst: list[int]) -> list[dict[str, int]]:
    """Phantoms and missing ballots as a vote for every reported loser (MINERVA's input)."""
    out = []
    for sample, w in zip(samples, worst, strict=True):
        s = dict(sample)
        for loser in contest.losers:
            s[loser] = s.get(loser, 0) + w
        out.append(s)
    return out


def _cards(evidence: Evidence) -> list[Card | None]:
    cards: list[Card | None] = []
    for unit in evidence.draws:
        reading = evidence.reading(unit)
        cards.append(None if reading is None else dict(reading.marks))
    return cards


def clca_margins(audit: Audit, cvrs: Mapping[str, Card], population: int) -> dict[str, float]:
    """Each assertion's reported margin over the frame from the CVRs (no CVR: 1/2, a phantom)."""
    margins = {}
    for c in audit.contests:
        for a in assertions(c.contest()):
            total = sum(a.assort_cvr(card) for card in cvrs.values())
            total += (population - len(cvrs)) * 0.5
            margin = 2 * total / population - 1
            if margin <= 0:
                raise NoMargin(c.name, f"the CVRs do not show the reported outcome ({a.name}: "
                               f"margin {margin:.6f})")
            margins[a.name] = margin
    return margins


def measure(audit: Audit, evidence: Evidence) -> dict[str, ContestMeasure]:
    """The risk of every contest after every draw so far (contests not yet confirmed, and
    confirmed ones too: a confirmed contest stays confirmed)."""
    alpha = audit.risk_limit
    out: dict[str, ContestMeasure] = {}
    if audit.method in (Method.BRAVO, Method.MINERVA):
        for c in audit.contests:
            contest = c.contest()
            samples, worst, drawn = _polling_counts(c, evidence)
            if audit.method is Method.BRAVO:
                b = bravo_risk(contest, alpha, samples, phantoms=worst)
                out[c.name] = ContestMeasure(c.name, b.risk, b.confirmed, drawn)
            else:
                m = minerva_risk(contest, alpha, _with_worst(contest, samples, worst))
                out[c.name] = ContestMeasure(c.name, m.risk, m.confirmed, drawn)
        return out
    if audit.method is Method.ALPHA_POLLING:
        result = alpha_test.polling_audit([c.contest() for c in audit.contests], _cards(evidence),
                                          evidence.population, alpha)
        return {name: ContestMeasure(name, r.risk, r.confirmed, len(evidence.draws))
                for name, r in result.contests.items()}
    if audit.method is Method.CLCA:
        pairs: list[tuple[Card | None, Card | None]] = []
        for unit, card in zip(evidence.draws, _cards(evidence), strict=True):
            pairs.append((None if unit.phantom else evidence.cvrs.get(unit.unit_id), card))
        margins = clca_margins(audit, evidence.cvrs, evidence.population)
        result = alpha_test.comparison_audit([c.contest() for c in audit.contests], pairs,
                                             evidence.population, alpha, margins=margins)
        return {name: ContestMeasure(name, r.risk, r.confirmed, len(evidence.draws))
                for name, r in result.contests.items()}
    p = _macro_p_value(audit, evidence)
    return {c.name: ContestMeasure(c.name, p, p <= alpha, len(evidence.draws))
            for c in audit.contests}


def _macro_taints(audit: Audit, evidence: Evidence) -> tuple[float, list[float]]:
    contests = [c.contest() for c in audit.contests]
    batches = {b.key: b for b in evidence.batches}
    total = macro.total_error_bound([b.as_macro() for b in evidence.batches], contests)
    taints = []
    for unit in evidence.draws:
        reading = evidence.reading(unit)
        if reading is None:
            taints.append(1.0)
            continue
        taints.append(min(1.0, macro.taint(batches[unit.unit_id].as_macro(), reading.counts,
                                           contests)))
    return total, taints


def _macro_p_value(audit: Audit, evidence: Evidence) -> float:
    total, taints = _macro_taints(audit, evidence)
    return macro.p_value(total, taints)


# -- sizing the next round -------------------------------------------------------------------------


def _even(count: int, rates: Sequence[float]) -> np.ndarray:
    """Which of ``count`` draws carry each kind of value when kinds occur at ``rates``, spread
    evenly: the k-th draw of a kind falls where ``floor(j * rate)`` steps (kind 0 wins ties)."""
    draws = np.arange(1, count + 1)
    kind = np.full(count, -1)
    for k, rate in enumerate(rates):
        if rate > 0:
            hit = (np.floor(draws * rate) > np.floor((draws - 1) * rate)) & (kind < 0)
            kind[hit] = k
    return kind


def _stop_with_future(
    now: np.ndarray, future: Callable[[int], np.ndarray], u: float, bet: alpha_test.Bet,
    population: int | None, alpha: float, limit: int,
) -> int | None:
    """Draws in all at which ALPHA first stops if ``future(m)`` are the next m values."""
    m = 256
    while True:
        m = min(m, limit)
        xs = np.concatenate([now, future(m)])
        stop = alpha_test.first_stop(alpha_test.log_statistic(xs, u, bet, population), alpha)
        if stop is not None:
            return max(stop, len(now) + 1)
        if m >= limit:
            return None
        m *= 4


def _alpha_polling_size(audit: Audit, evidence: Evidence, open_contests: set[str]) -> int | None:
    n = evidence.population
    cards = _cards(evidence)
    size = len(evidence.draws)
    for c in audit.contests:
        if c.name not in open_contests:
            continue
        contest = c.contest()
        for a in assertions(contest):
            reported = a.mean_from_tally(contest.tally, n)
            now = np.array([a.assort(card) for card in cards], dtype=np.float64)
            if a.loser is not None:
                values = (1.0, 0.0)
                rates = (contest.tally[a.winner] / n, contest.tally[a.loser] / n)
            else:
                others = contest.votes_cast - contest.tally[a.winner]
                values = (a.upper, 0.0)
                rates = (contest.tally[a.winner] / n, others / n)

            def future(m: int, values: tuple[float, float] = values,
                       rates: tuple[float, float] = rates) -> np.ndarray:
                kind = _even(m, rates)
                return np.where(kind == 0, values[0], np.where(kind == 1, values[1], 0.5))

            stop = _stop_with_future(now, future, a.upper, alpha_test.Bet(reported), n,
                                     audit.risk_limit, n - len(now))
            if stop is None:
                return None
            size = max(size, stop)
    return size


def _clca_size(audit: Audit, evidence: Evidence, open_contests: set[str]) -> int | None:
    n = evidence.population
    margins = clca_margins(audit, evidence.cvrs, n)
    cards = _cards(evidence)
    size = len(evidence.draws)
    for c in audit.contests:
        if c.name not in open_contests:
            continue
        for a in assertions(c.contest()):
            clca = Overstatement(a, margins[a.name])
            bet = alpha_test.Bet(alpha_test.comparison_eta(clca, alpha_test.ErrorRates()),
                                 fixed=True)
            now = np.array([clca.assort(None if unit.phantom else evidence.cvrs.get(unit.unit_id),
                                        card) for unit, card in zip(evidence.draws, cards,
                                                                    strict=True)],
                           dtype=np.float64)
            seen = max(len(now), 1)
            half, whole = clca.value_for(0.5), clca.value_for(1.0)
            rates = (max(ASSUMED_RATES.over1, float(np.sum(np.isclose(now, half))) / seen),
                     max(ASSUMED_RATES.over2, float(np.sum(np.isclose(now, whole))) / seen))

            def future(m: int, clca: Overstatement = clca,
                       rates: tuple[float, float] = rates) -> np.ndarray:
                kind = _even(m, rates)
                return np.where(kind == 0, clca.value_for(0.5),
                                np.where(kind == 1, clca.value_for(1.0), clca.no_error))

            stop = _stop_with_future(now, future, clca.upper, bet, n, audit.risk_limit,
                                     n - len(now))
            if stop is None:
                return None
            size = max(size, stop)
    return size


def _macro_size(audit: Audit, evidence: Evidence) -> int | None:
    total, taints = _macro_taints(audit, evidence)
    p_now = macro.p_value(total, taints)
    if p_now <= audit.risk_limit:
        return len(taints)
    positive = [t for t in taints if t > 0]
    rate = len(positive) / len(taints) if taints else 0.0
    mean_taint = min(sum(positive) / len(positive), 0.999) if positive else 0.0
    per_draw = math.log(1 - 1 / total) - rate * math.log(1 - mean_taint)
    if per_draw >= 0 or (p_now >= 1 and any(t >= 1 for t in taints)):
        return None
    more = math.ceil(math.log(audit.risk_limit / p_now) / per_draw - 1e-9)
    return len(taints) + max(1, more)


def next_size(audit: Audit, evidence: Evidence, open_contests: Iterable[str]) -> int | None:
    """Draws in all (cumulative) the next round should reach; None when no number of draws is
    expected to confirm the open contests (a full hand count)."""
    open_set = set(open_contests)
    drawn = len(evidence.draws)
    if not open_set:
        return drawn
    q = audit.stopping_probability
    if audit.method in (Method.BRAVO, Method.MINERVA):
        size = drawn
        for c in audit.contests:
            if c.name not in open_set:
                continue
            contest = c.contest()
            samples, worst, inside = _polling_counts(c, evidence)
            if audit.method is Method.BRAVO:
                target = bravo_round_size(contest, audit.risk_limit, q, samples, drawn=inside,
                                          phantoms=worst)
                more = target - inside
            else:
                with_worst = _with_worst(contest, samples, worst)
                target = minerva_round_size(contest, audit.risk_limit, q, with_worst)
                more = target - (sum(with_worst[-1].values()) if with_worst else 0)
            scale = evidence.population / _frame_of(audit, c, evidence)
            size = max(size, drawn + max(1, math.ceil(more * scale)))
        return size
    if audit.method is Method.ALPHA_POLLING:
        return _alpha_polling_size(audit, evidence, open_set)
    if audit.method is Method.CLCA:
        return _clca_size(audit, evidence, open_set)
    return _macro_size(audit, evidence)


@dataclass(frozen=True)
class Outcome:
    """A measured round: each contest's risk and status, the decision, and the next size."""

    measures: Mapping[str, ContestMeasure]
    statuses: Mapping[str, ContestStatus]
    decision: Decision
    next_size: int | None
    failed: tuple[str, ...]  # contests that now need a full hand count


def decide(audit: Audit, evidence: Evidence) -> Outcome:
    """Measure, then stop (every contest confirmed), size the next round, or require a full hand
    count (no size expected to stop, or as many draws as the frame has ballots)."""
    measures = measure(audit, evidence)
    statuses: dict[str, ContestStatus] = {}
    for c in audit.contests:
        confirmed = c.status is ContestStatus.CONFIRMED or measures[c.name].confirmed
        statuses[c.name] = ContestStatus.CONFIRMED if confirmed else ContestStatus.OPEN
    open_contests = [n for n, s in statuses.items() if s is ContestStatus.OPEN]
    if not open_contests:
        return Outcome(measures, statuses, Decision.STOP, None, ())
    size = next_size(audit, evidence, open_contests)
    if size is None or size >= evidence.population:
        for name in open_contests:
            statuses[name] = ContestStatus.HAND_COUNT
        return Outcome(measures, statuses, Decision.HAND_COUNT, None, tuple(open_contests))
    return Outcome(measures, statuses, Decision.NEXT_ROUND, size, ())


def first_size(audit: Audit, evidence: Evidence) -> int | None:
    """The first round's size (cumulative draws), from the reported results alone."""
    return next_size(audit, evidence, [c.name for c in audit.contests])
