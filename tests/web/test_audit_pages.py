"""The audit pages over HTTP: setup with errors that name the field, uploads (a bad manifest
changes nothing), the sample and its retrieval lists, two-person entries (a disagreement is
shown), measurement, the final report and who may see what."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
from fastapi.testclient import TestClient

from ballotguard.services import auth
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import Person, Role
from ballotguard.web.app import create_app
from conftest import PASSWORD, Hub
from support import world
from support.pdf_text import pdf_text

SEED = "31415926535897932384626"
MANIFEST = "Container,Tabulator,Batch Name,Number of Ballots\nBox 1,T1,B1,100\nBox 2,T1,B2,100\n"


def truth(unit_id: str) -> str:
    """What the paper says: position divisible by 7 is Brooks (28 of 200), else Alvarez."""
    position = int(unit_id.rsplit("|", 1)[1])
    return "Brooks" if position % 7 == 0 else "Alvarez"


def _person(hub: Hub, email: str, *roles: Role) -> Person:
    person = world.person(hub.bg, hub.ea, roles, email=email, name=email.split("@")[0])
    with hub.bg.uow() as uow:
        auth.set_password(uow, OPERATOR, person, PASSWORD, hub.bg.clock())
    return person


class Browser:
    """A signed-in client that posts forms with the CSRF token."""

    def __init__(self, hub: Hub, person: Person) -> None:
        self.client = TestClient(create_app(hub.bg))
        signed = self.client.post("/login", data={"email": person.email, "password": PASSWORD},
                                  follow_redirects=False)
        assert signed.status_code == 303
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.client.get("/").text)
        assert found
        self.csrf = found.group(1)

    def post(self, url: str, data: dict[str, str] | None = None,
             files: dict[str, tuple[str, str]] | None = None) -> httpx.Response:
        return self.client.post(url, data={"csrf_token": self.csrf, **(data or {})},
                                files=files, follow_redirects=False)


def _setup(hub: Hub) -> tuple[Browser, Browser, Browser, Browser, Person, Person, Person]:
    admin = _person(hub, "rla@ec.example", Role.AUDIT_ADMIN)
    manager = _person(hub, "clerk@ec.example", Role.JURISDICTION_MANAGER)
    board_a = _person(hub, "board-a@ec.example", Role.AUDIT_BOARD)
    board_b = _person(hub, "board-b@ec.example", Role.AUDIT_BOARD)
    return (Browser(hub, admin), Browser(hub, manager), Browser(hub, board_a),
            Browser(hub, board_b), manager, board_a, board_b)


FORM = {
    "name": "Northfield mayor 2026", "method": "bravo", "risk_limit": "10", "seed": SEED,
    "stopping": "90", "jurisdictions": "Northfield: 200", "blocks": "3",
    "contest0_name": "Mayor", "contest0_tally": "Alvarez: 172\nBrooks: 28",
    "contest0_winners": "Alvarez", "contest0_ballots": "200",
}


def test_an_audit_from_setup_to_the_final_report(hub: Hub) -> None:
    admin, manager, board_a, board_b, manager_p, a_p, b_p = _setup(hub)
    assert "Set up an audit" in admin.client.get("/audits").text
    bad = admin.post("/audits", FORM | {"seed": "1234"})
    assert bad.status_code == 422 and "at least 20 are needed" in bad.text
    assert 'value="Northfield mayor 2026"' in bad.text
    tie = admin.post("/audits", FORM | {"contest0_tally": "Alvarez: 100\nBrooks: 100"})
    assert tie.status_code == 422 and "no winner margin" in tie.text
    made = admin.post("/audits", FORM)
    assert made.status_code == 303
    url = made.headers["location"]
    audit_id = url.rsplit("/", 1)[1]

    assert manager.client.get(url).status_code == 404  # not assigned yet
    for person in (manager_p, a_p, b_p):
        assert admin.post(f"{url}/assign", {"person": person.id,
                                            "jurisdiction": "Northfield"}).status_code == 303
    page = manager.client.get(url).text
    assert "Ballot manifest of Northfield (CSV)" in page

    wrong = manager.post(f"{url}/files", {"jurisdiction": "Northfield", "kind": "manifest"},
                         files={"file": ("m.csv", MANIFEST.replace("100\n", "1x0\n", 1))})
    assert wrong.status_code == 422 and "manifest line 2" in wrong.text
    assert "missing" in manager.client.get(url).text
    ok = manager.post(f"{url}/files", {"jurisdiction": "Northfield", "kind": "manifest"},
                      files={"file": ("m.csv", MANIFEST)})
    assert ok.status_code == 303
    assert "Ready to draw the first sample" in admin.client.get(url).text

    assert admin.post(f"{url}/rounds").status_code == 303
    csv_text = admin.client.get(f"{url}/retrieval.csv?jurisdiction=Northfield").text
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Jurisdiction,Container,Tabulator")
    units = [line.split(",")[7] for line in lines[1:]]
    assert units
    pdf = admin.client.get(f"{url}/retrieval.pdf?jurisdiction=Northfield")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Ballots to retrieve: Northfield, round 1" in pdf_text(pdf.content)

    board = board_a.client.get(f"{url}/board?jurisdiction=Northfield").text
    assert all(f'data-unit="{u}"' in board for u in units)
    first = units[0]
    entry = board_a.client.get(f"{url}/entry?unit={quote(first)}").text
    index = {"Alvarez": "0", "Brooks": "1"}
    wrong_pick = "Brooks" if truth(first) == "Alvarez" else "Alvarez"
    board_a.post(f"{url}/entry", {"unit": first, "c0": index[wrong_pick]})
    before = board_b.client.get(f"{url}/entry?unit={quote(first)}").text
    assert "board-a has entered a reading" in before
    assert f"Mayor: {wrong_pick}" not in before  # the second reader does not see the first's
    assert 'name="c0"' in entry
    board_b.post(f"{url}/entry", {"unit": first, "c0": index[truth(first)]})
    shown = board_b.client.get(f"{url}/entry?unit={quote(first)}").text
    assert 'id="disagreement"' in shown
    assert f"board-a: Mayor: {wrong_pick}" in shown and f"board-b: Mayor: {truth(first)}" in shown
    assert "1</strong>" in admin.client.get(url).text  # a disagreement in the progress table
    board_a.post(f"{url}/entry", {"unit": first, "c0": index[truth(first)]})
    for unit in units[1:]:
        for member in (board_a, board_b):
            member.post(f"{url}/entry", {"unit": unit, "c0": index[truth(unit)]})
    page = admin.client.get(url).text
    assert "Every reading confirmed" in page
    assert admin.post(f"{url}/measure").status_code == 303
    page = admin.client.get(url).text
    assert 'id="risk-plot"' in page
    if 'data-status="measured"' in page:  # a second round when the first was unlucky
        admin.post(f"{url}/rounds")
        for unit in board_a.client.get(f"{url}/retrieval.csv").text.strip().splitlines()[1:]:
            unit_id = unit.split(",")[7]
            for member in (board_a, board_b):
                member.post(f"{url}/entry", {"unit": unit_id, "c0": index[truth(unit_id)]})
        admin.post(f"{url}/measure")
        page = admin.client.get(url).text
    assert 'data-status="confirmed"' in page
    report = admin.client.get(f"{url}/report.pdf")
    text = pdf_text(report.content)
    assert SEED in text and "Outcome confirmed" in text
    assert "The reported outcome of every contest is confirmed" in text
    record = admin.client.get(f"{url}/record.json").json()
    assert record["audit"]["id"] == audit_id and record["audit"]["status"] == "confirmed"
    from ballotguard.pdf.audit_report import record_digest

    assert record_digest(record) in text


def test_who_may_do_what(hub: Hub) -> None:
    admin, manager, board_a, _, _, a_p, _ = _setup(hub)
    url = admin.post("/audits", FORM).headers["location"]
    assert hub.client.get(url, follow_redirects=False).status_code in (303, 401)
    analyst = Browser(hub, hub.ea_analyst)
    assert analyst.client.get(url).status_code == 404
    assert "Audits" not in analyst.client.get("/").text.split("<main")[0]
    assert analyst.post("/audits", FORM).status_code == 403
    admin.post(f"{url}/assign", {"person": a_p.id, "jurisdiction": "Northfield"})
    refused = board_a.post(f"{url}/files", {"jurisdiction": "Northfield", "kind": "manifest"},
                           files={"file": ("m.csv", MANIFEST)})
    assert refused.status_code == 403
    unassigned = manager.post(f"{url}/files", {"jurisdiction": "Northfield", "kind": "manifest"},
                              files={"file": ("m.csv", MANIFEST)})
    assert unassigned.status_code == 404  # not assigned: cannot see it
    assert admin.post(f"{url}/assign", {"person": hub.ea_analyst.id,
                                        "jurisdiction": "Northfield"}).status_code == 422
    assert admin.client.get(f"{url}/retrieval.csv?round=3").status_code == 422


def test_a_full_hand_count_files_a_hub_report_and_the_report_says_so(hub: Hub) -> None:
    admin, manager, _, _, manager_p, _, _ = _setup(hub)
    url = admin.post("/audits", FORM).headers["location"]
    admin.post(f"{url}/assign", {"person": manager_p.id, "jurisdiction": "Northfield"})
    manager.post(f"{url}/files", {"jurisdiction": "Northfield", "kind": "manifest"},
                 files={"file": ("m.csv", MANIFEST.replace("100\n", "90\n", 1))})
    page = admin.client.get(url).text
    assert "190 listed, 10 phantoms" in page
    assert admin.post(f"{url}/hand-count", {"reason": ""}).status_code == 422
    assert admin.post(f"{url}/hand-count",
                      {"reason": "The seal log of Box 2 is missing"}).status_code == 303
    page = admin.client.get(url).text
    assert 'data-status="full_hand_count"' in page and 'id="hub-report"' in page
    report_id = re.search(r'id="hub-report" data-report="([0-9a-f-]{36})"', page)
    assert report_id
    analyst = Browser(hub, hub.ea_analyst)
    assert "full hand count required" in analyst.client.get(f"/reports/{report_id.group(1)}").text
    text = pdf_text(admin.client.get(f"{url}/report.pdf").content)
    assert "Full hand count required" in text and report_id.group(1) in text


def test_batch_comparison_takes_vote_counts() -> None:
    from datetime import UTC, datetime

    from starlette.datastructures import FormData

    from ballotguard.audit.workflow import AuditContest, Jurisdiction, new_audit
    from ballotguard.web.ui.audit_forms import describe, reading_from

    audit = new_audit("a", "A", "macro", 0.1, SEED, [AuditContest(
        "Mayor", {"Alvarez": 172, "Brooks": 28}, 200, ("Alvarez",))],
        [Jurisdiction("Northfield", 200)], "me", datetime(2026, 11, 1, tzinfo=UTC))
    reading = reading_from(audit, "Northfield", FormData([("n0_0", "90"), ("n0_1", "")]))
    assert reading.counts == {"Mayor": {"Alvarez": 90, "Brooks": 0}}
    assert describe(reading) == "Mayor: Alvarez 90, Brooks 0"
    try:
        reading_from(audit, "Northfield", FormData([("n0_0", "many")]))
    except Exception as exc:
        assert "Mayor: Alvarez" in str(exc) and "not a whole number" in str(exc)
    else:
        raise AssertionError("a bad count was accepted")


def test_the_audit_roles_land_on_their_audits_and_other_people_on_the_dashboard(hub: Hub) -> None:
    for role in (Role.AUDIT_ADMIN, Role.JURISDICTION_MANAGER, Role.AUDIT_BOARD):
        person = _person(hub, f"{role.value}@ec.example", role)
        browser = Browser(hub, person)
        landing = browser.client.get("/", follow_redirects=False)
        assert (landing.status_code, landing.headers["location"]) == (303, "/audits")
        assert browser.client.get("/audits").status_code == 200
    analyst = Browser(hub, hub.ea_analyst)
    assert analyst.client.get("/", follow_redirects=False).status_code == 200
    assert TestClient(create_app(hub.bg)).get("/", follow_redirects=False).status_code in (303, 401)
