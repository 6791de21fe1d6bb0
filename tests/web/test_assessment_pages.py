"""The definition pages (public) and the assessment form on the report page, over HTTP as a
browser sends it."""

from __future__ import annotations

import html
import re

from ballotguard.assessment import (
    BASELINE_ID,
    builtin_definition,
    builtin_definitions,
    criterion_info,
    parse_definition,
)
from ballotguard.services import assessments
from ballotguard.sharing import Observable, ObservableKind, Report
from conftest import PASSWORD, Hub
from support import world

# Calls every case on a democratic target interference, public diplomacy included.
GREEDY = """\
id: greedy-test
version: 1.0.0
title: A definition that catches too much
source:
  title: Nowhere
  publisher: Test
  year: 2026
  url: https://example.org/greedy
criteria:
  - democratic_target
rule: democratic_target
rationale: Only here to be refused by the case library.
"""


def _login(hub: Hub, email: str) -> str:
    hub.client.cookies.clear()
    signed_in = hub.client.post("/login", data={"email": email, "password": PASSWORD, "next": "/"},
                                follow_redirects=False)
    assert signed_in.status_code == 303
    return _csrf(hub.client.get("/").text)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_definition_pages_are_public_and_show_the_case_library(hub: Hub) -> None:
    listing = hub.client.get("/definitions")
    assert listing.status_code == 200
    for definition_id in (BASELINE_ID, "australia-2018", "canada-csis", "eu-fimi"):
        assert f'href="/definitions/{definition_id}?version=' in listing.text
    assert "not adopted" in listing.text
    assert 'id="adopt"' not in listing.text

    page = hub.client.get(f"/definitions/{BASELINE_ID}")
    assert page.status_code == 200
    baseline = builtin_definition(BASELINE_ID)
    text = _text(page.text)
    assert baseline.source.url in page.text
    assert baseline.rule_text in text
    for criterion in baseline.criteria:
        info = criterion_info(criterion)
        assert info.description in text
        assert info.questions[0] in text
    run = assessments.test_definition(baseline)
    assert run.passed
    rows = re.findall(r'<tr class="case-row (pass|fail)" id="case-([a-z0-9-]+)"', page.text)
    assert len(rows) == len(run.rows) >= 40
    assert {status for status, _ in rows} == {"pass"}
    assert "All " in text and "get the expected verdict" in text
    assert "no acceptable activity called interference" in text


def test_the_diff_page_shows_the_flips_and_why(hub: Hub) -> None:
    form = hub.client.get("/definitions/diff")
    assert form.status_code == 200
    assert 'id="flips"' not in form.text
    page = hub.client.get("/definitions/diff", params={"a": BASELINE_ID, "b": "canada-csis"})
    assert page.status_code == 200
    flips = assessments.compare_definitions(builtin_definition(BASELINE_ID),
                                            builtin_definition("canada-csis"))
    assert flips, "the baseline and Canada's definition part on some case"
    shown = re.findall(r'<tr id="flip-([a-z0-9-]+)"', page.text)
    assert shown == [f.case_id for f in flips]
    assert html.escape(flips[0].why, quote=False) in page.text
    assert hub.client.get("/definitions/diff", params={"a": "nope", "b": BASELINE_ID}
                          ).status_code == 404
    assert hub.client.get("/definitions/no-such-definition").status_code == 404


def test_adoption_refused_is_shown_and_keeps_the_text_then_a_signed_reason_adopts(
        hub: Hub) -> None:
    token = _login(hub, hub.admin.email)
    assert 'id="adopt"' in hub.client.get("/definitions").text
    refused = hub.client.post("/definitions", data={"csrf_token": token, "document": GREEDY,
                                                    "action": "adopt"})
    assert refused.status_code == 409
    assert "Not adopted" in refused.text
    run = assessments.test_definition(parse_definition(GREEDY))
    assert run.acceptable_called_interference
    for case_id in run.acceptable_called_interference:
        assert f"<li><code>{case_id}</code></li>" in refused.text
    assert html.escape(GREEDY, quote=False) in refused.text

    trial = hub.client.post("/definitions", data={"csrf_token": token, "document": GREEDY,
                                                  "action": "test"})
    assert trial.status_code == 200
    assert 'class="case-row fail"' in trial.text
    assert 'catches acceptable activity' in trial.text

    broken = hub.client.post("/definitions", data={
        "csrf_token": token, "document": GREEDY.replace("rule: democratic_target",
                                                        "rule: bribery"), "action": "adopt"})
    assert broken.status_code == 422
    assert "unknown criterion" in broken.text and "line" in broken.text

    adopted = hub.client.post("/definitions", data={
        "csrf_token": token, "document": GREEDY, "action": "adopt",
        "signed_reason": "Adopted for a test of the guard: we accept the over-reach knowingly."},
        follow_redirects=False)
    assert adopted.status_code == 303
    assert adopted.headers["location"] == "/definitions/greedy-test?version=1.0.0"
    page = hub.client.get(adopted.headers["location"])
    assert "adopted" in page.text and "over-reach knowingly" in page.text


def test_only_definition_adopters_may_adopt(hub: Hub) -> None:
    token = _login(hub, hub.ea_analyst.email)
    assert 'id="adopt"' not in hub.client.get("/definitions").text
    refused = hub.client.post("/definitions", data={"csrf_token": token, "document": GREEDY})
    assert refused.status_code == 403
    hub.client.cookies.clear()
    assert hub.client.post("/definitions", data={"document": GREEDY}).status_code == 401


def _report(hub: Hub) -> str:
    report: Report = world.file(hub.bg, hub.ea_analyst, title="Troll network posts fake results",
                        observables=[Observable(kind=ObservableKind.URL,
                                                value="https://fake-results.example/live")])
    return report.id


def _findings(**changes: str) -> dict[str, str]:
    fields = {
        "definition": BASELINE_ID,
        "answer-democratic_target": "yes", "confidence-democratic_target": "high",
        "evidence-democratic_target": "report_field|summary",
        "answer-deception": "yes", "confidence-deception": "moderate",
        "evidence-deception": "observable|url:https://fake-results.example/live",
        "rationale-deception": "Accounts posing as local voters",
        "answer-intent": "yes", "confidence-intent": "moderate",
        "url-intent": "https://news.example/troll-farm",
        "answer-coercion": "no", "evidence-coercion": "report_field|summary",
        "reason": "first look",
    }
    fields.update(changes)
    return fields


def test_the_assessment_form_records_a_verdict_and_shows_it_side_by_side(hub: Hub) -> None:
    report_id = _report(hub)
    token = _login(hub, hub.cert_analyst.email)
    page = hub.client.get(f"/reports/{report_id}")
    assert "Assess this report" in page.text
    assert 'value="observable|url:https://fake-results.example/live"' in page.text
    assert criterion_info(builtin_definition(BASELINE_ID).criteria[0]).questions[0] in \
        _text(page.text)
    assert "No assessment yet." in page.text

    done = hub.client.post(f"/reports/{report_id}/assessments",
                           data=_findings(csrf_token=token), follow_redirects=False)
    assert done.status_code == 303, done.text
    assert done.headers["location"].startswith(f"/reports/{report_id}?compare=")
    shown = hub.client.get(done.headers["location"])
    assert '<span class="verdict verdict-interference">interference</span> under' in shown.text
    assert "Accounts posing as local voters" in shown.text
    assert "Version 1 · by analyst" in shown.text
    assert 'id="side-by-side"' in shown.text
    side = re.findall(r'<tr data-definition="([a-z0-9-]+)">', shown.text)
    assert side == [d.id for d in builtin_definitions()]

    with hub.bg.uow() as uow:
        stored = assessments.assessments_of(uow, _actor(hub), assessments.SubjectKind.REPORT,
                                            report_id)
    assert [v.result.verdict.value for v in stored] == ["interference"]


def _actor(hub: Hub):  # type: ignore[no-untyped-def]
    from ballotguard.services.actors import person_actor

    return person_actor(hub.cert_analyst)


def test_a_yes_without_evidence_is_refused_naming_the_criterion_and_keeps_everything(
        hub: Hub) -> None:
    report_id = _report(hub)
    token = _login(hub, hub.cert_analyst.email)
    data = _findings(csrf_token=token)
    del data["evidence-deception"]
    refused = hub.client.post(f"/reports/{report_id}/assessments", data=data)
    assert refused.status_code == 422
    error = re.search(r'<p class="error" role="alert" id="err-deception">([^<]+)</p>',
                      refused.text)
    assert error, "the error is shown next to the deception criterion"
    assert "deception" in error.group(1) and "cites no evidence" in html.unescape(error.group(1))
    assert "Nothing you typed is lost" in refused.text
    assert "Accounts posing as local voters</textarea>" in refused.text
    assert 'name="answer-deception" value="yes" aria-label="Deception: yes" checked' in refused.text
    assert ('value="report_field|summary" checked' in refused.text)
    assert 'value="https://news.example/troll-farm"' in refused.text
    with hub.bg.uow() as uow:
        assert assessments.assessments_of(uow, _actor(hub), assessments.SubjectKind.REPORT,
                                          report_id) == []


def test_evidence_the_report_does_not_hold_is_refused_on_its_criterion(hub: Hub) -> None:
    report_id = _report(hub)
    token = _login(hub, hub.cert_analyst.email)
    data = _findings(csrf_token=token,
                     **{"evidence-deception": "observable|url:https://elsewhere.example/"})
    refused = hub.client.post(f"/reports/{report_id}/assessments", data=data)
    assert refused.status_code == 422
    assert 'id="err-deception"' in refused.text
    assert "has no observable" in refused.text


def test_assessing_needs_the_assess_permission_and_a_readable_report(hub: Hub) -> None:
    report_id = _report(hub)
    token = _login(hub, hub.ea_admin.email)
    page = hub.client.get(f"/reports/{report_id}")
    assert page.status_code == 200
    assert "Assessments" in page.text and "Assess this report" not in page.text
    assert hub.client.post(f"/reports/{report_id}/assessments",
                           data=_findings(csrf_token=token)).status_code == 403
    secret = world.file(hub.bg, hub.ea_analyst, tlp="AMBER", title="Only for the commission")
    token = _login(hub, hub.platform_analyst.email)
    refused = hub.client.post(f"/reports/{secret.id}/assessments",
                              data=_findings(csrf_token=token))
    assert refused.status_code == 404
    assert "Only for the commission" not in refused.text


def test_another_definition_shows_its_own_criteria(hub: Hub) -> None:
    report_id = _report(hub)
    _login(hub, hub.cert_analyst.email)
    page = hub.client.get(f"/reports/{report_id}", params={"definition": "canada-csis"})
    assert page.status_code == 200
    canada = builtin_definition("canada-csis")
    fieldsets = re.findall(r'<fieldset id="criterion-([a-z_]+)"', page.text)
    assert fieldsets == [c.value for c in canada.criteria]
    assert '<input type="hidden" name="definition" value="canada-csis">' in page.text
