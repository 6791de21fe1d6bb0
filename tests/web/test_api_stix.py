"""STIX bundles over the JSON API: the published extension, exports as the reader may see them,
imports object by object (the DISARM framework included), and bad bundles refused cleanly."""

from __future__ import annotations

import json
from pathlib import Path

from ballotguard.stix_validator import full_problems
from conftest import Hub, report_body

DISARM = Path(__file__).resolve().parents[3] / "shared" / "data" / "disarm" / "DISARM.json"


def _file(hub: Hub, person, **changes: object) -> str:  # type: ignore[no-untyped-def]
    response = hub.client.post("/api/reports", json=report_body(**changes),
                               headers=hub.headers(person))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_the_extension_definition_is_published_and_valid(hub: Hub) -> None:
    published = hub.client.get("/api/stix/extension-definition").json()
    assert published["extension_definition"]["type"] == "extension-definition"
    assert full_problems(published["extension_definition"]) == []
    assert full_problems(published["identity"]) == []
    assert "phase" in json.dumps(published["schema"])


def test_an_export_holds_what_the_reader_may_read_and_validates(hub: Hub) -> None:
    green = _file(hub, hub.ea_analyst, observables=[{"kind": "domain", "value": "vote.example"}])
    amber = _file(hub, hub.ea_analyst, tlp="AMBER")
    headers = hub.headers(hub.platform_analyst)
    bundle = hub.client.get("/api/stix/bundle", params={"report_id": green}, headers=headers)
    assert bundle.status_code == 200
    objects = bundle.json()["objects"]
    assert f"incident--{green}" in {o["id"] for o in objects}
    assert {o["type"] for o in objects} >= {"incident", "indicator", "domain-name", "identity",
                                            "marking-definition", "extension-definition"}
    assert [o["id"] for o in objects if full_problems(o)] == []
    refused = hub.client.get("/api/stix/bundle", params={"report_id": [green, amber]},
                             headers=headers)
    assert refused.status_code == 404  # the AMBER report is not the platform's to see
    assert hub.client.get("/api/stix/bundle", headers=headers).status_code == 422
    assert hub.client.get("/api/stix/bundle", params={"report_id": green}).status_code == 401


def test_the_disarm_framework_imports_with_no_failure(hub: Hub) -> None:
    body = DISARM.read_bytes()
    response = hub.client.post("/api/stix/bundles", params={"tlp": "CLEAR"}, content=body,
                               headers=hub.headers(hub.cert_analyst))
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["failed"] == 0, result["failures"][:3]
    assert result["stored"] == len(json.loads(body)["objects"]) == 698


def test_bad_bundles_are_refused_with_the_reason_and_nothing_kept(hub: Hub) -> None:
    headers = hub.headers(hub.cert_analyst)
    for content, field in ((b"{not json", "body"), (b'{"type": "indicator"}', "type"),
                           (b'{"type": "bundle", "objects": {}}', "objects")):
        response = hub.client.post("/api/stix/bundles", content=content, headers=headers)
        assert response.status_code == 422, content
        assert response.json()["errors"][0]["field"] == field
    too_many = {"type": "bundle", "id": "bundle--6f0d3b8e-6c9a-4a39-9b61-2f0b1e4a7c11",
                "objects": [{"type": "x"}] * 10_001}
    response = hub.client.post("/api/stix/bundles", json=too_many, headers=headers)
    assert response.status_code == 422
    assert "split" in response.json()["detail"]
    reporter_only = hub.client.post("/api/stix/bundles", content=b"{}",
                                    headers=hub.headers(hub.ea_admin))
    assert reporter_only.status_code == 403


def test_an_import_names_each_bad_object_and_keeps_the_rest(hub: Hub) -> None:
    good = {"type": "indicator", "spec_version": "2.1",
            "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "created": "2026-11-01T00:00:00.000Z", "modified": "2026-11-01T00:00:00.000Z",
            "name": "Phishing domain", "pattern": "[domain-name:value = 'vote-x.example']",
            "pattern_type": "stix", "valid_from": "2026-11-01T00:00:00Z"}
    bad_time = {**good, "id": "indicator--1b1e8f3a-3c53-4b8e-9a51-0f1d2c3b4a59",
                "modified": "yesterday"}
    bundle = {"type": "bundle", "id": "bundle--6f0d3b8e-6c9a-4a39-9b61-2f0b1e4a7c11",
              "objects": [good, bad_time]}
    response = hub.client.post("/api/stix/bundles", json=bundle,
                               headers=hub.headers(hub.cert_analyst))
    result = response.json()
    assert (result["stored"], result["failed"]) == (1, 1)
    assert result["failures"][0]["id"] == bad_time["id"]
    assert "modified" in result["failures"][0]["message"]


def test_a_campaign_exports_with_its_readable_members(hub: Hub) -> None:
    shared = [{"kind": "url", "value": "https://polls-closed.example/notice"}]
    first = _file(hub, hub.ea_analyst, observables=shared, title="Fake closure notice")
    second = _file(hub, hub.cert_analyst, observables=shared, title="Same notice, again")
    headers = hub.headers(hub.platform_analyst)
    campaigns = hub.client.get("/api/campaigns", headers=headers).json()
    assert len(campaigns) == 1
    campaign_id = campaigns[0]["id"]
    page = hub.client.get(f"/campaigns/{campaign_id}", headers=headers)
    assert f"/api/stix/bundle?campaign_id={campaign_id}" in page.text
    objects = hub.client.get("/api/stix/bundle", params={"campaign_id": campaign_id},
                             headers=headers).json()["objects"]
    campaign = [o for o in objects if o["type"] == "campaign"]
    assert [c["id"] for c in campaign] == [f"campaign--{campaign_id}"]
    related = {o["source_ref"] for o in objects
               if o["type"] == "relationship" and o["target_ref"] == campaign[0]["id"]}
    assert related == {f"incident--{first}", f"incident--{second}"}
    assert [o["id"] for o in objects if full_problems(o)] == []


def test_the_disarm_framework_round_trips_unchanged_through_taxii(hub: Hub) -> None:
    """Imported as a bundle, served back over TAXII: every object equal to the original."""
    import uuid

    from ballotguard.stix import BALLOTGUARD_NAMESPACE

    original = json.loads(DISARM.read_bytes())["objects"]
    headers = hub.headers(hub.cert_analyst)
    imported = hub.client.post("/api/stix/bundles", params={"tlp": "CLEAR"},
                               content=DISARM.read_bytes(), headers=headers).json()
    assert imported["failed"] == 0
    clear = uuid.uuid5(BALLOTGUARD_NAMESPACE, "collection|clear")
    url = f"/taxii2/ballotguard/collections/{clear}/objects/"
    served: dict[str, dict[str, object]] = {}
    params: dict[str, str] = {"limit": "250"}
    while True:
        page = hub.client.get(url, params=params, headers={
            **headers, "Accept": "application/taxii+json;version=2.1"})
        assert page.status_code == 200, page.text
        envelope = page.json()
        served.update({o["id"]: o for o in envelope.get("objects", [])})
        if not envelope.get("more"):
            break
        params = {"limit": "250", "next": envelope["next"]}
    for obj in original:
        assert served.get(obj["id"]) == obj, obj["id"]
