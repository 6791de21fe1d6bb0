"""A report version, a campaign or an assessment as STIX 2.1 objects (plain dicts).

One report version gives (in this order, duplicates by id left out):

- the ``incident`` ``incident--<report id>`` (title -> name, summary -> description,
  ``created``/``modified`` = the report's, ``revoked`` once it is retracted) carrying the
  election-report extension (``stix.extension``);
- the ``identity`` of the reporting organisation and of each target: an organisation of the hub
  has one identity shared by every report (``identity|org|<org id>``), a described target one of
  its own report, its ``identity_class`` taken from the target kind;
- a ``threat-actor`` for the suspected actor unless it is an unnamed unknown (nothing to say),
  ``attributed-to`` from the incident with the confidence on STIX's Low/Med/High scale
  (15/50/85);
- an ``attack-pattern`` per technique with its DISARM or ATT&CK external reference, ``uses``
  from the incident;
- an SCO per observable, one ``observed-data`` holding them, and an ``indicator`` per
  observable, ``based-on`` the observed data and ``related-to`` the incident (STIX allows
  ``indicates`` only towards attack patterns, campaigns, actors, malware and the like, never
  towards an incident);
- ``targets`` from the incident to every target identity (victim or not: the extension says
  which ones are victims);
- a ``note`` per report note.

Every object carries the report's TLP 2.0 marking; every object that may carry a creator names
the reporting organisation, except the shared ones (organisation identities describe themselves,
attack patterns are Ballotguard's references to public frameworks). Objects that belong to the
report are revoked with it; shared objects and SCOs are not. ``modified`` is the report's
``updated_at``, so every report version is a new STIX version of its objects, and the same report
version always gives byte-identical JSON. Shared objects keep ``SHARED_CREATED`` as ``created``
so that all their versions agree on it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ballotguard.errors import InvalidInput, OrganisationNotFound
from ballotguard.sharing import Note, Organisation, Report, Sector, Status, SuspectedActor, Target
from ballotguard.stix.extension import (
    BALLOTGUARD_IDENTITY_ID,
    EXTENSION_ID,
    ballotguard_identity,
    extension_definition,
    extension_properties,
)
from ballotguard.stix.ids import derived_id, incident_id, is_valid_id
from ballotguard.stix.markings import TLP_MARKINGS, marking_ref
from ballotguard.stix.observables import pattern_of, sco_of
from ballotguard.stix.timestamps import format_timestamp
from ballotguard.vocabulary import ActorKind, Confidence, Framework, TargetKind, Tlp

StixObject = dict[str, Any]

SHARED_CREATED = "2020-01-01T00:00:00.000Z"

EXPORTED_TYPES: frozenset[str] = frozenset(
    {
        "incident", "identity", "threat-actor", "attack-pattern", "observed-data", "indicator",
        "relationship", "note", "campaign", "url", "domain-name", "ipv4-addr", "ipv6-addr",
        "email-addr", "user-account", "file", "marking-definition", "extension-definition",
    }
)

CONFIDENCE_SCORE = {Confidence.LOW: 15, Confidence.MODERATE: 50, Confidence.HIGH: 85}

IDENTITY_CLASS = {
    TargetKind.ELECTION_AUTHORITY: "organization",
    TargetKind.ELECTION_INFRASTRUCTURE: "system",
    TargetKind.VOTER_REGISTRATION_SYSTEM: "system",
    TargetKind.POLITICAL_PARTY: "organization",
    TargetKind.CANDIDATE: "individual",
    TargetKind.CAMPAIGN: "organization",
    TargetKind.MEDIA: "organization",
    TargetKind.CIVIL_SOCIETY: "organization",
    TargetKind.VOTERS: "class",
    TargetKind.DIASPORA_COMMUNITY: "group",
    TargetKind.GOVERNMENT: "organization",
    TargetKind.PLATFORM: "organization",
}

# STIX industry-sector-ov; sectors without a fitting term are left out.
INDUSTRY_SECTORS = {
    Sector.GOVERNMENT: ["government"],
    Sector.ELECTION_AUTHORITY: ["government"],
    Sector.SECURITY_AGENCY: ["government"],
    Sector.PLATFORM: ["technology"],
    Sector.MEDIA: ["communications"],
    Sector.CIVIL_SOCIETY: ["non-profit"],
    Sector.ACADEMIA: ["education"],
}

# threat-actor-type-ov: "nation-state" covers those who work for a state or at its direction;
# a proxy is told apart by its role, "agent". Domestic says where, not what: unknown.
ACTOR_TYPES: dict[ActorKind, tuple[list[str], list[str]]] = {
    ActorKind.FOREIGN_STATE: (["nation-state"], []),
    ActorKind.STATE_AFFILIATED_PROXY: (["nation-state"], ["agent"]),
    ActorKind.DOMESTIC: (["unknown"], []),
    ActorKind.UNKNOWN: (["unknown"], []),
}

ACTOR_LABELS = {
    ActorKind.FOREIGN_STATE: "foreign state",
    ActorKind.STATE_AFFILIATED_PROXY: "state-affiliated proxy",
    ActorKind.DOMESTIC: "domestic",
    ActorKind.UNKNOWN: "unknown",
}


def org_identity_id(org_id: str) -> str:
    """The identity of an organisation of this hub, the same in every report."""
    return derived_id("identity", "org", org_id)


def attack_pattern_id(technique_ref: str) -> str:
    """The attack pattern of ``disarm:T0049`` or ``attack:T1566.001``, the same in every report."""
    return derived_id("attack-pattern", technique_ref)


def relationship_id(scope: str, relationship_type: str, source_ref: str, target_ref: str) -> str:
    return derived_id("relationship", scope, relationship_type, source_ref, target_ref)


@dataclass(frozen=True, slots=True)
class _Version:
    """What every object of one report version shares."""

    report_id: str
    creator: str
    created: str
    modified: str
    marking: str
    revoked: bool

    def common(self, stix_type: str, stix_id: str) -> StixObject:
        return {
            "type": stix_type,
            "spec_version": "2.1",
            "id": stix_id,
            "created_by_ref": self.creator,
            "created": self.created,
            "modified": self.modified,
        }

    def close(self, obj: StixObject) -> StixObject:
        if self.revoked:
            obj["revoked"] = True
        obj["object_marking_refs"] = [self.marking]
        return obj

    def relationship(
        self, kind: str, source: str, target: str, confidence: int | None = None
    ) -> StixObject:
        obj = self.common("relationship", relationship_id(self.report_id, kind, source, target))
        obj["relationship_type"] = kind
        obj["source_ref"] = source
        obj["target_ref"] = target
        if confidence is not None:
            obj["confidence"] = confidence
        return self.close(obj)


def report_objects(
    report: Report, orgs: Mapping[str, Organisation], technique_names: Mapping[str, str]
) -> list[StixObject]:
    """Every STIX object of one report version (see the module docstring for the mapping).

    ``orgs`` must hold the reporting organisation and every organisation named as a target;
    ``technique_names`` maps ``disarm:T0049`` to a name when the framework data is loaded.
    """
    version = _Version(
        report_id=report.id,
        creator=org_identity_id(report.org_id),
        created=format_timestamp(report.created_at),
        modified=format_timestamp(report.updated_at),
        marking=marking_ref(report.content.tlp),
        revoked=report.status is Status.RETRACTED,
    )
    incident = incident_id(report.id)
    out: dict[str, StixObject] = {}

    def add(obj: StixObject) -> None:
        out.setdefault(obj["id"], obj)

    add(_incident(report, version, incident))
    add(_org_identity(_org(orgs, report.org_id), report, version))
    relationships: list[StixObject] = []
    for target in report.content.targets:
        identity = _target_identity(target, orgs, report, version)
        add(identity)
        relationships.append(version.relationship("targets", incident, identity["id"]))
    if report.content.suspected_actor is not None:
        actor = _threat_actor(report.content.suspected_actor, version)
        if actor is not None:
            add(actor)
            score = CONFIDENCE_SCORE[report.content.suspected_actor.confidence]
            relationships.append(version.relationship("attributed-to", incident, actor["id"], score))
    for ref in report.content.techniques:
        pattern = _attack_pattern(ref, technique_names, report, version)
        add(pattern)
        relationships.append(version.relationship("uses", incident, pattern["id"]))
    _observables(report, version, incident, add, relationships)
    for relationship in relationships:
        add(relationship)
    for index, note in enumerate(report.notes):
        add(_note(note, index, report, version, incident))
    return list(out.values())


def _org(orgs: Mapping[str, Organisation], org_id: str) -> Organisation:
    org = orgs.get(org_id)
    if org is None:
        raise OrganisationNotFound(org_id)
    return org


def _incident(report: Report, version: _Version, stix_id: str) -> StixObject:
    obj = version.common("incident", stix_id)
    obj["name"] = report.content.title
    if report.content.summary:
        obj["description"] = report.content.summary
    obj["extensions"] = {EXTENSION_ID: extension_properties(report)}
    return version.close(obj)


def _org_identity(org: Organisation, report: Report, version: _Version) -> StixObject:
    stix_id = org_identity_id(org.id)
    obj: StixObject = {
        "type": "identity",
        "spec_version": "2.1",
        "id": stix_id,
        "created_by_ref": stix_id,
        "created": SHARED_CREATED,
        "modified": max(SHARED_CREATED, version.modified, key=_instant),
        "name": org.name,
        "identity_class": "organization",
    }
    sectors = INDUSTRY_SECTORS.get(org.sector)
    if sectors:
        obj["sectors"] = list(sectors)
    obj["object_marking_refs"] = [version.marking]
    return obj


def _target_identity(
    target: Target, orgs: Mapping[str, Organisation], report: Report, version: _Version
) -> StixObject:
    if target.organisation_id:
        return _org_identity(_org(orgs, target.organisation_id), report, version)
    stix_id = derived_id("identity", report.id, "target", target.description)
    obj = version.common("identity", stix_id)
    obj["name"] = target.description
    obj["identity_class"] = IDENTITY_CLASS[target.kind]
    return version.close(obj)


def _threat_actor(actor: SuspectedActor, version: _Version) -> StixObject | None:
    if actor.kind is ActorKind.UNKNOWN and not actor.name:
        return None
    obj = version.common("threat-actor", derived_id("threat-actor", version.report_id, "actor"))
    obj["name"] = actor.name or f"Unnamed {ACTOR_LABELS[actor.kind]} actor"
    types, roles = ACTOR_TYPES[actor.kind]
    obj["threat_actor_types"] = list(types)
    if roles:
        obj["roles"] = list(roles)
    return version.close(obj)


def _attack_pattern(
    ref: str, technique_names: Mapping[str, str], report: Report, version: _Version
) -> StixObject:
    framework, _, technique_id = ref.partition(":")
    if framework == Framework.DISARM.value:
        source = "DISARM"
        url = (
            "https://github.com/DISARMFoundation/DISARMframeworks/blob/main/generated_pages/"
            f"techniques/{technique_id}.md"
        )
    else:
        source = "mitre-attack"
        url = f"https://attack.mitre.org/techniques/{technique_id.replace('.', '/')}/"
    return {
        "type": "attack-pattern",
        "spec_version": "2.1",
        "id": attack_pattern_id(ref),
        "created_by_ref": BALLOTGUARD_IDENTITY_ID,
        "created": SHARED_CREATED,
        "modified": max(SHARED_CREATED, version.modified, key=_instant),
        "name": technique_names.get(ref) or technique_id,
        "external_references": [{"source_name": source, "url": url, "external_id": technique_id}],
        "object_marking_refs": [version.marking],
    }


def _observables(
    report: Report,
    version: _Version,
    incident: str,
    add: Callable[[StixObject], None],
    relationships: list[StixObject],
) -> None:
    observables = report.content.observables
    if not observables:
        return
    scos = [sco_of(o, version.marking) for o in observables]
    for sco in scos:
        add(sco)
    observed_at = format_timestamp(report.content.observed_at)
    observed = version.common(
        "observed-data", derived_id("observed-data", report.id, "observables")
    )
    observed["first_observed"] = observed_at
    observed["last_observed"] = observed_at
    observed["number_observed"] = 1
    observed["object_refs"] = list(dict.fromkeys(sco["id"] for sco in scos))
    add(version.close(observed))
    for observable in observables:
        indicator = version.common(
            "indicator",
            derived_id("indicator", report.id, observable.kind.value, observable.value),
        )
        indicator["name"] = f"{observable.kind.value}: {observable.value}"
        indicator["pattern"] = pattern_of(observable)
        indicator["pattern_type"] = "stix"
        indicator["pattern_version"] = "2.1"
        indicator["valid_from"] = observed_at
        add(version.close(indicator))
        relationships.append(version.relationship("based-on", indicator["id"], observed["id"]))
        relationships.append(version.relationship("related-to", indicator["id"], incident))


def _note(note: Note, index: int, report: Report, version: _Version, incident: str) -> StixObject:
    obj = version.common("note", derived_id("note", report.id, str(index)))
    obj["created"] = format_timestamp(note.at)
    obj["modified"] = max(obj["created"], version.modified, key=_instant)
    obj["content"] = note.text
    obj["authors"] = [note.author_id]
    obj["object_refs"] = [incident]
    return version.close(obj)


def _instant(timestamp: str) -> str:
    """Timestamps compare as text once their fractions have the same length."""
    head, _, fraction = timestamp.rstrip("Z").partition(".")
    return f"{head}.{fraction.ljust(6, '0')}"


def assessment_note(
    *,
    assessment_id: str,
    version: int,
    subject_ref: str,
    definition_id: str,
    definition_version: str,
    verdict: str,
    reasons: Sequence[str],
    created: datetime,
    modified: datetime,
    tlp: Tlp,
    created_by_ref: str | None = None,
) -> StixObject:
    """An assessment as a ``note`` on its subject (an incident or a campaign).

    STIX's ``opinion`` only agrees or disagrees on a five-point scale; a verdict under a
    definition, with its reasons, is a note. Each assessment version is a new STIX version of the
    same note (``modified``).
    """
    if not is_valid_id(subject_ref):
        raise InvalidInput("subject_ref", f"'{subject_ref}' is not a STIX id")
    obj: StixObject = {
        "type": "note",
        "spec_version": "2.1",
        "id": derived_id("note", "assessment", assessment_id),
    }
    if created_by_ref is not None:
        obj["created_by_ref"] = created_by_ref
    obj["created"] = format_timestamp(created)
    obj["modified"] = format_timestamp(modified)
    obj["abstract"] = (
        f"Assessment {assessment_id} version {version}: {verdict} "
        f"(definition {definition_id} {definition_version})"
    )
    obj["content"] = "\n".join(reasons) if reasons else verdict
    obj["object_refs"] = [subject_ref]
    obj["object_marking_refs"] = [marking_ref(tlp)]
    return obj


def campaign_objects(
    *,
    campaign_id: str,
    name: str,
    description: str,
    first_seen: datetime | None,
    last_seen: datetime | None,
    created: datetime,
    modified: datetime,
    member_report_ids: Iterable[str],
    tlp: Tlp,
    created_by_ref: str | None = None,
) -> list[StixObject]:
    """A campaign (``campaign--<campaign id>``) and a ``related-to`` from each member incident.

    The caller chooses the TLP: a relationship names its incident, so a campaign shared at GREEN
    must list only the members its readers may know of.
    """
    stix_id = f"campaign--{_uuid_text('campaign_id', campaign_id)}"
    stamp = {"created": format_timestamp(created), "modified": format_timestamp(modified)}
    marking = [marking_ref(tlp)]
    creator = {} if created_by_ref is None else {"created_by_ref": created_by_ref}
    campaign: StixObject = {
        "type": "campaign",
        "spec_version": "2.1",
        "id": stix_id,
        **creator,
        **stamp,
        "name": name,
    }
    if description:
        campaign["description"] = description
    if first_seen is not None:
        campaign["first_seen"] = format_timestamp(first_seen)
    if last_seen is not None:
        campaign["last_seen"] = format_timestamp(last_seen)
    campaign["object_marking_refs"] = marking
    objects = [campaign]
    for report_id in sorted(set(member_report_ids)):
        source = incident_id(report_id)
        objects.append(
            {
                "type": "relationship",
                "spec_version": "2.1",
                "id": relationship_id(campaign_id, "related-to", source, stix_id),
                **creator,
                **stamp,
                "relationship_type": "related-to",
                "source_ref": source,
                "target_ref": stix_id,
                "object_marking_refs": list(marking),
            }
        )
    return objects


def _uuid_text(field: str, value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise InvalidInput(field, f"'{value}' is not a UUID") from None


def published_objects() -> list[StixObject]:
    """The objects every export refers to: the Ballotguard identity, the extension definition
    and the five TLP 2.0 marking definitions (fresh copies)."""
    return [ballotguard_identity(), extension_definition(), *json.loads(json.dumps(TLP_MARKINGS))]


def bundle(objects: Iterable[Mapping[str, Any]], bundle_id: str) -> StixObject:
    """A STIX 2.1 bundle (a transport wrapper, not an object to store)."""
    if not bundle_id.startswith("bundle--") or not is_valid_id(bundle_id):
        raise InvalidInput("bundle_id", f"'{bundle_id}' is not a bundle id (bundle--<uuid>)")
    return {"type": "bundle", "id": bundle_id, "objects": [dict(o) for o in objects]}


def to_json(obj: Mapping[str, Any]) -> str:
    """Compact JSON in the object's own key order: the same object, the same bytes."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
