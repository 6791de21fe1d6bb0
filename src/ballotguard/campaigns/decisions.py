"""Analyst decisions on links, which every recomputation honours.

- **confirm** keeps a link: the pair stays together even if recomputation no longer finds it
  (a corrected report, a key gone over the cap);
- **reject** cuts a link: recomputation never re-creates it, and the two reports are kept in
  different campaigns (a cannot-link constraint: a new report that would bridge them joins one
  side only);
- **merge** adds a manual link between two reports, and so joins their campaigns.

Splitting a campaign is rejecting every link that crosses between the part and the rest
(``split_decisions``). For one pair, the latest decision counts (``effective_decisions``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ballotguard.campaigns.links import Link
from ballotguard.errors import InvalidDecision


class DecisionKind(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"
    MERGE = "merge"


@dataclass(frozen=True, slots=True)
class Decision:
    """One analyst decision on the pair ``a < b`` (the order is normalised)."""

    kind: DecisionKind
    a: str
    b: str
    by: str
    at: datetime
    reason: str = ""

    def __post_init__(self) -> None:
        if self.a == self.b:
            raise InvalidDecision("b", f"a decision needs two different reports, got {self.a} twice")
        if self.at.tzinfo is None:
            raise InvalidDecision("at", "give a time zone")
        if not isinstance(self.kind, DecisionKind):
            object.__setattr__(self, "kind", DecisionKind(self.kind))
        if self.a > self.b:
            a, b = self.b, self.a
            object.__setattr__(self, "a", a)
            object.__setattr__(self, "b", b)

    @property
    def pair(self) -> tuple[str, str]:
        return self.a, self.b


def effective_decisions(decisions: Iterable[Decision]) -> dict[tuple[str, str], Decision]:
    """The decision that counts for each pair: the latest by ``at``, later in the input on ties."""
    latest: dict[tuple[str, str], Decision] = {}
    for decision in decisions:
        current = latest.get(decision.pair)
        if current is None or decision.at >= current.at:
            latest[decision.pair] = decision
    return latest


def confirm_decision(link: Link, by: str, at: datetime, reason: str = "") -> Decision:
    return Decision(DecisionKind.CONFIRM, link.a, link.b, by, at, reason)


def reject_decision(link: Link, by: str, at: datetime, reason: str = "") -> Decision:
    return Decision(DecisionKind.REJECT, link.a, link.b, by, at, reason)


def merge_decision(
    a_report: str, b_report: str, by: str, at: datetime, reason: str = ""
) -> Decision:
    """A manual link between two reports: their campaigns become one."""
    return Decision(DecisionKind.MERGE, a_report, b_report, by, at, reason)


def split_decisions(
    members: Iterable[str],
    part: Iterable[str],
    links: Sequence[Link],
    by: str,
    at: datetime,
    reason: str = "",
    decisions: Mapping[tuple[str, str], Decision] | None = None,
) -> list[Decision]:
    """Reject every link, and every analyst-made link (``decisions``: confirm or merge), that
    crosses between ``part`` and the rest of ``members``.

    ``part`` must be a non-empty proper subset of ``members``.
    """
    everyone = frozenset(members)
    side = frozenset(part)
    if not side:
        raise InvalidDecision("part", "name at least one report to split off")
    if not side < everyone:
        outside = sorted(side - everyone)
        why = (f"not in the campaign: {', '.join(outside)}" if outside
               else "the part is the whole campaign")
        raise InvalidDecision("part", why)
    crossing = {link.pair for link in links
                if link.a in everyone and link.b in everyone
                and (link.a in side) != (link.b in side)}
    for pair, decision in (decisions or {}).items():
        if decision.kind is not DecisionKind.REJECT and pair[0] in everyone \
                and pair[1] in everyone and (pair[0] in side) != (pair[1] in side):
            crossing.add(pair)
    return [Decision(DecisionKind.REJECT, a, b, by, at, reason) for a, b in sorted(crossing)]
