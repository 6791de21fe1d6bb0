"""STIX 2.1: Ballotguard's reports, campaigns and assessments as STIX objects, and back.

Plain dicts are the wire objects: building them directly costs microseconds, where the ``stix2``
library's classes cost milliseconds, and this runs for every report filed and every object
ingested. Pure: no I/O and no clock (times come in). The TAXII server, the client and the store
adapt it; the full OASIS validator is the adapter ``ballotguard.stix_validator``.

Modules: ``ids`` (deterministic ids, STIX 2.1 SCO ids), ``timestamps``, ``markings`` (TLP 2.0
and 1.0), ``extension`` (the election-report extension, its definition and JSON schema),
``observables`` (SCOs and patterns), ``export`` (report, campaign and assessment objects,
bundles), ``validation`` (fast structural checks, object versions) and ``imports`` (keep or
refuse, and reports rebuilt from incidents).
"""

from ballotguard.stix.export import (
    EXPORTED_TYPES,
    assessment_note,
    attack_pattern_id,
    bundle,
    campaign_objects,
    org_identity_id,
    published_objects,
    report_objects,
    to_json,
)
from ballotguard.stix.extension import (
    BALLOTGUARD_IDENTITY_ID,
    EXTENSION_ID,
    EXTENSION_SCHEMA,
    EXTENSION_SCHEMA_URL,
    EXTENSION_VERSION,
    ballotguard_identity,
    extension_definition,
)
from ballotguard.stix.ids import (
    BALLOTGUARD_NAMESPACE,
    derived_id,
    incident_id,
    is_valid_id,
    report_id_of,
    sco_id,
)
from ballotguard.stix.imports import ImportedReport, Kept, Refused, classify, report_from_incident
from ballotguard.stix.markings import TLP_MARKINGS, marking_definition, marking_ref, tlp_of
from ballotguard.stix.timestamps import format_timestamp, parse_timestamp
from ballotguard.stix.validation import problems, version_of

__all__ = [
    "BALLOTGUARD_IDENTITY_ID",
    "BALLOTGUARD_NAMESPACE",
    "EXPORTED_TYPES",
    "EXTENSION_ID",
    "EXTENSION_SCHEMA",
    "EXTENSION_SCHEMA_URL",
    "EXTENSION_VERSION",
    "TLP_MARKINGS",
    "ImportedReport",
    "Kept",
    "Refused",
    "assessment_note",
    "attack_pattern_id",
    "ballotguard_identity",
    "bundle",
    "campaign_objects",
    "classify",
    "derived_id",
    "extension_definition",
    "format_timestamp",
    "incident_id",
    "is_valid_id",
    "marking_definition",
    "marking_ref",
    "org_identity_id",
    "parse_timestamp",
    "problems",
    "published_objects",
    "report_from_incident",
    "report_id_of",
    "report_objects",
    "sco_id",
    "tlp_of",
    "to_json",
    "version_of",
]
