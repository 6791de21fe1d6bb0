"""On the whole demo election, for every person and the public: every read path (API list and
search, detail, history, counts, JSON and CSV export, the UI list and detail, the CLI list)
returns exactly the reports that ``sharing.can_read`` allows. The rule itself is checked against
DESIGN.md's table by the property test in tests/services."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.cli.main import app as cli
from ballotguard.config import Settings
from ballotguard.services import auth
from ballotguard.services.actors import OPERATOR
from ballotguard.services.demo import load_demo
from ballotguard.sharing import PUBLIC, Permission, Person, Reader, Report, Status, can_read
from ballotguard.web.app import create_app

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ballotguard, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    bg = bootstrap(Settings(database_url=url, page_size=500), clock=lambda: NOW)
    load_demo(bg.uow, NOW)
    yield bg, url
    bg.close()


def _everything(bg: Ballotguard) -> list[Report]:
    with bg.uow() as uow:
        ids = [row[0] for row in uow.session.execute(text("SELECT id FROM reports"))]  # type: ignore[attr-defined]
        return [uow.reports.get(i) for i in ids]


def _api_ids(client: TestClient, headers: dict[str, str], **params: str) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        query = {"limit": "37", **params} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/reports", params=query, headers=headers).json()
        ids += [r["id"] for r in page["reports"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


def test_every_read_path_returns_exactly_what_the_rule_allows(
        demo: tuple[Ballotguard, str], monkeypatch: pytest.MonkeyPatch) -> None:
    bg, url = demo
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", url)
    reports = _everything(bg)
    assert len(reports) > 150
    with bg.uow() as uow:
        people: list[Person] = uow.people.list()
        tokens = {p.id: auth.create_token(uow, OPERATOR, p, "paths", NOW) for p in people}
    client = TestClient(create_app(bg))
    runner = CliRunner()
    checked_hidden = 0
    retracted = {r.id for r in reports if r.status is Status.RETRACTED}
    assert retracted, "the demo has a retracted report"
    for person in people:
        headers = {"Authorization": f"Bearer {tokens[person.id]}"}
        if not person.may(Permission.READ_REPORTS):  # the audit roles read no reports
            assert client.get("/api/reports", headers=headers).status_code == 403, person.email
            continue
        reader = Reader(person.id, person.org_id)
        allowed = {r.id for r in reports if can_read(reader, r)}
        checked_hidden += len(reports) - len(allowed)

        listed = _api_ids(client, headers, retracted="true")
        assert len(listed) == len(set(listed)), "a page repeated a report"
        assert set(listed) == allowed, person.email
        working = allowed - retracted  # the default list leaves retracted reports out
        assert set(_api_ids(client, headers)) == working, person.email
        searched = _api_ids(client, headers, q="voter")
        assert set(searched) == {r for r in working if _mentions(reports, r, "voter")}
        stats = client.get("/api/stats", headers=headers).json()
        assert sum(stats["tlp"].values()) == len(allowed)
        exported = client.get("/api/reports/export", headers=headers).json()
        assert {r["id"] for r in exported} == allowed
        rows = csv.DictReader(io.StringIO(client.get(
            "/api/reports/export", params={"format": "csv"}, headers=headers).text))
        assert {row["id"] for row in rows} == allowed
        hidden = [r.id for r in reports if r.id not in allowed]
        for report_id in hidden[:15] + sorted(allowed)[:5]:
            status = client.get(f"/api/reports/{report_id}", headers=headers).status_code
            assert status == (200 if report_id in allowed else 404), (person.email, report_id)
        result = runner.invoke(cli, ["reports", "list", "--as", person.email, "--json",
                                     "--limit", "1000", "--retracted"])
        assert result.exit_code == 0, result.output
        assert {r["id"] for r in json.loads(result.output)["reports"]} == allowed
    assert checked_hidden > 0

    anonymous = client.get("/api/reports")
    assert anonymous.status_code == 401
    public_allowed = {r.id for r in reports if can_read(PUBLIC, r)}
    assert public_allowed, "the demo has CLEAR reports"


def _mentions(reports: list[Report], report_id: str, word: str) -> bool:
    report = next(r for r in reports if r.id == report_id)
    return word in report.content.title.lower() or word in report.content.summary.lower()


def test_the_ui_list_and_detail_follow_the_rule(demo: tuple[Ballotguard, str]) -> None:
    bg, _ = demo
    reports = _everything(bg)
    client = TestClient(create_app(bg))
    with bg.uow() as uow:
        people = [p for p in uow.people.list() if uow.credentials.password_hash(p.id)]
    assert len(people) >= 5
    for person in people:
        client.cookies.clear()
        signed_in = client.post("/login", data={"email": person.email,
                                                "password": "veldra-demo-2026"},
                                follow_redirects=False)
        assert signed_in.status_code == 303, person.email
        if not person.may(Permission.READ_REPORTS):  # the audit administrator
            assert client.get("/reports").status_code == 403, person.email
            continue
        allowed = {r.id for r in reports if can_read(Reader(person.id, person.org_id), r)}
        working = {r.id for r in reports if r.id in allowed and r.status is not Status.RETRACTED}
        page = client.get("/reports")
        shown = set(re.findall(r'href="/reports/([0-9a-f-]{36})"', page.text))
        assert shown == working, person.email
        hidden = [r for r in reports if r.id not in allowed][:10]
        for report in hidden:
            assert client.get(f"/reports/{report.id}").status_code == 404
            assert report.content.title not in client.get("/").text


def test_campaigns_show_each_person_only_what_the_rule_allows(
        demo: tuple[Ballotguard, str]) -> None:
    """Campaign lists, detail, the campaign of a report and the UI pages: members, links and
    counts come from readable reports alone, for every person of the demo."""
    bg, _ = demo
    reports = {r.id: r for r in _everything(bg)}
    with bg.uow() as uow:
        groups = uow.correlation.all_campaigns()
        people: list[Person] = uow.people.list()
        tokens = {p.id: auth.create_token(uow, OPERATOR, p, "campaigns", NOW) for p in people}
    assert len(groups) >= 3, "the demo's reports should form campaigns"
    client = TestClient(create_app(bg))
    partly_hidden = 0
    for person in people:
        reader = Reader(person.id, person.org_id)
        headers = {"Authorization": f"Bearer {tokens[person.id]}"}
        if not person.may(Permission.READ_REPORTS):  # the audit roles read no reports
            assert client.get("/api/campaigns", headers=headers).status_code == 403
            continue
        expected = {
            cid: {m for m in members if can_read(reader, reports[m])}
            for cid, members in groups.items()
        }
        expected = {cid: seen for cid, seen in expected.items() if len(seen) >= 2}
        partly_hidden += sum(len(groups[c]) > len(seen) for c, seen in expected.items())
        listed = client.get("/api/campaigns", headers=headers).json()
        assert {c["id"]: c["reports"] for c in listed} == {
            c: len(seen) for c, seen in expected.items()}, person.email
        for campaign_id, members in groups.items():
            detail = client.get(f"/api/campaigns/{campaign_id}", headers=headers)
            if campaign_id not in expected:
                assert detail.status_code == 404, (person.email, campaign_id)
                continue
            body = detail.json()
            assert {r["id"] for r in body["reports"]} == expected[campaign_id]
            linked = {end for link in body["links"] for end in (link["a"], link["b"])}
            assert linked <= expected[campaign_id]
            hidden_titles = [reports[m].content.title for m in members - expected[campaign_id]]
            assert not any(t in detail.text for t in hidden_titles
                           if not any(reports[v].content.title == t for v in expected[campaign_id]))
    assert partly_hidden > 0, "some campaigns should mix readable and hidden reports"
