"""Narrative similarity: word shingles, Jaccard, and MinHash LSH keys for candidates.

A report's narrative is the set of its content words (``words``): title and summary lower-cased,
split on anything that is not a letter or a digit, English stop words removed, one-letter tokens
dropped unless they are digits ("district 4"). Two narratives are similar when the Jaccard index
of their word sets is at least ``NARRATIVE_THRESHOLD`` (0.5) and they share at least
``MIN_SHARED_WORDS`` words; texts with fewer than ``MIN_WORDS`` content words are too short to
say anything and never link by narrative.

Candidates are found without comparing every pair, with MinHash and locality-sensitive hashing
(Broder 1997, "On the resemblance and containment of documents"; Leskovec, Rajaraman and
Ullman, *Mining of Massive Datasets*, ch. 3.4). Each word gets ``NUM_HASHES`` 16-bit hashes
from SHAKE-128 (deterministic across processes and machines, so the keys can be stored; a band
of three rows is a 48-bit key, so chance collisions between unrelated texts stay negligible at
millions of reports); a text's signature is the element-wise minimum over its words, and the signature is cut into
``BANDS`` bands of ``ROWS`` rows. Two texts share a band key with probability
``1 - (1 - J**ROWS)**BANDS``: with 24 bands of 3 rows that is 0.96 at J = 0.5, 0.998 at J = 0.6,
0.18 at J = 0.2 and 0.02 at J = 0.1. A shared band only makes a candidate; ``link_between``
computes the exact Jaccard index.
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections.abc import Iterable
from functools import lru_cache

BANDS = 24
ROWS = 3
NUM_HASHES = BANDS * ROWS
assert ROWS == 3, "narrative_keys joins three rows per band"
NARRATIVE_THRESHOLD = 0.5
MIN_WORDS = 4
MIN_SHARED_WORDS = 3

_STOP_TEXT = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either else even
ever every few for from further get got had has have having he her here hers herself him himself
his how however i if in into is it its itself just let like may me might more most must my myself
no nor not now of off on once one only or other our ours ourselves out over own per rather same
she should since so some such than that the their theirs them themselves then there these they
this those though through thus to too under until up upon us very via was we were what when where
whether which while who whom whose why will with within without would yet you your yours yourself
yourselves said says say saying according reported reports report reporting new
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_WORD = re.compile(r"[^\W_]+")
_BIG_ENDIAN = sys.byteorder == "big"
_INTS = list(range(1 << 16))  # one int object per value, shared by every cached word
_HEX = [f"{value:04x}" for value in range(1 << 16)]
_BAND_PREFIX = [f"narr:{band}:" for band in range(BANDS)]


def words(text: str) -> frozenset[str]:
    """The content words of a text (see the module docstring)."""
    return frozenset(
        sys.intern(token) for token in _WORD.findall(text.lower())
        if token not in STOP_WORDS and (len(token) > 1 or token.isdigit())
    )


def jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    if not x or not y:
        return 0.0
    shared = len(x & y)
    return shared / (len(x) + len(y) - shared)


def similar(x: frozenset[str], y: frozenset[str]) -> float | None:
    """The Jaccard index when the two word sets count as similar narratives, else None."""
    if len(x) < MIN_WORDS or len(y) < MIN_WORDS:
        return None
    shared = len(x & y)
    if shared < MIN_SHARED_WORDS:
        return None
    index = shared / (len(x) + len(y) - shared)
    return index if index >= NARRATIVE_THRESHOLD else None


def distinctive(shared: Iterable[str], limit: int = 5) -> list[str]:
    """The words to show for a narrative link: longest first (short words say least)."""
    return sorted(shared, key=lambda word: (-len(word), word))[:limit]


@lru_cache(maxsize=1 << 17)
def _word_hashes(word: str) -> tuple[int, ...]:
    values = array("H", hashlib.shake_128(word.encode("utf-8")).digest(2 * NUM_HASHES))
    if _BIG_ENDIAN:  # pragma: no cover - the keys must be the same on every machine
        values.byteswap()
    return tuple(map(_INTS.__getitem__, values))


def signature(content_words: frozenset[str]) -> list[int]:
    """The MinHash signature: per hash function, the least hash over the words."""
    return list(map(min, zip(*map(_word_hashes, content_words), strict=False)))


def narrative_keys(content_words: frozenset[str]) -> list[str]:
    """``narr:<band>:<hex>`` keys, one per band; none for texts shorter than ``MIN_WORDS``."""
    if len(content_words) < MIN_WORDS:
        return []
    hexes = list(map(_HEX.__getitem__, signature(content_words)))
    return list(map("".join, zip(_BAND_PREFIX, hexes[0::3], hexes[1::3], hexes[2::3],
                                 strict=True)))
