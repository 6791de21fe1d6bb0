"""The risk-limiting audit as it is run: setup, manifests, rounds, readings, measurement, decision.

Plain values and pure functions; ``services.audits`` stores them and checks who may act. This
module holds the audit, its states and the readings; :mod:`~ballotguard.audit.draws` the sampling
frame, the draws and the retrieval lists; :mod:`~ballotguard.audit.rounds` the measurement of a
round and the size of the next.

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from ballotguard.audit import alpha as alpha_test
from ballotguard.audit.contest import Contest, check_risk_limit
from ballotguard.audit.sampler import MIN_SEED_DIGITS, check_seed
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
