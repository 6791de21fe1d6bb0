"""Assessment in a real browser: an analyst answers the criteria on the report page and sees
the verdict with the same findings under every definition; the public definitions page shows
the baseline passing its case library."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ballotguard.assessment import BASELINE_ID, builtin_definitions
from ballotguard.services import assessments
from ballotguard.sharing import Observable, ObservableKind, Report
from conftest import LiveServer, screenshot, sign_in
from support import world

URL = "https://ballot-burning.example/clip"


def _report(live: LiveServer, title: str) -> str:
    report: Report = world.file(live.hub.bg, live.hub.ea_analyst, title=title,
                        summary="A doctored clip shows ballots burning; new accounts push it.",
                        observables=[Observable(kind=ObservableKind.URL, value=URL)])
    return report.id


def _answer(page: Page, criterion: str, label: str, answer: str, *evidence: str) -> None:
    box = page.locator(f"#criterion-{criterion}")
    box.get_by_label(f"{label}: {answer}").check()
    for item in evidence:
        box.get_by_label(item, exact=True).check()


def test_an_analyst_assesses_a_report_and_sees_the_verdict(page: Page, live: LiveServer) -> None:
    report_id = _report(live, "Doctored ballot-burning clip")
    sign_in(page, live, live.hub.cert_analyst.email)
    page.goto(f"{live.url}/reports/{report_id}")
    expect(page.get_by_role("heading", name="Assess this report")).to_be_visible()
    _answer(page, "democratic_target", "Democratic target", "yes", "report field: summary")
    _answer(page, "deception", "Deception", "yes", f"observable url:{URL}")
    page.get_by_label("Rationale (deception)").fill("The clip is doctored; accounts are new")
    page.get_by_label("Confidence (deception)").select_option("high")
    _answer(page, "intent", "Intent", "yes", "report field: summary")
    screenshot(page, "assessment-form")
    page.get_by_role("button", name="Record the assessment").click()

    assessment = page.locator("#assessments article.assessment")
    expect(assessment).to_have_count(1)
    expect(assessment.locator(".verdict")).to_have_text("interference")
    expect(assessment).to_contain_text("The clip is doctored; accounts are new")
    expect(assessment).to_contain_text("deception: yes (high confidence)")
    side = page.locator("#side-by-side tbody tr")
    expect(side).to_have_count(len(builtin_definitions()))
    expect(page.locator(f'#side-by-side tr[data-definition="{BASELINE_ID}"] .verdict')
           ).to_have_text("interference")
    screenshot(page, "assessment-side-by-side")


def test_a_yes_without_evidence_is_refused_and_nothing_is_lost(
        page: Page, live: LiveServer) -> None:
    report_id = _report(live, "Clip pushed by new accounts")
    sign_in(page, live, live.hub.cert_analyst.email)
    page.goto(f"{live.url}/reports/{report_id}")
    _answer(page, "deception", "Deception", "yes")
    page.get_by_label("Rationale (deception)").fill("Accounts created the same day")
    _answer(page, "intent", "Intent", "no", "report field: title")
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.locator("#err-deception")).to_contain_text("deception")
    expect(page.locator("#err-deception")).to_contain_text("cites no evidence")
    expect(page.get_by_label("Rationale (deception)")).to_have_value(
        "Accounts created the same day")
    expect(page.get_by_label("Deception: yes")).to_be_checked()
    expect(page.get_by_label("Intent: no")).to_be_checked()
    expect(page.locator("#criterion-intent").get_by_label("report field: title", exact=True)
           ).to_be_checked()
    expect(page.locator("#assessments article.assessment")).to_have_count(0)
    screenshot(page, "assessment-form-error")


def test_the_public_definitions_page_shows_the_baseline_passing_every_case(
        page: Page, live: LiveServer) -> None:
    page.goto(f"{live.url}/definitions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Definitions of interference")
    page.get_by_role("link", name=BASELINE_ID, exact=True).click()
    cases = len(assessments.case_library())
    expect(page.locator("#case-table tbody tr")).to_have_count(cases)
    expect(page.locator("#case-table tr.pass")).to_have_count(cases)
    expect(page.locator("#case-table tr.fail")).to_have_count(0)
    expect(page.locator("#case-summary")).to_contain_text("get the expected verdict")
    expect(page.locator("#rule-text")).not_to_be_empty()
    screenshot(page, "definition-baseline")
    page.goto(f"{live.url}/definitions/diff")
    page.get_by_label("First definition").select_option(BASELINE_ID)
    page.get_by_label("Second definition").select_option("eu-fimi")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#flip-summary")).to_contain_text("cases get a different verdict")
