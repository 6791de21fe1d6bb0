"""Notices over JSON: a draft in two languages, the checks, refusals that name what is missing,
publication by the chair, a correction, and the public read without a token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ballotguard.bootstrap import Ballotguard
from ballotguard.services import auth
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import Person
from ballotguard.web.api.notices import content_out
from ballotguard.web.app import create_app
from support import notices as support


@pytest.fixture
def stage(sqlite_bg: Ballotguard) -> support.Stage:
    return support.stage(sqlite_bg)


@pytest.fixture
def client(sqlite_bg: Ballotguard, stage: support.Stage) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_bg)) as test_client:
        yield test_client


def headers(bg: Ballotguard, person: Person) -> dict[str, str]:
    with bg.uow() as uow:
        token = auth.create_token(uow, OPERATOR, person, "test", bg.clock())
    return {"Authorization": f"Bearer {token}"}


def test_draft_check_brief_publish_correct(client: TestClient, stage: support.Stage) -> None:
    chair = headers(stage.bg, stage.members[0])
    member = headers(stage.bg, stage.members[1])
    created = client.post("/api/notices", json={"decision_id": stage.decision.id}, headers=member)
    assert created.status_code == 201, created.text
    notice_id = created.json()["id"]
    assert created.json()["audience"] == "public" and created.json()["state"] == "draft"
    empty = client.post(f"/api/notices/{notice_id}/publish", json={}, headers=chair)
    assert empty.status_code == 422
    assert "empty fields: threat_type, actor_kind, confidence, channel_url, en.title" in \
        empty.json()["detail"]
    body = content_out(support.CONTENT).model_dump(mode="json")
    saved = client.put(f"/api/notices/{notice_id}/draft", json=body, headers=member)
    assert saved.status_code == 200, saved.text
    checked = client.post(f"/api/notices/{notice_id}/check", headers=member).json()
    assert checked["blocking"] == [] and checked["flags"] == []
    assert set(checked["readability"]) == {"en", "fr"}
    assert all(g["grade"] <= 8 for g in checked["readability"].values())
    early = client.post(f"/api/notices/{notice_id}/publish", json={}, headers=chair)
    assert early.status_code == 409
    assert "Office of the Premier" in early.json()["detail"]
    for party in ("head_of_government", "political_parties", "election_authority"):
        told = client.post(f"/api/notices/decisions/{stage.decision.id}/briefings",
                           json={"party": party, "text": "Notice at noon."}, headers=member)
        assert told.status_code == 201, told.text
    status = client.get(f"/api/notices/decisions/{stage.decision.id}/briefings", headers=member)
    assert status.json()["missing"] == []
    not_chair = client.post(f"/api/notices/{notice_id}/publish", json={}, headers=member)
    assert not_chair.status_code == 403
    first = client.post(f"/api/notices/{notice_id}/publish", json={}, headers=chair)
    assert first.status_code == 201 and first.json()["number"] == 1
    body["texts"]["en"]["when"] = "All day on 2 November."
    client.put(f"/api/notices/{notice_id}/draft", json=body, headers=member)
    second = client.post(f"/api/notices/{notice_id}/publish",
                         json={"reason": "It went on all day."}, headers=chair)
    assert second.status_code == 201 and second.json()["number"] == 2
    public = client.get(f"/api/portal/notices/{notice_id}")
    assert public.status_code == 200
    assert [v["reason"] for v in public.json()["versions"]] == ["", "It went on all day."]
    assert client.get("/api/portal/notices").json()[0]["id"] == notice_id


def test_voting_info_needs_an_election_official(client: TestClient, stage: support.Stage) -> None:
    official = headers(stage.bg, stage.official)
    saved = client.put("/api/voting-info/where-to-vote/fr", headers=official,
                       json={"title": "Où voter", "body": "Trouvez votre **bureau**."})
    assert saved.status_code == 200 and saved.json()["version"] == 1
    refused = client.put("/api/voting-info/where-to-vote/fr", headers=headers(
        stage.bg, stage.members[0]), json={"title": "x", "body": "y"})
    assert refused.status_code == 403
    assert client.get("/api/portal/voting-info").json()[0]["title"] == "Où voter"
