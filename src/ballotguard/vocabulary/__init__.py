"""The shared language: phases, vectors, targets, actors, outcomes, TLP, techniques."""

from ballotguard.vocabulary.document import vocabulary_document
from ballotguard.vocabulary.techniques import (
    DisarmImport,
    parse_technique_ref,
    read_disarm_bundle,
)
from ballotguard.vocabulary.terms import (
    VOCABULARY_VERSION,
    ActorKind,
    Confidence,
    Framework,
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

__all__ = [
    "VOCABULARY_VERSION",
    "ActorKind",
    "Confidence",
    "DisarmImport",
    "Framework",
    "Impact",
    "Outcome",
    "Phase",
    "SourceReliability",
    "TargetKind",
    "Technique",
    "Tlp",
    "Vector",
    "label",
    "parse_technique_ref",
    "read_disarm_bundle",
    "vocabulary_document",
]
