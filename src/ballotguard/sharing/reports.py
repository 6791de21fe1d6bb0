"""The interference report in the shared language, its status workflow and its versions.

A report is what one stakeholder tells the others: what was seen, when, in which phase of which
election, by which vectors, against whom, whether it succeeded, and who may read it (TLP 2.0).
Every change makes a new version; a correction or a retraction never erases what was said before,
because the panel and the post-election review must see what was known when.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ballotguard.errors import InvalidTransition, MissingRecipient
from ballotguard.sharing.observables import ObservableKind, normalise
from ballotguard.vocabulary import (
    ActorKind,
    Confidence,
    Impact,
    Outcome,
    Phase,
    SourceReliability,
    TargetKind,
    Tlp,
    Vector,
    parse_technique_ref,
)

ShortText = Annotated[str, Field(min_length=1, max_length=200)]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Observable(_Value):
    kind: ObservableKind
    value: Annotated[str, Field(min_length=1, max_length=2048)]

    @model_validator(mode="after")
    def _normalised(self) -> Self:
        canonical = normalise(self.kind, self.value, "observables.value")
        object.__setattr__(self, "value", canonical)
        return self


class Target(_Value):
    """Who or what was targeted: an organisation of the hub, or a described person or group."""

    kind: TargetKind
    organisation_id: str | None = None
    description: Annotated[str, Field(max_length=500)] = ""
    is_victim: bool = True

    @model_validator(mode="after")
    def _named(self) -> Self:
        if not self.organisation_id and not self.description:
            raise ValueError("a target needs an organisation_id or a description")
        return self


class SuspectedActor(_Value):
    kind: ActorKind
    name: Annotated[str, Field(max_length=200)] = ""
    confidence: Confidence = Confidence.LOW


class ReportContent(_Value):
    """What the reporter says; the part that a correction replaces as a whole."""

    title: ShortText
    summary: Annotated[str, Field(max_length=20_000)] = ""
    observed_at: datetime
    election: ShortText
    phase: Phase
    vectors: Annotated[list[Vector], Field(min_length=1)]
    targets: list[Target] = []
    outcome: Outcome
    impact: Impact = Impact.LOW
    techniques: list[str] = []
    observables: list[Observable] = []
    suspected_actor: SuspectedActor | None = None
    source_reliability: SourceReliability = SourceReliability.F
    tlp: Tlp
    recipient_orgs: list[str] = []
    recipient_people: list[str] = []

    @field_validator("observed_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-11-20T14:00:00Z")
        return value

    @field_validator("vectors")
    @classmethod
    def _unique_vectors(cls, value: list[Vector]) -> list[Vector]:
        return list(dict.fromkeys(value))

    @field_validator("techniques")
    @classmethod
    def _techniques(cls, value: list[str]) -> list[str]:
        refs = []
        for text in value:
            framework, technique_id = parse_technique_ref(text)
            refs.append(f"{framework.value}:{technique_id}")
        return list(dict.fromkeys(refs))

    @model_validator(mode="after")
    def _red_names_people(self) -> Self:
        if self.tlp is Tlp.RED and not self.recipient_people:
            raise MissingRecipient()
        return self

    @property
    def vector_set(self) -> frozenset[Vector]:
        return frozenset(self.vectors)


class Status(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    ASSESSED = "assessed"
    CLOSED = "closed"
    RETRACTED = "retracted"


TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    Status.NEW: (Status.TRIAGED, Status.RETRACTED),
    Status.TRIAGED: (Status.ASSESSED, Status.RETRACTED),
    Status.ASSESSED: (Status.CLOSED, Status.TRIAGED, Status.RETRACTED),
    Status.CLOSED: (Status.TRIAGED, Status.RETRACTED),
    Status.RETRACTED: (),
}


def check_transition(current: Status, wanted: Status) -> None:
    allowed = TRANSITIONS[current]
    if wanted not in allowed:
        raise InvalidTransition(current.value, wanted.value, [s.value for s in allowed])


class Note(_Value):
    author_id: str
    at: datetime
    text: Annotated[str, Field(min_length=1, max_length=10_000)]


class Attachment(_Value):
    """Evidence stored by content: the SHA-256 names the blob and proves it was not altered."""

    filename: Annotated[str, Field(min_length=1, max_length=255)]
    media_type: str
    size: int
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    added_by: str
    added_at: datetime


class Report(_Value):
    id: str
    version: int
    org_id: str
    author_id: str
    status: Status
    created_at: datetime
    updated_at: datetime
    content: ReportContent
    notes: list[Note] = []
    attachments: list[Attachment] = []


class ChangeKind(StrEnum):
    CREATED = "created"
    CORRECTED = "corrected"
    STATUS = "status"
    NOTE = "note"
    ATTACHMENT = "attachment"
    RETRACTED = "retracted"


class ReportVersion(_Value):
    """One entry of a report's history: who changed what, why, and the report as it then was."""

    report_id: str
    version: int
    change: ChangeKind
    changed_by: str
    changed_at: datetime
    reason: str = ""
    snapshot: Report
