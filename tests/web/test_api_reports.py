"""The JSON API end to end on a real app and SQLite database: TLP on every read path, clear errors
for bad input, and nothing half-written when a request fails."""

from __future__ import annotations

import csv
import io

from sqlalchemy import text

from conftest import Hub, report_body

AMBER_FOR_CERT = {"title": "Attempted intrusion into the voter registration portal",
                  "tlp": "AMBER"}


def _file(hub: Hub, person, **changes: object) -> dict:  # type: ignore[no-untyped-def]
    response = hub.client.post("/api/reports", json=report_body(**changes),
                               headers=hub.headers(person))
    assert response.status_code == 201, response.text
    return response.json()


def _rows(hub: Hub) -> tuple[int, int]:
    with hub.bg.engine.connect() as conn:
        reports = conn.execute(text("SELECT count(*) FROM reports")).scalar_one()
        audit = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
    return reports, audit


def test_amber_report_for_the_cert_is_hidden_from_the_platform_on_every_api_path(hub: Hub) -> None:
    report = _file(hub, hub.ea_analyst, recipient_orgs=[hub.cert.id], **AMBER_FOR_CERT)
    rid = report["id"]
    assert report["content"]["tlp"] == "AMBER"
    assert report["status"] == "new"

    for reader, sees in ((hub.ea_analyst, True), (hub.cert_analyst, True),
                         (hub.panel_member, True), (hub.platform_analyst, False)):
        headers = hub.headers(reader)
        detail = hub.client.get(f"/api/reports/{rid}", headers=headers)
        assert detail.status_code == (200 if sees else 404), reader.email
        listed = hub.client.get("/api/reports", headers=headers).json()
        assert (rid in [r["id"] for r in listed["reports"]]) is sees
        assert listed["total"] == (1 if sees else 0)
        searched = hub.client.get("/api/reports", params={"q": "voter registration"},
                                  headers=headers).json()
        assert (rid in [r["id"] for r in searched["reports"]]) is sees
        stats = hub.client.get("/api/stats", headers=headers).json()
        assert stats["tlp"].get("AMBER", 0) == (1 if sees else 0)
        exported = hub.client.get("/api/reports/export", headers=headers).json()
        assert (rid in [r["id"] for r in exported]) is sees
        as_csv = hub.client.get("/api/reports/export", params={"format": "csv"}, headers=headers)
        ids = [row["id"] for row in csv.DictReader(io.StringIO(as_csv.text))]
        assert (rid in ids) is sees
        history = hub.client.get(f"/api/reports/{rid}/history", headers=headers)
        assert history.status_code == (200 if sees else 404)


def test_a_hidden_report_looks_exactly_like_a_missing_one(hub: Hub) -> None:
    rid = _file(hub, hub.ea_analyst, tlp="RED", recipient_people=[hub.cert_analyst.id])["id"]
    hidden = hub.client.get(f"/api/reports/{rid}", headers=hub.headers(hub.platform_analyst))
    missing = hub.client.get("/api/reports/no-such-id", headers=hub.headers(hub.platform_analyst))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["title"] == missing.json()["title"]
    # RED goes to named people only: not even the CERT's other staff
    panel = hub.client.get(f"/api/reports/{rid}", headers=hub.headers(hub.panel_member))
    assert panel.status_code == 404
    assert hub.client.get(f"/api/reports/{rid}",
                          headers=hub.headers(hub.cert_analyst)).status_code == 200


def test_restricted_reads_are_written_to_the_audit_log(hub: Hub) -> None:
    rid = _file(hub, hub.ea_analyst, tlp="AMBER", recipient_orgs=[hub.cert.id])["id"]
    hub.client.get(f"/api/reports/{rid}", headers=hub.headers(hub.cert_analyst))
    with hub.bg.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT actor, subject FROM audit_log WHERE action = 'report.read'")).all()
    assert (hub.cert_analyst.id, rid) in [tuple(r) for r in rows]
    verified = hub.client.get("/api/audit-log/verify", headers=hub.headers(hub.admin))
    assert verified.status_code == 200
    assert verified.json()["entries"] >= 3


def test_api_needs_a_bearer_token_and_answers_the_token_scheme_clearly(hub: Hub) -> None:
    anonymous = hub.client.get("/api/reports")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    token_scheme = hub.client.get("/api/reports", headers={
        "Authorization": f"Token {hub.tokens[hub.ea_analyst.email]}"})
    assert token_scheme.status_code == 401
    assert "'Token' authorization scheme is not accepted" in token_scheme.json()["detail"]
    wrong = hub.client.get("/api/reports", headers={"Authorization": "Bearer bg_nope"})
    assert wrong.status_code == 401
    assert "not valid" in wrong.json()["detail"]


def test_roles_are_least_privilege(hub: Hub) -> None:
    rid = _file(hub, hub.ea_analyst, tlp="GREEN")["id"]
    panel = hub.headers(hub.panel_member)
    assert hub.client.post("/api/reports", json=report_body(),
                           headers=panel).status_code == 403
    assert hub.client.post(f"/api/reports/{rid}/status", json={"status": "triaged"},
                           headers=panel).status_code == 403
    assert hub.client.post("/api/orgs", json={"name": "X", "sector": "media", "country": "XA"},
                           headers=hub.headers(hub.ea_admin)).status_code == 403
    assert hub.client.get("/api/audit-log/verify",
                          headers=hub.headers(hub.ea_analyst)).status_code == 403
    triaged = hub.client.post(f"/api/reports/{rid}/status", json={"status": "triaged"},
                              headers=hub.headers(hub.cert_analyst))
    assert triaged.status_code == 200
    assert triaged.json()["status"] == "triaged"


def test_correction_and_retraction_keep_the_history(hub: Hub) -> None:
    report = _file(hub, hub.ea_analyst)
    rid = report["id"]
    corrected_body = report_body(title="Successful intrusion into the voter portal",
                                 outcome="successful")
    corrected = hub.client.put(f"/api/reports/{rid}", json={
        "content": corrected_body, "reason": "forensics found a web shell"},
        headers=hub.headers(hub.ea_analyst))
    assert corrected.status_code == 200, corrected.text
    not_theirs = hub.client.post(f"/api/reports/{rid}/retract", json={"reason": "x"},
                                 headers=hub.headers(hub.cert_analyst))
    assert not_theirs.status_code == 403
    retracted = hub.client.post(f"/api/reports/{rid}/retract",
                                json={"reason": "duplicate of an earlier report"},
                                headers=hub.headers(hub.ea_analyst))
    assert retracted.json()["status"] == "retracted"
    history = hub.client.get(f"/api/reports/{rid}/history",
                             headers=hub.headers(hub.ea_analyst)).json()
    assert [v["change"] for v in history] == ["created", "corrected", "retracted"]
    assert history[0]["snapshot"]["content"]["title"] == report["content"]["title"]
    assert history[1]["reason"] == "forensics found a web shell"
    assert history[2]["snapshot"]["content"]["outcome"] == "successful"
    headers = hub.headers(hub.ea_analyst)

    def listed(**params: str) -> list[str]:
        page = hub.client.get("/api/reports", params=params, headers=headers).json()
        return [r["id"] for r in page["reports"]]

    assert rid not in listed()  # retracted reports leave the working list ...
    assert rid in listed(retracted="true")  # ... and stay readable on request
    assert rid in listed(status="retracted")
    assert hub.client.get(f"/api/reports/{rid}", headers=headers).status_code == 200


def test_bad_input_gets_a_4xx_naming_the_field_and_leaves_nothing_behind(hub: Hub) -> None:
    headers = hub.headers(hub.ea_analyst)
    before = _rows(hub)
    malformed = hub.client.post("/api/reports", content=b'{"title": "unterminated',
                                headers={**headers, "content-type": "application/json"})
    assert malformed.status_code == 400
    assert malformed.json()["title"] == "Malformed JSON"

    cases = {
        "phase": report_body() | {"phase": "polling_day_party"},
        "recipient_people": report_body() | {"tlp": "RED"},
        "observables": report_body() | {"observables": [{"kind": "ip", "value": "300.1.2.3"}]},
        "observed_at": report_body() | {"observed_at": "2026-11-01T10:00:00"},
        "techniques": report_body() | {"techniques": ["T0049"]},
        "vectors": report_body() | {"vectors": []},
    }
    for field, body in cases.items():
        response = hub.client.post("/api/reports", json=body, headers=headers)
        assert response.status_code == 422, (field, response.text)
        problem = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        assert any(e["field"].startswith(field) for e in problem["errors"]), (field, problem)
        assert field in problem["detail"]
    unknown_org = hub.client.post("/api/reports", json=report_body(
        tlp="AMBER", recipient_orgs=["no-such-org"]), headers=headers)
    assert unknown_org.status_code == 404
    assert "no-such-org" in unknown_org.json()["detail"]
    assert _rows(hub) == before


def test_unknown_vocabulary_term_lists_the_allowed_ones(hub: Hub) -> None:
    response = hub.client.post("/api/reports", json=report_body() | {"phase": "polling"},
                               headers=hub.headers(hub.ea_analyst))
    message = response.json()["errors"][0]["message"]
    assert "voter_registration" in message


def test_attachments_are_stored_by_sha256_and_oversized_ones_refused(hub: Hub) -> None:
    rid = _file(hub, hub.ea_analyst)["id"]
    headers = hub.headers(hub.ea_analyst)
    evidence = b"GET /admin.php?cmd=whoami HTTP/1.1\r\n" * 10
    added = hub.client.post(f"/api/reports/{rid}/attachments", headers=headers,
                            files={"file": ("access.log", evidence, "text/plain")})
    assert added.status_code == 201, added.text
    sha = added.json()["attachments"][0]["sha256"]
    import hashlib

    assert sha == hashlib.sha256(evidence).hexdigest()
    download = hub.client.get(f"/api/reports/{rid}/attachments/{sha}", headers=headers)
    assert download.content == evidence
    assert hub.client.get(f"/api/reports/{rid}/attachments/{sha}",
                          headers=hub.headers(hub.platform_analyst)).status_code == 200
    hub.bg.settings.max_attachment_bytes = 100
    before = _rows(hub)
    too_big = hub.client.post(f"/api/reports/{rid}/attachments", headers=headers,
                              files={"file": ("dump.bin", b"x" * 101, "application/octet-stream")})
    assert too_big.status_code == 422
    assert "over the limit of 100 bytes" in too_big.json()["detail"]
    assert _rows(hub) == before


def test_garbage_cursor_and_limits_are_4xx(hub: Hub) -> None:
    headers = hub.headers(hub.ea_analyst)
    assert hub.client.get("/api/reports", params={"cursor": "garbage"},
                          headers=headers).status_code == 422
    assert hub.client.get("/api/reports", params={"limit": 0}, headers=headers).status_code == 422
    assert hub.client.get("/api/reports", params={"phase": "nope"},
                          headers=headers).status_code == 422


def test_pages_walk_every_readable_report_once(hub: Hub) -> None:
    filed = {_file(hub, hub.ea_analyst, title=f"Report {i}")["id"] for i in range(7)}
    hub.bg.clock.advance(minutes=1)  # type: ignore[attr-defined]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = hub.client.get("/api/reports", params=params,
                              headers=hub.headers(hub.cert_analyst)).json()
        seen += [r["id"] for r in page["reports"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(filed)


def test_vocabulary_is_public_and_versioned(hub: Hub) -> None:
    document = hub.client.get("/api/vocabulary").json()
    assert document["version"] == "1.0.0"
    assert {t["id"] for t in document["tlp_levels"]} == {"CLEAR", "GREEN", "AMBER",
                                                         "AMBER+STRICT", "RED"}
    assert "hack_and_leak" in {v["id"] for v in document["vectors"]}


def test_security_headers_on_every_response(hub: Hub) -> None:
    response = hub.client.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_list_counts_stop_at_the_cap_and_say_so(hub: Hub, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ballotguard.services import reports as service

    for n in range(4):
        _file(hub, hub.ea_analyst, title=f"Capped {n}")
    headers = hub.headers(hub.ea_analyst)
    exact = hub.client.get("/api/reports", headers=headers).json()
    assert (exact["total"], exact["total_is_exact"]) == (4, True)
    monkeypatch.setattr(service, "LIST_COUNT_CAP", 2)
    capped = hub.client.get("/api/reports", headers=headers).json()
    assert (capped["total"], capped["total_is_exact"]) == (2, False)
    assert len(capped["reports"]) == 4
    hub.client.post("/login", data={"email": hub.ea_analyst.email,
                                     "password": "correct horse battery staple"})
    assert "2+ reports match" in hub.client.get("/reports").text
