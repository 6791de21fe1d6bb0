"""Notices: required fields named one by one, checks per language, neutrality, label tables."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballotguard.errors import InvalidInput
from ballotguard.panel import languages, neutrality
from ballotguard.panel.notices import (
    TEXT_FIELDS,
    NoticeContent,
    channel_problem,
    check,
    missing_fields,
)
from ballotguard.vocabulary import ActorKind, Confidence, Vector
from support.notices import CONTENT, EN, FR

FULL = CONTENT


def test_a_full_bilingual_notice_passes_every_check() -> None:
    report = check(FULL, ["en", "fr"], ["Green Future Party"])
    assert report.missing == ()
    assert report.blocking == ()
    assert report.flags == ()
    assert report.publishable(acknowledge_flags=False)
    assert set(report.readability) == {"en", "fr"}
    assert all(r.grade <= 8 for r in report.readability.values())


def test_an_empty_notice_names_every_field() -> None:
    missing = missing_fields(NoticeContent(), ["en", "fr"])
    assert missing[:4] == ["threat_type", "actor_kind", "confidence", "channel_url"]
    assert missing[4:] == [f"{lang}.{f}" for lang in ("en", "fr") for f in TEXT_FIELDS]


@given(st.sets(st.sampled_from(TEXT_FIELDS)), st.sampled_from(["en", "fr"]))
def test_exactly_the_emptied_fields_are_named(emptied: set[str], lang: str) -> None:
    text = replace(FULL.text(lang), **{f: "  " for f in emptied})
    content = replace(FULL, texts={**FULL.texts, lang: text})
    assert set(missing_fields(content, ["en", "fr"])) == {f"{lang}.{f}" for f in emptied}


def test_a_language_not_written_at_all_is_missing() -> None:
    content = replace(FULL, texts={"en": EN})
    assert missing_fields(content, ["en", "fr"]) == [f"fr.{f}" for f in TEXT_FIELDS]


def test_a_hard_text_blocks_and_names_the_language() -> None:
    sentence = ("The unprecedented exfiltration of confidential electoral information "
                "necessitates comprehensive investigation by governmental institutions.")
    hard = replace(EN, known=sentence, unknown=sentence, effect=sentence)
    report = check(replace(FULL, texts={"en": hard, "fr": FR}), ["en", "fr"], [])
    assert report.too_hard == ("en",)
    assert any(b.startswith("en: readability grade") for b in report.blocking)
    assert not report.publishable(acknowledge_flags=True)


def test_flags_need_acknowledgement_but_do_not_block() -> None:
    named = replace(EN, target="Voters of the Green Future Party, who are traitors.")
    report = check(replace(FULL, texts={"en": named, "fr": FR}), ["en", "fr"],
                   ["Green Future Party"])
    kinds = {(f.kind, f.excerpt) for f in report.flags}
    assert kinds == {("party_name", "Green Future Party"), ("loaded_word", "traitors")}
    assert report.blocking == ()
    assert not report.publishable(acknowledge_flags=False)
    assert report.publishable(acknowledge_flags=True)


@pytest.mark.parametrize(
    ("text", "name", "found"),
    [
        ("Le Parti Québécois a été visé.", "Parti Québécois", True),
        ("le parti quebecois a été visé.", "Parti Québécois", True),
        ("The Parti   Québécois was\ntargeted.", "Parti Québécois", True),
        ("The Partial Québécoise was targeted.", "Parti Québécois", False),
        ("Nothing here.", "Parti Québécois", False),
    ],
)
def test_party_names_match_whole_words_without_case_or_accents(
    text: str, name: str, found: bool
) -> None:
    assert bool(neutrality.party_names(text, "fr", "target", [name])) is found


@given(st.sampled_from(["Green Future Party", "Parti Québécois", "Élan Civique"]),
       st.sampled_from([str.upper, str.lower, str.title, lambda s: s]))
def test_any_casing_of_a_party_name_is_flagged(name: str, casing: object) -> None:
    text = f"A message about {casing(name)} spread."  # type: ignore[operator]
    assert [f.excerpt for f in neutrality.party_names(text, "en", "known", [name])] == [name]


def test_loaded_words_per_language() -> None:
    assert [f.excerpt for f in neutrality.loaded_words("A rigged and sinister plot.", "en", "k")] \
        == ["rigged", "sinister"]
    assert [f.excerpt for f in neutrality.loaded_words("Un scrutin truqué.", "fr", "k")] \
        == ["truqué"]


@pytest.mark.parametrize(
    ("url", "ok"),
    [("https://elections.example/x", True), ("", True), ("elections.example", False),
     ("javascript:alert(1)", False), ("ftp://x.example", False)],
)
def test_channel_url(url: str, ok: bool) -> None:
    assert (channel_problem(url) is None) is ok


@pytest.mark.parametrize("term", [*Vector, *ActorKind, *Confidence])
@pytest.mark.parametrize("lang", languages.SUPPORTED)
def test_every_term_has_a_label_in_every_language(term: object, lang: str) -> None:
    assert languages.TERM_LABELS[term][lang]  # type: ignore[index]


@pytest.mark.parametrize("table", [languages.FIELD_LABELS, languages.PORTAL_TEXT])
def test_every_heading_is_in_every_language(table: dict[str, dict[str, str]]) -> None:
    for key, labels in table.items():
        assert set(labels) == set(languages.SUPPORTED), key


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("en,fr", ("en", "fr")), (" FR , en ,fr", ("fr", "en")), ("en", ("en",))],
)
def test_parse_languages(setting: str, expected: tuple[str, ...]) -> None:
    assert languages.parse_languages(setting) == expected


@pytest.mark.parametrize("setting", ["", " , ", "en,de"])
def test_parse_languages_refuses(setting: str) -> None:
    with pytest.raises(InvalidInput, match="portal_languages"):
        languages.parse_languages(setting)
