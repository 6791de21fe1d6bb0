"""Cases before the panel: what was escalated and why, the threshold checklist, the notes.

A case is a report or a campaign escalated by an analyst with a reason. The panel weighs it against
a threshold checklist taken from the Critical Election Incident Public Protocol's considerations:

- **scope**: how far it reaches (local, regional, national, or a specific community);
- **effect**: on the ability to hold a free and fair election (none to severe);
- **accumulation**: whether, with linked cases, it forms a pattern;
- **phase**: the phase of the election it falls in (vocabulary ``Phase``).

Each item is answered with a value from its list and a note; answers are appended, the latest
counts, earlier ones stay. Deliberation notes are append-only too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ballotguard.vocabulary import Confidence, Phase, SourceReliability


class SubjectKind(StrEnum):
    REPORT = "report"
    CAMPAIGN = "campaign"


class CaseStatus(StrEnum):
    OPEN = "open"
    """Voting in the current round (or not started)."""
    DECIDED = "decided"
    """The current round closed with a decision; reopening starts a new round."""


class ChecklistItem(StrEnum):
    SCOPE = "scope"
    EFFECT = "effect"
    ACCUMULATION = "accumulation"
    PHASE = "phase"


CHECKLIST_VALUES: dict[ChecklistItem, tuple[str, ...]] = {
    ChecklistItem.SCOPE: ("local", "regional", "national", "community"),
    ChecklistItem.EFFECT: ("none", "limited", "significant", "severe"),
    ChecklistItem.ACCUMULATION: ("isolated", "linked", "pattern"),
    ChecklistItem.PHASE: tuple(p.value for p in Phase),
}

CHECKLIST_QUESTIONS: dict[ChecklistItem, str] = {
    ChecklistItem.SCOPE: "How far does it reach?",
    ChecklistItem.EFFECT: "What effect could it have on the ability to hold a free and fair "
    "election?",
    ChecklistItem.ACCUMULATION: "Taken with linked cases, is it part of a pattern?",
    ChecklistItem.PHASE: "Which phase of the election is it in?",
}


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    title: str
    subject_kind: SubjectKind
    subject_id: str
    reason: str
    escalated_by: str
    escalated_at: datetime
    source_reliability: SourceReliability
    confidence: Confidence
    round: int = 1
    status: CaseStatus = CaseStatus.OPEN


@dataclass(frozen=True, slots=True)
class ChecklistAnswer:
    case_id: str
    item: ChecklistItem
    value: str
    note: str
    answered_by: str
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class CaseNote:
    id: str
    case_id: str
    author_id: str
    text: str
    at: datetime


def checklist_problem(item: ChecklistItem, value: str) -> str | None:
    """Why ``value`` is not an answer to ``item``, or None if it is."""
    allowed = CHECKLIST_VALUES[item]
    if value not in allowed:
        return f"'{value}' is not an answer to {item.value}; use one of: {', '.join(allowed)}"
    return None


def latest_answers(answers: list[ChecklistAnswer]) -> dict[ChecklistItem, ChecklistAnswer]:
    """The answer that counts for each item: the latest given."""
    latest: dict[ChecklistItem, ChecklistAnswer] = {}
    for answer in sorted(answers, key=lambda a: a.answered_at):
        latest[answer.item] = answer
    return latest
