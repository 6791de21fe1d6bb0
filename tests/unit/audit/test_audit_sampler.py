"""The consistent sampler: published examples, the reference implementation, a pinned snapshot.

The reference is ``consistent_sampler`` 1.0.10 (Rivest, MIT), installed by the test extra. The
published values are the examples in its docstrings; the snapshot pins a documented seed so that
a change to the sampler, the reference or the id format shows up here.
"""

from __future__ import annotations

import numpy as np
import pytest
from consistent_sampler import sampler as reference_sampler
from consistent_sampler.consistent_sampler import first_fraction, next_fraction
from consistent_sampler.consistent_sampler import trim as reference_trim

from ballotguard.audit import sampler
from ballotguard.audit.sampler import (
    MIN_SEED_DIGITS,
    check_seed,
    first_ticket_number,
    hash_ballots,
    next_ticket_number,
    sample,
    trim,
)
from ballotguard.errors import (
    DuplicateBallotId,
    InvalidAuditParameter,
    InvalidInput,
    InvalidSeed,
    SeedTooShort,
)

DOC_SEED = "01382438112797316654"  # the seed of the reference's docstrings
SNAPSHOT_SEED = "27182818284590452353"  # the first 20 decimals of e, as if rolled with dice


def ids(count: int, prefix: str = "Veldra") -> list[str]:
    return [f"{prefix}|TAB-{i % 3}|{i // 40:03d}|{i % 40 + 1}" for i in range(count)]


# -- values published in the reference's documentation ---------------------------------------


def test_first_ticket_of_the_documented_ballot() -> None:
    assert first_ticket_number(DOC_SEED, "AB-130") == (
        "0.26299714122838008416507544297546663599715395525154425586041245287750224561854"
    )


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        (
            "0.26299714122838008416507544297546663599715395525154425586041245287750224561854",
            "0.8232357229934205790595761924514048157652891124687533667363938813600770093316",
        ),
        (
            "0.25471",
            "0.642853261655004694691182528114375607701032283189922170593838029306715548381901",
        ),
    ],
)
def test_next_ticket_numbers_published(previous: str, expected: str) -> None:
    assert next_ticket_number(previous) == expected


def test_trim_cuts_after_the_leading_nines() -> None:
    assert trim("0.9991234567890", 4) == "0.9991234"
    assert trim("0.123456789012") == "0.123456789"


def test_published_sample_without_replacement() -> None:
    drawn = sample("314159", ["ab-1", "ab-2", "cd-1", "ef-3"], min_seed_digits=6)
    assert [d.as_reference_tuple() for d in drawn] == [
        ("0.317685817", "cd-1", 1),
        ("0.832984519", "ef-3", 1),
        ("0.9098039269", "ab-1", 1),
        ("0.9231549043", "ab-2", 1),
    ]


def test_published_sample_with_replacement() -> None:
    drawn = sample(
        "314159", ["A#2", "B#7", "C#1", "D#4"], 8, with_replacement=True, min_seed_digits=6
    )
    assert [d.ballot_id for d in drawn] == ["D#4", "C#1", "C#1", "B#7", "A#2", "C#1", "D#4", "B#7"]
    assert [d.generation for d in drawn] == [1, 1, 2, 1, 1, 3, 2, 2]


# -- against the installed reference -----------------------------------------------------------


SEEDS = [DOC_SEED, SNAPSHOT_SEED, "00000000000000000000", "99999999999999999999123"]


@pytest.mark.parametrize("seed", SEEDS)
def test_same_tickets_and_order_as_the_reference_without_replacement(seed: str) -> None:
    ballots = ids(3000)
    expected = list(reference_sampler(ballots, seed=seed, digits=30))
    assert [d.as_reference_tuple(30) for d in sample(seed, ballots)] == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_same_tickets_and_order_as_the_reference_with_replacement(seed: str) -> None:
    ballots = ids(150)
    expected = list(reference_sampler(ballots, seed=seed, with_replacement=True, take=600))
    drawn = sample(seed, ballots, 600, with_replacement=True)
    assert [d.as_reference_tuple() for d in drawn] == expected
    assert max(d.generation for d in drawn) > 3


@pytest.mark.parametrize("ballot_id", ["AB-130", "", "été|1|2|3", "x" * 200, "0"])
def test_full_precision_first_tickets_match(ballot_id: str) -> None:
    assert first_ticket_number(DOC_SEED, ballot_id) == first_fraction(ballot_id, DOC_SEED)


def test_next_tickets_match_the_reference_through_many_generations() -> None:
    number = first_ticket_number(DOC_SEED, "AB-130")
    for _ in range(40):
        expected = next_fraction(number)
        number = next_ticket_number(number)
        assert number == expected
    assert number.startswith("0.99")
    assert trim(number) == reference_trim(number)


@pytest.mark.parametrize(("start", "count"), [(0, 5), (5, 10), (40, 1000), (2999, 5)])
def test_rounds_continue_the_same_sequence(start: int, count: int) -> None:
    tickets = hash_ballots(DOC_SEED, ids(3000))
    expected = list(reference_sampler(ids(3000), seed=DOC_SEED, drop=start, take=count))
    assert [d.as_reference_tuple() for d in tickets.draw(count, start=start)] == expected
    rounds = tickets.draw(7, with_replacement=True) + tickets.draw(
        13, start=7, with_replacement=True
    )
    assert rounds == tickets.draw(20, with_replacement=True)


def test_ties_in_the_short_key_fall_back_to_full_tickets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys cut to two digits tie constantly; the order must still be the reference's."""
    full_keys = sampler._keys
    monkeypatch.setattr(
        sampler, "_keys", lambda digests, count: full_keys(digests, count) // np.uint64(10**11)
    )
    ballots = ids(2000)
    expected = list(reference_sampler(ballots, seed=DOC_SEED, digits=20))
    assert [d.as_reference_tuple(20) for d in sample(DOC_SEED, ballots)] == expected


def test_one_hashing_serves_every_contest() -> None:
    """A contest on part of the ballots draws what the reference draws from that part alone."""
    ballots = ids(2400)
    tickets = hash_ballots(SNAPSHOT_SEED, ballots)
    covered = np.array(["|TAB-1|" in b for b in ballots])
    subset = [b for b in ballots if "|TAB-1|" in b]
    expected = list(reference_sampler(subset, seed=SNAPSHOT_SEED, take=50))
    assert [d.as_reference_tuple() for d in tickets.draw(50, eligible=covered)] == expected
    with_replacement = list(
        reference_sampler(subset, seed=SNAPSHOT_SEED, take=80, with_replacement=True)
    )
    drawn = tickets.draw(80, eligible=covered, with_replacement=True)
    assert [d.as_reference_tuple() for d in drawn] == with_replacement
    assert all(ballots[d.index] == d.ballot_id for d in drawn)


def test_lazy_sequences_of_ids_are_hashed_like_lists() -> None:
    class Lazy:
        def __len__(self) -> int:
            return 70_000

        def __getitem__(self, index: int) -> str:
            return f"J|T|B|{index}"

        def __iter__(self):  # type: ignore[no-untyped-def]
            return (f"J|T|B|{i}" for i in range(70_000))

    lazy = hash_ballots(DOC_SEED, Lazy())  # type: ignore[arg-type]
    listed = hash_ballots(DOC_SEED, [f"J|T|B|{i}" for i in range(70_000)])
    assert lazy.draw(30) == listed.draw(30)
    assert np.array_equal(lazy.order, listed.order)


# -- snapshot of a documented seed ---------------------------------------------------------------

SNAPSHOT_BALLOTS = [
    f"Veldra|TAB-{t}|{b:03d}|{p}" for t in (1, 2) for b in range(1, 6) for p in range(1, 51)
]


def test_snapshot_without_replacement() -> None:
    drawn = sample(SNAPSHOT_SEED, SNAPSHOT_BALLOTS, 10)
    assert [d.as_reference_tuple() for d in drawn] == [
        ("0.000170702", "Veldra|TAB-2|003|36", 1),
        ("0.004368448", "Veldra|TAB-2|004|14", 1),
        ("0.006080830", "Veldra|TAB-2|004|7", 1),
        ("0.012289716", "Veldra|TAB-2|004|11", 1),
        ("0.013496510", "Veldra|TAB-1|003|31", 1),
        ("0.015086246", "Veldra|TAB-2|005|21", 1),
        ("0.018018478", "Veldra|TAB-2|005|42", 1),
        ("0.025400489", "Veldra|TAB-2|005|18", 1),
        ("0.026085358", "Veldra|TAB-1|002|26", 1),
        ("0.027423836", "Veldra|TAB-2|003|17", 1),
    ]


def test_snapshot_with_replacement() -> None:
    drawn = sample(SNAPSHOT_SEED, SNAPSHOT_BALLOTS[:20], 12, with_replacement=True)
    assert [d.as_reference_tuple() for d in drawn] == [
        ("0.053002103", "Veldra|TAB-1|001|2", 1),
        ("0.145920162", "Veldra|TAB-1|001|5", 1),
        ("0.212220011", "Veldra|TAB-1|001|4", 1),
        ("0.226351279", "Veldra|TAB-1|001|14", 1),
        ("0.294608893", "Veldra|TAB-1|001|4", 2),
        ("0.317919944", "Veldra|TAB-1|001|2", 2),
        ("0.326502912", "Veldra|TAB-1|001|2", 3),
        ("0.349942351", "Veldra|TAB-1|001|16", 1),
        ("0.478799497", "Veldra|TAB-1|001|19", 1),
        ("0.499917385", "Veldra|TAB-1|001|3", 1),
        ("0.508155738", "Veldra|TAB-1|001|3", 2),
        ("0.526641850", "Veldra|TAB-1|001|15", 1),
    ]


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        ("1234567890123456789", SeedTooShort, "the seed has 19 digits; at least 20 are needed"),
        ("", SeedTooShort, "the seed has 0 digits; at least 20 are needed"),
        ("1234567890 1234567890", InvalidSeed, "use only the decimal digits 0-9"),
        ("12345678901234567890x", InvalidSeed, "use only the decimal digits 0-9"),
        ("١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠", InvalidSeed, "use only the decimal digits 0-9"),
        (12345678901234567890, InvalidSeed, "use only the decimal digits 0-9"),
    ],
)
def test_bad_seeds(seed: str, error: type[InvalidInput], message: str) -> None:
    with pytest.raises(error, match=message) as caught:
        hash_ballots(seed, ["a"])
    assert caught.value.field == "seed"


def test_the_minimum_is_twenty_digits() -> None:
    assert MIN_SEED_DIGITS == 20
    assert check_seed("1" * 20) == "1" * 20


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(DuplicateBallotId, match="'b' appears twice") as caught:
        hash_ballots(DOC_SEED, ["a", "b", "c", "b"])
    assert {caught.value.first, caught.value.second} == {1, 3}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"count": -1}, "count"),
        ({"count": 2, "start": -1}, "start"),
        ({"count": None, "with_replacement": True}, "count"),
        ({"count": 2, "eligible": np.array([True])}, "eligible"),
    ],
)
def test_bad_draws(kwargs: dict[str, object], field: str) -> None:
    tickets = hash_ballots(DOC_SEED, ["a", "b", "c"])
    with pytest.raises(InvalidAuditParameter) as caught:
        tickets.draw(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_empty_and_oversized_draws() -> None:
    tickets = hash_ballots(DOC_SEED, ["a", "b", "c"])
    assert len(tickets.draw(10)) == 3
    assert tickets.draw(0) == []
    assert hash_ballots(DOC_SEED, []).draw(5, with_replacement=True) == []
