"""The risk-limiting audit as it is run: setup, manifests, rounds, readings, measurement, decision.

Plain values and pure functions; ``services.audits`` stores them and checks who may act.

**The audit.** An administrator names the contests (reported tallies, ballot cards, winners, the
jurisdictions whose ballots carry each), the risk limit, the method and the seed (twenty or more
digits from public dice rolls), and the jurisdictions with the number of ballot cards each
reported cast. Methods:

- ``bravo`` and ``minerva``: ballot polling with replacement (:mod:`~ballotguard.audit.bravo`,
  :mod:`~ballotguard.audit.minerva`);
- ``alpha-polling``: ballot polling without replacement with ALPHA (SHANGRLA assertions; also
  super-majority contests);
- ``clca``: card-level comparison against the jurisdictions' cast vote records with ALPHA's
  overstatement assorter (the Kaplan-Markov bet of a fixed eta);
- ``macro``: batch comparison (MACRO with sampling proportional to error bounds).

**One sample for every contest.** The sampling frame is every jurisdiction's manifest, one after
another (phantoms added where a manifest lists fewer ballots than were reported cast). Ballots are
drawn from the whole frame with Rivest's consistent sampler; each contest is measured on the
drawn ballots from its jurisdictions. BRAVO's and MINERVA's sizes, which count the contest's own
ballots, are scaled to the frame by ``frame / contest's jurisdictions``. MACRO draws batches with
probability proportional to their error bounds: draw ``j`` (from 1) picks the batch where
``U_j = 0.<reversed decimal digits of SHA-256(seed_hex + "|ppeb|" + j)>`` falls in the running
sum of ``u_p / U`` (the same uniform as the sampler's tickets), so anyone can repeat it.

**States.** ``setup`` (files arriving) → ``ready`` (every manifest, and the CVRs or batch tallies
the method needs, is in) → ``sampled`` (round n drawn; boards read the ballots) →
``votes_entered`` (every drawn ballot has a confirmed reading) → ``measured`` (risk per contest;
a next round is sized) → ``sampled`` … until ``confirmed`` (every contest's risk is at most the
limit) or ``full_hand_count`` (the next round would need as many draws as there are ballots, or
the errors found leave no size that would stop, or the administrator asks for it).

**Two-person confirmation.** Two different audit-board members read each ballot and enter what
they see; a reading counts when the latest entries of two members agree exactly. When they
disagree the disagreement is shown, never averaged: a member re-enters (their newest entry is the
one that counts) until two agree.

**Sizes** (stated exactly). BRAVO: ``bravo_round_size`` (smallest size that stops with
probability >= q). MINERVA: ``minerva_round_size``. ALPHA polling and CLCA: the first draw count
at which ALPHA would stop if the ballots still to come matched the reported results (CLCA: with
assumed error rates, or the rates seen so far if higher) spread evenly through the sample
(about even odds of stopping, the convention of ``comparison_sample_size``). MACRO: the draws
after which the Kaplan-Markov P-value reaches the limit if the taint seen so far goes on at its
observed rate.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

import numpy as np

from ballotguard.audit import alpha as alpha_test
from ballotguard.audit import macro
from ballotguard.audit.assorters import Card, Overstatement, assertions
from ballotguard.audit.bravo import bravo_risk, bravo_round_size
from ballotguard.audit.contest import Contest, check_risk_limit
from ballotguard.audit.manifest import BallotUniverse, Manifest
from ballotguard.audit.minerva import minerva_risk, minerva_round_size
from ballotguard.audit.sampler import MIN_SEED_DIGITS, check_seed, hash_ballots, seed_hex
from ballotguard.errors import InvalidAuditParameter, InvalidTransition, NoMargin

SEPARATOR = "|"
DEFAULT_STOPPING_PROBABILITY = 0.9
ASSUMED_RATES = alpha_test.ErrorRates(over1=0.001, over2=0.0001)
"""CLCA's planning error rates (one- and two-vote overstatements per card)."""


class Method(StrEnum):
    BRAVO = "bravo"
    MINERVA = "minerva"
    ALPHA_POLLING = "alpha-polling"
    CLCA = "clca"
    MACRO = "macro"

    @property
    def with_replacement(self) -> bool:
        return self in (Method.BRAVO, Method.MINERVA, Method.MACRO)

    @property
    def needs(self) -> str | None:
        """The file a jurisdiction uploads besides its manifest: ``cvrs``, ``tallies`` or None."""
        return {Method.CLCA: "cvrs", Method.MACRO: "tallies"}.get(self)

    @property
    def unit(self) -> str:
        return "batch" if self is Method.MACRO else "ballot"


class AuditStatus(StrEnum):
    SETUP = "setup"
    READY = "ready"
    SAMPLED = "sampled"
    VOTES_ENTERED = "votes_entered"
    MEASURED = "measured"
    CONFIRMED = "confirmed"
    HAND_COUNT = "full_hand_count"


TRANSITIONS: dict[AuditStatus, frozenset[AuditStatus]] = {
    AuditStatus.SETUP: frozenset({AuditStatus.READY, AuditStatus.HAND_COUNT}),
    AuditStatus.READY: frozenset({AuditStatus.SETUP, AuditStatus.SAMPLED, AuditStatus.HAND_COUNT}),
    AuditStatus.SAMPLED: frozenset({AuditStatus.VOTES_ENTERED, AuditStatus.HAND_COUNT}),
    AuditStatus.VOTES_ENTERED: frozenset({AuditStatus.SAMPLED, AuditStatus.MEASURED,
                                          AuditStatus.CONFIRMED, AuditStatus.HAND_COUNT}),
    AuditStatus.MEASURED: frozenset({AuditStatus.SAMPLED, AuditStatus.HAND_COUNT}),
    AuditStatus.CONFIRMED: frozenset(),
    AuditStatus.HAND_COUNT: frozenset(),
}


def check_transition(current: AuditStatus, wanted: AuditStatus) -> AuditStatus:
    if wanted != current and wanted not in TRANSITIONS[current]:
        raise InvalidTransition(current.value, wanted.value,
                                sorted(s.value for s in TRANSITIONS[current]))
    return wanted


class ContestStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    HAND_COUNT = "full_hand_count"


class Decision(StrEnum):
    STOP = "stop"
    NEXT_ROUND = "next_round"
    HAND_COUNT = "full_hand_count"


# -- the audit -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditContest:
    """A contest under audit. ``jurisdictions`` empty: every jurisdiction's ballots carry it."""

    name: str
    tally: Mapping[str, int]
    ballots: int
    winners: tuple[str, ...]
    jurisdictions: tuple[str, ...] = ()
    supermajority: float | None = None
    status: ContestStatus = ContestStatus.OPEN

    def contest(self) -> Contest:
        return Contest(self.name, dict(self.tally), self.ballots, tuple(self.winners),
                       self.supermajority)

    def in_jurisdiction(self, jurisdiction: str) -> bool:
        return not self.jurisdictions or jurisdiction in self.jurisdictions


@dataclass(frozen=True)
class Jurisdiction:
    """A jurisdiction: the ballot cards it reported cast, and the people the audit assigns."""

    name: str
    ballots: int
    people: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Audit:
    id: str
    name: str
    method: Method
    risk_limit: float
    seed: str
    contests: tuple[AuditContest, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    created_by: str
    created_at: datetime
    updated_at: datetime
    status: AuditStatus = AuditStatus.SETUP
    round: int = 0
    stopping_probability: float = DEFAULT_STOPPING_PROBABILITY
    next_size: int | None = None
    report_id: str | None = None

    def jurisdiction(self, name: str) -> Jurisdiction:
        for j in self.jurisdictions:
            if j.name == name:
                return j
        raise InvalidAuditParameter("jurisdiction", f"{name!r} is not a jurisdiction of the audit")

    def contest(self, name: str) -> AuditContest:
        for c in self.contests:
            if c.name == name:
                return c
        raise InvalidAuditParameter("contest", f"{name!r} is not a contest of the audit")

    def contests_in(self, jurisdiction: str) -> list[AuditContest]:
        return [c for c in self.contests if c.in_jurisdiction(jurisdiction)]

    def candidates(self) -> dict[str, list[str]]:
        return {c.name: list(c.tally) for c in self.contests}

    @property
    def finished(self) -> bool:
        return self.status in (AuditStatus.CONFIRMED, AuditStatus.HAND_COUNT)


def _check_name(value: str, field_name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidAuditParameter(field_name, "a name is required")
    if SEPARATOR in value:
        raise InvalidAuditParameter(field_name, f"{value!r} contains {SEPARATOR!r}, which ids reserve")
    return value.strip()


def new_audit(
    audit_id: str,
    name: str,
    method: Method | str,
    risk_limit: float,
    seed: str,
    contests: Sequence[AuditContest],
    jurisdictions: Sequence[Jurisdiction],
    created_by: str,
    now: datetime,
    *,
    stopping_probability: float = DEFAULT_STOPPING_PROBABILITY,
    min_seed_digits: int = MIN_SEED_DIGITS,
) -> Audit:
    """A checked audit in ``setup``; every error names the field (or contest) to fix."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidAuditParameter("name", "the audit needs a name")
    try:
        method = Method(method)
    except ValueError:
        raise InvalidAuditParameter(
            "method", f"{method!r} is not one of {', '.join(m.value for m in Method)}"
        ) from None
    risk_limit = check_risk_limit(risk_limit)
    if not 0 < stopping_probability < 1:
        raise InvalidAuditParameter("stopping_probability", f"{stopping_probability!r} must lie "
                                    "strictly between 0 and 1")
    seed = check_seed(seed.strip() if isinstance(seed, str) else seed, min_seed_digits)
    if not jurisdictions:
        raise InvalidAuditParameter("jurisdictions", "the audit needs at least one jurisdiction")
    names = [_check_name(j.name, "jurisdictions.name") for j in jurisdictions]
    if len(set(names)) != len(names):
        raise InvalidAuditParameter("jurisdictions", "two jurisdictions share a name")
    for j in jurisdictions:
        if isinstance(j.ballots, bool) or not isinstance(j.ballots, int) or j.ballots < 1:
            raise InvalidAuditParameter(f"jurisdictions.{j.name}.ballots",
                                        f"{j.ballots!r} must be a whole number of ballot cards >= 1")
    sizes = {j.name: j.ballots for j in jurisdictions}
    if not contests:
        raise InvalidAuditParameter("contests", "the audit needs at least one contest")
    seen: set[str] = set()
    checked = []
    for c in contests:
        cname = _check_name(c.name, "contests.name")
        if cname in seen:
            raise InvalidAuditParameter("contests", f"two contests are named {cname!r}")
        seen.add(cname)
        for where in c.jurisdictions:
            if where not in sizes:
                raise InvalidAuditParameter(f"contests.{cname}.jurisdictions",
                                            f"{where!r} is not a jurisdiction of the audit")
        for candidate in c.tally:
            if SEPARATOR in candidate or ";" in candidate or not candidate.strip():
                raise InvalidAuditParameter(f"contests.{cname}.tally", f"{candidate!r}: candidate "
                                            "names must be non-empty, without '|' or ';'")
        contest = replace(c, name=cname, jurisdictions=tuple(c.jurisdictions),
                          winners=tuple(c.winners), tally=dict(c.tally))
        contest.contest()  # negative votes, ties, unknown winners
        if len(c.tally) < 2:
            raise NoMargin(cname, "the contest has no reported loser")
        frame = sum(sizes[j] for j in (c.jurisdictions or names))
        if c.ballots > frame:
            raise InvalidAuditParameter(
                f"contests.{cname}.ballots",
                f"{c.ballots} ballot cards, more than the {frame} its jurisdictions reported cast",
            )
        if c.supermajority is not None and method not in (Method.ALPHA_POLLING, Method.CLCA):
            raise InvalidAuditParameter(f"contests.{cname}.supermajority",
                                        "super-majority contests are audited with alpha-polling "
                                        "or clca")
        checked.append(contest)
    return Audit(audit_id, name.strip(), method, risk_limit, seed, tuple(checked),
                 tuple(Jurisdiction(j.name.strip(), j.ballots, frozenset(j.people))
                       for j in jurisdictions),
                 created_by, now, now, stopping_probability=stopping_probability)


# -- files, rounds, draws and readings -------------------------------------------------------------


@dataclass(frozen=True)
class AuditFile:
    """A file a jurisdiction uploaded, kept verbatim with its SHA-256.

    ``kind``: ``manifest``, ``cvrs`` or ``tallies``. ``count``: ballots listed (manifest), cards
    (CVRs) or batches (tallies).
    """

    audit_id: str
    jurisdiction: str
    kind: str
    filename: str
    text: str
    sha256: str
    count: int
    uploaded_by: str
    uploaded_at: datetime


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Round:
    """A round: draws ``start`` .. ``size - 1`` of the sampling sequence, then its measurement."""

    audit_id: str
    number: int
    start: int
    size: int
    drawn_at: datetime
    drawn_by: str
    measured_at: datetime | None = None
    risks: Mapping[str, float] = field(default_factory=dict)
    decision: Decision | None = None
    next_size: int | None = None


@dataclass(frozen=True)
class SampledUnit:
    """One draw. ``seq`` counts draws from 0 across rounds; a unit drawn twice (with
    replacement) has two draws. ``unit_id`` is the ballot id (or batch key for MACRO)."""

    audit_id: str
    round: int
    seq: int
    unit_id: str
    jurisdiction: str
    container: str
    tabulator: str
    batch: str
    position: int
    ticket: str
    phantom: bool = False


@dataclass(frozen=True)
class Reading:
    """What an audit board read. Ballot: ``marks`` (contest -> candidates marked; a contest left
    out is not on the card). Batch: ``counts`` (contest -> candidate -> votes). ``not_found``:
    the ballot or batch could not be found (the worst case)."""

    marks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    not_found: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "marks": {c: sorted(m) for c, m in sorted(self.marks.items())},
            "counts": {c: dict(sorted(v.items())) for c, v in sorted(self.counts.items())},
            "not_found": self.not_found,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Reading:
        marks = data.get("marks") or {}
        counts = data.get("counts") or {}
        if not isinstance(marks, Mapping) or not isinstance(counts, Mapping):
            raise InvalidAuditParameter("reading", "marks and counts must be objects")
        return cls(
            {str(c): tuple(str(x) for x in m) for c, m in marks.items()},
            {str(c): {str(k): int(v) for k, v in dict(t).items()} for c, t in counts.items()},
            bool(data.get("not_found", False)),
        )

    def key(self) -> str:
        """Canonical form: two readings agree when their keys are equal."""
        return json.dumps(self.as_json(), sort_keys=True)


@dataclass(frozen=True)
class Entry:
    audit_id: str
    round: int
    unit_id: str
    person_id: str
    reading: Reading
    at: datetime


def check_reading(audit: Audit, unit: SampledUnit, reading: Reading) -> Reading:
    """The reading, if it fits the unit: contests of the unit's jurisdiction, their candidates,
    whole vote counts within the batch's size for MACRO."""
    if reading.not_found:
        return Reading(not_found=True)
    contests = {c.name: c for c in audit.contests_in(unit.jurisdiction)}
    if audit.method is Method.MACRO:
        if reading.marks:
            raise InvalidAuditParameter("marks", "a batch comparison enters vote counts per batch")
        for name, counts in reading.counts.items():
            if name not in contests:
                raise InvalidAuditParameter(f"counts.{name}", "not a contest of this jurisdiction")
            for candidate, votes in counts.items():
                if candidate not in contests[name].tally:
                    raise InvalidAuditParameter(f"counts.{name}.{candidate}",
                                                "not a candidate in the contest")
                if isinstance(votes, bool) or not isinstance(votes, int) or votes < 0:
                    raise InvalidAuditParameter(f"counts.{name}.{candidate}",
                                                f"{votes!r} is not a whole number of votes >= 0")
        missing = sorted(set(contests) - set(reading.counts))
        if missing:
            raise InvalidAuditParameter(f"counts.{missing[0]}", "the hand count of this contest "
                                        "is missing")
        return Reading(counts={c: dict(v) for c, v in reading.counts.items()})
    if reading.counts:
        raise InvalidAuditParameter("counts", "a ballot audit enters the marks on each ballot")
    marks: dict[str, tuple[str, ...]] = {}
    for name, marked in reading.marks.items():
        if name not in contests:
            raise InvalidAuditParameter(f"marks.{name}", "not a contest of this jurisdiction")
        for candidate in marked:
            if candidate not in contests[name].tally:
                raise InvalidAuditParameter(f"marks.{name}", f"{candidate!r} is not a candidate")
        if len(set(marked)) != len(marked):
            raise InvalidAuditParameter(f"marks.{name}", "a candidate is marked twice")
        marks[name] = tuple(sorted(marked))
    return Reading(marks=marks)


class ConfirmationState(StrEnum):
    MISSING = "missing"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISAGREEMENT = "disagreement"


@dataclass(frozen=True)
class Confirmation:
    """Where a unit's reading stands: each member's latest entry, and the agreed reading if any."""

    unit_id: str
    state: ConfirmationState
    reading: Reading | None
    readings: Mapping[str, Reading]


def confirm(unit_id: str, entries: Iterable[Entry]) -> Confirmation:
    """Two different members' latest entries must agree; one entry is pending; disagreement shown."""
    latest: dict[str, Entry] = {}
    for entry in sorted((e for e in entries if e.unit_id == unit_id), key=lambda e: e.at):
        latest[entry.person_id] = entry
    readings = {person: entry.reading for person, entry in latest.items()}
    if not readings:
        return Confirmation(unit_id, ConfirmationState.MISSING, None, readings)
    by_key: dict[str, list[str]] = {}
    for person, reading in readings.items():
        by_key.setdefault(reading.key(), []).append(person)
    agreed = [people for people in by_key.values() if len(people) >= 2]
    if agreed:
        newest = max(agreed, key=lambda people: max(latest[p].at for p in people))
        return Confirmation(unit_id, ConfirmationState.CONFIRMED, readings[newest[0]], readings)
    if len(readings) == 1:
        return Confirmation(unit_id, ConfirmationState.PENDING, None, readings)
    return Confirmation(unit_id, ConfirmationState.DISAGREEMENT, None, readings)


# -- the sampling frame and the draws --------------------------------------------------------------


def reconcile(audit: Audit, manifests: Mapping[str, Manifest]) -> dict[str, Manifest]:
    """Each jurisdiction's manifest checked against its reported ballots (phantoms if fewer)."""
    return {j.name: manifests[j.name].reconcile(j.ballots) for j in audit.jurisdictions
            if j.name in manifests}


def frame(audit: Audit, manifests: Mapping[str, Manifest]) -> BallotUniverse:
    """The sampling frame: every jurisdiction's reconciled manifest, in the audit's order."""
    missing = [j.name for j in audit.jurisdictions if j.name not in manifests]
    if missing:
        raise InvalidAuditParameter("manifest", f"jurisdiction {missing[0]!r} has no manifest")
    checked = reconcile(audit, manifests)
    return BallotUniverse(checked[j.name] for j in audit.jurisdictions)


def draw_ballots(
    audit: Audit,
    universe: BallotUniverse,
    round_number: int,
    start: int,
    size: int,
    on_progress: Callable[[str], None] | None = None,
) -> list[SampledUnit]:
    """Draws ``start .. size - 1`` of the consistent sampler's sequence over the whole frame."""
    if size <= start:
        return []
    if on_progress:
        on_progress(f"hashing {len(universe)} ballots")
    tickets = hash_ballots(audit.seed, universe.ballot_ids())
    if on_progress:
        on_progress(f"drawing {size - start} ballots")
    draws = tickets.draw(size - start, start=start,
                         with_replacement=audit.method.with_replacement)
    out = []
    for seq, draw in enumerate(draws, start=start):
        where = universe.locate(draw.index)
        out.append(SampledUnit(audit.id, round_number, seq, where.ballot_id, where.jurisdiction,
                               where.container, where.tabulator, where.batch, where.position,
                               draw.trimmed(), where.phantom))
    return out


@dataclass(frozen=True)
class FrameBatch:
    """A batch of the frame with its reported votes (MACRO)."""

    key: str
    jurisdiction: str
    container: str
    tabulator: str
    name: str
    ballots: int
    reported: Mapping[str, Mapping[str, int]]

    def as_macro(self) -> macro.Batch:
        return macro.Batch(self.key, self.ballots, self.reported)


def frame_batches(
    audit: Audit, manifests: Mapping[str, Manifest],
    tallies: Mapping[str, Mapping[str, Mapping[str, Mapping[str, int]]]],
) -> list[FrameBatch]:
    """Every manifest batch with its reported tally (a batch without one reports no votes, so
    its error bound is its ballots); phantom ballots form a batch of their own."""
    out = []
    for j in audit.jurisdictions:
        manifest = manifests[j.name].reconcile(j.ballots)
        reported = tallies.get(j.name, {})
        for b in manifest.batches:
            key = SEPARATOR.join((j.name, b.tabulator, b.name))
            out.append(FrameBatch(key, j.name, b.container, b.tabulator, b.name, b.ballots,
                                  reported.get(key, {})))
        if manifest.phantoms:
            key = SEPARATOR.join((j.name, "phantom", ""))
            out.append(FrameBatch(key, j.name, "", "phantom", "", manifest.phantoms, {}))
    return out


def ppeb_uniform(seed: str, j: int) -> float:
    """The j-th PPEB uniform (documented in the module docstring); 15 significant digits."""
    value = int.from_bytes(hashlib.sha256(f"{seed_hex(seed)}|ppeb|{j}".encode()).digest(), "big")
    return float("0." + f"{value:064d}"[::-1][:15])


def draw_batches(
    audit: Audit, batches: Sequence[FrameBatch], round_number: int, start: int, size: int
) -> list[SampledUnit]:
    """PPEB draws ``start .. size - 1`` (with replacement) over the frame's batches."""
    contests = [c.contest() for c in audit.contests]
    bounds = np.array([macro.error_bound(b.as_macro(), contests) for b in batches])
    total = float(bounds.sum())
    if total <= 0:
        raise InvalidAuditParameter("tallies", "no batch can hold an error: nothing to sample")
    cumulative = np.cumsum(bounds) / total
    out = []
    for seq in range(start, size):
        u = ppeb_uniform(audit.seed, seq + 1)
        index = min(int(np.searchsorted(cumulative, u, side="right")), len(batches) - 1)
        b = batches[index]
        out.append(SampledUnit(audit.id, round_number, seq, b.key, b.jurisdiction, b.container,
                               b.tabulator, b.name, 0, f"{u:.15f}",
                               b.key.endswith(f"{SEPARATOR}phantom{SEPARATOR}")))
    return out


_DIGITS = re.compile(r"(\d+)")


def natural(text: str) -> tuple[object, ...]:
    """Sort key that puts "Batch 2" before "Batch 10"."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(text))


@dataclass(frozen=True)
class RetrievalRow:
    """A ballot (or batch) to pull, once, with the draws that picked it."""

    jurisdiction: str
    container: str
    tabulator: str
    batch: str
    position: int
    unit_id: str
    ticket: str
    times_drawn: int
    phantom: bool


def retrieval_rows(units: Iterable[SampledUnit], jurisdiction: str | None = None) -> list[RetrievalRow]:
    """Each unit once, sorted for the people who pull ballots: container, tabulator, batch,
    position (natural order); phantoms (nothing to pull) last."""
    first: dict[str, SampledUnit] = {}
    counts: dict[str, int] = {}
    for u in units:
        if jurisdiction is not None and u.jurisdiction != jurisdiction:
            continue
        first.setdefault(u.unit_id, u)
        counts[u.unit_id] = counts.get(u.unit_id, 0) + 1
    rows = [RetrievalRow(u.jurisdiction, u.container, u.tabulator, u.batch, u.position, u.unit_id,
                         u.ticket, counts[u.unit_id], u.phantom) for u in first.values()]
    return sorted(rows, key=lambda r: (r.jurisdiction, r.phantom, natural(r.container),
                                       natural(r.tabulator), natural(r.batch), r.position))


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
