"""Public and targeted notices: the structured content, what must be filled in, the checks.

A notice says, in simple but specific words and in every configured language: the type of
threat (from the vocabulary), who is behind it and how sure the panel is, whom it targeted, when
and where, what is known and what is not, the effect on voting, what voters should do, and where
to learn more (an official channel). Publishing fails naming every empty field.

Before publication the text of each language is checked (``check``):

- plain language (``plain_language``): the grade must be at most 8; long sentences and jargon
  are flagged;
- neutrality (``neutrality``): names of parties, campaigns and candidates and loaded words are
  flagged.

A grade over 8 or a missing field blocks publication. Flags do not block on their own, but the
publisher must acknowledge them. A published notice is never edited in place: a correction is
a new version with its reason, and the older versions stay readable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from ballotguard.panel import neutrality, plain_language
from ballotguard.panel.plain_language import MAX_GRADE, Flag, Readability
from ballotguard.vocabulary import ActorKind, Confidence, Vector

TEXT_FIELDS: tuple[str, ...] = (
    "title", "actor", "target", "when", "where", "known", "unknown", "effect", "action",
)
"""The free-text fields of a notice, written in each language."""
TERM_FIELDS: tuple[str, ...] = ("threat_type", "actor_kind", "confidence")
TEXT_LIMIT = 4000
TITLE_LIMIT = 200


class Audience(StrEnum):
    """A public notice goes to the portal; a targeted one only to its target and the panel."""

    PUBLIC = "public"
    TARGETED = "targeted"


@dataclass(frozen=True, slots=True)
class NoticeText:
    """One language's text of a notice."""

    title: str = ""
    actor: str = ""
    target: str = ""
    when: str = ""
    where: str = ""
    known: str = ""
    unknown: str = ""
    effect: str = ""
    action: str = ""

    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in TEXT_FIELDS}

    @classmethod
    def of(cls, values: Mapping[str, str]) -> NoticeText:
        return cls(**{k: str(values.get(k, "") or "").strip() for k in TEXT_FIELDS})


@dataclass(frozen=True, slots=True)
class NoticeContent:
    """What a notice says: terms from the vocabulary, a channel URL, and text per language."""

    threat_type: Vector | None = None
    actor_kind: ActorKind | None = None
    confidence: Confidence | None = None
    channel_url: str = ""
    texts: Mapping[str, NoticeText] = field(default_factory=dict)

    def text(self, lang: str) -> NoticeText:
        return self.texts.get(lang, NoticeText())


class NoticeState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice on one decision of the panel. ``draft`` is the text being written; once
    published, ``version`` counts the published versions and the draft starts as the latest."""

    id: str
    decision_id: str
    case_id: str
    audience: Audience
    target_org_id: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    draft: NoticeContent
    version: int = 0
    published_at: datetime | None = None

    @property
    def state(self) -> NoticeState:
        return NoticeState.PUBLISHED if self.version else NoticeState.DRAFT

    def with_draft(self, content: NoticeContent, now: datetime) -> Notice:
        return replace(self, draft=content, updated_at=now)


@dataclass(frozen=True, slots=True)
class NoticeVersion:
    """One published version; ``reason`` says what a correction changed ("" for the first)."""

    notice_id: str
    number: int
    content: NoticeContent
    published_at: datetime
    published_by: str
    reason: str
    acknowledged: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The result of the checks, per language and over all."""

    missing: tuple[str, ...]
    readability: Mapping[str, Readability]
    flags: tuple[Flag, ...]

    @property
    def too_hard(self) -> tuple[str, ...]:
        return tuple(lang for lang, r in self.readability.items() if not r.plain)

    @property
    def blocking(self) -> tuple[str, ...]:
        """Why the notice may not be published, whatever the publisher acknowledges."""
        found = []
        if self.missing:
            found.append("empty fields: " + ", ".join(self.missing))
        for lang in self.too_hard:
            grade = self.readability[lang].grade
            found.append(f"{lang}: readability grade {grade:g} is above {MAX_GRADE:g}")
        return tuple(found)

    def publishable(self, acknowledge_flags: bool) -> bool:
        return not self.blocking and (acknowledge_flags or not self.flags)


def missing_fields(content: NoticeContent, languages: Sequence[str]) -> list[str]:
    """Every required field left empty, as ``threat_type`` or ``fr.known``."""
    missing = [name for name in TERM_FIELDS if getattr(content, name) is None]
    if not content.channel_url.strip():
        missing.append("channel_url")
    for lang in languages:
        text = content.text(lang)
        missing += [f"{lang}.{name}" for name, value in text.fields().items() if not value.strip()]
    return missing


def channel_problem(url: str) -> str | None:
    """The official channel must be an https (or http) address, when given."""
    if not url.strip():
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return "give a full web address, e.g. https://elections.example/notices"
    return None


def text_problems(content: NoticeContent) -> list[tuple[str, str]]:
    """Fields that are too long: (field, reason)."""
    found = []
    for lang, text in content.texts.items():
        for name, value in text.fields().items():
            limit = TITLE_LIMIT if name == "title" else TEXT_LIMIT
            if len(value) > limit:
                found.append((f"{lang}.{name}", f"at most {limit} characters"))
    return found


def check(
    content: NoticeContent, languages: Sequence[str], party_names: Iterable[str]
) -> CheckReport:
    """Run every check on every configured language."""
    names = list(party_names)
    grades: dict[str, Readability] = {}
    flags: list[Flag] = []
    for lang in languages:
        fields = content.text(lang).fields()
        grade, plain_flags = plain_language.check_fields(fields, lang)
        grades[lang] = grade
        flags += plain_flags
        flags += neutrality.check_fields(fields, lang, names)
    return CheckReport(tuple(missing_fields(content, languages)), grades, tuple(flags))


def flag_keys(flags: Iterable[Flag]) -> tuple[str, ...]:
    """The flags as short strings, kept on the published version as what was acknowledged."""
    return tuple(f"{f.language}.{f.field}: {f.kind} '{f.excerpt}'" for f in flags)


def content_to_dict(content: NoticeContent) -> dict[str, object]:
    """A JSON-ready form of the content (the store keeps it so)."""
    return {
        "threat_type": content.threat_type.value if content.threat_type else None,
        "actor_kind": content.actor_kind.value if content.actor_kind else None,
        "confidence": content.confidence.value if content.confidence else None,
        "channel_url": content.channel_url,
        "texts": {lang: text.fields() for lang, text in sorted(content.texts.items())},
    }


def content_from_dict(data: Mapping[str, object]) -> NoticeContent:
    texts = data.get("texts") or {}
    assert isinstance(texts, Mapping)
    return NoticeContent(
        threat_type=Vector(str(data["threat_type"])) if data.get("threat_type") else None,
        actor_kind=ActorKind(str(data["actor_kind"])) if data.get("actor_kind") else None,
        confidence=Confidence(str(data["confidence"])) if data.get("confidence") else None,
        channel_url=str(data.get("channel_url") or ""),
        texts={str(lang): NoticeText.of(values) for lang, values in texts.items()},
    )
