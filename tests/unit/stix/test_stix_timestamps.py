"""STIX timestamps: UTC with Z, milliseconds at least, microseconds kept for an exact round trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballotguard.errors import InvalidInput
from ballotguard.stix import format_timestamp, parse_timestamp


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 3, 21, 14, 5, tzinfo=UTC), "2026-11-03T21:14:05.000Z"),
        (datetime(2026, 11, 3, 21, 14, 5, 120000, tzinfo=UTC), "2026-11-03T21:14:05.120Z"),
        (datetime(2026, 11, 3, 21, 14, 5, 123456, tzinfo=UTC), "2026-11-03T21:14:05.123456Z"),
        (datetime(2026, 11, 3, 23, 0, tzinfo=timezone(timedelta(hours=2))),
         "2026-11-03T21:00:00.000Z"),
        (datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC), "0999-01-02T03:04:05.000Z"),
    ],
)
def test_format(moment: datetime, text: str) -> None:
    assert format_timestamp(moment) == text


def test_a_naive_time_is_not_formatted() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        format_timestamp(datetime(2026, 11, 3, 21, 14))


@given(st.datetimes(timezones=st.just(UTC)))
def test_round_trip_is_exact(moment: datetime) -> None:
    assert parse_timestamp(format_timestamp(moment)) == moment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-03T21:14:05Z", datetime(2026, 11, 3, 21, 14, 5, tzinfo=UTC)),
        ("2026-11-03T21:14:05.1Z", datetime(2026, 11, 3, 21, 14, 5, 100000, tzinfo=UTC)),
        ("2026-11-03T21:14:05.123456789Z", datetime(2026, 11, 3, 21, 14, 5, 123456, tzinfo=UTC)),
    ],
)
def test_parse(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-11-03T21:14:05", "ending in Z"),
        ("2026-11-03T21:14:05+00:00", "ending in Z"),
        ("2026-11-03", "not a STIX timestamp"),
        ("yesterday", "not a STIX timestamp"),
        ("2026-02-30T00:00:00.000Z", "not a real date"),
        (20261103, "not a timestamp string"),
    ],
)
def test_garbage_is_refused_with_a_reason(text: object, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason) as caught:
        parse_timestamp(text, "created")
    assert caught.value.field == "created"
