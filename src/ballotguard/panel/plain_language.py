"""Is a notice written in plain language? A readability grade per language, long sentences, jargon.

Method
------
English: the Flesch-Kincaid grade level (Kincaid, Fishburne, Rogers, Chissom, 1975, "Derivation
of new readability formulas for Navy enlisted personnel", formula (1)):

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

French: Kandel & Moles' adaptation of Flesch's reading ease to French (Kandel, L. and Moles, A.,
1958, "Application de l'indice de Flesch à la langue française", Cahiers d'études de
radio-télévision 19):

    ease = 207 - 1.015 * (words / sentences) - 73.6 * (syllables / words)

The ease (higher is easier) is mapped to a school grade with Flesch's own table (Flesch, 1949,
"The Art of Readable Writing": 90-100 "5th grade", 80-90 "6th", 70-80 "7th", 60-70 "8th and
9th", 50-60 "10th to 12th", 30-50 "college", 0-30 "college graduate"), read as a continuous
line through the points (100, 4), (90, 5), (80, 6), (70, 7), (60, 9), (50, 12), (30, 16),
(0, 18), clamped at both ends. A French text is at grade 8 or below when its ease is 65 or more.

Syllables: pyphen's hyphenation points (the TeX patterns of LibreOffice's dictionaries) give a
lower bound: the patterns never break within two letters of a word's ends, so "about" stays
whole. A count of vowel groups (a silent final "e" dropped; in French also final "es" and "ent")
gives another estimate; the larger of the two is used. Numbers count one syllable per digit
group. Sentences end at ".", "!", "?", ";" or a line break; a text with words and no end mark is
one sentence.

Long sentences (more than ``LONG_SENTENCE`` words) and words from the jargon list of the
language are flagged for the writer; the grade alone decides whether a notice may be published.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pyphen  # type: ignore[import-untyped]

MAX_GRADE = 8.0
LONG_SENTENCE = 25

_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*", re.UNICODE)
_VOWELS = {"en": "aeiouy", "fr": "aeiouyàâäéèêëîïôöùûüœæ"}
_DICTIONARIES = {"en": "en_US", "fr": "fr_FR"}
FORMULAS = {
    "en": "Flesch-Kincaid grade level (Kincaid et al., 1975)",
    "fr": "Kandel & Moles (1958) reading ease, mapped to a grade by Flesch's 1949 table",
}
_EASE_TO_GRADE = ((100.0, 4.0), (90.0, 5.0), (80.0, 6.0), (70.0, 7.0), (60.0, 9.0),
                  (50.0, 12.0), (30.0, 16.0), (0.0, 18.0))

JARGON: Mapping[str, frozenset[str]] = {
    "en": frozenset({
        "actor", "adversary", "ttp", "ttps", "ioc", "iocs", "indicator", "indicators",
        "exfiltration", "exfiltrated", "vector", "vectors", "attribution", "attributed",
        "inauthentic", "amplification", "persona", "personas", "botnet", "payload", "malware",
        "phishing", "spear-phishing", "credential", "credentials", "ddos", "c2", "apt",
        "threat-actor", "modus", "operandi", "kinetic", "narrative", "narratives", "vis-à-vis",
        "mitigation", "mitigate", "remediation", "stakeholders", "stakeholder", "leverage",
        "utilise", "utilize", "disinformation", "infrastructure", "tlp",
    }),
    "fr": frozenset({
        "acteur", "adversaire", "ttp", "ioc", "indicateur", "indicateurs", "exfiltration",
        "exfiltré", "exfiltrées", "vecteur", "vecteurs", "attribution", "attribué",
        "inauthentique", "inauthentiques", "amplification", "botnet", "charge", "maliciel",
        "hameçonnage", "identifiants", "ddos", "apt", "narratif", "narratifs", "remédiation",
        "atténuation", "parties-prenantes", "infrastructure", "désinformation", "tlp",
        "modus", "operandi", "cinétique",
    }),
}
"""Words a voter may not know; flagged so the writer says it plainly (not forbidden)."""


@dataclass(frozen=True, slots=True)
class Readability:
    """Counts and grade of one text; ``ease`` is the Flesch-style ease where the formula has one."""

    language: str
    sentences: int
    words: int
    syllables: int
    grade: float
    formula: str
    ease: float | None = None

    @property
    def plain(self) -> bool:
        return self.grade <= MAX_GRADE


@dataclass(frozen=True, slots=True)
class Flag:
    """Something for the publisher to look at: ``kind`` is long_sentence, jargon, party_name or
    loaded_word; ``field`` the notice field it is in; ``excerpt`` the words concerned."""

    kind: str
    language: str
    field: str
    excerpt: str
    detail: str


def sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if words(p)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def bare_words(text: str) -> list[str]:
    """Words in lower case, an elided article dropped ("l'hameçonnage" → "hameçonnage")."""
    return [re.split(r"['\u2019]", w.lower())[-1] if re.match(r"^\w{1,2}['\u2019]", w) else w.lower()
            for w in words(text)]


def supported(lang: str) -> bool:
    return lang in _DICTIONARIES


@lru_cache(maxsize=4)
def _hyphenator(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=_DICTIONARIES[lang])


def syllables(word: str, lang: str) -> int:
    """Syllables of one word: the larger of pyphen's pieces and the vowel groups; at least 1."""
    lowered = unicodedata.normalize("NFC", word.lower())
    if lowered.isdigit():
        return 1
    pieces = len(_hyphenator(lang).positions(lowered)) + 1
    return max(1, pieces, _vowel_groups(lowered, lang))


def _vowel_groups(word: str, lang: str) -> int:
    vowels = _VOWELS[lang]
    stem = word
    if lang == "fr":
        for ending in ("ent", "es", "e"):
            if stem.endswith(ending) and len(stem) > len(ending) + 1:
                stem = stem[: -len(ending)]
                break
    elif stem.endswith("e") and not stem.endswith(("le", "ee")) and len(stem) > 2:
        stem = stem[:-1]
    groups, previous = 0, False
    for char in stem:
        is_vowel = char in vowels
        if is_vowel and not previous:
            groups += 1
        previous = is_vowel
    return groups


def readability(text: str, lang: str) -> Readability:
    """The grade of ``text`` by the formula of its language (see the module docstring)."""
    found = sentences(text)
    all_words = [w for s in found for w in words(s)]
    count_s, count_w = len(found), len(all_words)
    count_syl = sum(syllables(w, lang) for w in all_words)
    if count_w == 0:
        return Readability(lang, 0, 0, 0, 0.0, FORMULAS[lang], None)
    per_sentence, per_word = count_w / count_s, count_syl / count_w
    if lang == "fr":
        ease = 207 - 1.015 * per_sentence - 73.6 * per_word
        return Readability(lang, count_s, count_w, count_syl, round(grade_of_ease(ease), 2),
                           FORMULAS[lang], round(ease, 2))
    grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    return Readability(lang, count_s, count_w, count_syl, round(grade, 2), FORMULAS[lang])


def grade_of_ease(ease: float) -> float:
    """Flesch's ease → school grade, by the line through the table's points (clamped)."""
    points = _EASE_TO_GRADE
    if ease >= points[0][0]:
        return points[0][1]
    for (high, g_high), (low, g_low) in itertools.pairwise(points):
        if ease >= low:
            return g_low + (g_high - g_low) * (ease - low) / (high - low)
    return points[-1][1]


def long_sentences(text: str, lang: str, field: str, limit: int = LONG_SENTENCE) -> list[Flag]:
    flags = []
    for sentence in sentences(text):
        count = len(words(sentence))
        if count > limit:
            flags.append(Flag("long_sentence", lang, field, _excerpt(sentence),
                              f"{count} words; keep sentences to {limit} words or fewer"))
    return flags


def jargon(text: str, lang: str, field: str) -> list[Flag]:
    terms = JARGON.get(lang, frozenset())
    seen: list[str] = []
    for lowered in bare_words(text):
        if lowered in terms and lowered not in seen:
            seen.append(lowered)
    return [Flag("jargon", lang, field, w, "a word many voters may not know; say it plainly")
            for w in seen]


def check_fields(fields: Mapping[str, str], lang: str) -> tuple[Readability, list[Flag]]:
    """The grade of the fields read as one text, and the flags field by field."""
    flags: list[Flag] = []
    for field, text in fields.items():
        flags += long_sentences(text, lang, field)
        flags += jargon(text, lang, field)
    return readability(joined(fields.values()), lang), flags


def joined(texts: Iterable[str]) -> str:
    """Texts as one, each ending a sentence (a heading without a full stop is still one)."""
    parts = []
    for text in texts:
        cleaned = text.strip()
        if cleaned:
            parts.append(cleaned if cleaned[-1] in ".!?;…" else cleaned + ".")
    return "\n".join(parts)


def _excerpt(sentence: str, limit: int = 80) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
