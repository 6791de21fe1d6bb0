"""The panel's seats, its chair and its published threshold.

Modelled on Canada's Critical Election Incident Public Protocol (five senior officials, a public
announcement only when an incident or an accumulation of incidents threatens a free and fair
election) and the 2023 review's call for clearer communication and targeted warnings. Seats are
named (default "Seat 1" to "Seat 5"), each held by at most one person who must hold the
``panel_member`` role; one seat is the chair. The threshold is data (``PanelRules``) and is
published on the portal in plain language by ``PanelRules.describe``.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SEATS = 5
DEFAULT_QUORUM = 4
DEFAULT_NOTICE_VOTES = 4


@dataclass(frozen=True, slots=True)
class PanelRules:
    """How many seats, how many must cast a vote (quorum), how many votes a notice needs.

    A cast vote is one for public notice, targeted notice or no notice; abstentions and recused
    seats do not count towards the quorum. ``notice_votes`` is deliberately high (a
    super-majority): repeated interventions during an election would undermine confidence.
    """

    seats: int = DEFAULT_SEATS
    quorum: int = DEFAULT_QUORUM
    notice_votes: int = DEFAULT_NOTICE_VOTES

    def problems(self) -> list[str]:
        """What is wrong with these rules, in words; empty when they are coherent."""
        found: list[str] = []
        if not 1 <= self.seats <= 25:
            found.append(f"seats must be between 1 and 25, not {self.seats}")
        if not 1 <= self.quorum <= self.seats:
            found.append(f"quorum must be between 1 and the {self.seats} seats, not {self.quorum}")
        if not self.seats // 2 < self.notice_votes <= self.seats:
            found.append(
                f"notice_votes must be more than half of the {self.seats} seats and at most "
                f"all of them, not {self.notice_votes}"
            )
        return found

    def describe(self) -> str:
        """One plain-language paragraph for the published methodology."""
        return (
            f"The panel has {self.seats} seats. A member with a conflict of interest steps aside "
            f"from the case, and the reason is recorded. The panel decides only when every seat "
            f"has voted, abstained or stepped aside, and at least {self.quorum} members have "
            f"voted. A public notice needs at least {self.notice_votes} votes for a public "
            f"notice. A notice to the people or groups targeted needs at least "
            f"{self.notice_votes} votes for a notice of either kind. With fewer votes the panel "
            f"issues no notice and writes down why. The bar is high on purpose: too many "
            f"warnings during an election could harm trust in the election itself."
        )


@dataclass(frozen=True, slots=True)
class Seat:
    """A named seat; ``holder`` is the person id sitting in it, or None while it is vacant."""

    id: str
    name: str
    position: int
    holder: str | None = None


def default_seats(count: int) -> list[Seat]:
    return [Seat(f"seat-{i}", f"Seat {i}", i) for i in range(1, count + 1)]


def seat_of(seats: list[Seat], person_id: str) -> Seat | None:
    for seat in seats:
        if seat.holder == person_id:
            return seat
    return None


def resized(seats: list[Seat], count: int) -> list[Seat]:
    """The seats after changing their number: the first ``count`` kept in order, new ones vacant.

    Removing a seat that is held is the caller's concern (the service refuses it).
    """
    result = sorted(seats, key=lambda s: s.position)[:count]
    ids = {s.id for s in result}
    n = 0
    while len(result) < count:
        n += 1
        if f"seat-{n}" in ids:
            continue
        position = max((s.position for s in result), default=0) + 1
        result.append(Seat(f"seat-{n}", f"Seat {position}", position))
    return result
