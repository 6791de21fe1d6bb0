"""A report version as STIX 2.1: golden JSON, valid for stix2 and stix2-validator, deterministic."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import stix2
from stix_samples import (
    CERT,
    COMMISSION,
    ORGS,
    REPORT_ID,
    TECHNIQUE_NAMES,
    full_content,
    full_report,
    golden_bundle,
)

from ballotguard.errors import InvalidInput, OrganisationNotFound
from ballotguard.sharing import Observable, ObservableKind, Status, SuspectedActor
from ballotguard.stix import (
    EXPORTED_TYPES,
    EXTENSION_ID,
    EXTENSION_SCHEMA,
    assessment_note,
    bundle,
    campaign_objects,
    derived_id,
    incident_id,
    org_identity_id,
    problems,
    published_objects,
    report_objects,
    sco_id,
    to_json,
)
from ballotguard.stix.extension import ElectionReportExtension
from ballotguard.stix_validator import full_problems
from ballotguard.vocabulary import ActorKind, Confidence, Tlp

GOLDEN = Path(__file__).parent / "golden" / "report_bundle.json"
T = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)


def by_type(objects: list[dict[str, Any]], stix_type: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["type"] == stix_type]


def relationships(objects: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(o["source_ref"], o["relationship_type"], o["target_ref"])
            for o in by_type(objects, "relationship")}


def test_the_golden_bundle() -> None:
    assert golden_bundle() == json.loads(GOLDEN.read_text())


def test_every_exported_object_is_valid_for_stix2_and_the_validator() -> None:
    objects = golden_bundle()["objects"]
    assert {o["type"] for o in objects} <= EXPORTED_TYPES
    for obj in objects:
        stix2.parse(obj, allow_custom=True)
        assert full_problems(obj) == [], obj["id"]
        assert problems(obj) == [], obj["id"]


def test_exporting_twice_gives_the_same_bytes() -> None:
    first = [to_json(o) for o in report_objects(full_report(), ORGS, TECHNIQUE_NAMES)]
    second = [to_json(o) for o in report_objects(full_report(), ORGS, TECHNIQUE_NAMES)]
    assert first == second
    assert len({json.loads(o)["id"] for o in first}) == len(first)


def test_the_incident_carries_the_report() -> None:
    objects = report_objects(full_report(), ORGS, TECHNIQUE_NAMES)
    (incident,) = by_type(objects, "incident")
    assert incident["id"] == f"incident--{REPORT_ID}"
    assert incident["name"] == full_content().title
    assert incident["description"] == full_content().summary
    assert incident["created"] == "2026-11-03T22:00:00.000Z"
    assert incident["modified"] == "2026-11-04T08:30:12.005Z"
    assert "revoked" not in incident
    extension = incident["extensions"][EXTENSION_ID]
    jsonschema.validate(extension, EXTENSION_SCHEMA)
    assert "recipient_orgs" not in json.dumps(extension)
    assert COMMISSION.id in json.dumps(extension)  # as a target, not as a recipient
    assert set(EXTENSION_SCHEMA["properties"]) == set(ElectionReportExtension.model_fields)


def test_every_object_is_marked_and_created_by_the_reporter() -> None:
    objects = report_objects(full_report(), ORGS, TECHNIQUE_NAMES)
    reporter = org_identity_id(CERT.id)
    assert reporter == derived_id("identity", "org", CERT.id)
    green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
    for obj in objects:
        assert obj["object_marking_refs"] == [green], obj["id"]
    owned = [o for o in objects if o["type"] not in ("identity", "attack-pattern", "url",
                                                      "ipv4-addr")]
    assert all(o["created_by_ref"] == reporter for o in owned)
    organisation_identities = [o for o in by_type(objects, "identity")
                               if o["identity_class"] == "organization"]
    assert {o["name"] for o in organisation_identities} == {CERT.name, COMMISSION.name}
    assert all(o["created_by_ref"] == o["id"] for o in organisation_identities)


def test_the_graph_around_the_incident() -> None:
    objects = report_objects(full_report(), ORGS, TECHNIQUE_NAMES)
    incident = incident_id(REPORT_ID)
    ids = {o["type"]: o["id"] for o in objects}
    (victim,) = [o["id"] for o in by_type(objects, "identity") if o["name"] == COMMISSION.name]
    (described,) = [o for o in by_type(objects, "identity")
                    if o["name"] == "Voters of the northern district"]
    assert described["identity_class"] == "class"
    patterns = {o["external_references"][0]["external_id"]: o
                for o in by_type(objects, "attack-pattern")}
    assert patterns["T0049.001"]["external_references"][0]["source_name"] == "DISARM"
    assert patterns["T0049.001"]["name"] == "Trolls amplify and manipulate"
    assert patterns["T1566.002"]["external_references"][0]["source_name"] == "mitre-attack"
    url = sco_id("url", {"value": "https://results-commission.example/live"})
    ip = sco_id("ipv4-addr", {"value": "203.0.113.7"})
    (observed,) = by_type(objects, "observed-data")
    assert observed["object_refs"] == [url, ip]
    assert observed["first_observed"] == observed["last_observed"] == "2026-11-03T21:14:05.123456Z"
    indicators = {o["pattern"]: o["id"] for o in by_type(objects, "indicator")}
    assert set(indicators) == {"[url:value = 'https://results-commission.example/live']",
                               "[ipv4-addr:value = '203.0.113.7']"}
    expected = {
        (incident, "targets", victim),
        (incident, "targets", described["id"]),
        (incident, "attributed-to", ids["threat-actor"]),
        (incident, "uses", patterns["T0049.001"]["id"]),
        (incident, "uses", patterns["T1566.002"]["id"]),
        *{(i, "based-on", observed["id"]) for i in indicators.values()},
        *{(i, "related-to", incident) for i in indicators.values()},
    }
    assert relationships(objects) == expected
    (attribution,) = [o for o in by_type(objects, "relationship")
                      if o["relationship_type"] == "attributed-to"]
    assert attribution["confidence"] == 50
    (note,) = by_type(objects, "note")
    assert note["object_refs"] == [incident]
    assert note["created"] == "2026-11-04T07:00:00.000Z"


@pytest.mark.parametrize(
    ("kind", "name", "confidence", "types", "roles", "score"),
    [
        (ActorKind.FOREIGN_STATE, "", Confidence.HIGH, ["nation-state"], None, 85),
        (ActorKind.STATE_AFFILIATED_PROXY, "Proxy", Confidence.LOW, ["nation-state"], ["agent"], 15),
        (ActorKind.DOMESTIC, "Locals", Confidence.MODERATE, ["unknown"], None, 50),
        (ActorKind.UNKNOWN, "Named", Confidence.LOW, ["unknown"], None, 15),
    ],
)
def test_suspected_actors(kind: ActorKind, name: str, confidence: Confidence, types: list[str],
                          roles: list[str] | None, score: int) -> None:
    actor = SuspectedActor(kind=kind, name=name, confidence=confidence)
    report = full_report(content=full_content(suspected_actor=actor))
    objects = report_objects(report, ORGS, TECHNIQUE_NAMES)
    (threat_actor,) = by_type(objects, "threat-actor")
    assert threat_actor["threat_actor_types"] == types
    assert threat_actor.get("roles") == roles
    assert threat_actor["name"] == (name or "Unnamed foreign state actor")
    (attribution,) = [o for o in by_type(objects, "relationship")
                      if o["relationship_type"] == "attributed-to"]
    assert attribution["confidence"] == score
    assert full_problems(threat_actor) == []


def test_an_unnamed_unknown_actor_is_no_threat_actor() -> None:
    actor = SuspectedActor(kind=ActorKind.UNKNOWN, confidence=Confidence.LOW)
    objects = report_objects(full_report(content=full_content(suspected_actor=actor)), ORGS, {})
    assert by_type(objects, "threat-actor") == []
    assert "attributed-to" not in {o["relationship_type"] for o in by_type(objects, "relationship")}
    (incident,) = by_type(objects, "incident")
    assert incident["extensions"][EXTENSION_ID]["suspected_actor"] == {
        "kind": "unknown", "confidence": "low"}


@pytest.mark.parametrize(
    ("kind", "value", "sco", "pattern"),
    [
        (ObservableKind.DOMAIN, "Results-Commission.example.",
         {"type": "domain-name", "value": "results-commission.example"},
         "[domain-name:value = 'results-commission.example']"),
        (ObservableKind.IP, "2001:DB8::7", {"type": "ipv6-addr", "value": "2001:db8::7"},
         "[ipv6-addr:value = '2001:db8::7']"),
        (ObservableKind.EMAIL, "press.office@Commission.example",
         {"type": "email-addr", "value": "press.office@commission.example"},
         "[email-addr:value = 'press.office@commission.example']"),
        (ObservableKind.SOCIAL_HANDLE, "x:@Storm_Falcon",
         {"type": "user-account", "account_type": "twitter", "account_login": "storm_falcon"},
         "[user-account:account_type = 'twitter' AND user-account:account_login = 'storm_falcon']"),
        (ObservableKind.SOCIAL_HANDLE, "telegram:storm.falcon",
         {"type": "user-account", "account_type": "telegram", "account_login": "storm.falcon"},
         "[user-account:account_type = 'telegram' AND user-account:account_login = 'storm.falcon']"),
        (ObservableKind.FILE_HASH, "D41D8CD98F00B204E9800998ECF8427E",
         {"type": "file", "hashes": {"MD5": "d41d8cd98f00b204e9800998ecf8427e"}},
         "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']"),
        (ObservableKind.FILE_HASH, "a" * 40, {"type": "file", "hashes": {"SHA-1": "a" * 40}},
         f"[file:hashes.'SHA-1' = '{'a' * 40}']"),
        (ObservableKind.FILE_HASH, "b" * 128, {"type": "file", "hashes": {"SHA-512": "b" * 128}},
         f"[file:hashes.'SHA-512' = '{'b' * 128}']"),
        (ObservableKind.URL, "https://evil.example/it's\\here?q=ü",
         {"type": "url", "value": "https://evil.example/it's%5Chere?q=%C3%BC"},
         "[url:value = 'https://evil.example/it\\'s%5Chere?q=%C3%BC']"),
    ],
)
def test_observables_map_to_standard_scos_and_patterns(
    kind: ObservableKind, value: str, sco: dict[str, Any], pattern: str
) -> None:
    content = full_content(observables=[Observable(kind=kind, value=value)])
    objects = report_objects(full_report(content=content), ORGS, {})
    (observable,) = by_type(objects, sco["type"])
    stix_type = sco.pop("type")
    assert {k: observable[k] for k in sco} == sco
    assert observable["id"] == sco_id(stix_type, sco)
    without_id = {k: v for k, v in observable.items() if k != "id"}
    assert stix2.parse(without_id)["id"] == observable["id"]  # the library derives the same id
    (indicator,) = by_type(objects, "indicator")
    assert indicator["pattern"] == pattern
    assert full_problems(observable) == []
    assert full_problems(indicator) == []


def test_a_retracted_report_revokes_what_belongs_to_it() -> None:
    report = full_report(status=Status.RETRACTED, version=5)
    objects = report_objects(report, ORGS, TECHNIQUE_NAMES)
    shared = {"url", "ipv4-addr", "attack-pattern"}
    for obj in objects:
        organisation = obj["type"] == "identity" and obj["identity_class"] == "organization"
        if obj["type"] in shared or organisation:
            assert "revoked" not in obj, obj["id"]
        else:
            assert obj["revoked"] is True, obj["id"]
        assert full_problems(obj) == []


def test_the_same_report_in_two_versions_gives_two_stix_versions_of_its_objects() -> None:
    first = {o["id"]: o for o in report_objects(full_report(), ORGS, TECHNIQUE_NAMES)}
    later = full_report(version=5, updated_at=T)
    second = {o["id"]: o for o in report_objects(later, ORGS, TECHNIQUE_NAMES)}
    assert first.keys() == second.keys()
    for stix_id, obj in second.items():
        if "modified" in obj:
            assert obj["modified"] >= first[stix_id]["modified"]
            assert obj["created"] == first[stix_id]["created"]


def test_an_organisation_missing_from_the_mapping_is_an_error() -> None:
    with pytest.raises(OrganisationNotFound):
        report_objects(full_report(), {CERT.id: CERT}, {})


def test_duplicate_observables_and_targets_give_one_object_each() -> None:
    url = Observable(kind=ObservableKind.URL, value="https://a.example/")
    content = full_content(observables=[url, url])
    objects = report_objects(full_report(content=content), ORGS, {})
    assert len(by_type(objects, "url")) == 1
    assert len(by_type(objects, "indicator")) == 1
    assert len({o["id"] for o in objects}) == len(objects)


def test_an_assessment_is_a_note_on_its_subject() -> None:
    note = assessment_note(
        assessment_id="9a8b7c6d-0000-4000-8000-000000000001",
        version=2,
        subject_ref=incident_id(REPORT_ID),
        definition_id="baseline",
        definition_version="1.0.0",
        verdict="interference",
        reasons=["Foreign nexus: yes (attribution, moderate confidence)", "Deception: yes"],
        created=T,
        modified=datetime(2026, 11, 6, tzinfo=UTC),
        tlp=Tlp.AMBER,
    )
    assert note["object_refs"] == [incident_id(REPORT_ID)]
    assert "interference" in note["abstract"] and "baseline 1.0.0" in note["abstract"]
    assert note["content"].splitlines()[1] == "Deception: yes"
    assert note["object_marking_refs"] == ["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]
    assert full_problems(note) == []
    stix2.parse(note, allow_custom=True)
    with pytest.raises(InvalidInput):
        assessment_note(assessment_id="a", version=1, subject_ref="report-1", definition_id="d",
                        definition_version="1", verdict="v", reasons=[], created=T, modified=T,
                        tlp=Tlp.GREEN)


def test_a_campaign_and_its_member_incidents() -> None:
    members = ["2b000000-0000-4000-8000-000000000002", "1a000000-0000-4000-8000-000000000001"]
    objects = campaign_objects(
        campaign_id="c0000000-0000-4000-8000-00000000000c", name="Results-night operation",
        description="", first_seen=datetime(2026, 11, 1, tzinfo=UTC),
        last_seen=datetime(2026, 11, 4, tzinfo=UTC), created=T, modified=T,
        member_report_ids=members, tlp=Tlp.GREEN,
    )
    campaign, *links = objects
    assert campaign["id"] == "campaign--c0000000-0000-4000-8000-00000000000c"
    assert "description" not in campaign
    assert [(r["source_ref"], r["relationship_type"], r["target_ref"]) for r in links] == [
        (incident_id(m), "related-to", campaign["id"]) for m in sorted(members)]
    for obj in objects:
        assert full_problems(obj) == []
        stix2.parse(obj, allow_custom=True)
    assert campaign_objects(
        campaign_id="c0000000-0000-4000-8000-00000000000c", name="Results-night operation",
        description="", first_seen=None, last_seen=None, created=T, modified=T,
        member_report_ids=list(reversed(members)), tlp=Tlp.GREEN,
    )[1:] == links


def test_published_objects_and_bundles() -> None:
    published = published_objects()
    for obj in published:
        assert full_problems(obj) == []
        stix2.parse(obj, allow_custom=True)
    published[0]["name"] = "changed"
    assert published_objects()[0]["name"] == "Ballotguard"
    with pytest.raises(InvalidInput):
        bundle([], "report--0b7c8d9e-1f2a-4b3c-9d4e-5f6a7b8c9d0e")
