"""Cast vote records (CVRs) and batch tallies as CSV files, parsed with errors naming line and column.

**CVR file** (card-level comparison, ``clca``): one row per ballot card of one jurisdiction.

    Tabulator     optional  as in the manifest
    Batch Name    required  as in the manifest ("Batch" is accepted)
    Position      required  the card's position in its batch, from 1 (as the manifest's ids)
    <contest> …   one column per contest on the jurisdiction's cards, headed by the contest's
                  name; the cell lists the candidates marked, separated by ``;`` (empty: no
                  valid mark, an undervote or a blank)

The card ``(tabulator, batch, position)`` is the manifest's ballot
``"<jurisdiction>|<tabulator>|<batch>|<position>"``; a row naming no such ballot is an error, and
a manifest ballot without a CVR row is audited as a phantom CVR (the worst case for the outcome).

**Batch tallies** (batch comparison, ``macro``): the reported votes of each batch.

    Tabulator     optional
    Batch Name    required
    Contest       required
    Candidate     required
    Votes         required  a whole number >= 0
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ballotguard.errors import InvalidCvr

SEPARATOR = "|"
CHOICE_SEPARATOR = ";"

_CVR_FIXED = {
    "tabulator": ("tabulator",),
    "batch": ("batch name", "batch"),
    "position": ("position", "record", "ballot position"),
}
_TALLY_COLUMNS = {
    "tabulator": ("tabulator",),
    "batch": ("batch name", "batch"),
    "contest": ("contest",),
    "candidate": ("candidate", "choice"),
    "votes": ("votes", "count"),
}
_HEADINGS = {"tabulator": "Tabulator", "batch": "Batch Name", "position": "Position",
             "contest": "Contest", "candidate": "Candidate", "votes": "Votes"}  # fmt: skip

Card = Mapping[str, tuple[str, ...]]
"""A card: contest -> the candidates marked (a contest missing is not on the card)."""


@dataclass(frozen=True)
class CvrFile:
    """A jurisdiction's CVRs: ballot id -> card."""

    jurisdiction: str
    cards: Mapping[str, Card]

    def tally(self) -> dict[str, dict[str, int]]:
        """Votes per contest and candidate over the cards (each mark one vote)."""
        out: dict[str, dict[str, int]] = {}
        for card in self.cards.values():
            for contest, marks in card.items():
                counts = out.setdefault(contest, {})
                for mark in marks:
                    counts[mark] = counts.get(mark, 0) + 1
        return out


def _rows(text: str) -> list[tuple[int, list[str]]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text))
    rows = []
    for row in reader:
        if any(cell.strip() for cell in row):
            rows.append((reader.line_num, row))
    return rows


def _header(
    row: list[str], line: int, columns: Mapping[str, tuple[str, ...]], required: Sequence[str],
    kind: str,
) -> dict[str, int]:
    names = [cell.strip().lower() for cell in row]
    found: dict[str, int] = {}
    for key, aliases in columns.items():
        hits = [i for i, name in enumerate(names) if name in aliases]
        if len(hits) > 1:
            raise InvalidCvr(line, _HEADINGS[key], "the column appears twice in the header", kind)
        if hits:
            found[key] = hits[0]
    for key in required:
        if key not in found:
            raise InvalidCvr(line, _HEADINGS[key], f"the header has no {_HEADINGS[key]!r} column",
                             kind)
    return found


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def parse_cvrs(
    text: str, jurisdiction: str, contests: Mapping[str, Sequence[str]], ballot_ids: set[str]
) -> CvrFile:
    """Parse a CVR CSV; ``contests`` maps each contest name to its candidates, ``ballot_ids`` the
    manifest's ids of the jurisdiction (a row must name one of them, once)."""
    kind = "CVR file"
    rows = _rows(text)
    if not rows:
        raise InvalidCvr(1, "", "the file is empty: a header row and one row per card", kind)
    line, head = rows[0]
    fixed = _header(head, line, _CVR_FIXED, ("batch", "position"), kind)
    contest_columns: dict[int, str] = {}
    for i, cell in enumerate(head):
        name = cell.strip()
        if i in fixed.values() or not name:
            continue
        if name not in contests:
            raise InvalidCvr(line, name, f"{name!r} is not a contest of the audit "
                             f"({', '.join(sorted(contests))})", kind)
        if name in contest_columns.values():
            raise InvalidCvr(line, name, "the contest appears twice in the header", kind)
        contest_columns[i] = name
    cards: dict[str, Card] = {}
    seen: dict[str, int] = {}
    for line, row in rows[1:]:
        tabulator = _cell(row, fixed["tabulator"]) if "tabulator" in fixed else ""
        batch = _cell(row, fixed["batch"])
        position = _cell(row, fixed["position"])
        if not batch:
            raise InvalidCvr(line, "Batch Name", "the batch has no name", kind)
        if not position.isascii() or not position.isdigit() or int(position) < 1:
            raise InvalidCvr(line, "Position", f"{position!r} is not a position (1, 2, …)", kind)
        ballot_id = SEPARATOR.join((jurisdiction, tabulator, batch, str(int(position))))
        if ballot_id not in ballot_ids:
            raise InvalidCvr(line, "Position", f"the manifest has no ballot {position} in batch "
                             f"{batch!r}" + (f" of tabulator {tabulator!r}" if tabulator else ""),
                             kind)
        if ballot_id in seen:
            raise InvalidCvr(line, "Position", f"this card already has a CVR on line "
                             f"{seen[ballot_id]}", kind)
        seen[ballot_id] = line
        card: dict[str, tuple[str, ...]] = {}
        for index, contest in contest_columns.items():
            marks = tuple(m.strip() for m in _cell(row, index).split(CHOICE_SEPARATOR) if m.strip())
            for mark in marks:
                if mark not in contests[contest]:
                    raise InvalidCvr(line, contest, f"{mark!r} is not a candidate in {contest!r}",
                                     kind)
            if len(set(marks)) != len(marks):
                raise InvalidCvr(line, contest, "a candidate is marked twice", kind)
            card[contest] = marks
        cards[ballot_id] = card
    return CvrFile(jurisdiction, cards)


@dataclass(frozen=True)
class BatchTallies:
    """A jurisdiction's reported votes per batch: batch key ``jurisdiction|tabulator|batch`` ->
    contest -> candidate -> votes."""

    jurisdiction: str
    batches: Mapping[str, Mapping[str, Mapping[str, int]]]


def batch_key(jurisdiction: str, tabulator: str, batch: str) -> str:
    return SEPARATOR.join((jurisdiction, tabulator, batch))


def parse_batch_tallies(
    text: str, jurisdiction: str, contests: Mapping[str, Sequence[str]], batch_keys: set[str]
) -> BatchTallies:
    """Parse a batch-tally CSV; every batch named must be in the jurisdiction's manifest."""
    kind = "batch tally file"
    rows = _rows(text)
    if not rows:
        raise InvalidCvr(1, "", "the file is empty: a header row and one row per batch, contest "
                         "and candidate", kind)
    line, head = rows[0]
    columns = _header(head, line, _TALLY_COLUMNS, ("batch", "contest", "candidate", "votes"), kind)
    batches: dict[str, dict[str, dict[str, int]]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in rows[1:]:
        tabulator = _cell(row, columns["tabulator"]) if "tabulator" in columns else ""
        batch = _cell(row, columns["batch"])
        contest = _cell(row, columns["contest"])
        candidate = _cell(row, columns["candidate"])
        votes = _cell(row, columns["votes"])
        key = batch_key(jurisdiction, tabulator, batch)
        if key not in batch_keys:
            raise InvalidCvr(line, "Batch Name", f"the manifest has no batch {batch!r}"
                             + (f" of tabulator {tabulator!r}" if tabulator else ""), kind)
        if contest not in contests:
            raise InvalidCvr(line, "Contest", f"{contest!r} is not a contest of the audit", kind)
        if candidate not in contests[contest]:
            raise InvalidCvr(line, "Candidate", f"{candidate!r} is not a candidate in {contest!r}",
                             kind)
        if votes.startswith("-") and votes[1:].isdigit():
            raise InvalidCvr(line, "Votes", f"{votes} votes: the number cannot be negative", kind)
        if not votes.isascii() or not votes.isdigit():
            raise InvalidCvr(line, "Votes", f"{votes!r} is not a whole number of votes", kind)
        if (key, contest, candidate) in seen:
            raise InvalidCvr(line, "Candidate", f"listed again (first on line "
                             f"{seen[(key, contest, candidate)]})", kind)
        seen[(key, contest, candidate)] = line
        batches.setdefault(key, {}).setdefault(contest, {})[candidate] = int(votes)
    return BatchTallies(jurisdiction, batches)
