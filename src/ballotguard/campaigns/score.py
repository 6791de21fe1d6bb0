"""The cumulative score of a campaign, and its timeline.

Separate activities can add up to interference (issue 3, from the seeds): the score says how
much a campaign adds up to, and rises with its breadth and its persistence. It is a plain
product of three factors, each at least 1 for a one-report campaign and none of which can fall
when a report is added, so adding a report never lowers the score:

    value = volume x breadth x persistence
    volume      = log2(1 + reports)
    breadth     = 1 + (phases - 1) + (vectors - 1) + (targets - 1)
    persistence = 1 + log2(active weeks) + log2(1 + span in days / 30)

where ``phases``, ``vectors`` and ``targets`` count the distinct values over the members (each
term floored at 0: a campaign with no named target adds nothing for targets), ``active weeks``
counts the distinct ISO weeks with at least one observation, and the span runs from the first
observation to the last. One report scores 1; the same report three times in one day scores 2;
three reports in three phases against three targets over three weeks score about 2 x 5 x 3.1.
Logarithms keep volume and time from drowning breadth: a campaign that hits the voter roll, the
count and the candidates is broader than one that repeats a single claim a hundred times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from math import log2

from ballotguard.campaigns.facts import ReportFacts
from ballotguard.vocabulary import Phase, Vector

FORMULA = ("log2(1 + reports) x (1 + (phases-1) + (vectors-1) + (targets-1))"
           " x (1 + log2(active weeks) + log2(1 + span days / 30))")


@dataclass(frozen=True, slots=True)
class CampaignScore:
    value: float
    reports: int
    phases: int
    targets: int
    vectors: int
    techniques: int
    span_days: float
    active_weeks: int
    formula: str


def cumulative_score(members: Sequence[ReportFacts]) -> CampaignScore:
    """The score of a campaign with these members (formula in the module docstring);
    ``formula`` shows it with the campaign's own numbers."""
    if not members:
        return CampaignScore(0.0, 0, 0, 0, 0, 0, 0.0, 0, f"{FORMULA} = 0 (no reports)")
    phases = len({m.phase for m in members})
    vectors = len({v for m in members for v in m.vectors})
    targets = len({t for m in members for t in m.target_keys})
    techniques = len({t for m in members for t in m.techniques})
    moments = [m.observed_at.astimezone(UTC) for m in members]
    span_days = (max(moments) - min(moments)).total_seconds() / 86_400
    weeks = len({moment.isocalendar()[:2] for moment in moments})
    volume = log2(1 + len(members))
    breadth = 1 + max(phases - 1, 0) + max(vectors - 1, 0) + max(targets - 1, 0)
    persistence = 1 + log2(weeks) + log2(1 + span_days / 30)
    value = volume * breadth * persistence
    shown = (f"log2(1 + {len(members)}) x (1 + {max(phases - 1, 0)} + {max(vectors - 1, 0)}"
             f" + {max(targets - 1, 0)}) x (1 + log2({weeks}) + log2(1 + {span_days:.1f} / 30))"
             f" = {volume:.2f} x {breadth} x {persistence:.2f} = {value:.2f}")
    return CampaignScore(round(value, 6), len(members), phases, targets, vectors, techniques,
                         round(span_days, 2), weeks, shown)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    report_id: str
    observed_at: datetime
    phase: Phase
    title: str
    vectors: tuple[Vector, ...]
    techniques: tuple[str, ...]


def timeline(members: Sequence[ReportFacts]) -> list[TimelineEntry]:
    """The members in order of observation (ties by id), with their phase, for the UI."""
    ordered = sorted(members, key=lambda m: (m.observed_at, m.id))
    return [TimelineEntry(m.id, m.observed_at, m.phase, m.title, tuple(sorted(m.vectors)),
                          tuple(sorted(m.techniques))) for m in ordered]
