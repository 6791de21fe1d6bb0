"""The demo's risk-limiting audit: a rehearsal, on the Port Aster by-election's ballots, of the
ballot-level comparison audit the Commission will run after the general election, in progress in
its second round. (The by-election's own audit confirmed its result weeks ago, as the demo's
reports say; the rehearsal trains the boards and the new jurisdiction managers.)

Two jurisdictions, Harbourside (1,800 ballot cards) and Old Town (1,400), held the by-election;
the mayoral race is on every card and the Old Town ward seat on Old Town's cards only. The
Commission's audit administrator sets up a comparison audit (``clca``, risk limit 5 %), assigns a
jurisdiction manager and two audit-board members to each jurisdiction; the managers upload their
manifests and cast vote records; the administrator draws round 1 from the public seed; both
boards read every drawn ballot, two members each. One Old Town ballot the scanner counted for the
leading ward candidate shows no valid vote on paper (a one-vote overstatement): round 1 does not
reach the risk limit for the ward seat and the administrator draws round 2. Harbourside's board
has read its round-2 ballots; Old Town's are still to read. So ``make run`` shows, at /audits, a measured
round with its risks, a discrepancy, progress by jurisdiction and a retrieval list.

The files are generated here, deterministically (the product does not read docs/); everything
goes through ``services.audits`` as the demo's people, like the rest of the demo.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ballotguard.audit.workflow import AuditContest, AuditStatus, Jurisdiction, Method, Reading
from ballotguard.ports import UnitOfWork
from ballotguard.services import audits
from ballotguard.services.actors import person_actor
from ballotguard.sharing import Person

ADMIN = "vec_audit"
SEED = "80245137906528314470"
"""Rolled with twenty ten-sided dice at the public meeting before round 1."""
RISK_LIMIT = 0.05
BY_ELECTION_DAYS_AGO = 45  # as services.demo
MAYOR = "Mayor of Port Aster"
WARD = "Old Town ward councillor"
WINNERS = {MAYOR: ("Mira Solberg",), WARD: ("Ruth Okoye",)}


@dataclass(frozen=True)
class _Place:
    name: str
    manager: str
    board: tuple[str, str]
    batches: tuple[tuple[str, str, str, int], ...]
    """(container, tabulator, batch name, ballot cards), in manifest order."""
    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    """contest -> choice ('' for no valid vote) -> cards; every contest covers every card."""

    @property
    def ballots(self) -> int:
        return sum(b[3] for b in self.batches)


def _batches(prefix: str, polling_day: int) -> tuple[tuple[str, str, str, int], ...]:
    """Polling-day batches of 200 cards over two scanners, three batches a box; then postal."""
    return (*((f"Box {1 + i // 3}", f"{prefix}-{1 + i % 2}", f"Polling day {i + 1:02d}", 200)
              for i in range(polling_day)), ("Cage P", f"{prefix}-P", "Postal", 200))


PLACES = (
    _Place(
        "Harbourside", "hs_manager", ("hs_board1", "hs_board2"), _batches("HS", 8),
        {MAYOR: {"Mira Solberg": 870, "Jonah Keel": 640, "Teodor Vass": 190, "": 100}},
    ),
    _Place(
        "Old Town", "ot_manager", ("ot_board1", "ot_board2"), _batches("OT", 6),
        {MAYOR: {"Mira Solberg": 660, "Jonah Keel": 540, "Teodor Vass": 120, "": 80},
         WARD: {"Ruth Okoye": 760, "Piet Marr": 520, "": 120}},
    ),
)
OVERSTATED = ("Old Town", WARD)
"""Where one drawn ballot reads differently from its CVR: the jurisdiction and the contest."""
READ_IN_ROUND_2 = "Harbourside"

Card = dict[str, tuple[str, ...]]


def _cards(place: _Place) -> dict[str, Card]:
    """Every card's CVR, by ballot id, in manifest order (shuffled votes, fixed per place)."""
    rng = random.Random(f"ballotguard-demo-audit-{place.name}")  # noqa: S311 - demo content
    columns = {}
    for contest, votes in place.votes.items():
        column = [choice for choice, n in votes.items() for _ in range(n)]
        assert len(column) == place.ballots, (place.name, contest)
        rng.shuffle(column)
        columns[contest] = column
    cards: dict[str, Card] = {}
    i = 0
    for _, tabulator, batch, count in place.batches:
        for position in range(1, count + 1):
            cards[f"{place.name}|{tabulator}|{batch}|{position}"] = {
                c: (column[i],) if column[i] else () for c, column in columns.items()}
            i += 1
    return cards


def manifest_csv(place: _Place) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Container", "Tabulator", "Batch Name", "Number of Ballots"])
    writer.writerows(place.batches)
    return out.getvalue()


def cvr_csv(place: _Place, cards: dict[str, Card]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    contests = list(place.votes)
    writer.writerow(["Tabulator", "Batch Name", "Position", *contests])
    for unit_id, card in cards.items():
        _, tabulator, batch, position = unit_id.split("|")
        writer.writerow([tabulator, batch, position, *(";".join(card[c]) for c in contests)])
    return out.getvalue()


def contests() -> list[AuditContest]:
    totals: dict[str, dict[str, int]] = {}
    ballots: dict[str, int] = {}
    where: dict[str, list[str]] = {}
    for place in PLACES:
        for contest, votes in place.votes.items():
            for choice, n in votes.items():
                if choice:
                    totals.setdefault(contest, {})
                    totals[contest][choice] = totals[contest].get(choice, 0) + n
            ballots[contest] = ballots.get(contest, 0) + place.ballots
            where.setdefault(contest, []).append(place.name)
    every = [p.name for p in PLACES]
    return [AuditContest(name, tally, ballots[name], WINNERS[name],
                         () if where[name] == every else tuple(where[name]))
            for name, tally in totals.items()]


def load_audit_demo(
    uow_factory: Callable[[], UnitOfWork], people: dict[str, Person], now: datetime,
    *, election: str | None = None,
) -> str:
    """Set up the by-election's audit and take it into round 2 (see the module's docstring);
    ``election`` names it (default: the demo's Port Aster by-election of ``now``). Returns the
    audit's id. Each step gets its own time, a few minutes after ``now``."""
    step: Iterator[int] = iter(range(1, 1000))

    def at() -> datetime:
        return now + timedelta(minutes=next(step))

    if election is None:
        day = (now - timedelta(days=BY_ELECTION_DAYS_AGO)).date()
        election = f"Port Aster municipal by-election {day.isoformat()} (fictional)"
    admin = person_actor(people[ADMIN])
    cards = {p.name: _cards(p) for p in PLACES}
    with uow_factory() as uow:
        audit = audits.create_audit(
            uow, admin, election, Method.CLCA, RISK_LIMIT, SEED, contests(),
            [Jurisdiction(p.name, p.ballots) for p in PLACES], at())
        for place in PLACES:
            for key in (place.manager, *place.board):
                audits.assign_jurisdiction(uow, admin, audit.id, place.name, people[key].id, at())
    for place in PLACES:
        manager = person_actor(people[place.manager])
        slug = place.name.lower().replace(" ", "-")
        with uow_factory() as uow:
            audits.upload_manifest(uow, manager, audit.id, place.name, f"{slug}-manifest.csv",
                                   manifest_csv(place), at())
            audits.upload_cvrs(uow, manager, audit.id, place.name, f"{slug}-cvrs.csv",
                               cvr_csv(place, cards[place.name]), at())
    with uow_factory() as uow:
        audits.start_round(uow, admin, audit.id, at())
    overstated: set[str] = set()
    _read_round(uow_factory, people, audit.id, cards, overstated, PLACES, at)
    with uow_factory() as uow:
        audits.measure_round(uow, admin, audit.id, at())
        if audits.get_audit(uow, admin, audit.id).status is not AuditStatus.MEASURED:
            return audit.id
        audits.start_round(uow, admin, audit.id, at())
    _read_round(uow_factory, people, audit.id, cards, overstated,
                [p for p in PLACES if p.name == READ_IN_ROUND_2], at)
    return audit.id


def _read_round(
    uow_factory: Callable[[], UnitOfWork], people: dict[str, Person], audit_id: str,
    cards: dict[str, dict[str, Card]], overstated: set[str], places: Sequence[_Place],
    at: Callable[[], datetime],
) -> None:
    """Both members of each place's board read the ballots drawn in the current round; the
    paper matches the CVR except on the first Old Town ballot drawn that the CVR counts for the
    leading ward candidate, where the paper shows no valid vote."""
    where, contest = OVERSTATED
    for place in places:
        members = [person_actor(people[key]) for key in place.board]
        with uow_factory() as uow:
            audit = audits.get_audit(uow, members[0], audit_id)
            rows = audits.retrieval_list(uow, members[0], audit_id, jurisdiction=place.name)
        readings: dict[str, Reading] = {}
        for row in rows:
            if row.phantom:
                continue
            marks = dict(cards[place.name][row.unit_id])
            if place.name == where and not overstated and marks.get(contest) == WINNERS[contest]:
                overstated.add(row.unit_id)
            if row.unit_id in overstated:
                marks[contest] = ()
            readings[row.unit_id] = Reading(marks={c.name: marks[c.name]
                                                   for c in audit.contests_in(place.name)})
        for member in members:
            with uow_factory() as uow:
                audits.record_entries(uow, member, audit_id, readings, at())
