"""Ballot manifests: parsing with errors that name the line and column, ids, phantoms, retrieval."""

from __future__ import annotations

import re

import numpy as np
import pytest
from consistent_sampler import sampler as reference_sampler

from ballotguard.audit.manifest import (
    BallotUniverse,
    Batch,
    Manifest,
    parse_manifest,
    retrieval_list,
)
from ballotguard.audit.sampler import hash_ballots
from ballotguard.errors import InvalidAuditParameter, InvalidManifest, ManifestMismatch

SEED = "27182818284590452353"

NORTH = """Container,Tabulator,Batch Name,Number of Ballots
Box 1,TAB-1,001,120
Box 1,TAB-1,002,80
Box 2,TAB-2,001,200
Box 2,TAB-2,002,0
Box 3,TAB-2,003,100
"""

SOUTH = """\ufeff  batch , ballots ,Notes
  A ,  3 ,first
B,2,
"""


def test_parse_a_manifest() -> None:
    manifest = parse_manifest(NORTH, "North")
    assert manifest.batches[0] == Batch("Box 1", "TAB-1", "001", 120, 2)
    assert manifest.batches[-1] == Batch("Box 3", "TAB-2", "003", 100, 6)
    assert manifest.manifest_ballots == manifest.ballots == len(manifest) == 500
    assert manifest.phantoms == 0


def test_optional_columns_aliases_spaces_bom_and_extra_columns() -> None:
    manifest = parse_manifest(SOUTH, "South")
    assert manifest.batches == (Batch("", "", "A", 3, 2), Batch("", "", "B", 2, 3))
    assert list(manifest.iter_ballot_ids()) == ["South||A|1", "South||A|2", "South||A|3",
                                                "South||B|1", "South||B|2"]  # fmt: skip


def test_blank_lines_are_skipped_but_counted() -> None:
    manifest = parse_manifest("\nBatch Name,Number of Ballots\n\nX,4\n,\nY,1\n", "J")
    assert [(b.name, b.line) for b in manifest.batches] == [("X", 4), ("Y", 6)]


def test_ids_and_locations() -> None:
    manifest = parse_manifest(NORTH, "North")
    ids = list(manifest.iter_ballot_ids())
    assert len(ids) == 500 and len(set(ids)) == 500
    assert ids[0] == "North|TAB-1|001|1"
    assert ids[199] == "North|TAB-1|002|80"
    assert ids[200] == "North|TAB-2|001|1"
    assert ids[400] == "North|TAB-2|003|1"  # the empty batch TAB-2/002 holds nothing
    for index in (0, 119, 120, 199, 200, 399, 400, 499):
        location = manifest.locate(index)
        assert location.ballot_id == ids[index]
    assert manifest.locate(420).container == "Box 3"
    assert manifest.locate(420).position == 21


MANIFEST_ERRORS = [
    ("", 1, "", "the manifest is empty"),
    ("Batch Name,Number of Ballots\n", 1, "", "lists no batches"),
    (
        "Container,Number of Ballots\nB,1\n",
        1,
        "Batch Name",
        "the header has no 'Batch Name' column",
    ),
    ("Batch,Count\nA,1\n", 1, "Number of Ballots", "the header has no 'Number of Ballots' column"),
    ("Batch,Ballots,batch name\nA,1,A\n", 1, "Batch Name", "appears twice"),
    (
        "Batch,Ballots\nA,1\nB,-4\n",
        3,
        "Number of Ballots",
        "-4 ballots: the number cannot be negative",
    ),
    ("Batch,Ballots\nA,1.5\n", 2, "Number of Ballots", "'1.5' is not a whole number"),
    ("Batch,Ballots\nA,1 000\n", 2, "Number of Ballots", "'1 000' is not a whole number"),
    ("Batch,Ballots\nA,twelve\n", 2, "Number of Ballots", "'twelve' is not a whole number"),
    ("Batch,Ballots\nA,\n", 2, "Number of Ballots", "the number of ballots is missing"),
    ("Batch,Ballots\nA\n", 2, "Number of Ballots", "the number of ballots is missing"),
    ("Batch,Ballots\n,5\n", 2, "Batch Name", "the batch has no name"),
    (
        "Batch,Ballots\nA,1\nB,2\nA,3\n",
        4,
        "Batch Name",
        "batch 'A' is listed again (first on line 2)",
    ),
    (
        "Tabulator,Batch,Ballots\nT1,A,1\nT2,A,2\nT1,A,3\n",
        4,
        "Batch Name",
        "batch 'A' of tabulator 'T1' is listed again (first on line 2)",
    ),
    ("Batch,Ballots\nA|B,1\n", 2, "Batch Name", "contains '|'"),
    ("Tabulator,Batch,Ballots\nT|1,A,1\n", 2, "Tabulator", "contains '|'"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), MANIFEST_ERRORS)
def test_manifest_errors_name_line_and_column(
    text: str, line: int, column: str, message: str
) -> None:
    with pytest.raises(InvalidManifest, match=re.escape(message)) as caught:
        parse_manifest(text, "North")
    assert caught.value.line == line
    assert caught.value.column == column
    assert caught.value.field.startswith(f"manifest line {line}")


def test_same_batch_name_under_different_tabulators_is_fine() -> None:
    manifest = parse_manifest("Tabulator,Batch,Ballots\nT1,A,1\nT2,A,2\n", "J")
    assert list(manifest.iter_ballot_ids()) == ["J|T1|A|1", "J|T2|A|1", "J|T2|A|2"]


# -- reconciliation with the reported ballots; phantoms ----------------------------------------


def test_totals_that_match_need_nothing() -> None:
    manifest = parse_manifest(NORTH, "North")
    assert manifest.reconcile(500) == manifest


def test_fewer_listed_than_reported_adds_phantoms() -> None:
    manifest = parse_manifest(NORTH, "North").reconcile(503)
    assert manifest.phantoms == 3
    assert manifest.ballots == 503 and manifest.manifest_ballots == 500
    assert list(manifest.iter_ballot_ids())[-3:] == [
        "North|phantom|1",
        "North|phantom|2",
        "North|phantom|3",
    ]
    location = manifest.locate(502)
    assert location.phantom and location.position == 3 and location.ballot_id == "North|phantom|3"
    assert not manifest.locate(499).phantom


@pytest.mark.parametrize(
    ("reported", "allow", "message"),
    [
        (499, True, "lists 500 ballot cards, more than the 499 reported cast"),
        (501, False, "lists 500 ballot cards, fewer than the 501 reported cast"),
    ],
)
def test_totals_that_disagree(reported: int, allow: bool, message: str) -> None:
    with pytest.raises(ManifestMismatch, match=message) as caught:
        parse_manifest(NORTH, "North").reconcile(reported, allow_phantoms=allow)
    assert caught.value.field == "manifest.North"
    assert (caught.value.manifest_ballots, caught.value.reported_ballots) == (500, reported)


@pytest.mark.parametrize("reported", [-1, 2.5, True])
def test_reported_ballots_must_be_a_count(reported: int) -> None:
    with pytest.raises(InvalidAuditParameter):
        parse_manifest(NORTH, "North").reconcile(reported)


@pytest.mark.parametrize("name", ["", "North|East"])
def test_jurisdiction_names(name: str) -> None:
    with pytest.raises(InvalidAuditParameter, match="jurisdiction"):
        parse_manifest(NORTH, name)


# -- the universe of several jurisdictions, masks, the sample and retrieval ----------------------


def universe() -> BallotUniverse:
    return BallotUniverse(
        [parse_manifest(NORTH, "North").reconcile(505), parse_manifest(SOUTH, "South")]
    )


def test_universe_ids_and_locate() -> None:
    frame = universe()
    ids = frame.ballot_ids()
    listed = list(ids)
    assert len(frame) == len(ids) == len(listed) == 510
    assert listed[505] == "South||A|1" and ids[505] == "South||A|1" and ids[-1] == "South||B|2"
    assert ids[503:506] == ["North|phantom|4", "North|phantom|5", "South||A|1"]
    assert all(frame.locate(i).ballot_id == listed[i] for i in range(510))
    with pytest.raises(InvalidAuditParameter):
        frame.locate(510)


def test_the_universe_sample_is_the_reference_sample_of_its_ids() -> None:
    frame = universe()
    drawn = hash_ballots(SEED, frame.ballot_ids()).draw(40)
    expected = list(reference_sampler(list(frame.ballot_ids()), seed=SEED, take=40))
    assert [d.as_reference_tuple() for d in drawn] == expected


def test_masks_select_jurisdictions() -> None:
    frame = universe()
    mask = frame.mask(["South"])
    assert mask.sum() == 5 and mask[505:].all() and not mask[:505].any()
    drawn = hash_ballots(SEED, frame.ballot_ids()).draw(None, eligible=mask)
    assert sorted(d.ballot_id for d in drawn) == list(frame.ballot_ids())[505:]
    assert np.array_equal(frame.mask(["North", "South"]), np.ones(510, dtype=bool))
    with pytest.raises(InvalidAuditParameter, match="'West' has no manifest"):
        frame.mask(["West"])


def test_two_manifests_for_one_jurisdiction_are_refused() -> None:
    with pytest.raises(InvalidAuditParameter, match="'North' has two manifests"):
        BallotUniverse([parse_manifest(NORTH, "North"), parse_manifest(SOUTH, "North")])


def test_retrieval_list_is_sorted_for_the_shelves_and_counts_repeats() -> None:
    frame = universe()
    tickets = hash_ballots(SEED, frame.ballot_ids())
    draws = tickets.draw(60, with_replacement=True)
    rows = retrieval_list(frame, draws)
    assert len(rows) == len({d.index for d in draws})
    assert sum(r.times_drawn for r in rows) == 60
    keys = [frame.ballot_ids().index(r.location.ballot_id) for r in rows]
    assert keys == sorted(keys)
    first = {d.ballot_id: d.ticket_number for d in reversed(draws)}
    assert all(first[r.location.ballot_id] == r.ticket_number for r in rows)


def test_snapshot_of_a_seeded_sample_from_a_manifest() -> None:
    frame = universe()
    rows = retrieval_list(frame, hash_ballots(SEED, frame.ballot_ids()).draw(8))
    assert [
        (r.location.container, r.location.tabulator, r.location.batch, r.location.position)
        for r in rows
    ] == SNAPSHOT
    assert [r.location.phantom for r in rows] == [False] * len(SNAPSHOT)


SNAPSHOT = [
    ("Box 1", "TAB-1", "001", 4),
    ("Box 1", "TAB-1", "001", 60),
    ("Box 1", "TAB-1", "001", 79),
    ("Box 1", "TAB-1", "001", 86),
    ("Box 1", "TAB-1", "002", 4),
    ("Box 2", "TAB-2", "001", 80),
    ("Box 2", "TAB-2", "001", 105),
    ("Box 2", "TAB-2", "001", 153),
]


def test_manifest_value_rejects_negative_phantoms() -> None:
    with pytest.raises(InvalidAuditParameter, match="phantoms"):
        Manifest("J", (), phantoms=-1)


def test_numbered_runs_hash_like_the_strings_they_stand_for() -> None:
    """The sampler hashes a manifest's ids from (prefix, numbers) runs; big batches included."""
    big = Manifest(
        "East",
        (
            Batch("C", "T1", "huge", 70_001, 2),
            Batch("C", "T1", "empty", 0, 3),
            Batch("C", "T2", "small", 3, 4),
        ),
    ).reconcile(70_010)
    frame = BallotUniverse([big, parse_manifest(SOUTH, "South")])
    lazy = hash_ballots(SEED, frame.ballot_ids())
    listed = hash_ballots(SEED, list(frame.ballot_ids()))
    assert np.array_equal(lazy.order, listed.order)
    assert lazy.draw(25) == listed.draw(25)
    assert list(frame.ballot_ids())[70_001:70_005] == [
        "East|T2|small|1",
        "East|T2|small|2",
        "East|T2|small|3",
        "East|phantom|1",
    ]
