"""A contest as the audit sees it: reported tallies, ballot cards, reported winners.

Plain values checked once, so every method below (MINERVA, SHANGRLA's assorters, MACRO) can
trust them. The pairs a ballot-polling audit tests are every (reported winner, reported loser)
pair, as in Lindeman, Stark and Yates (2012), "BRAVO: Ballot-polling risk-limiting audits to
verify outcomes", section 4 (multiple winners: one test per winner-loser pair).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ballotguard.errors import InvalidAuditParameter, InvalidRiskLimit, NegativeVotes, NoMargin


def check_risk_limit(alpha: float, field_name: str = "risk_limit") -> float:
    """``alpha`` if it lies strictly between 0 and 1, else ``InvalidRiskLimit``."""
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
        raise InvalidRiskLimit(alpha, field_name)
    if math.isnan(alpha):
        raise InvalidRiskLimit(alpha, field_name)
    return float(alpha)


@dataclass(frozen=True)
class Contest:
    """One contest's reported result.

    ``ballots`` counts the ballot cards that contain the contest (undervotes included), so it is
    at least the number of valid votes divided by the number of winners. ``winners`` are the
    reported winners; every other candidate in ``tally`` is a reported loser. ``supermajority``,
    when set, is the fraction f > 1/2 of valid votes a single winner needs (Stark 2020, SHANGRLA,
    section 2.3); plurality (with ``len(winners)`` seats) otherwise.
    """

    name: str
    tally: Mapping[str, int]
    ballots: int
    winners: tuple[str, ...]
    supermajority: float | None = None
    losers: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tally", dict(self.tally))
        object.__setattr__(self, "winners", tuple(self.winners))
        for candidate, votes in self.tally.items():
            if isinstance(votes, bool) or not isinstance(votes, int):
                raise InvalidAuditParameter(f"tally.{candidate}", f"{votes!r} is not a whole number")
            if votes < 0:
                raise NegativeVotes(candidate, votes, self.name)
        if not self.winners:
            raise InvalidAuditParameter("winners", f"contest {self.name!r} names no reported winner")
        unknown = [w for w in self.winners if w not in self.tally]
        if unknown:
            raise InvalidAuditParameter("winners", f"{unknown[0]!r} is not a candidate in the tally")
        if len(set(self.winners)) != len(self.winners):
            raise InvalidAuditParameter("winners", "a reported winner is listed twice")
        losers = tuple(c for c in self.tally if c not in self.winners)
        object.__setattr__(self, "losers", losers)
        votes_cast = sum(self.tally.values())
        if self.ballots < math.ceil(votes_cast / len(self.winners)):
            raise InvalidAuditParameter(
                "ballots",
                f"{self.ballots} ballot cards cannot hold {votes_cast} votes for "
                f"{len(self.winners)} seat(s) in contest {self.name!r}",
            )
        if self.supermajority is not None:
            if not 0.5 < self.supermajority < 1:
                raise InvalidAuditParameter(
                    "supermajority", f"{self.supermajority!r} must lie strictly between 1/2 and 1"
                )
            if len(self.winners) != 1:
                raise InvalidAuditParameter("winners", "a super-majority contest has one winner")
            (winner,) = self.winners
            share = self.tally[winner] / votes_cast if votes_cast else 0.0
            if share <= self.supermajority:
                raise NoMargin(
                    self.name,
                    f"{winner!r} has {share:.4%} of the valid votes, "
                    f"not more than the required {self.supermajority:.4%}",
                )
            return
        for winner, loser in self.pairs():
            if self.tally[winner] <= self.tally[loser]:
                raise NoMargin(
                    self.name,
                    f"reported winner {winner!r} has {self.tally[winner]} votes and reported "
                    f"loser {loser!r} has {self.tally[loser]}",
                )

    def pairs(self) -> list[tuple[str, str]]:
        """Every (reported winner, reported loser) pair, in tally order."""
        return [(w, loser) for w in self.winners for loser in self.losers]

    @property
    def votes_cast(self) -> int:
        return sum(self.tally.values())

    def winner_share(self, winner: str, loser: str) -> float:
        """The winner's share of the ballots that show ``winner`` or ``loser``."""
        return self.tally[winner] / (self.tally[winner] + self.tally[loser])

    def pair_fraction(self, winner: str, loser: str) -> float:
        """The fraction of the contest's ballot cards that show ``winner`` or ``loser``."""
        return (self.tally[winner] + self.tally[loser]) / self.ballots
