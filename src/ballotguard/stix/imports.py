"""Import planning: which received objects Ballotguard keeps, which it refuses, and why.

Every object is judged on its own (a bad object never sinks its bundle):

- structural problems (``validation.problems``) refuse it, naming the property;
- an ``incident`` carrying the Ballotguard election-report extension is a report: it becomes a
  local report (``report_from_incident``), unless it is TLP:RED (a RED report names people of its
  home instance, whom this instance does not know) or its extension does not validate;
- MISP's ``x-misp-*`` and OpenCTI's ``x-opencti-*`` objects, OpenCTI's Narrative, Channel and
  Event (serialised by OpenCTI as types ``narrative``, ``channel`` and ``event`` declaring its
  extension ``extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba`` as ``new-sdo``), and
  other valid custom objects are kept for exchange: stored and served again, never interpreted;
- every other valid STIX 2.1 object is kept as it came.

A kept object's TLP comes from its markings (TLP 2.0, or 1.0 mapped: WHITE -> CLEAR); ``None``
when it carries none, for the caller's policy to decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError

from ballotguard.errors import InvalidInput
from ballotguard.sharing import ReportContent, Status
from ballotguard.stix.extension import EXTENSION_ID, ElectionReportExtension
from ballotguard.stix.ids import report_id_of
from ballotguard.stix.markings import tlp_of
from ballotguard.stix.timestamps import parse_timestamp
from ballotguard.stix.validation import STANDARD_TYPES, problems
from ballotguard.vocabulary import Tlp

OPENCTI_EXTENSION_ID = "extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba"
OPENCTI_TYPES = {"narrative": "Narrative", "channel": "Channel", "event": "Event"}
NOT_INTERPRETED = "Ballotguard stores it for exchange but does not interpret it"
RED_REFUSED = (
    "a TLP:RED report names people of its home instance; it cannot be imported"
)


@dataclass(frozen=True, slots=True)
class Kept:
    """An object to store: ``report`` (our incident, to become a local report) or ``object``."""

    kind: Literal["report", "object"]
    tlp: Tlp | None
    reason: str


@dataclass(frozen=True, slots=True)
class Refused:
    reason: str


@dataclass(frozen=True, slots=True)
class ImportedReport:
    """A report rebuilt from an incident: its content and the facts of its version."""

    report_id: str
    version: int
    status: Status
    content: ReportContent
    created: datetime
    modified: datetime
    revoked: bool
    created_by_ref: str | None


def classify(obj: object) -> Kept | Refused:
    """Keep or refuse one received object, with the reason (see the module docstring)."""
    found = problems(obj)
    if found:
        return Refused("; ".join(found))
    assert isinstance(obj, Mapping)
    stix_type: str = obj["type"]
    tlp = tlp_of(obj)
    if stix_type == "incident" and EXTENSION_ID in obj.get("extensions", {}):
        return _classify_report(obj, tlp)
    if stix_type.startswith("x-misp-"):
        return Kept("object", tlp, f"MISP custom object {stix_type}: {NOT_INTERPRETED}")
    if stix_type.startswith("x-opencti-"):
        return Kept("object", tlp, f"OpenCTI custom object {stix_type}: {NOT_INTERPRETED}")
    if stix_type in OPENCTI_TYPES and OPENCTI_EXTENSION_ID in obj.get("extensions", {}):
        name = OPENCTI_TYPES[stix_type]
        return Kept("object", tlp, f"OpenCTI {name} (custom object): {NOT_INTERPRETED}")
    if stix_type not in STANDARD_TYPES:
        return Kept("object", tlp, f"custom object {stix_type}: {NOT_INTERPRETED}")
    return Kept("object", tlp, f"STIX 2.1 {stix_type}")


def _classify_report(obj: Mapping[str, Any], tlp: Tlp | None) -> Kept | Refused:
    if tlp is None:
        return Refused("object_marking_refs: a Ballotguard report must carry a TLP marking")
    try:
        report_from_incident(obj, tlp)
    except InvalidInput as exc:
        return Refused(str(exc))
    return Kept("report", tlp, "Ballotguard election report")


def report_from_incident(incident: Mapping[str, Any], tlp: Tlp) -> ImportedReport:
    """Rebuild a report from an incident that carries the election-report extension.

    ``tlp`` is the level the incident is marked with. Recipients are never exported, so the
    content comes back without them. Refused with ``InvalidInput`` (naming the field): TLP:RED,
    an incident that is not ours, an extension that does not validate, content that breaks a
    report rule.
    """
    if tlp is Tlp.RED:
        raise InvalidInput("object_marking_refs", RED_REFUSED)
    if incident.get("type") != "incident":
        raise InvalidInput("type", f"'{incident.get('type')}' is not an incident")
    report_id = report_id_of(str(incident.get("id")))
    raw = incident.get("extensions", {}).get(EXTENSION_ID)
    if not isinstance(raw, Mapping):
        raise InvalidInput(
            "extensions", f"the incident does not carry the Ballotguard extension {EXTENSION_ID}"
        )
    field = f"extensions.{EXTENSION_ID}"
    try:
        ext = ElectionReportExtension.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInput(field, _reasons(exc)) from None
    try:
        content = ReportContent(
            title=incident.get("name"),
            summary=incident.get("description", ""),
            observed_at=ext.observed_at,
            election=ext.election,
            phase=ext.phase,
            vectors=ext.vectors,
            targets=ext.targets,
            outcome=ext.outcome,
            impact=ext.impact,
            techniques=ext.techniques,
            observables=ext.observables,
            suspected_actor=ext.suspected_actor,
            source_reliability=ext.source_reliability,
            tlp=tlp,
        )
    except ValidationError as exc:
        raise InvalidInput("incident", _reasons(exc)) from None
    return ImportedReport(
        report_id=report_id,
        version=ext.report_version,
        status=ext.report_status,
        content=content,
        created=parse_timestamp(incident.get("created"), "created"),
        modified=parse_timestamp(incident.get("modified"), "modified"),
        revoked=incident.get("revoked") is True,
        created_by_ref=incident.get("created_by_ref"),
    )


def _reasons(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "value"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
