"""SHANGRLA's assorters: an outcome as a set of "half-average" assertions.

Method: Stark (2020), "Sets of Half-Average Nulls Generate Risk-Limiting Audits: SHANGRLA",
Voting '20 (Financial Cryptography workshops), LNCS 12063. An *assorter* A maps a ballot card to
[0, u]; the reported outcome is right if every assertion "the mean of A over all cards is > 1/2"
holds. Section 2 gives the assorters used here:

- **plurality and multi-winner plurality** (2.1, 2.2): one assertion per (reported winner w,
  reported loser l): ``A(b) = (b_w - b_l + 1) / 2`` with ``b_c`` = 1 when the card shows a valid
  vote for c; u = 1. A card that does not contain the contest, or holds an overvote (more marks
  than seats), scores 1/2.
- **super-majority** (2.3; w must win more than a fraction f > 1/2 of the valid votes):
  ``A(b) = 1/(2f)`` for a valid vote for w, 0 for a valid vote for anyone else, 1/2 otherwise;
  u = 1/(2f).
- **card-level comparison** (3.2, the overstatement assorter): with the reported assorter mean
  ``Ā_c`` over the cast vote records (CVRs), reported margin ``v = 2Ā_c - 1`` and the
  overstatement ``omega = A(cvr) - A(mvr)`` of a card's CVR over its manual reading (MVR),
  ``B = (1 - omega/u) / (2 - v/u)``, in [0, 2/(2 - v/u)]; mean of B > 1/2 iff mean of A over the
  true votes > 1/2.

Missing cards are worst cases (Bañuelos and Stark 2012, "Limiting risk by turning manifest
phantoms into evil zombies"): a sampled card that cannot be found (or a phantom) reads as a vote
for the loser, A = 0; a card without a CVR (a phantom CVR) is reported as A = 1/2.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ballotguard.audit.contest import Contest
from ballotguard.errors import InvalidAuditParameter

#: A ballot card as the audit reads it: contest name -> the candidates marked in that contest.
#: A contest missing from the mapping is not on the card. ``None`` is a card that was not found.
Card = Mapping[str, Collection[str]]


@dataclass(frozen=True)
class Assorter:
    """One assertion's assorter: plurality (winner vs loser) or super-majority (winner alone)."""

    contest: str
    winner: str
    loser: str | None  # None for a super-majority assertion
    seats: int = 1
    fraction: float | None = None  # super-majority threshold f

    @property
    def name(self) -> str:
        if self.loser is None:
            return f"{self.contest}: {self.winner} > {self.fraction:g} of valid votes"
        return f"{self.contest}: {self.winner} beats {self.loser}"

    @property
    def upper(self) -> float:
        """u, the largest value the assorter takes."""
        return 1.0 if self.fraction is None else 1.0 / (2.0 * self.fraction)

    def _valid(self, marks: Collection[str]) -> bool:
        return 0 < len(marks) <= self.seats

    def assort(self, card: Card | None) -> float:
        """A(card); ``None`` (a card that cannot be found) is the worst case, 0."""
        if card is None:
            return 0.0
        marks = card.get(self.contest)
        if marks is None or not self._valid(marks):
            return 0.5
        if self.loser is not None:
            return ((self.winner in marks) - (self.loser in marks) + 1) / 2
        return self.upper if self.winner in marks else 0.0

    def assort_cvr(self, cvr: Card | None) -> float:
        """A on a cast vote record; a missing CVR (a phantom) is reported as 1/2."""
        return 0.5 if cvr is None else self.assort(cvr)

    def mean_from_tally(self, tally: Mapping[str, int], cards: int) -> float:
        """The reported assorter mean over ``cards`` cards, from the contest's reported tally.

        Cards that do not show the contest (in the population sampled) count 1/2.
        """
        if cards <= 0:
            raise InvalidAuditParameter("cards", f"{cards} cards: the population is empty")
        if self.loser is not None:
            return 0.5 + (tally[self.winner] - tally[self.loser]) / (2 * cards)
        valid = sum(tally.values())
        return (tally[self.winner] * self.upper + (cards - valid) * 0.5) / cards


def assertions(contest: Contest) -> list[Assorter]:
    """The assertions that together imply the contest's reported outcome."""
    if contest.supermajority is not None:
        return [Assorter(contest.name, contest.winners[0], None, 1, contest.supermajority)]
    seats = len(contest.winners)
    return [Assorter(contest.name, w, loser, seats) for w, loser in contest.pairs()]


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.5


@dataclass(frozen=True)
class Overstatement:
    """SHANGRLA's card-level comparison (CLCA) assorter B for one assertion.

    ``margin`` is the reported assorter margin ``v = 2·Ā_c - 1`` over the population (from the
    CVRs, or from reported tallies when they agree); it must be > 0.
    """

    assorter: Assorter
    margin: float

    def __post_init__(self) -> None:
        if not 0 < self.margin <= 2 * self.assorter.upper - 1 + 1e-12:
            raise InvalidAuditParameter(
                "margin",
                f"{self.margin!r} for {self.assorter.name}: a comparison audit needs a reported "
                f"margin in (0, {2 * self.assorter.upper - 1:g}]",
            )

    @property
    def upper(self) -> float:
        return 2.0 / (2.0 - self.margin / self.assorter.upper)

    @property
    def no_error(self) -> float:
        """B when the CVR matches the manual reading."""
        return 1.0 / (2.0 - self.margin / self.assorter.upper)

    def overstatement(self, cvr: Card | None, mvr: Card | None) -> float:
        return self.assorter.assort_cvr(cvr) - self.assorter.assort(mvr)

    def assort(self, cvr: Card | None, mvr: Card | None) -> float:
        u = self.assorter.upper
        return (1.0 - self.overstatement(cvr, mvr) / u) * self.no_error

    def value_for(self, overstatement_in_u: float) -> float:
        """B for an overstatement given as a multiple of u (1/2 and 1: a one- and two-vote
        overstatement of a plurality pair; negative: an understatement)."""
        return (1.0 - overstatement_in_u) * self.no_error


def reported_margin(assorter: Assorter, cvrs: Sequence[Card | None]) -> float:
    """v = 2·Ā_c - 1 over the CVRs of the whole population (phantom CVRs count 1/2)."""
    if not cvrs:
        raise InvalidAuditParameter("cvrs", "no cast vote records")
    return 2.0 * mean([assorter.assort_cvr(c) for c in cvrs]) - 1.0
