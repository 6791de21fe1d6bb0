"""Is a notice neutral? Names of parties, campaigns and candidates, and loaded words, flagged.

A notice from a non-partisan panel must not read as taking a side. Two things are flagged for the
publisher to review (neither forbids publication on its own; the publisher acknowledges them):

- the name of any registered party, campaign or candidate (the organisations of sector
  political_party or campaign, and any extra names the caller passes), matched as whole words
  without regard to case or accents;
- loaded words from the list of the language: words that judge, alarm or blame rather than
  describe ("sinister", "rigged", "traitor"...).

Naming a party can be right (a party was the victim and agreed to be named); the flag makes
sure someone decided it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from ballotguard.panel.plain_language import Flag, bare_words

LOADED_WORDS: Mapping[str, frozenset[str]] = {
    "en": frozenset({
        "sinister", "evil", "rigged", "stolen", "traitor", "traitors", "treason", "puppet",
        "puppets", "shameful", "disgraceful", "outrageous", "corrupt", "radical", "extremist",
        "extremists", "enemy", "enemies", "invasion", "catastrophe", "catastrophic", "disaster",
        "terrifying", "shocking", "scandal", "scandalous", "lies", "liars", "liar", "fraudulent",
        "brazen", "cowardly", "heroic", "patriots", "unpatriotic", "regime", "thugs",
    }),
    "fr": frozenset({
        "sinistre", "maléfique", "truqué", "truquée", "truquées", "volée", "traître", "traîtres",
        "trahison", "marionnette", "marionnettes", "honteux", "honteuse", "scandaleux",
        "scandaleuse", "scandale", "corrompu", "corrompus", "radical", "radicaux", "extrémiste",
        "extrémistes", "ennemi", "ennemis", "invasion", "catastrophe", "catastrophique",
        "désastre", "terrifiant", "choquant", "mensonges", "menteur", "menteurs", "frauduleux",
        "lâche", "héroïque", "patriotes", "régime", "voyous",
    }),
}
"""Words that judge or alarm; flagged for review. Kept short on purpose: each entry is a word a
reviewer would want to look at twice in a notice from a non-partisan panel."""


def fold(text: str) -> str:
    """Lower case without accents: "Québec Solidaire" and "quebec solidaire" match."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def party_names(text: str, lang: str, field: str, names: Iterable[str]) -> list[Flag]:
    """Each name that occurs in ``text`` as whole words, once per field."""
    folded = fold(text)
    flags = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(fold(w)) for w in name.split()) + r"(?!\w)"
        if re.search(pattern, folded):
            flags.append(Flag("party_name", lang, field, name,
                              "names a party, campaign or candidate; check the notice stays "
                              "neutral and that naming them is agreed"))
    return flags


def loaded_words(text: str, lang: str, field: str) -> list[Flag]:
    listed = {fold(w) for w in LOADED_WORDS.get(lang, frozenset())}
    seen: list[str] = []
    for word in bare_words(text):
        if fold(word) in listed and word not in seen:
            seen.append(word)
    return [Flag("loaded_word", lang, field, w, "a word that judges or alarms; describe instead")
            for w in seen]


def check_fields(fields: Mapping[str, str], lang: str, names: Iterable[str]) -> list[Flag]:
    names = list(names)
    flags: list[Flag] = []
    for field, text in fields.items():
        flags += party_names(text, lang, field, names)
        flags += loaded_words(text, lang, field)
    return flags
