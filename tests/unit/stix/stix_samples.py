"""A report with every field set, the organisations it names, and foreign objects as MISP and
OpenCTI send them, shared by the STIX tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ballotguard.sharing import (
    Note,
    Observable,
    ObservableKind,
    Organisation,
    Report,
    ReportContent,
    Sector,
    Status,
    SuspectedActor,
    Target,
)
from ballotguard.stix import bundle, published_objects, report_objects
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

REPORT_ID = "3f8e2a4c-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
BUNDLE_ID = "bundle--0b7c8d9e-1f2a-4b3c-9d4e-5f6a7b8c9d0e"
CERT = Organisation("a1b2c3d4-0000-4000-8000-000000000001", "National CERT",
                    Sector.SECURITY_AGENCY, "XA")
COMMISSION = Organisation("a1b2c3d4-0000-4000-8000-000000000002", "Central Election Commission",
                          Sector.ELECTION_AUTHORITY, "XA")
ORGS = {o.id: o for o in (CERT, COMMISSION)}
TECHNIQUE_NAMES = {"disarm:T0049.001": "Trolls amplify and manipulate"}


def full_content(**changes: Any) -> ReportContent:
    fields: dict[str, Any] = {
        "title": "Fake 'results' site and phishing of the commission's staff",
        "summary": "A look-alike of the commission's results page published false counts;\n"
                   "staff received phishing mail from the same infrastructure.",
        "observed_at": datetime(2026, 11, 3, 21, 14, 5, 123456, tzinfo=UTC),
        "election": "General election 2026",
        "phase": Phase.RESULTS,
        "vectors": [Vector.DISINFORMATION, Vector.CYBER_INTRUSION],
        "targets": [
            Target(kind=TargetKind.ELECTION_AUTHORITY, organisation_id=COMMISSION.id),
            Target(kind=TargetKind.VOTERS, description="Voters of the northern district",
                   is_victim=False),
        ],
        "outcome": Outcome.SUCCESSFUL,
        "impact": Impact.HIGH,
        "techniques": ["disarm:T0049.001", "attack:T1566.002"],
        "observables": [
            Observable(kind=ObservableKind.URL, value="https://results-commission.example/live"),
            Observable(kind=ObservableKind.IP, value="203.0.113.7"),
        ],
        "suspected_actor": SuspectedActor(kind=ActorKind.FOREIGN_STATE, name="Storm Falcon",
                                          confidence=Confidence.MODERATE),
        "source_reliability": SourceReliability.B,
        "tlp": Tlp.GREEN,
        "recipient_orgs": [COMMISSION.id],
        "recipient_people": [],
    }
    fields.update(changes)
    return ReportContent(**fields)


def full_report(**changes: Any) -> Report:
    fields: dict[str, Any] = {
        "id": REPORT_ID,
        "version": 4,
        "org_id": CERT.id,
        "author_id": "b1b2c3d4-0000-4000-8000-000000000009",
        "status": Status.TRIAGED,
        "created_at": datetime(2026, 11, 3, 22, 0, tzinfo=UTC),
        "updated_at": datetime(2026, 11, 4, 8, 30, 12, 5000, tzinfo=UTC),
        "content": full_content(),
        "notes": [Note(author_id="b1b2c3d4-0000-4000-8000-000000000010",
                       at=datetime(2026, 11, 4, 7, 0, tzinfo=UTC),
                       text="The same site now serves a \"corrected\" count.")],
    }
    fields.update(changes)
    return Report(**fields)


def golden_bundle() -> dict[str, Any]:
    return bundle([*published_objects(), *report_objects(full_report(), ORGS, TECHNIQUE_NAMES)],
                  BUNDLE_ID)


# A MISP custom object as misp-stix writes it for STIX 2.1.
MISP_OBJECT: dict[str, Any] = {
    "type": "x-misp-object",
    "spec_version": "2.1",
    "id": "x-misp-object--695e7924-2518-4054-9cea-f82853d37410",
    "created_by_ref": "identity--a0c22599-9e58-4da4-96ac-7051603fa951",
    "created": "2026-10-25T16:22:00.000Z",
    "modified": "2026-10-25T16:22:00.000Z",
    "labels": ["misp:category=\"financial\"", "misp:name=\"bank-account\""],
    "x_misp_attributes": [
        {"object_relation": "iban", "to_ids": True, "type": "iban",
         "value": "LU1234567890ABCDEF1234567890"},
    ],
    "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],
}

OPENCTI_EXTENSION = "extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba"


def opencti_object(stix_type: str, uuid: str, **extra: Any) -> dict[str, Any]:
    """A Narrative, Channel or Event as OpenCTI serialises it: a new SDO declared by OpenCTI's
    extension, with OpenCTI's internal facts inside the extension."""
    return {
        "id": f"{stix_type}--{uuid}",
        "spec_version": "2.1",
        "type": stix_type,
        "created": "2026-10-02T09:15:31.000Z",
        "modified": "2026-10-02T09:15:31.000Z",
        "name": f"A {stix_type}",
        "description": "Seen around the election",
        **extra,
        "object_marking_refs": ["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"],
        "extensions": {
            OPENCTI_EXTENSION: {
                "extension_type": "new-sdo",
                "id": "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716",
                "type": stix_type.capitalize(),
                "created_at": "2026-10-02T09:15:31.000Z",
                "updated_at": "2026-10-02T09:15:31.000Z",
                "is_inferred": False,
            }
        },
    }


OPENCTI_NARRATIVE = opencti_object("narrative", "1c0e6a8f-9a7b-4e4d-8c3b-2a1f0e9d8c7b",
                                   narrative_types=["election-fraud"])
OPENCTI_CHANNEL = opencti_object("channel", "2d1f7b9a-0b8c-4f5e-9d4c-3b2a1f0e9d8c",
                                 channel_types=["Telegram"])
OPENCTI_EVENT = opencti_object("event", "3e2a8c0b-1c9d-4a6f-8e5d-4c3b2a1f0e9d",
                               event_types=["protest"],
                               start_time="2026-10-01T08:00:00.000Z",
                               stop_time="2026-10-01T18:00:00.000Z")
OPENCTI_CUSTOM_SCO: dict[str, Any] = {
    "type": "x-opencti-hostname",
    "spec_version": "2.1",
    "id": "x-opencti-hostname--4f3b9d1c-2d0e-4b7a-9f6e-5d4c3b2a1f0e",
    "value": "vote-count.example",
}
