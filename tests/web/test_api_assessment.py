"""Definitions, assessments and campaigns over the JSON API, end to end on a real app."""

from __future__ import annotations

from sqlalchemy import text

from conftest import Hub, report_body

URL = "https://www.veldra-truth.example/shredded/?utm_source=x"


def _file(hub: Hub, person, **changes: object) -> dict:  # type: ignore[no-untyped-def]
    response = hub.client.post("/api/reports", json=report_body(**changes),
                               headers=hub.headers(person))
    assert response.status_code == 201, response.text
    return response.json()


def _count(hub: Hub, table: str) -> int:
    with hub.bg.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_definitions_are_public_and_the_baseline_passes_its_library(hub: Hub) -> None:
    listed = hub.client.get("/api/definitions")
    assert listed.status_code == 200
    ids = {d["definition"]["id"] for d in listed.json()}
    assert {"ballotguard-baseline", "australia-2018", "canada-csis", "eu-fimi"} <= ids
    one = hub.client.get("/api/definitions/ballotguard-baseline").json()
    assert one["rule_in_words"]
    assert one["definition"]["source"]["url"].startswith("http")
    run = hub.client.get("/api/definitions/ballotguard-baseline/test").json()
    assert run["passed"] is True
    assert len(run["rows"]) >= 40
    assert hub.client.get("/api/definitions/nope").status_code == 404
    criteria = hub.client.get("/api/criteria").json()
    assert {"coercion", "deception", "intent", "foreign_nexus"} <= {c["criterion"] for c in criteria}
    assert len(hub.client.get("/api/cases").json()) >= 40


def test_diff_names_the_cases_that_flip_and_why(hub: Hub) -> None:
    flips = hub.client.get("/api/definitions/ballotguard-baseline/diff/canada-csis").json()
    assert flips, "the hard cases should separate the baseline from Canada's definition"
    assert all(f["why"] and f["a_verdict"] != f["b_verdict"] for f in flips)


def test_draft_definition_test_needs_assess_and_reports_line_errors(hub: Hub) -> None:
    bad = "id: x\nversion: 1.0.0\ntitle: t\nrule: [unclosed\n"
    anonymous = hub.client.post("/api/definitions/test", json={"document": bad})
    assert anonymous.status_code == 401
    refused = hub.client.post("/api/definitions/test", json={"document": bad},
                              headers=hub.headers(hub.ea_analyst))
    assert refused.status_code == 422
    assert "line" in refused.json()["detail"]


def test_adoption_refusal_and_signed_adoption(hub: Hub) -> None:
    document = (
        "id: catch-all\nversion: 1.0.0\ntitle: Anything foreign\n"
        "source:\n  title: Draft\n  publisher: Test\n  year: 2026\n  url: https://example.org/d\n"
        "criteria: [foreign_nexus]\nrule: foreign_nexus\nrationale: careless draft\n"
    )
    admin = hub.headers(hub.admin)
    refused = hub.client.post("/api/definitions", json={"document": document}, headers=admin)
    assert refused.status_code == 409
    assert "acceptable" in refused.json()["detail"]
    assert _count(hub, "adopted_definitions") == 0
    analyst = hub.client.post("/api/definitions", json={"document": document},
                              headers=hub.headers(hub.ea_analyst))
    assert analyst.status_code == 403
    signed = hub.client.post(
        "/api/definitions",
        json={"document": document,
              "signed_reason": "Exercise only: we accept that it catches public diplomacy."},
        headers=admin,
    )
    assert signed.status_code == 201, signed.text
    assert signed.json()["adopted"] is True
    assert _count(hub, "adopted_definitions") == 1


def test_assessing_a_report_over_the_api(hub: Hub) -> None:
    report = _file(hub, hub.ea_analyst, tlp="AMBER")
    finding = {
        "criterion": "deception", "answer": "yes", "confidence": "high",
        "evidence": [{"kind": "report_field", "ref": "summary"}],
        "rationale": "rented servers posing as voters",
    }
    body = {"definition_id": "ballotguard-baseline", "findings": [finding], "reason": "triage"}
    made = hub.client.post(f"/api/reports/{report['id']}/assessments", json=body,
                           headers=hub.headers(hub.ea_analyst))
    assert made.status_code == 201, made.text
    result = made.json()["result"]
    assert result["verdict"] in {"interference", "acceptable influence", "insufficient information"}
    assert result["reasons"]
    listed = hub.client.get(f"/api/reports/{report['id']}/assessments",
                            headers=hub.headers(hub.ea_analyst)).json()
    assert [a["id"] for a in listed] == [made.json()["id"]]
    hidden = hub.client.get(f"/api/reports/{report['id']}/assessments",
                            headers=hub.headers(hub.platform_analyst))
    assert hidden.status_code == 404
    by_id = hub.client.get(f"/api/assessments/{made.json()['id']}",
                           headers=hub.headers(hub.platform_analyst))
    assert by_id.status_code == 404


def test_a_finding_without_evidence_is_a_422_and_nothing_is_written(hub: Hub) -> None:
    report = _file(hub, hub.ea_analyst)
    body = {"definition_id": "ballotguard-baseline",
            "findings": [{"criterion": "coercion", "answer": "yes", "confidence": "high"}]}
    before = _count(hub, "assessments")
    response = hub.client.post(f"/api/reports/{report['id']}/assessments", json=body,
                               headers=hub.headers(hub.ea_analyst))
    assert response.status_code == 422
    assert "coercion" in response.text
    assert _count(hub, "assessments") == before


def test_unknown_criterion_in_a_finding_is_a_422(hub: Hub) -> None:
    report = _file(hub, hub.ea_analyst)
    body = {"definition_id": "ballotguard-baseline",
            "findings": [{"criterion": "vibes", "answer": "unknown", "confidence": "low"}]}
    response = hub.client.post(f"/api/reports/{report['id']}/assessments", json=body,
                               headers=hub.headers(hub.ea_analyst))
    assert response.status_code == 422


def test_campaigns_over_the_api_respect_tlp(hub: Hub) -> None:
    link = [{"kind": "url", "value": URL}]
    hidden = _file(hub, hub.ea_analyst, title="EC internal", observables=link, tlp="AMBER")
    one = _file(hub, hub.cert_analyst, title="CERT one", observables=link)
    two = _file(hub, hub.platform_analyst, title="Chirp two", observables=link)
    inside = hub.client.get("/api/campaigns", headers=hub.headers(hub.ea_analyst)).json()
    outside = hub.client.get("/api/campaigns", headers=hub.headers(hub.platform_analyst)).json()
    assert [c["reports"] for c in inside] == [3]
    assert [c["reports"] for c in outside] == [2]
    campaign = hub.client.get(f"/api/campaigns/{outside[0]['id']}",
                              headers=hub.headers(hub.platform_analyst)).json()
    assert {r["id"] for r in campaign["reports"]} == {one["id"], two["id"]}
    assert hidden["id"] not in str(campaign)
    assert "EC internal" not in str(campaign)
    assert campaign["fully_visible"] is False
    assert campaign["links"] and campaign["links"][0]["reasons"]
    of_report = hub.client.get(f"/api/reports/{one['id']}/campaign",
                               headers=hub.headers(hub.platform_analyst)).json()
    assert of_report["id"] == campaign["id"]
    refused = hub.client.post(
        f"/api/campaigns/{campaign['id']}/split",
        json={"reports": [one["id"]], "reason": "different operators"},
        headers=hub.headers(hub.platform_analyst),
    )
    assert refused.status_code == 403
    anonymous = hub.client.get("/api/campaigns")
    assert anonymous.status_code == 401


def test_link_decisions_over_the_api(hub: Hub) -> None:
    link = [{"kind": "url", "value": URL}]
    one = _file(hub, hub.ea_analyst, observables=link)
    two = _file(hub, hub.ea_analyst, observables=link)
    headers = hub.headers(hub.ea_analyst)
    rejected = hub.client.post(
        "/api/links/decisions",
        json={"a": one["id"], "b": two["id"], "kind": "reject", "reason": "coincidence"},
        headers=headers,
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json() == {"campaign": None}
    assert hub.client.get("/api/campaigns", headers=headers).json() == []
    no_reason = hub.client.post(
        "/api/links/decisions",
        json={"a": one["id"], "b": two["id"], "kind": "confirm", "reason": ""},
        headers=headers,
    )
    assert no_reason.status_code == 422
    panel = hub.client.post(
        "/api/links/decisions",
        json={"a": one["id"], "b": two["id"], "kind": "confirm", "reason": "same"},
        headers=hub.headers(hub.panel_member),
    )
    assert panel.status_code == 403
