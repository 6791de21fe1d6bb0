"""The panel over HTTP: access rules per route, a case from escalation to exported record, the
refusals as problem+json (recused vote 409, decision too early 409, no rationale 422)."""

from __future__ import annotations

from ballotguard.services import auth
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import Person, Role
from ballotguard.vocabulary import Tlp
from support import world
from support.pdf_text import pdf_text
from web.conftest import Hub


def _members(hub: Hub) -> list[Person]:
    members = [hub.panel_member] + [
        world.person(hub.bg, hub.cert, [Role.PANEL_MEMBER], email=f"m{i}@panel.example",
                     name=f"Member {i}")
        for i in range(2, 6)
    ]
    for member in members[1:]:
        with hub.bg.uow() as uow:
            hub.tokens[member.email] = auth.create_token(uow, OPERATOR, member, "t", hub.bg.clock())
    admin = hub.headers(hub.admin)
    for i, member in enumerate(members, start=1):
        reply = hub.client.put(f"/api/panel/seats/seat-{i}", json={"holder": member.id},
                               headers=admin)
        assert reply.status_code == 200, reply.text
    assert hub.client.put("/api/panel/chair", json={"seat_id": "seat-1"},
                          headers=admin).status_code == 200
    return members


def test_only_panel_managers_change_seats(hub: Hub) -> None:
    reply = hub.client.put("/api/panel/seats/seat-1", json={"holder": hub.panel_member.id},
                           headers=hub.headers(hub.ea_analyst))
    assert reply.status_code == 403
    reply = hub.client.put("/api/panel/seats/seat-1", json={"holder": hub.ea_analyst.id},
                           headers=hub.headers(hub.admin))
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "person"
    reply = hub.client.put("/api/panel/rules", json={"notice_votes": 2},
                           headers=hub.headers(hub.admin))
    assert reply.status_code == 422
    assert hub.client.get("/api/panel").status_code == 401
    body = hub.client.get("/api/panel", headers=hub.headers(hub.ea_analyst)).json()
    assert body["rules"] == {"seats": 5, "quorum": 4, "notice_votes": 4}


def test_case_from_escalation_to_record(hub: Hub) -> None:
    members = _members(hub)
    h = [hub.headers(m) for m in members]
    report = world.file(hub.bg, hub.ea_analyst, tlp=Tlp.AMBER, title="Fake polling-station move")
    reply = hub.client.post("/api/panel/cases", json={
        "subject_kind": "report", "subject_id": report.id, "reason": "Spreading fast",
        "confidence": "moderate",
    }, headers=hub.headers(hub.ea_analyst))
    assert reply.status_code == 201, reply.text
    case_id = reply.json()["case"]["id"]
    assert reply.json()["packets"][0]["tlp"] == "AMBER"

    # an analyst who cannot read the report cannot escalate it, nor read the case
    reply = hub.client.post("/api/panel/cases", json={
        "subject_kind": "report", "subject_id": report.id, "reason": "x"},
        headers=hub.headers(hub.platform_analyst))
    assert reply.status_code == 404
    assert hub.client.get(f"/api/panel/cases/{case_id}",
                          headers=hub.headers(hub.platform_analyst)).status_code == 404

    base = f"/api/panel/cases/{case_id}"
    assert hub.client.post(f"{base}/checklist", json={"item": "scope", "value": "national"},
                           headers=h[1]).status_code == 200
    assert hub.client.post(f"{base}/notes", json={"text": "Ask the platform"},
                           headers=h[2]).status_code == 200
    assert hub.client.post(f"{base}/recusals", json={"reason": "Works for the party"},
                           headers=h[4]).status_code == 200
    reply = hub.client.post(f"{base}/votes", json={"choice": "public_notice"}, headers=h[4])
    assert reply.status_code == 409
    assert "recused" in reply.json()["detail"]
    for headers in h[:3]:
        assert hub.client.post(f"{base}/votes", json={"choice": "no_notice"},
                               headers=headers).status_code == 200
    reply = hub.client.post(f"{base}/decisions", json={}, headers=h[0])
    assert reply.status_code == 409 and "Seat 4" in reply.json()["detail"]
    hub.client.post(f"{base}/votes", json={"choice": "public_notice"}, headers=h[3])
    reply = hub.client.post(f"{base}/decisions", json={}, headers=h[1])
    assert reply.status_code == 403  # not the chair
    reply = hub.client.post(f"{base}/decisions", json={}, headers=h[0])
    assert reply.status_code == 422 and reply.json()["errors"][0]["field"] == "rationale"
    reply = hub.client.post(f"{base}/decisions", json={"rationale": "Threshold not met"},
                            headers=h[0])
    assert reply.status_code == 201 and reply.json()["outcome"] == "no_notice"

    record = hub.client.get(f"{base}/record.json", headers=h[2]).json()
    assert record["decisions"][0]["rationale"] == "Threshold not met"
    pdf = hub.client.get(f"{base}/record.pdf", headers=h[2])
    assert pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Fake polling-station move" in text and "TLP:AMBER" in text and "No notice" in text
    assert hub.client.get(f"{base}/record.pdf",
                          headers=hub.headers(hub.cert_analyst)).status_code == 404
