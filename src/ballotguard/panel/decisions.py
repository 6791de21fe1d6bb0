"""Decisions of the panel: what it decided on a case, why, and which earlier decision it replaces.

A decision is immutable once recorded. A later decision may supersede it (the panel reopens the
case, votes again and records a new decision that names the one it replaces); the link is kept
both ways, so a post-election review sees every decision and the order in which they were taken.

The outcome is not chosen by the chair: it follows from the votes by ``votes.outcome_of`` (the
published threshold). The chair records it with a rationale, and names the target of a targeted
notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class NoticeKind(StrEnum):
    """What the panel decided: tell the public, tell a specific target, or tell no one."""

    PUBLIC = "public_notice"
    TARGETED = "targeted_notice"
    NONE = "no_notice"


NOTICE_KINDS = (NoticeKind.PUBLIC, NoticeKind.TARGETED)


@dataclass(frozen=True, slots=True)
class Decision:
    """One recorded decision.

    ``target``: for a targeted notice, whom it goes to (a candidate, organisation, riding or
    community); empty otherwise. ``recorded_by``: the chair's person id. ``supersedes``: the id
    of the decision this one replaces. ``threshold_met``: whether the votes for a notice reached
    the published threshold (false for every "no notice" decided because they did not).
    ``round``: the voting round the decision closed (1 for the first).
    """

    id: str
    case_id: str
    outcome: NoticeKind
    target: str
    rationale: str
    recorded_at: datetime
    recorded_by: str
    supersedes: str | None
    threshold_met: bool
    round: int = 1

    @property
    def is_notice(self) -> bool:
        return self.outcome in NOTICE_KINDS


def current_decision(decisions: list[Decision]) -> Decision | None:
    """The decision no other decision supersedes (the latest in the chain), if any."""
    replaced = {d.supersedes for d in decisions if d.supersedes}
    standing = [d for d in decisions if d.id not in replaced]
    if not standing:
        return None
    return max(standing, key=lambda d: (d.round, d.recorded_at))


def superseded_by(decisions: list[Decision], decision_id: str) -> str | None:
    """The id of the decision that replaced ``decision_id``, if one did."""
    for d in decisions:
        if d.supersedes == decision_id:
            return d.id
    return None
