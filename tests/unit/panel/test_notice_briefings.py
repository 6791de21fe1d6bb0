"""Who must be told before a public notice, and what stands in the way when they were not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ballotguard.panel.briefings import (
    Briefing,
    Party,
    RequiredParties,
    check_briefing_time,
    missing_briefings,
)

T = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
REQUIRED = RequiredParties("pmo", "vec", ("green", "blue"))
NAMES = {"pmo": "Office of the Premier", "vec": "Electoral Commission",
         "green": "Green Future Party", "blue": "Blue Horizon"}


def briefing(party: Party, *orgs: str, at: datetime = T, text: str = "Same text") -> Briefing:
    return Briefing(f"b-{party}-{at.isoformat()}", "d1", party, orgs, text, at, "p1", at)


ALL = [
    briefing(Party.HEAD_OF_GOVERNMENT, "pmo"),
    briefing(Party.POLITICAL_PARTIES, "green", "blue"),
    briefing(Party.ELECTION_AUTHORITY, "vec"),
]


@pytest.mark.parametrize(
    ("briefings", "required", "problems"),
    [
        (ALL, REQUIRED, []),
        ([], REQUIRED, [
            "the head of government's office (Office of the Premier) was not informed",
            "the election authority (Electoral Commission) was not informed",
            "registered parties not informed: Blue Horizon, Green Future Party",
        ]),
        (ALL[1:], REQUIRED, [
            "the head of government's office (Office of the Premier) was not informed"]),
        ([*ALL[:1], briefing(Party.POLITICAL_PARTIES, "green"), ALL[2]], REQUIRED,
         ["registered parties not informed: Blue Horizon"]),
        (ALL, RequiredParties(None, "vec", ("green", "blue")), [
            "the head of government's office is not configured (ballotguard notices parties)"]),
        (ALL[::2], RequiredParties("pmo", "vec", ()), []),
    ],
)
def test_missing_briefings(
    briefings: list[Briefing], required: RequiredParties, problems: list[str]
) -> None:
    assert missing_briefings(briefings, required, NAMES) == problems


def test_separate_party_briefings_block_publication() -> None:
    later = T + timedelta(hours=1)
    split = [*ALL, briefing(Party.POLITICAL_PARTIES, "green", "blue", at=later, text="Other")]
    problems = missing_briefings(split, REQUIRED, NAMES)
    assert len(problems) == 1
    assert "2 separate actions" in problems[0]
    assert "same text at the same time" in problems[0]


def test_the_text_is_fingerprinted() -> None:
    assert ALL[1].text_sha256 == briefing(Party.POLITICAL_PARTIES, "x").text_sha256
    assert ALL[1].text_sha256 != briefing(Party.POLITICAL_PARTIES, "x", text="other").text_sha256


def test_a_briefing_is_not_recorded_in_the_future() -> None:
    assert check_briefing_time(T, T) is None
    assert "future" in (check_briefing_time(T + timedelta(minutes=1), T) or "")
