"""Findings: an analyst's answer to one criterion, with its confidence and its evidence.

DESIGN.md: "Every verdict says which criteria it rests on and which evidence supports each." A
finding answered yes or no must therefore cite evidence (a report field, an observable, an
attachment, a note, a whole report for campaigns, or a public source); ``unknown`` may cite none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ballotguard.assessment.criteria import Criterion
from ballotguard.errors import FindingWithoutEvidence, InvalidInput
from ballotguard.vocabulary import Confidence


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Answer(StrEnum):
    """Three answers, read as Kleene's three truth values: yes = true, no = false."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class EvidenceKind(StrEnum):
    REPORT_FIELD = "report_field"
    OBSERVABLE = "observable"
    ATTACHMENT = "attachment"
    NOTE = "note"
    REPORT = "report"
    EXTERNAL = "external"


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class EvidenceRef(_Value):
    """A pointer to evidence. ``ref`` is, by kind: the report field's name; the observable as
    ``kind:value``; the attachment's SHA-256; the note's index; the report's id; the public
    source's URL."""

    kind: EvidenceKind
    ref: Annotated[str, Field(min_length=1, max_length=2048)]
    report_id: str | None = None
    description: Annotated[str, Field(max_length=2000)] = ""

    @model_validator(mode="after")
    def _ref_fits_kind(self) -> Self:
        problem = _ref_problem(self.kind, self.ref)
        if problem:
            raise ValueError(f"evidence of kind {self.kind.value}: {problem}")
        return self


def _ref_problem(kind: EvidenceKind, ref: str) -> str:
    if kind is EvidenceKind.ATTACHMENT and not _SHA256.match(ref):
        return "ref must be the attachment's SHA-256 (64 lower-case hex digits)"
    if kind is EvidenceKind.NOTE and not ref.isdigit():
        return "ref must be the note's index (0, 1, …)"
    if kind is EvidenceKind.OBSERVABLE and ":" not in ref:
        return "ref must be the observable as kind:value, e.g. domain:example.org"
    if kind is EvidenceKind.EXTERNAL and not ref.startswith(("https://", "http://")):
        return "ref must be the source's URL (http:// or https://)"
    return ""


class Finding(_Value):
    criterion: Criterion
    answer: Answer
    confidence: Confidence
    evidence: list[EvidenceRef] = []
    rationale: Annotated[str, Field(max_length=10_000)] = ""

    @model_validator(mode="after")
    def _evidenced(self) -> Self:
        if self.answer is not Answer.UNKNOWN and not self.evidence:
            raise FindingWithoutEvidence(self.criterion.value, self.answer.value)
        return self


def parse_findings(raw: Sequence[Mapping[str, Any]]) -> list[Finding]:
    """Findings from plain data, raising the domain error itself rather than pydantic's wrapper.

    Pydantic wraps an error raised inside a validator in ``ValidationError``; a service or the
    CLI wants ``FindingWithoutEvidence`` (or ``InvalidInput`` naming the field) instead.
    """
    findings = []
    for index, item in enumerate(raw):
        try:
            findings.append(Finding.model_validate(item))
        except ValidationError as exc:
            raise _domain_error(exc, f"findings[{index}]") from None
    return findings


def _domain_error(exc: ValidationError, prefix: str) -> InvalidInput:
    first = exc.errors()[0]
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, InvalidInput):
        return cause
    where = ".".join(str(part) for part in first["loc"])
    field = f"{prefix}.{where}" if where else prefix
    return InvalidInput(field, str(first["msg"]).removeprefix("Value error, "))
