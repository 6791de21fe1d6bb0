"""Before a public notice: who must be told first, and whether they were.

Canada's Critical Election Incident Public Protocol informs the Prime Minister, the leaders of
the registered parties and the election authority before the public hears of an incident. Here
the required parties are:

- the head of government's office (an organisation chosen in the configuration);
- every registered party: every organisation of sector ``political_party``. All of them get the
  same text at the same time, recorded as one briefing that names them all. Party briefings
  recorded in separate actions, or one that leaves a party out, block publication: one party
  must never learn before another;
- the election authority (an organisation chosen in the configuration).

A briefing is tied to one decision of the panel. A superseding decision needs its own briefings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Party(StrEnum):
    HEAD_OF_GOVERNMENT = "head_of_government"
    POLITICAL_PARTIES = "political_parties"
    ELECTION_AUTHORITY = "election_authority"


PARTY_NAMES = {
    Party.HEAD_OF_GOVERNMENT: "the head of government's office",
    Party.POLITICAL_PARTIES: "every registered party",
    Party.ELECTION_AUTHORITY: "the election authority",
}


@dataclass(frozen=True, slots=True)
class Briefing:
    """One recorded briefing: ``org_ids`` told at ``informed_at`` with ``text``.

    ``recorded_at`` is when someone wrote it down here (at or after ``informed_at``).
    """

    id: str
    decision_id: str
    party: Party
    org_ids: tuple[str, ...]
    text: str
    informed_at: datetime
    recorded_by: str
    recorded_at: datetime

    @property
    def text_sha256(self) -> str:
        return text_digest(self.text)


@dataclass(frozen=True, slots=True)
class RequiredParties:
    """Who must be told, as configured now: org ids (None when not configured)."""

    head_of_government: str | None
    election_authority: str | None
    political_parties: tuple[str, ...]


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def missing_briefings(
    briefings: Sequence[Briefing], required: RequiredParties, names: Mapping[str, str]
) -> list[str]:
    """What stands between the decision and publication, in words; empty when all were told.

    ``names`` maps org ids to names so that the message names who is missing.
    """
    problems: list[str] = []

    def named(org_id: str) -> str:
        return names.get(org_id, org_id)

    for party, org_id in ((Party.HEAD_OF_GOVERNMENT, required.head_of_government),
                          (Party.ELECTION_AUTHORITY, required.election_authority)):
        if org_id is None:
            problems.append(f"{PARTY_NAMES[party]} is not configured "
                            "(ballotguard notices parties)")
        elif not any(b.party is party and org_id in b.org_ids for b in briefings):
            problems.append(f"{PARTY_NAMES[party]} ({named(org_id)}) was not informed")
    party_briefings = [b for b in briefings if b.party is Party.POLITICAL_PARTIES]
    if len(party_briefings) > 1:
        times = ", ".join(b.informed_at.isoformat() for b in party_briefings)
        problems.append(
            f"the parties were briefed in {len(party_briefings)} separate actions ({times}); "
            "every party must get the same text at the same time"
        )
    if required.political_parties:
        told = set(party_briefings[0].org_ids) if party_briefings else set()
        left_out = [named(o) for o in required.political_parties if o not in told]
        if left_out:
            problems.append("registered parties not informed: " + ", ".join(sorted(left_out)))
    return problems


def check_briefing_time(informed_at: datetime, now: datetime) -> str | None:
    """A briefing cannot be recorded as given in the future."""
    if informed_at > now:
        return f"informed_at {informed_at.isoformat()} is in the future"
    return None
