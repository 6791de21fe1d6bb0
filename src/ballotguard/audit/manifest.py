"""Ballot manifests: which batches of ballot cards exist, where they are, and how many each holds.

A manifest is the sampling frame of a risk-limiting audit: the sample is drawn from the ballots
it lists, so its errors are the audit's. Lindeman and Stark (2012), "A Gentle Introduction to
Risk-Limiting Audits", IEEE Security & Privacy 10(5), section "Ballot manifests", describe it;
Bañuelos and Stark (2012), "Limiting Risk by Turning Manifest Phantoms into Evil Zombies",
arXiv:1207.3413, say what to do when it lists fewer ballots than were reported cast: add
*phantom* ballots up to the reported total, let them be sampled like the rest, and count a
phantom that is drawn as the worst case for the reported outcome (a vote for every reported
loser in ballot polling; a two-vote overstatement in a comparison audit). The audit then stays
risk-limiting; when the manifest is right, phantoms change nothing.

The CSV has a header row and one row per batch. Columns are matched without regard to case or
surrounding spaces; others are ignored:

    Container          optional  where the batch is stored (a box, a cage)
    Tabulator          optional  the scanner that counted the batch
    Batch Name         required  unique within its tabulator ("Batch" is accepted)
    Number of Ballots  required  a whole number >= 0 ("Ballots" is accepted)

Every ballot gets the id ``"<jurisdiction>|<tabulator>|<batch>|<position>"`` (position counts
from 1 within the batch), the string the consistent sampler hashes; phantom ``k`` of a
jurisdiction is ``"<jurisdiction>|phantom|<k>"``. Names may therefore not contain ``|``. Anyone
holding the manifest and the seed can rebuild these ids and the sample with Rivest's reference
sampler.
"""

from __future__ import annotations

import bisect
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import overload

import numpy as np
import numpy.typing as npt

from ballotguard.audit.sampler import Draw
from ballotguard.errors import InvalidAuditParameter, InvalidManifest, ManifestMismatch

SEPARATOR = "|"

_COLUMNS: dict[str, tuple[str, ...]] = {
    "container": ("container",),
    "tabulator": ("tabulator",),
    "batch": ("batch name", "batch"),
    "ballots": ("number of ballots", "ballots", "number of ballot cards"),
}
_HEADINGS = {"container": "Container", "tabulator": "Tabulator", "batch": "Batch Name",
             "ballots": "Number of Ballots"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Batch:
    """One manifest row; ``line`` is its line in the CSV (1 is the header)."""

    container: str
    tabulator: str
    name: str
    ballots: int
    line: int


@dataclass(frozen=True, slots=True)
class BallotLocation:
    """Where a ballot is: what an audit board needs to pull it. Phantoms have no place."""

    ballot_id: str
    jurisdiction: str
    container: str
    tabulator: str
    batch: str
    position: int
    phantom: bool = False


def _check_name(value: str, line: int, column: str) -> str:
    if SEPARATOR in value:
        raise InvalidManifest(line, column, f"{value!r} contains {SEPARATOR!r}, which ids reserve")
    return value


@dataclass(frozen=True)
class Manifest:
    """One jurisdiction's batches, plus the phantom ballots reconciliation added."""

    jurisdiction: str
    batches: tuple[Batch, ...]
    phantoms: int = 0
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.jurisdiction or SEPARATOR in self.jurisdiction:
            raise InvalidAuditParameter(
                "jurisdiction", f"{self.jurisdiction!r} must be non-empty and without {SEPARATOR!r}"
            )
        if self.phantoms < 0:
            raise InvalidAuditParameter("phantoms", f"{self.phantoms} must be >= 0")
        starts = []
        running = 0
        for batch in self.batches:
            starts.append(running)
            running += batch.ballots
        object.__setattr__(self, "_starts", tuple(starts))

    @property
    def manifest_ballots(self) -> int:
        """Ballot cards the manifest lists (phantoms not included)."""
        return sum(batch.ballots for batch in self.batches)

    @property
    def ballots(self) -> int:
        """Ballot cards in the sampling frame: the manifest's plus the phantoms."""
        return self.manifest_ballots + self.phantoms

    def __len__(self) -> int:
        return self.ballots

    def ballot_id(self, index: int) -> str:
        return self.locate(index).ballot_id

    def locate(self, index: int) -> BallotLocation:
        """The ballot at ``index`` (0-based, in manifest order, phantoms last)."""
        if not 0 <= index < self.ballots:
            raise InvalidAuditParameter("index", f"{index} is outside 0..{self.ballots - 1}")
        real = self.manifest_ballots
        if index >= real:
            k = index - real + 1
            return BallotLocation(
                f"{self.jurisdiction}{SEPARATOR}phantom{SEPARATOR}{k}",
                self.jurisdiction, "", "", "", k, phantom=True,
            )  # fmt: skip
        slot = bisect.bisect_right(self._starts, index) - 1  # the last batch starting at or before
        batch = self.batches[slot]
        position = index - self._starts[slot] + 1
        return BallotLocation(
            SEPARATOR.join((self.jurisdiction, batch.tabulator, batch.name, str(position))),
            self.jurisdiction, batch.container, batch.tabulator, batch.name, position,
        )  # fmt: skip

    def numbered_runs(self) -> Iterator[tuple[str, int, int]]:
        """Each batch (then the phantoms) as ``(prefix, 1, count)``: ids ``prefix + str(k)``."""
        for batch in self.batches:
            if batch.ballots:
                yield (
                    SEPARATOR.join((self.jurisdiction, batch.tabulator, batch.name, "")),
                    1,
                    batch.ballots,
                )
        if self.phantoms:
            yield f"{self.jurisdiction}{SEPARATOR}phantom{SEPARATOR}", 1, self.phantoms

    def iter_ballot_ids(self) -> Iterator[str]:
        for prefix, first, last in self.numbered_runs():
            yield from map(prefix.__add__, map(str, range(first, last + 1)))

    def reconcile(self, reported_ballots: int, *, allow_phantoms: bool = True) -> Manifest:
        """This manifest checked against the number of ballot cards reported cast.

        Equal: unchanged. Fewer listed than reported: phantoms make up the difference
        (Bañuelos and Stark 2012), or ``ManifestMismatch`` if ``allow_phantoms`` is false.
        More listed than reported: ``ManifestMismatch``, since ballots the results do not
        account for mean the manifest or the results are wrong and someone must say which.
        """
        if isinstance(reported_ballots, bool) or not isinstance(reported_ballots, int):
            raise InvalidAuditParameter(
                "reported_ballots", f"{reported_ballots!r} is not a whole number"
            )
        if reported_ballots < 0:
            raise InvalidAuditParameter("reported_ballots", f"{reported_ballots} must be >= 0")
        listed = self.manifest_ballots
        if listed == reported_ballots:
            return replace(self, phantoms=0)
        if listed < reported_ballots and allow_phantoms:
            return replace(self, phantoms=reported_ballots - listed)
        raise ManifestMismatch(self.jurisdiction, listed, reported_ballots)


def parse_manifest(text: str, jurisdiction: str) -> Manifest:
    """Parse a manifest CSV; every error names the line and the column to fix."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text))
    header: dict[str, int] | None = None
    batches: list[Batch] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = _read_header(row, line)
            continue
        cells = {key: (row[i].strip() if i < len(row) else "") for key, i in header.items()}
        name = cells["batch"]
        if not name:
            raise InvalidManifest(line, _HEADINGS["batch"], "the batch has no name")
        tabulator = cells.get("tabulator", "")
        _check_name(name, line, _HEADINGS["batch"])
        _check_name(tabulator, line, _HEADINGS["tabulator"])
        key = (tabulator, name)
        if key in seen:
            where = f" of tabulator {tabulator!r}" if tabulator else ""
            raise InvalidManifest(
                line,
                _HEADINGS["batch"],
                f"batch {name!r}{where} is listed again (first on line {seen[key]})",
            )
        seen[key] = line
        batches.append(
            Batch(cells.get("container", ""), tabulator, name, _count(cells["ballots"], line), line)
        )
    if header is None:
        raise InvalidManifest(1, "", "the manifest is empty: a header row and one row per batch")
    if not batches:
        raise InvalidManifest(1, "", "the manifest lists no batches")
    return Manifest(jurisdiction, tuple(batches))


def _read_header(row: list[str], line: int) -> dict[str, int]:
    names = [cell.strip().lower() for cell in row]
    header: dict[str, int] = {}
    for key, aliases in _COLUMNS.items():
        found = [i for i, name in enumerate(names) if name in aliases]
        if len(found) > 1:
            raise InvalidManifest(line, _HEADINGS[key], "the column appears twice in the header")
        if found:
            header[key] = found[0]
    for key in ("batch", "ballots"):
        if key not in header:
            raise InvalidManifest(
                line,
                _HEADINGS[key],
                f"the header has no {_HEADINGS[key]!r} column (found: {', '.join(repr(c.strip()) for c in row)})",
            )
    return header


def _count(value: str, line: int) -> int:
    column = _HEADINGS["ballots"]
    if not value:
        raise InvalidManifest(line, column, "the number of ballots is missing")
    if value.startswith("-") and value[1:].isdigit():
        raise InvalidManifest(line, column, f"{value} ballots: the number cannot be negative")
    if not value.isascii() or not value.isdigit():
        raise InvalidManifest(line, column, f"{value!r} is not a whole number of ballots")
    return int(value)


class BallotIds(Sequence[str]):
    """The ids of every ballot in a universe, built on demand (5 million strings need not exist)."""

    def __init__(self, universe: BallotUniverse) -> None:
        self._universe = universe

    def __len__(self) -> int:
        return len(self._universe)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self._universe.locate(index).ballot_id

    def __iter__(self) -> Iterator[str]:
        for manifest in self._universe.manifests:
            yield from manifest.iter_ballot_ids()

    def numbered_runs(self) -> Iterator[tuple[str, int, int]]:
        """Runs of ids ``prefix + str(k)``: the sampler hashes them without building strings."""
        for manifest in self._universe.manifests:
            yield from manifest.numbered_runs()


class BallotUniverse:
    """The sampling frame of one audit: every jurisdiction's manifest, one after another.

    Index ``i`` of the universe is the ``i``-th ballot id of ``ballot_ids()``; the sampler's
    draws carry it, and ``locate`` turns it back into a place.
    """

    def __init__(self, manifests: Iterable[Manifest]) -> None:
        self.manifests = tuple(manifests)
        names = [m.jurisdiction for m in self.manifests]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise InvalidAuditParameter("jurisdiction", f"{duplicated[0]!r} has two manifests")
        self._starts: list[int] = []
        running = 0
        for manifest in self.manifests:
            self._starts.append(running)
            running += manifest.ballots
        self._total = running

    def __len__(self) -> int:
        return self._total

    def ballot_ids(self) -> BallotIds:
        return BallotIds(self)

    def locate(self, index: int) -> BallotLocation:
        if not 0 <= index < self._total:
            raise InvalidAuditParameter("index", f"{index} is outside 0..{self._total - 1}")
        slot = bisect.bisect_right(self._starts, index) - 1
        return self.manifests[slot].locate(index - self._starts[slot])

    def mask(self, jurisdictions: Iterable[str]) -> npt.NDArray[np.bool_]:
        """The ballots of the named jurisdictions: ``Tickets.draw(eligible=...)`` for a contest."""
        wanted = set(jurisdictions)
        known = {m.jurisdiction for m in self.manifests}
        unknown = sorted(wanted - known)
        if unknown:
            raise InvalidAuditParameter("jurisdictions", f"{unknown[0]!r} has no manifest")
        mask = np.zeros(self._total, dtype=np.bool_)
        for start, manifest in zip(self._starts, self.manifests, strict=True):
            if manifest.jurisdiction in wanted:
                mask[start : start + manifest.ballots] = True
        return mask


@dataclass(frozen=True, slots=True)
class Retrieval:
    """One ballot to pull: where it is, the ticket that first drew it, and how often it was drawn."""

    location: BallotLocation
    ticket_number: str
    times_drawn: int


def retrieval_list(universe: BallotUniverse, draws: Sequence[Draw]) -> list[Retrieval]:
    """The drawn ballots once each, in the order people walk the shelves.

    Sorted by jurisdiction, then batch in manifest order, then position; phantoms (nothing to
    pull) come last in each jurisdiction. A ballot drawn more than once (sampling with
    replacement) appears once, with its first ticket and ``times_drawn``.
    """
    first: dict[int, Draw] = {}
    counts: dict[int, int] = {}
    for draw in draws:
        first.setdefault(draw.index, draw)
        counts[draw.index] = counts.get(draw.index, 0) + 1
    return [
        Retrieval(universe.locate(index), first[index].ticket_number, counts[index])
        for index in sorted(first)
    ]
