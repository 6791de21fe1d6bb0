"""The newcomer's flow in a real browser: the election authority files an AMBER report for the
CERT; the CERT analyst sees it, the platform analyst does not."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from conftest import LiveServer, screenshot, sign_in


def _file_amber_report_for_cert(page: Page, live: LiveServer, title: str) -> str:
    page.get_by_role("link", name="File a report").click()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Summary").fill("Credential stuffing from 203.0.113.0/24 against the "
                                      "voter registration portal login; blocked by the WAF.")
    page.get_by_label("Observed at (UTC)").fill("2026-11-01T09:30")
    page.get_by_label("Election", exact=True).fill("General election 2026")
    page.get_by_label("Election phase").select_option("voter_registration")
    page.get_by_label("Cyber intrusion").check()
    page.get_by_label("Attempted").check()
    page.get_by_label("Kind of target").select_option("voter_registration_system")
    page.get_by_label("Organisation (if a member of this hub)").select_option(
        label="Electoral Commission")
    page.get_by_label("Observables, one per line").fill("ip 203.0.113.77\nurl HTTPS://Vote.Example/login#x")
    page.get_by_label("Techniques, comma-separated").fill("attack:T1110")
    page.get_by_label("TLP", exact=True).select_option("AMBER")
    page.get_by_label("National CERT").check()
    screenshot(page, "report-form")
    page.get_by_role("button", name="File the report").click()
    expect(page.locator("#tlp-badge")).to_have_text("TLP:AMBER")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    match = re.search(r"/reports/([0-9a-f-]+)$", page.url)
    assert match, page.url
    return match.group(1)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_amber_report_reaches_the_cert_and_not_the_platform(page: Page, live: LiveServer) -> None:
    title = "Attempted intrusion into the voter registration portal"
    sign_in(page, live, live.hub.ea_analyst.email)
    report_id = _file_amber_report_for_cert(page, live, title)
    expect(page.get_by_role("cell", name="url", exact=True)).to_be_visible()
    expect(page.get_by_text("https://vote.example/login", exact=True)).to_be_visible()
    screenshot(page, "report-detail")
    _sign_out(page)

    sign_in(page, live, live.hub.platform_analyst.email)
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.locator("#report-count")).to_contain_text("0 reports match")
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    page.goto(f"{live.url}/reports/{report_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    _sign_out(page)

    sign_in(page, live, live.hub.cert_analyst.email)
    expect(page.get_by_role("link", name=title)).to_be_visible()
    screenshot(page, "dashboard-cert")
    page.get_by_role("link", name=title).click()
    page.get_by_label("Move to").select_option("triaged")
    page.get_by_label("Reason").fill("confirmed in our sensor data")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator(".status")).to_have_text("triaged")
    expect(page.get_by_text("confirmed in our sensor data")).to_be_visible()


def test_the_form_keeps_everything_when_a_field_is_wrong(page: Page, live: LiveServer) -> None:
    sign_in(page, live, live.hub.ea_analyst.email)
    page.get_by_role("link", name="File a report").click()
    page.get_by_label("Title", exact=True).fill("Leak of party e-mails")
    page.get_by_label("Observed at (UTC)").fill("2026-11-02T08:00")
    page.get_by_label("Election", exact=True).fill("General election 2026")
    page.get_by_label("Election phase").select_option("campaign")
    page.get_by_label("Hack-and-leak").check()
    page.get_by_label("Successful").check()
    page.get_by_label("Observables, one per line").fill("ip 999.0.0.1")
    page.get_by_role("button", name="File the report").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nothing you typed is lost")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Leak of party e-mails")
    expect(page.get_by_label("Hack-and-leak")).to_be_checked()
    expect(page.get_by_text("is not a valid ip")).to_be_visible()
    screenshot(page, "report-form-error")


def test_every_form_control_has_a_label_and_the_form_works_by_keyboard(
        page: Page, live: LiveServer) -> None:
    sign_in(page, live, live.hub.ea_analyst.email)
    page.goto(f"{live.url}/reports/new")
    unlabelled = page.evaluate("""() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea')].filter(el =>
        !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name)""")
    assert unlabelled == []
    page.get_by_label("Title", exact=True).focus()
    page.keyboard.type("Typed by keyboard")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "summary"
    assert page.evaluate("() => [...document.scripts].filter(s => s.src).length") == 0
    assert page.evaluate("""() => [...document.querySelectorAll('link[href]')].every(
        l => new URL(l.href).host === location.host)""")
