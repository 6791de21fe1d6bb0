"""Builders for the things tests need: organisations, people, report content.

They go through the services, as a user would, so a test's world obeys the same rules as a real one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ballotguard.bootstrap import Ballotguard
from ballotguard.services import reports as report_service
from ballotguard.services import stakeholders
from ballotguard.services.actors import OPERATOR, Actor, person_actor
from ballotguard.sharing import (
    Organisation,
    Person,
    Report,
    ReportContent,
    Role,
    Sector,
)
from ballotguard.vocabulary import Outcome, Phase, Tlp, Vector

_serial = itertools.count(1)
OBSERVED = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)


def org(bg: Ballotguard, name: str | None = None,
        sector: Sector = Sector.ELECTION_AUTHORITY, country: str = "XA") -> Organisation:
    with bg.uow() as uow:
        return stakeholders.create_org(uow, OPERATOR, name or f"Org {next(_serial)}", sector,
                                       country, bg.clock())


def person(bg: Ballotguard, organisation: Organisation,
           roles: Iterable[Role] = (Role.REPORTER,), email: str | None = None,
           name: str | None = None) -> Person:
    n = next(_serial)
    with bg.uow() as uow:
        return stakeholders.create_person(
            uow, OPERATOR, organisation.id, name or f"Person {n}",
            email or f"person{n}@example.org", frozenset(roles), bg.clock())


def content(**changes: Any) -> ReportContent:
    """A valid GREEN report about an attempted intrusion; ``changes`` override any field."""
    fields: dict[str, Any] = {
        "title": "Attempted intrusion into the voter registration portal",
        "summary": "Credential stuffing against the portal's login from rented servers.",
        "observed_at": OBSERVED,
        "election": "General election 2026",
        "phase": Phase.VOTER_REGISTRATION,
        "vectors": [Vector.CYBER_INTRUSION],
        "outcome": Outcome.ATTEMPTED,
        "tlp": Tlp.GREEN,
    }
    fields.update(changes)
    return ReportContent(**fields)


def file(bg: Ballotguard, author: Person | Actor, **changes: Any) -> Report:
    actor = author if isinstance(author, Actor) else person_actor(author)
    with bg.uow() as uow:
        return report_service.file_report(uow, actor, content(**changes), bg.clock())
