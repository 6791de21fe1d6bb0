"""The languages notices and the portal are written in, and the words for the vocabulary in each.

A notice's free text is written by people in every configured language; the terms it picks from
the vocabulary (threat type, kind of actor, confidence) are rendered from the label tables here,
so that "foreign_state" reads "a foreign state" in English and "un État étranger" in French on
every notice alike. Adding a language means adding its column to each table below (a test checks
that no term is missing in any language), a jargon and a loaded-word list, and a readability
formula in ``plain_language``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from ballotguard.errors import InvalidInput
from ballotguard.vocabulary import ActorKind, Confidence, Vector

SUPPORTED: tuple[str, ...] = ("en", "fr")
"""Languages with labels, word lists and a readability formula (ISO 639-1 codes)."""

NAMES: Mapping[str, str] = {"en": "English", "fr": "Français"}
"""Each language's name in itself, for the language switch."""

TERM_LABELS: Mapping[str, Mapping[str, str]] = {
    Vector.CYBER_INTRUSION: {"en": "Breaking into computer systems",
                             "fr": "Intrusion dans des systèmes informatiques"},
    Vector.HACK_AND_LEAK: {"en": "Stealing and leaking documents",
                           "fr": "Vol et fuite de documents"},
    Vector.DISINFORMATION: {"en": "False information spread on purpose",
                            "fr": "Fausses informations diffusées exprès"},
    Vector.INAUTHENTIC_AMPLIFICATION: {"en": "Fake accounts spreading messages",
                                       "fr": "Faux comptes qui diffusent des messages"},
    Vector.COVERT_FINANCING: {"en": "Hidden or illegal funding",
                              "fr": "Financement caché ou illégal"},
    Vector.COERCION: {"en": "Pressure, threats or intimidation",
                      "fr": "Pressions, menaces ou intimidation"},
    Vector.VOTER_SUPPRESSION: {"en": "Keeping voters from voting",
                               "fr": "Empêcher des électeurs de voter"},
    Vector.DENIAL_OF_SERVICE: {"en": "Attacks that take websites offline",
                               "fr": "Attaques qui mettent des sites hors ligne"},
    Vector.INSIDER_THREAT: {"en": "Misuse by someone on the inside",
                            "fr": "Abus par une personne de l'intérieur"},
    Vector.DATA_THEFT: {"en": "Theft of data", "fr": "Vol de données"},
    ActorKind.FOREIGN_STATE: {"en": "A foreign state", "fr": "Un État étranger"},
    ActorKind.STATE_AFFILIATED_PROXY: {"en": "A group acting for a foreign state",
                                       "fr": "Un groupe agissant pour un État étranger"},
    ActorKind.DOMESTIC: {"en": "A group or person in this country",
                         "fr": "Un groupe ou une personne du pays"},
    ActorKind.UNKNOWN: {"en": "Not known yet", "fr": "Pas encore connu"},
    Confidence.LOW: {"en": "Low: we are not sure yet", "fr": "Faible : nous n'en sommes pas encore sûrs"},
    Confidence.MODERATE: {"en": "Moderate: we think this is likely",
                          "fr": "Moyenne : nous pensons que c'est probable"},
    Confidence.HIGH: {"en": "High: we are confident", "fr": "Élevée : nous en sommes sûrs"},
}
"""Plain words for each vocabulary term a notice uses, per language."""

FIELD_LABELS: Mapping[str, Mapping[str, str]] = {
    "title": {"en": "Headline", "fr": "Titre"},
    "threat_type": {"en": "Type of threat", "fr": "Type de menace"},
    "actor_kind": {"en": "Who is behind it", "fr": "Qui est derrière"},
    "actor": {"en": "About the actor", "fr": "À propos de l'auteur"},
    "confidence": {"en": "How sure we are", "fr": "Notre degré de certitude"},
    "target": {"en": "Who or what was targeted", "fr": "Qui ou quoi était visé"},
    "when": {"en": "When", "fr": "Quand"},
    "where": {"en": "Where", "fr": "Où"},
    "known": {"en": "What we know", "fr": "Ce que nous savons"},
    "unknown": {"en": "What we do not know yet", "fr": "Ce que nous ne savons pas encore"},
    "effect": {"en": "Effect on voting", "fr": "Effet sur le vote"},
    "action": {"en": "What voters should do", "fr": "Ce que les électeurs doivent faire"},
    "channel_url": {"en": "Official source for more", "fr": "Source officielle pour en savoir plus"},
}
"""The headings of a notice's fields, per language."""

PORTAL_TEXT: Mapping[str, Mapping[str, str]] = {
    "portal": {"en": "Election information portal", "fr": "Portail d'information électorale"},
    "skip": {"en": "Skip to content", "fr": "Aller au contenu"},
    "notices": {"en": "Public notices", "fr": "Avis publics"},
    "no_notices": {"en": "No public notice has been published.",
                   "fr": "Aucun avis public n'a été publié."},
    "methodology": {"en": "How the panel decides", "fr": "Comment le comité décide"},
    "voting_info": {"en": "Voting information", "fr": "Information sur le vote"},
    "no_voting_info": {"en": "No voting information has been published yet.",
                       "fr": "Aucune information sur le vote n'a encore été publiée."},
    "published": {"en": "Published", "fr": "Publié"},
    "updated": {"en": "Updated", "fr": "Mis à jour"},
    "version": {"en": "Version", "fr": "Version"},
    "versions": {"en": "Earlier versions", "fr": "Versions précédentes"},
    "correction": {"en": "Reason for the correction", "fr": "Raison de la correction"},
    "current": {"en": "current", "fr": "actuelle"},
    "language": {"en": "Language", "fr": "Langue"},
    "print": {"en": "This page prints without menus.",
              "fr": "Cette page s'imprime sans les menus."},
    "definition": {"en": "Definition of interference", "fr": "Définition de l'ingérence"},
    "library": {"en": "Tested against the case library", "fr": "Testée sur la bibliothèque de cas"},
    "threshold": {"en": "The threshold for a notice", "fr": "Le seuil pour un avis"},
    "no_definition": {"en": "No definition has been adopted yet.",
                      "fr": "Aucune définition n'a encore été adoptée."},
    "untranslated": {"en": "This text is available in English only.",
                     "fr": "Ce texte n'est disponible qu'en anglais."},
    "adopted": {"en": "Adopted", "fr": "Adoptée"},
    "cases": {"en": "cases", "fr": "cas"},
    "agree": {"en": "agree with the expected answer", "fr": "concordent avec la réponse attendue"},
    "home": {"en": "Home", "fr": "Accueil"},
}
"""The portal's own words, per language."""


def parse_languages(setting: str) -> tuple[str, ...]:
    """``"en,fr"`` → ``("en", "fr")``; the first is the default. Unknown codes are refused."""
    codes = tuple(dict.fromkeys(c.strip().lower() for c in setting.split(",") if c.strip()))
    if not codes:
        raise InvalidInput("portal_languages", "name at least one language, e.g. en,fr")
    unknown = [c for c in codes if c not in SUPPORTED]
    if unknown:
        raise InvalidInput(
            "portal_languages",
            f"{', '.join(unknown)} not supported; supported: {', '.join(SUPPORTED)}",
        )
    return codes


def term_label(term: StrEnum, lang: str) -> str:
    """A vocabulary term in plain words in ``lang`` (English if the language lacks it)."""
    labels = TERM_LABELS.get(term, {})
    return labels.get(lang) or labels.get("en") or term.value.replace("_", " ")


def field_label(field: str, lang: str) -> str:
    labels = FIELD_LABELS.get(field, {})
    return labels.get(lang) or labels.get("en") or field


def portal_text(key: str, lang: str) -> str:
    labels = PORTAL_TEXT.get(key, {})
    return labels.get(lang) or labels.get("en") or key
