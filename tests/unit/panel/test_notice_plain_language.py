"""Readability by the published formulas on texts whose counts were made by hand, the ease-to-grade
table, long sentences and jargon."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballotguard.panel import plain_language as pl

# text, language, sentences, words, syllables (counted by hand), grade
KNOWN = [
    ("The cat sat on the mat.", "en", 1, 6, 6, -1.45),
    ("Someone tried to break into the election website. They did not get in. Your vote is safe.",
     "en", 3, 17, 22, 1.89),
    ("Polling stations are open. Bring your card. Ask staff for help!", "en", 3, 11, 14, 0.86),
    # French: ease 207 - 1.015 * 5 - 73.6 * 7/5 = 98.885, between (100, 4) and (90, 5)
    ("Il a voté à midi.", "fr", 1, 5, 7, 4.11),
    # ease 115.04: easier than the table's top, clamped to grade 4
    ("Le chat est sur le tapis.", "fr", 1, 6, 7, 4.0),
]


@pytest.mark.parametrize(("text", "lang", "sentences", "words", "syllables", "grade"), KNOWN)
def test_known_readability(
    text: str, lang: str, sentences: int, words: int, syllables: int, grade: float
) -> None:
    result = pl.readability(text, lang)
    assert (result.sentences, result.words, result.syllables) == (sentences, words, syllables)
    assert result.grade == pytest.approx(grade, abs=0.01)
    assert result.plain


def test_french_reports_its_ease() -> None:
    result = pl.readability("Il a voté à midi.", "fr")
    assert result.ease == pytest.approx(98.89, abs=0.01)
    assert "Kandel" in result.formula


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The unprecedented exfiltration of confidential electoral information necessitates "
         "comprehensive investigation.", "en"),
        ("L'exfiltration institutionnalisée des informations électorales constitue une "
         "préoccupation considérable.", "fr"),
    ],
)
def test_hard_texts_are_above_grade_eight(text: str, lang: str) -> None:
    result = pl.readability(text, lang)
    assert result.grade > pl.MAX_GRADE
    assert not result.plain


@pytest.mark.parametrize(
    ("ease", "grade"),
    [(120, 4), (100, 4), (95, 4.5), (90, 5), (80, 6), (70, 7), (65, 8), (60, 9), (55, 10.5),
     (50, 12), (40, 14), (30, 16), (0, 18), (-40, 18)],
)
def test_ease_to_grade_table(ease: float, grade: float) -> None:
    assert pl.grade_of_ease(ease) == pytest.approx(grade)


@given(st.floats(-200, 200), st.floats(-200, 200))
def test_an_easier_text_never_gets_a_higher_grade(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert pl.grade_of_ease(high) <= pl.grade_of_ease(low)


@given(st.lists(st.sampled_from(["vote", "polling", "station", "card", "help", "election"]),
                min_size=1, max_size=40))
def test_counts_add_up(chosen: list[str]) -> None:
    text = " ".join(chosen) + "."
    result = pl.readability(text, "en")
    assert result.words == len(chosen)
    assert result.sentences == 1
    assert result.syllables >= result.words


def test_empty_text_has_no_words_and_grade_zero() -> None:
    result = pl.readability("  ", "en")
    assert (result.words, result.sentences, result.grade) == (0, 0, 0.0)


@pytest.mark.parametrize(
    ("word", "lang", "count"),
    [("about", "en", 2), ("election", "en", 3), ("registration", "en", 4), ("vote", "en", 1),
     ("élection", "fr", 3), ("bureau", "fr", 2), ("voté", "fr", 2), ("2026", "en", 1)],
)
def test_syllables(word: str, lang: str, count: int) -> None:
    assert pl.syllables(word, lang) == count


def test_long_sentences_are_flagged_with_their_length() -> None:
    long = " ".join(["word"] * 26) + ". Short one."
    flags = pl.long_sentences(long, "en", "known")
    assert len(flags) == 1
    assert flags[0].kind == "long_sentence" and flags[0].field == "known"
    assert "26 words" in flags[0].detail
    assert pl.long_sentences(" ".join(["word"] * 25) + ".", "en", "known") == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The threat actor used phishing and malware.", "en", ["actor", "phishing", "malware"]),
        ("Un acteur a utilisé l'hameçonnage.", "fr", ["acteur", "hameçonnage"]),
        ("Someone sent fake e-mails.", "en", []),
    ],
)
def test_jargon_is_flagged_once_per_word(text: str, lang: str, expected: list[str]) -> None:
    flags = pl.jargon(text + " " + text, lang, "known")
    assert [f.excerpt for f in flags] == expected


def test_headings_without_full_stops_count_as_sentences() -> None:
    fields = {"title": "Fake e-mails about polling stations", "known": "They came on Monday."}
    grade, _ = pl.check_fields(fields, "en")
    assert grade.sentences == 2
