"""Votes, abstentions and recusals, and the rule that turns them into an outcome.

Every seat acts once per voting round: it votes for a public notice, a targeted notice or no
notice, or records an abstention; a seat whose holder has a conflict of interest is recused for
the whole case (the reason is kept). The outcome follows from the published ``PanelRules``:

- a **public notice** when at least ``notice_votes`` seats voted for a public notice;
- otherwise a **targeted notice** when at least ``notice_votes`` seats voted for a notice of
  either kind (a vote for a public notice also supports the narrower, targeted one);
- otherwise **no notice** ("threshold not met"), which needs a written rationale.

A decision needs every seat to have acted and at least ``quorum`` votes cast (abstentions and
recusals do not count). The rule is monotone: one more vote for a notice never turns a notice into
no notice; a property test checks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ballotguard.panel.decisions import NoticeKind
from ballotguard.panel.membership import PanelRules, Seat


class Choice(StrEnum):
    PUBLIC = "public_notice"
    TARGETED = "targeted_notice"
    NONE = "no_notice"
    ABSTAIN = "abstain"


CAST = (Choice.PUBLIC, Choice.TARGETED, Choice.NONE)


@dataclass(frozen=True, slots=True)
class Vote:
    case_id: str
    round: int
    seat_id: str
    person_id: str
    choice: Choice
    at: datetime
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Recusal:
    """A seat steps aside from a case for a conflict of interest; the reason is on the record."""

    case_id: str
    seat_id: str
    person_id: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Tally:
    public: int
    targeted: int
    none: int
    abstained: int
    recused: int
    pending: tuple[str, ...]
    """Seat ids (in seat order) that have neither voted, abstained nor been recused."""

    @property
    def cast(self) -> int:
        return self.public + self.targeted + self.none

    @property
    def for_notice(self) -> int:
        return self.public + self.targeted


def tally(seats: Iterable[Seat], votes: Iterable[Vote], recusals: Iterable[Recusal]) -> Tally:
    """Count one round's votes over the seats; a recused seat's vote (should one exist) is ignored."""
    ordered = sorted(seats, key=lambda s: s.position)
    recused = {r.seat_id for r in recusals}
    by_seat = {v.seat_id: v.choice for v in votes if v.seat_id not in recused}
    counts = {choice: 0 for choice in Choice}
    pending: list[str] = []
    for seat in ordered:
        if seat.id in recused:
            continue
        choice = by_seat.get(seat.id)
        if choice is None:
            pending.append(seat.id)
        else:
            counts[choice] += 1
    return Tally(
        public=counts[Choice.PUBLIC],
        targeted=counts[Choice.TARGETED],
        none=counts[Choice.NONE],
        abstained=counts[Choice.ABSTAIN],
        recused=sum(1 for s in ordered if s.id in recused),
        pending=tuple(pending),
    )


def outcome_of(rules: PanelRules, counted: Tally) -> NoticeKind:
    """The outcome the votes support under the rules (quorum and completeness checked apart)."""
    if counted.public >= rules.notice_votes:
        return NoticeKind.PUBLIC
    if counted.for_notice >= rules.notice_votes:
        return NoticeKind.TARGETED
    return NoticeKind.NONE


def quorum_met(rules: PanelRules, counted: Tally) -> bool:
    return counted.cast >= rules.quorum
