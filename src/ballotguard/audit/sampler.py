"""Rivest's SHA-256 consistent sampler, ticket for ticket the same as the reference.

Method: R. L. Rivest (2018), "Consistent Sampling with Replacement", arXiv:1808.10016, as
implemented by the reference ``consistent_sampler`` 1.0.10 (MIT; github.com/ron-rivest/
consistent_sampler), which election officials use with a seed of twenty or more digits rolled
with public dice.

Every ballot gets a *ticket number*, a real number in (0, 1) written as a decimal string:

    seed_hex = SHA-256(seed) as 64 lower-case hexadecimal digits
    x        = SHA-256(seed_hex + ballot_id) as an integer
    ticket   = "0." + the decimal digits of x, zero-padded to 64, in reverse order

(the reversal puts the unbiased low-order digits first). Ballots are drawn in increasing ticket
order, ties broken by ballot id as the reference's heap does. Sampling *with* replacement gives a
drawn ballot its next-generation ticket (``next_ticket_number``: the leading 9s of the old
ticket followed by the digits of SHA-256(old + ":" + i), the first such number that exceeds the
old one) and puts it back.

Speed: the reference builds every ticket string and pushes it on a heap. Here each ballot is
hashed once: the seed's 64-character hex digest is exactly one SHA-256 block, so its midstate is
computed once and copied (for a manifest's ids, ``prefix + number`` per batch, the state after
each prefix too, so the id strings are never built). The digests of a chunk go to numpy, which
reduces each 256-bit integer modulo 10**13 (via 2**13, 5**13 and the Chinese remainder
theorem) and reverses the 13 digits into an integer key: the first 13 digits of the ticket.
Sorting the keys orders the ballots as the reference does; ballots whose keys tie (about one
pair in 5 million ballots) are ordered by their full ticket strings and ids. ``Tickets`` keeps
that order, so one hashing serves every contest of an audit (``Tickets.draw(..., eligible=mask)``).
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from ballotguard.errors import DuplicateBallotId, InvalidAuditParameter, InvalidSeed, SeedTooShort

MIN_SEED_DIGITS = 20
"""The shortest seed accepted: twenty decimal digits, as rolled with ten-sided dice."""

DISPLAY_DIGITS = 9
"""Significant digits shown after the leading 9s, as the reference's ``trim`` (default 9)."""

KEY_DIGITS = 13
_MOD5 = 5**KEY_DIGITS  # < 2**31, so (r << 32 | word) fits in 64 bits
_MASK2 = (1 << KEY_DIGITS) - 1
_INV2 = pow(1 << KEY_DIGITS, -1, _MOD5)
_CHUNK = 1 << 16

_REVERSE3 = np.array([int(f"{i:03d}"[::-1]) for i in range(1000)], dtype=np.uint64)


def check_seed(seed: str, min_digits: int = MIN_SEED_DIGITS) -> str:
    """``seed`` if it is a string of at least ``min_digits`` decimal digits.

    Lowering ``min_digits`` exists to replay published examples with short seeds; an audit
    keeps the default (a jurisdiction may ask for more).
    """
    if not isinstance(seed, str) or not seed.isascii() or not all(c in "0123456789" for c in seed):
        raise InvalidSeed(seed)
    if len(seed) < min_digits:
        raise SeedTooShort(seed, min_digits)
    return seed


def seed_hex(seed: str) -> str:
    """SHA-256 of the seed as 64 hexadecimal digits (the reference's ``sha256_hex(seed)``)."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def _uniform(data: str) -> str:
    value = int.from_bytes(hashlib.sha256(data.encode("utf-8")).digest(), "big")
    return "0." + f"{value:064d}"[::-1]


def first_ticket_number(
    seed: str, ballot_id: str, *, min_seed_digits: int = MIN_SEED_DIGITS
) -> str:
    """The generation-1 ticket number of a ballot, at full precision."""
    return _uniform(seed_hex(check_seed(seed, min_seed_digits)) + ballot_id)


def next_ticket_number(ticket_number: str) -> str:
    """The next generation's ticket number: pseudorandom in (ticket_number, 1)."""
    if not ticket_number.startswith("0."):
        raise InvalidAuditParameter("ticket_number", f"{ticket_number!r} does not start with '0.'")
    padded = ticket_number + "0"
    nines = _leading_nines_end(padded)
    counter = 0
    candidate = "0."
    while candidate <= padded:
        counter += 1
        candidate = padded[:nines] + _uniform(f"{ticket_number}:{counter}")[2:]
    return candidate


def _leading_nines_end(number: str) -> int:
    position = 2
    while number[position] == "9":
        position += 1
    return position


def trim(ticket_number: str, digits: int = DISPLAY_DIGITS) -> str:
    """The ticket number cut (not rounded) to ``digits`` digits after its leading 9s."""
    return ticket_number[: _leading_nines_end(ticket_number + "0") + digits]


@dataclass(frozen=True, slots=True)
class Draw:
    """One draw: the ticket that drew it, the ballot, and the draw's generation.

    ``index`` is the ballot's position in the list that was hashed. Generation 1 is the
    ballot's first draw; with replacement a ballot drawn again has generation 2, 3, …
    """

    ticket_number: str
    ballot_id: str
    generation: int
    index: int

    def trimmed(self, digits: int = DISPLAY_DIGITS) -> str:
        return trim(self.ticket_number, digits)

    def as_reference_tuple(self, digits: int = DISPLAY_DIGITS) -> tuple[str, str, int]:
        """What ``consistent_sampler.sampler(..., output='tuple')`` yields for this draw."""
        return (self.trimmed(digits), self.ballot_id, self.generation)


def _keys(digests: bytes, count: int) -> npt.NDArray[np.uint64]:
    """The first ``KEY_DIGITS`` digits of each ticket, as integers, from raw SHA-256 digests."""
    words = np.frombuffer(digests, dtype=">u4").reshape(count, 8).astype(np.uint64)
    mod5 = np.uint64(_MOD5)
    shift = np.uint64(32)
    rest = words[:, 0] % mod5
    for column in range(1, 8):
        rest = ((rest << shift) | words[:, column]) % mod5
    low = words[:, 7] & np.uint64(_MASK2)
    lift = ((rest + mod5 - low) % mod5) * np.uint64(_INV2) % mod5
    value = low + (lift << np.uint64(KEY_DIGITS))  # x mod 10**13
    thousand = np.uint64(1000)
    key = np.zeros(count, dtype=np.uint64)
    for _ in range(KEY_DIGITS // 3):
        quotient = value // thousand
        key = key * thousand + _REVERSE3[value - quotient * thousand]
        value = quotient
    for _ in range(KEY_DIGITS % 3):
        quotient = value // np.uint64(10)
        key = key * np.uint64(10) + (value - quotient * np.uint64(10))
        value = quotient
    return key


@runtime_checkable
class NumberedIds(Protocol):
    """Ids that come in runs ``prefix + str(k)`` for k = first..last (a manifest's batches).

    ``hash_ballots`` hashes such a sequence without building its strings: the SHA-256 state
    after the seed and each prefix is computed once and copied for every number.
    """

    def numbered_runs(self) -> Iterable[tuple[str, int, int]]: ...


def _hash_keys(prefix: str, ballot_ids: Sequence[str], total: int) -> npt.NDArray[np.uint64]:
    keys = np.empty(total, dtype=np.uint64)
    midstate = hashlib.sha256(prefix.encode("ascii"))
    filled = 0
    chunk: list[bytes] = []

    def flush() -> None:
        nonlocal filled, chunk
        if filled + len(chunk) > total:
            raise InvalidAuditParameter(
                "ballot_ids", f"the sequence yields more ids than its length, {total}"
            )
        keys[filled : filled + len(chunk)] = _keys(b"".join(chunk), len(chunk))
        filled += len(chunk)
        chunk = []

    if isinstance(ballot_ids, NumberedIds):
        runs = list(ballot_ids.numbered_runs())
        top = max((last for _, _, last in runs), default=0)
        numbers = [str(k).encode("ascii") for k in range(min(top, _CHUNK) + 1)]
        for run_prefix, first, last in runs:
            run_state = midstate.copy()
            run_state.update(run_prefix.encode("utf-8"))
            copy = run_state.copy
            for low in range(first, last + 1, _CHUNK):
                high = min(last, low + _CHUNK - 1)
                if high >= len(numbers):
                    numbers = [str(k).encode("ascii") for k in range(high + 1)]
                append = chunk.append
                for number in numbers[low : high + 1]:
                    digest = copy()
                    digest.update(number)
                    append(digest.digest())
                if len(chunk) >= _CHUNK:
                    flush()
    else:
        copy = midstate.copy
        iterator = iter(ballot_ids)
        while True:
            append = chunk.append
            for ballot_id in itertools.islice(iterator, _CHUNK):
                digest = copy()
                digest.update(ballot_id.encode("utf-8"))
                append(digest.digest())
            if not chunk:
                break
            flush()
    if chunk:
        flush()
    if filled != total:
        raise InvalidAuditParameter(
            "ballot_ids", f"the sequence yielded {filled} ids but its length is {total}"
        )
    return keys


class Tickets:
    """Every ballot's generation-1 ticket under one seed, hashed once, in drawing order.

    Build it with ``hash_ballots``. ``draw`` takes the first ballots in ticket order, for all
    ballots or only those a contest covers (``eligible``), with or without replacement.
    """

    __slots__ = ("_hex", "_ids", "_keys", "_order", "seed")

    def __init__(
        self,
        seed: str,
        ballot_ids: Sequence[str],
        keys: npt.NDArray[np.uint64],
        order: npt.NDArray[np.intp],
    ) -> None:
        self.seed = seed
        self._hex = seed_hex(seed)
        self._ids = ballot_ids
        self._keys = keys
        self._order = order
        self._order.setflags(write=False)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ballot_ids(self) -> Sequence[str]:
        return self._ids

    @property
    def order(self) -> npt.NDArray[np.intp]:
        """Indices of the ballots in increasing ticket order (read-only)."""
        return self._order

    def ticket_number(self, index: int) -> str:
        """The full generation-1 ticket number of the ballot at ``index``."""
        return _uniform(self._hex + self._ids[index])

    def draw(
        self,
        count: int | None = None,
        *,
        start: int = 0,
        with_replacement: bool = False,
        eligible: npt.NDArray[np.bool_] | None = None,
    ) -> list[Draw]:
        """Draws ``start`` to ``start + count`` of the sampling sequence (all if ``count`` is None).

        ``start`` lets a later round continue where the previous one stopped: the sequence
        is the same however it is cut. ``eligible``, a boolean mask over the ballots, restricts
        the draw to the ballots a contest covers; the order among them is unchanged.
        """
        if isinstance(start, bool) or not isinstance(start, int) or start < 0:
            raise InvalidAuditParameter("start", f"{start!r} must be a whole number >= 0")
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, int) or count < 0
        ):
            raise InvalidAuditParameter("count", f"{count!r} must be a whole number >= 0")
        sequence = self._order
        if eligible is not None:
            if eligible.shape != (len(self._ids),) or eligible.dtype != np.bool_:
                raise InvalidAuditParameter(
                    "eligible", f"must be a boolean mask of {len(self._ids)} ballots"
                )
            sequence = sequence[eligible[sequence]]
        if not with_replacement:
            stop = len(sequence) if count is None else min(len(sequence), start + count)
            return [
                Draw(self.ticket_number(int(i)), self._ids[int(i)], 1, int(i))
                for i in sequence[start:stop]
            ]
        if count is None:
            raise InvalidAuditParameter("count", "sampling with replacement needs a count")
        return self._draw_with_replacement(sequence, start, count)

    def _draw_with_replacement(
        self, sequence: npt.NDArray[np.intp], start: int, count: int
    ) -> list[Draw]:
        # The reference keeps every ticket on one heap and pushes a drawn ballot's next ticket
        # back. Generation-1 tickets are already sorted, so a heap of the redrawn tickets merged
        # with the sorted list pops the same tickets in the same order.
        if len(sequence) == 0:
            return []
        redrawn: list[tuple[str, str, int, int]] = []
        position = 0
        draws: list[Draw] = []
        upcoming: tuple[str, str, int, int] | None = None
        while len(draws) < start + count:
            if upcoming is None and position < len(sequence):
                index = int(sequence[position])
                upcoming = (self.ticket_number(index), self._ids[index], 1, index)
            if upcoming is not None and (not redrawn or upcoming < redrawn[0]):
                ticket = upcoming
                upcoming = None
                position += 1
            else:
                ticket = heapq.heappop(redrawn)
            number, ballot_id, generation, index = ticket
            heapq.heappush(redrawn, (next_ticket_number(number), ballot_id, generation + 1, index))
            draws.append(Draw(number, ballot_id, generation, index))
        return draws[start:]


def hash_ballots(
    seed: str, ballot_ids: Sequence[str], *, min_seed_digits: int = MIN_SEED_DIGITS
) -> Tickets:
    """Hash every ballot once under ``seed`` and order the ballots by ticket number.

    ``ballot_ids`` is any sequence of distinct strings (a list, or a manifest's lazy
    ``ballot_ids()``); it is iterated once to hash and indexed afterwards to name draws.
    Duplicate ids raise ``DuplicateBallotId``: they would share a ticket.
    """
    prefix = seed_hex(check_seed(seed, min_seed_digits))
    total = len(ballot_ids)
    keys = _hash_keys(prefix, ballot_ids, total)
    order = np.argsort(keys).astype(np.intp)
    _settle_ties(prefix, ballot_ids, keys, order)
    return Tickets(seed, ballot_ids, keys, order)


def _settle_ties(
    prefix: str,
    ballot_ids: Sequence[str],
    keys: npt.NDArray[np.uint64],
    order: npt.NDArray[np.intp],
) -> None:
    """Orders the runs of equal keys by (full ticket number, id), as the reference does."""
    if len(order) < 2:
        return
    ordered = keys[order]
    equal = np.flatnonzero(ordered[1:] == ordered[:-1])
    if len(equal) == 0:
        return
    runs: list[list[int]] = []
    for position in equal.tolist():
        if runs and runs[-1][-1] == position:
            runs[-1].append(position + 1)
        else:
            runs.append([position, position + 1])
    for run in runs:
        members = [int(order[p]) for p in run]
        tickets = sorted((_uniform(prefix + ballot_ids[i]), ballot_ids[i], i) for i in members)
        for earlier, later in itertools.pairwise(tickets):
            if earlier[1] == later[1]:
                raise DuplicateBallotId(later[1], earlier[2], later[2])
        for p, ticket in zip(run, tickets, strict=True):
            order[p] = ticket[2]


def sample(
    seed: str,
    ballot_ids: Sequence[str],
    count: int | None = None,
    *,
    start: int = 0,
    with_replacement: bool = False,
    min_seed_digits: int = MIN_SEED_DIGITS,
) -> list[Draw]:
    """Hash and draw in one call: ``hash_ballots(seed, ballot_ids).draw(...)``."""
    return hash_ballots(seed, ballot_ids, min_seed_digits=min_seed_digits).draw(
        count, start=start, with_replacement=with_replacement
    )
