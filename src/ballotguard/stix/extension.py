"""Ballotguard's STIX extension: the election fields of a report on its ``incident``.

STIX 2.1's incident is a stub (name and description), so everything a report says beyond its
title and summary travels in one property-extension (STIX 2.1 §7.3): the election, the phase, the
vectors, whether the attempt succeeded, the impact, when it was seen, how reliable the source is,
the targets and whether each is a victim, the techniques, the observables, the suspected actor
with its confidence, and the report's status and version. With it, another Ballotguard instance
rebuilds the report exactly; MISP and OpenCTI keep it as they keep any extension and read the
standard objects around it.

Never in the extension: the recipient organisations and people. They are ids local to the
reporting instance, and who was sent what is itself sensitive.

The extension-definition object is published (over TAXII and in every file export) with its
creator, the Ballotguard identity; ``EXTENSION_SCHEMA`` is the normative JSON Schema of the
properties, published in the docs at ``EXTENSION_SCHEMA_URL``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ballotguard.sharing import Observable, Report, Status, SuspectedActor, Target
from ballotguard.sharing.observables import ObservableKind
from ballotguard.stix.ids import derived_id
from ballotguard.stix.markings import marking_ref
from ballotguard.stix.timestamps import format_timestamp, parse_timestamp
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
)

BALLOTGUARD_IDENTITY_ID = derived_id("identity", "ballotguard")
EXTENSION_ID = derived_id("extension-definition", "election-report")
EXTENSION_NAME = "Ballotguard election interference report"
EXTENSION_VERSION = "1.0.0"
EXTENSION_SCHEMA_URL = (
    "https://ballotguard.org/docs/stix/election-report-extension-1.0.0.schema.json"
)
PUBLISHED = "2026-11-01T00:00:00.000Z"


def ballotguard_identity() -> dict[str, Any]:
    """The identity that creates the extension definition: the Ballotguard software itself."""
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": BALLOTGUARD_IDENTITY_ID,
        "created": PUBLISHED,
        "modified": PUBLISHED,
        "name": "Ballotguard",
        "description": "The Ballotguard election interference platform, "
        "author of the election-report STIX extension.",
        "identity_class": "system",
        "object_marking_refs": [marking_ref(Tlp.CLEAR)],
    }


def extension_definition() -> dict[str, Any]:
    """The extension-definition object that every exported incident names."""
    return {
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": EXTENSION_ID,
        "created_by_ref": BALLOTGUARD_IDENTITY_ID,
        "created": PUBLISHED,
        "modified": PUBLISHED,
        "name": EXTENSION_NAME,
        "description": "Election fields of an interference report on a STIX incident: election, "
        "phase, vectors, outcome (attempted or successful), impact, observation time, source "
        "reliability, targets and victims, techniques, observables, suspected actor with "
        "confidence, and the report's status and version.",
        "schema": EXTENSION_SCHEMA_URL,
        "version": EXTENSION_VERSION,
        "extension_types": ["property-extension"],
        "object_marking_refs": [marking_ref(Tlp.CLEAR)],
    }


def _enum(values: type[Any]) -> dict[str, Any]:
    return {"type": "string", "enum": [v.value for v in values]}


_TIMESTAMP_SCHEMA = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,}Z$",
}

EXTENSION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": EXTENSION_SCHEMA_URL,
    "title": EXTENSION_NAME,
    "description": "The properties of the Ballotguard election-report property-extension "
    f"({EXTENSION_ID}, version {EXTENSION_VERSION}) on a STIX 2.1 incident. Empty lists and "
    "absent values are left out, as STIX requires.",
    "type": "object",
    "properties": {
        "extension_type": {"const": "property-extension"},
        "election": {"type": "string", "minLength": 1, "maxLength": 200},
        "phase": _enum(Phase),
        "vectors": {"type": "array", "minItems": 1, "uniqueItems": True, "items": _enum(Vector)},
        "outcome": _enum(Outcome),
        "impact": _enum(Impact),
        "observed_at": _TIMESTAMP_SCHEMA,
        "source_reliability": _enum(SourceReliability),
        "targets": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "kind": _enum(TargetKind),
                    "organisation_id": {"type": "string", "minLength": 1},
                    "description": {"type": "string", "minLength": 1, "maxLength": 500},
                    "is_victim": {"type": "boolean"},
                },
                "required": ["kind", "is_victim"],
                "anyOf": [{"required": ["organisation_id"]}, {"required": ["description"]}],
                "additionalProperties": False,
            },
        },
        "techniques": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"type": "string", "pattern": r"^(disarm|attack):T\d{4}(\.\d{3})?$"},
        },
        "observables": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "kind": _enum(ObservableKind),
                    "value": {"type": "string", "minLength": 1, "maxLength": 2048},
                },
                "required": ["kind", "value"],
                "additionalProperties": False,
            },
        },
        "suspected_actor": {
            "type": "object",
            "properties": {
                "kind": _enum(ActorKind),
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "confidence": _enum(Confidence),
            },
            "required": ["kind", "confidence"],
            "additionalProperties": False,
        },
        "report_status": _enum(Status),
        "report_version": {"type": "integer", "minimum": 1},
    },
    "required": [
        "extension_type",
        "election",
        "phase",
        "vectors",
        "outcome",
        "impact",
        "observed_at",
        "source_reliability",
        "report_status",
        "report_version",
    ],
    "additionalProperties": False,
}


def extension_properties(report: Report) -> dict[str, Any]:
    """The extension's properties for one report version; empty lists and absent values left out."""
    content = report.content
    ext: dict[str, Any] = {
        "extension_type": "property-extension",
        "election": content.election,
        "phase": content.phase.value,
        "vectors": [v.value for v in content.vectors],
        "outcome": content.outcome.value,
        "impact": content.impact.value,
        "observed_at": format_timestamp(content.observed_at),
        "source_reliability": content.source_reliability.value,
    }
    if content.targets:
        ext["targets"] = [_target(t) for t in content.targets]
    if content.techniques:
        ext["techniques"] = list(content.techniques)
    if content.observables:
        ext["observables"] = [{"kind": o.kind.value, "value": o.value} for o in content.observables]
    actor = content.suspected_actor
    if actor is not None:
        ext["suspected_actor"] = _actor(actor)
    ext["report_status"] = report.status.value
    ext["report_version"] = report.version
    return ext


def _target(target: Target) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": target.kind.value}
    if target.organisation_id:
        out["organisation_id"] = target.organisation_id
    if target.description:
        out["description"] = target.description
    out["is_victim"] = target.is_victim
    return out


def _actor(actor: SuspectedActor) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": actor.kind.value}
    if actor.name:
        out["name"] = actor.name
    out["confidence"] = actor.confidence.value
    return out


def _stix_time(value: object) -> datetime:
    return parse_timestamp(value, "observed_at")


class ElectionReportExtension(BaseModel):
    """The extension as read on import; field rules beyond STIX are ReportContent's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    extension_type: Literal["property-extension"]
    election: str
    phase: Phase
    vectors: Annotated[list[Vector], Field(min_length=1)]
    outcome: Outcome
    impact: Impact
    observed_at: Annotated[datetime, BeforeValidator(_stix_time)]
    source_reliability: SourceReliability
    targets: Annotated[list[Target], Field(min_length=1)] = []
    techniques: Annotated[list[str], Field(min_length=1)] = []
    observables: Annotated[list[Observable], Field(min_length=1)] = []
    suspected_actor: SuspectedActor | None = None
    report_status: Status
    report_version: Annotated[int, Field(ge=1, strict=True)]
