"""The vocabulary as one JSON document, for the public endpoint, the CLI and other instances."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ballotguard.vocabulary.terms import (
    VOCABULARY_VERSION,
    ActorKind,
    Confidence,
    Impact,
    Outcome,
    Phase,
    SourceReliability,
    TargetKind,
    Technique,
    Tlp,
    Vector,
    label,
)

_LISTS: dict[str, type[StrEnum]] = {
    "phases": Phase,
    "vectors": Vector,
    "target_kinds": TargetKind,
    "actor_kinds": ActorKind,
    "outcomes": Outcome,
    "impact_levels": Impact,
    "confidence_levels": Confidence,
    "source_reliability": SourceReliability,
    "tlp_levels": Tlp,
}


def vocabulary_document(techniques: list[Technique]) -> dict[str, Any]:
    """Every term with its id and label, plus the techniques this instance has loaded."""
    document: dict[str, Any] = {"version": VOCABULARY_VERSION}
    for name, enum in _LISTS.items():
        document[name] = [{"id": term.value, "label": label(term)} for term in enum]
    document["techniques"] = {
        framework: [
            {"id": t.technique_id, "name": t.name, "tactic": t.tactic}
            for t in techniques
            if t.framework.value == framework
        ]
        for framework in ("disarm", "attack")
    }
    return document
