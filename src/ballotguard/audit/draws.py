"""The sampling frame and the draws of an audit: one sample for every contest, and the lists
the people who pull ballots work from.

The frame is every jurisdiction's manifest, one after another (phantoms added where a manifest
lists fewer ballots than were reported cast); ballots are drawn from it with Rivest's consistent
sampler (:mod:`~ballotguard.audit.sampler`). MACRO draws batches with probability proportional to
their error bounds (PPEB, Stark 2008): draw ``j`` (from 1) picks the batch where
``U_j = 0.<reversed decimal digits of SHA-256(seed_hex + "|ppeb|" + j)>`` falls in the running
sum of ``u_p / U``, so anyone can repeat it. Retrieval lists are sorted for the shelves.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ballotguard.audit import macro
from ballotguard.audit.manifest import BallotUniverse, Manifest
from ballotguard.audit.sampler import hash_ballots, seed_hex
from ballotguard.audit.workflow import (
    SEPARATOR,
    Audit,
    SampledUnit,
)
from ballotguard.errors import InvalidAuditParameter

# -- the sampling frame and the draws --------------------------------------------------------------


def reconcile(audit: Audit, manifests: Mapping[str, Manifest]) -> dict[str, Manifest]:
    """Each jurisdiction's manifest checked against its reported ballots (phantoms if fewer)."""
    return {j.name: manifests[j.name].reconcile(j.ballots) for j in audit.jurisdictions
            if j.name in manifests}


def frame(audit: Audit, manifests: Mapping[str, Manifest]) -> BallotUniverse:
    """The sampling frame: every jurisdiction's reconciled manifest, in the audit's order."""
    missing = [j.name for j in audit.jurisdictions if j.name not in manifests]
    if missing:
        raise InvalidAuditParameter("manifest", f"jurisdiction {missing[0]!r} has no manifest")
    checked = reconcile(audit, manifests)
    return BallotUniverse(checked[j.name] for j in audit.jurisdictions)


def draw_ballots(
    audit: Audit,
    universe: BallotUniverse,
    round_number: int,
    start: int,
    size: int,
    on_progress: Callable[[str], None] | None = None,
) -> list[SampledUnit]:
    """Draws ``start .. size - 1`` of the consistent sampler's sequence over the whole frame."""
    if size <= start:
        return []
    if on_progress:
        on_progress(f"hashing {len(universe)} ballots")
    tickets = hash_ballots(audit.seed, universe.ballot_ids())
    if on_progress:
        on_progress(f"drawing {size - start} ballots")
    draws = tickets.draw(size - start, start=start,
                         with_replacement=audit.method.with_replacement)
    out = []
    for seq, draw in enumerate(draws, start=start):
        where = universe.locate(draw.index)
        out.append(SampledUnit(audit.id, round_number, seq, where.ballot_id, where.jurisdiction,
                               where.container, where.tabulator, where.batch, where.position,
                               draw.trimmed(), where.phantom))
    return out


@dataclass(frozen=True)
class FrameBatch:
    """A batch of the frame with its reported votes (MACRO)."""

    key: str
    jurisdiction: str
    container: str
    tabulator: str
    name: str
    ballots: int
    reported: Mapping[str, Mapping[str, int]]

    def as_macro(self) -> macro.Batch:
        return macro.Batch(self.key, self.ballots, self.reported)


def frame_batches(
    audit: Audit, manifests: Mapping[str, Manifest],
    tallies: Mapping[str, Mapping[str, Mapping[str, Mapping[str, int]]]],
) -> list[FrameBatch]:
    """Every manifest batch with its reported tally (a batch without one reports no votes, so
    its error bound is its ballots); phantom ballots form a batch of their own."""
    out = []
    for j in audit.jurisdictions:
        manifest = manifests[j.name].reconcile(j.ballots)
        reported = tallies.get(j.name, {})
        for b in manifest.batches:
            key = SEPARATOR.join((j.name, b.tabulator, b.name))
            out.append(FrameBatch(key, j.name, b.container, b.tabulator, b.name, b.ballots,
                                  reported.get(key, {})))
        if manifest.phantoms:
            key = SEPARATOR.join((j.name, "phantom", ""))
            out.append(FrameBatch(key, j.name, "", "phantom", "", manifest.phantoms, {}))
    return out


def ppeb_uniform(seed: str, j: int) -> float:
    """The j-th PPEB uniform (documented in the module docstring); 15 significant digits."""
    value = int.from_bytes(hashlib.sha256(f"{seed_hex(seed)}|ppeb|{j}".encode()).digest(), "big")
    return float("0." + f"{value:064d}"[::-1][:15])


def draw_batches(
    audit: Audit, batches: Sequence[FrameBatch], round_number: int, start: int, size: int
) -> list[SampledUnit]:
    """PPEB draws ``start .. size - 1`` (with replacement) over the frame's batches."""
    contests = [c.contest() for c in audit.contests]
    bounds = np.array([macro.error_bound(b.as_macro(), contests) for b in batches])
    total = float(bounds.sum())
    if total <= 0:
        raise InvalidAuditParameter("tallies", "no batch can hold an error: nothing to sample")
    cumulative = np.cumsum(bounds) / total
    out = []
    for seq in range(start, size):
        u = ppeb_uniform(audit.seed, seq + 1)
        index = min(int(np.searchsorted(cumulative, u, side="right")), len(batches) - 1)
        b = batches[index]
        out.append(SampledUnit(audit.id, round_number, seq, b.key, b.jurisdiction, b.container,
                               b.tabulator, b.name, 0, f"{u:.15f}",
                               b.key.endswith(f"{SEPARATOR}phantom{SEPARATOR}")))
    return out


_DIGITS = re.compile(r"(\d+)")


def natural(text: str) -> tuple[object, ...]:
    """Sort key that puts "Batch 2" before "Batch 10"."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(text))


@dataclass(frozen=True)
class RetrievalRow:
    """A ballot (or batch) to pull, once, with the draws that picked it."""

    jurisdiction: str
    container: str
    tabulator: str
    batch: str
    position: int
    unit_id: str
    ticket: str
    times_drawn: int
    phantom: bool


def retrieval_rows(units: Iterable[SampledUnit], jurisdiction: str | None = None) -> list[RetrievalRow]:
    """Each unit once, sorted for the people who pull ballots: container, tabulator, batch,
    position (natural order); phantoms (nothing to pull) last."""
    first: dict[str, SampledUnit] = {}
    counts: dict[str, int] = {}
    for u in units:
        if jurisdiction is not None and u.jurisdiction != jurisdiction:
            continue
        first.setdefault(u.unit_id, u)
        counts[u.unit_id] = counts.get(u.unit_id, 0) + 1
    rows = [RetrievalRow(u.jurisdiction, u.container, u.tabulator, u.batch, u.position, u.unit_id,
                         u.ticket, counts[u.unit_id], u.phantom) for u in first.values()]
    return sorted(rows, key=lambda r: (r.jurisdiction, r.phantom, natural(r.container),
                                       natural(r.tabulator), natural(r.batch), r.position))


