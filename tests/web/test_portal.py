"""The public portal without login: both languages, versions with the reason, the methodology,
voting information as safe Markdown, cache headers, landmarks and the language switch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from ballotguard.bootstrap import Ballotguard
from ballotguard.services import assessments
from ballotguard.services import notices as service
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.web.app import create_app
from support import notices as support


@pytest.fixture
def stage(sqlite_bg: Ballotguard) -> support.Stage:
    return support.stage(sqlite_bg)


@pytest.fixture
def client(sqlite_bg: Ballotguard, stage: support.Stage) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_bg)) as test_client:
        yield test_client


def published(s: support.Stage) -> str:
    support.brief_everyone(s)
    notice_id = support.drafted(s)
    chair = person_actor(s.members[0])
    with s.bg.uow() as uow:
        service.publish(uow, chair, notice_id, support.LANGUAGES, False, s.bg.clock())
    fixed = replace(support.CONTENT, texts={
        "en": replace(support.EN, when="All day on 2 November."),
        "fr": replace(support.FR, when="Toute la journée du 2 novembre.")})
    s.bg.clock.advance(hours=1)  # type: ignore[attr-defined]
    with s.bg.uow() as uow:
        service.save_draft(uow, chair, notice_id, fixed, s.bg.clock())
    with s.bg.uow() as uow:
        service.publish(uow, chair, notice_id, support.LANGUAGES, False, s.bg.clock(),
                        reason="The messages went on all day.")
    return notice_id


def test_portal_redirects_to_the_default_language(client: TestClient) -> None:
    response = client.get("/portal", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/portal/en"
    assert client.get("/portal/de").status_code == 404


def test_a_notice_in_both_languages_with_its_versions(
    client: TestClient, stage: support.Stage
) -> None:
    notice_id = published(stage)
    home = client.get("/portal/en")
    assert home.status_code == 200
    assert "Fake messages about polling stations" in home.text
    assert home.headers["cache-control"] == "public, max-age=60"
    en = client.get(f"/portal/en/notices/{notice_id}").text
    assert '<html lang="en">' in en
    assert "All day on 2 November." in en and "On 2 November, in the morning." in en
    assert "The messages went on all day." in en
    assert "False information spread on purpose" in en
    fr = client.get(f"/portal/fr/notices/{notice_id}")
    assert fr.headers["content-language"] == "fr"
    assert '<html lang="fr">' in fr.text
    assert "Toute la journée du 2 novembre." in fr.text
    assert "Fausses informations diffusées exprès" in fr.text
    assert f'href="/portal/en/notices/{notice_id}" hreflang="en"' in fr.text
    for landmark in ('<main id="main"', "<header", "<nav", "<footer", 'class="skip"'):
        assert landmark in fr.text


def test_drafts_and_unknown_notices_are_not_found(client: TestClient, stage: support.Stage) -> None:
    notice_id = support.drafted(stage)
    assert client.get(f"/portal/en/notices/{notice_id}").status_code == 404
    assert client.get("/portal/en/notices/nothing").status_code == 404
    assert "Fake messages" not in client.get("/portal/en").text


def test_methodology_shows_the_adopted_definition_and_threshold(
    client: TestClient, stage: support.Stage
) -> None:
    with stage.bg.uow() as uow:
        baseline = assessments.list_definitions(uow)[0].definition
        assessments.adopt_definition(uow, OPERATOR, baseline.text, None, stage.bg.clock())
    page = client.get("/portal/fr/methodology")
    assert page.status_code == 200
    assert baseline.title in page.text
    assert "at least 4 votes" in page.text
    assert f"{len(assessments.case_library())} cas" in page.text


def test_voting_information_is_markdown_without_html(
    client: TestClient, stage: support.Stage
) -> None:
    with stage.bg.uow() as uow:
        service.save_voting_page(uow, person_actor(stage.official), "where-to-vote", "en",
                                 "Where to vote",
                                 "Find your **station**.\n\n<script>alert(1)</script>\n\n"
                                 "[x](javascript:alert(1))", "", support.LANGUAGES,
                                 stage.bg.clock())
    page = client.get("/portal/en/voting-info/where-to-vote")
    assert page.status_code == 200
    assert "<strong>station</strong>" in page.text
    assert "<script>alert" not in page.text and 'href="javascript:' not in page.text
    assert client.get("/portal/fr/voting-info/where-to-vote").status_code == 404
    assert "Where to vote" in client.get("/portal/en/voting-info").text
