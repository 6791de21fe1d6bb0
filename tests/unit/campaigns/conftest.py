from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from ballotguard.campaigns import ReportFacts
from ballotguard.vocabulary import Phase, Vector

T0 = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)

MakeFacts = Callable[..., ReportFacts]


@pytest.fixture
def make_facts() -> MakeFacts:
    """Facts with harmless defaults: no observables, no actor, no techniques, an unrelated text."""
    counter = iter(range(1_000_000))

    def make(
        id: str | None = None,
        days: float = 0,
        phase: Phase = Phase.CAMPAIGN,
        vectors: tuple[Vector, ...] = (Vector.DISINFORMATION,),
        targets: tuple[str, ...] = (),
        techniques: tuple[str, ...] = (),
        observables: tuple[tuple[str, str], ...] = (),
        actor: str | None = None,
        summary: str | None = None,
        title: str | None = None,
    ) -> ReportFacts:
        number = next(counter)
        return ReportFacts(
            id=id or f"r{number:04d}",
            observed_at=T0 + timedelta(days=days),
            phase=phase,
            vectors=frozenset(vectors),
            target_keys=frozenset(targets),
            techniques=frozenset(techniques),
            observables=frozenset(observables),
            actor=actor,
            summary=summary if summary is not None else "",
            title=title if title is not None else f"Note {number}",
        )

    return make
