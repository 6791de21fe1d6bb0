"""Import planning: each received object kept or refused with its reason; reports rebuilt."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import stix2
from stix_samples import (
    MISP_OBJECT,
    OPENCTI_CHANNEL,
    OPENCTI_CUSTOM_SCO,
    OPENCTI_EVENT,
    OPENCTI_NARRATIVE,
    ORGS,
    REPORT_ID,
    TECHNIQUE_NAMES,
    full_content,
    full_report,
)

from ballotguard.errors import InvalidInput
from ballotguard.sharing import Status
from ballotguard.stix import (
    EXTENSION_ID,
    Kept,
    Refused,
    classify,
    marking_ref,
    problems,
    report_from_incident,
    report_objects,
    to_json,
)
from ballotguard.stix_validator import full_problems
from ballotguard.vocabulary import Tlp
from support.data import DISARM_BUNDLE


def incident_of(**report_changes: Any) -> dict[str, Any]:
    objects = report_objects(full_report(**report_changes), ORGS, TECHNIQUE_NAMES)
    return next(o for o in objects if o["type"] == "incident")


def test_the_disarm_bundle_is_kept_whole_and_unchanged() -> None:
    assert DISARM_BUNDLE.is_file(), f"the DISARM test data is expected at {DISARM_BUNDLE}"
    objects: list[dict[str, Any]] = json.loads(DISARM_BUNDLE.read_text())["objects"]
    assert len(objects) == 698
    verdicts = [classify(o) for o in objects]
    assert [v for v in verdicts if not isinstance(v, Kept)] == []
    assert {v.kind for v in verdicts if isinstance(v, Kept)} == {"object"}
    for obj in objects:
        assert problems(obj) == [], obj["id"]
        assert json.loads(to_json(obj)) == obj
        parsed = stix2.parse(obj, allow_custom=True)
        if not isinstance(parsed, dict):  # stix2 hands custom types back as plain dicts
            assert json.loads(parsed.serialize()) == obj
        assert full_problems(obj) == [], obj["id"]


@pytest.mark.parametrize(
    ("obj", "reason"),
    [
        (MISP_OBJECT, "MISP custom object x-misp-object"),
        (OPENCTI_CUSTOM_SCO, "OpenCTI custom object x-opencti-hostname"),
        (OPENCTI_NARRATIVE, "OpenCTI Narrative"),
        (OPENCTI_CHANNEL, "OpenCTI Channel"),
        (OPENCTI_EVENT, "OpenCTI Event"),
    ],
)
def test_misp_and_opencti_custom_objects_are_kept_uninterpreted(obj: dict[str, Any],
                                                                 reason: str) -> None:
    verdict = classify(obj)
    assert isinstance(verdict, Kept), verdict
    assert verdict.kind == "object"
    assert reason in verdict.reason
    assert "stores it for exchange but does not interpret it" in verdict.reason
    assert full_problems(obj) == []


def test_kept_objects_carry_their_tlp() -> None:
    verdict = classify(MISP_OBJECT)
    assert isinstance(verdict, Kept) and verdict.tlp is Tlp.GREEN  # TLP 1.0 GREEN
    verdict = classify(OPENCTI_NARRATIVE)
    assert isinstance(verdict, Kept) and verdict.tlp is Tlp.CLEAR  # TLP 1.0 WHITE
    verdict = classify(OPENCTI_CUSTOM_SCO)
    assert isinstance(verdict, Kept) and verdict.tlp is None


def test_a_custom_type_without_prefix_or_extension_is_refused() -> None:
    obj = {key: value for key, value in OPENCTI_NARRATIVE.items() if key != "extensions"}
    verdict = classify(obj)
    assert isinstance(verdict, Refused)
    assert verdict.reason.startswith("type: 'narrative' is not a STIX 2.1 type")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id": "x-misp-object--66666666-6666-6666-6666-666666666666"}, "id: "),
        ({"created": "2026-10-25 16:22"}, "created: "),
        ({"modified": "2020-01-01T00:00:00.000Z"}, "modified: "),
    ],
)
def test_broken_objects_are_refused_naming_the_property(changes: dict[str, Any],
                                                        reason: str) -> None:
    verdict = classify({**MISP_OBJECT, **changes})
    assert isinstance(verdict, Refused)
    assert verdict.reason.startswith(reason), verdict.reason


def test_standard_objects_are_kept() -> None:
    verdict = classify({
        "type": "indicator", "spec_version": "2.1",
        "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "created": "2026-10-20T08:00:00.000Z", "modified": "2026-10-20T08:00:00.000Z",
        "pattern": "[url:value = 'https://a.example/']", "pattern_type": "stix",
        "valid_from": "2026-10-20T08:00:00Z",
        "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"],
    })
    assert verdict == Kept("object", Tlp.AMBER, "STIX 2.1 indicator")


def test_our_incident_is_a_report() -> None:
    verdict = classify(incident_of())
    assert verdict == Kept("report", Tlp.GREEN, "Ballotguard election report")


def test_a_report_comes_back_with_its_version_facts() -> None:
    imported = report_from_incident(incident_of(), Tlp.GREEN)
    assert imported.report_id == REPORT_ID
    assert imported.version == 4
    assert imported.status is Status.TRIAGED
    assert imported.created == full_report().created_at
    assert imported.modified == full_report().updated_at
    assert imported.revoked is False
    assert imported.content == full_content().model_copy(update={"recipient_orgs": []})
    retracted = report_from_incident(incident_of(status=Status.RETRACTED), Tlp.GREEN)
    assert retracted.revoked is True and retracted.status is Status.RETRACTED


def test_a_red_report_is_refused() -> None:
    incident = incident_of()
    incident["object_marking_refs"] = [marking_ref(Tlp.RED)]
    with pytest.raises(InvalidInput, match="TLP:RED report names people of its home instance"):
        report_from_incident(incident, Tlp.RED)
    verdict = classify(incident)
    assert isinstance(verdict, Refused) and "TLP:RED" in verdict.reason


def test_an_unmarked_report_is_refused() -> None:
    incident = incident_of()
    del incident["object_marking_refs"]
    verdict = classify(incident)
    assert isinstance(verdict, Refused) and "must carry a TLP marking" in verdict.reason


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda ext: ext.update(phase="halftime"), "phase: Input should be"),
        (lambda ext: ext.pop("vectors"), "vectors: Field required"),
        (lambda ext: ext.update(vectors=[]), "vectors: List should have at least 1 item"),
        (lambda ext: ext.update(observed_at="2026-11-03T21:14:05"), "observed_at"),
        (lambda ext: ext.update(recipient_orgs=["org-1"]), "recipient_orgs: Extra inputs"),
        (lambda ext: ext.update(report_version="4"), "report_version: Input should be a valid integer"),
        (lambda ext: ext.update(techniques=["mitre:T1"]), "techniques"),
        (lambda ext: ext["observables"].append({"kind": "ip", "value": "999.1.1.1"}),
         "not a valid ip"),
    ],
)
def test_an_extension_that_does_not_validate_is_refused(edit: Any, reason: str) -> None:
    incident = incident_of()
    edit(incident["extensions"][EXTENSION_ID])
    with pytest.raises(InvalidInput, match=reason) as caught:
        report_from_incident(incident, Tlp.GREEN)
    assert caught.value.field in (f"extensions.{EXTENSION_ID}", "incident")
    verdict = classify(incident)
    assert isinstance(verdict, Refused) and reason.split(":")[0] in verdict.reason


def test_an_incident_without_our_extension_is_an_ordinary_object() -> None:
    incident = copy.deepcopy(incident_of())
    del incident["extensions"]
    assert classify(incident) == Kept("object", Tlp.GREEN, "STIX 2.1 incident")
    with pytest.raises(InvalidInput, match="does not carry the Ballotguard extension"):
        report_from_incident(incident, Tlp.GREEN)


def test_content_that_breaks_a_report_rule_is_refused() -> None:
    incident = incident_of()
    incident["name"] = "x" * 201
    with pytest.raises(InvalidInput, match="title: String should have at most 200 characters"):
        report_from_incident(incident, Tlp.GREEN)
