"""A risk-limiting audit end to end in real Chromium: the administrator sets it up (a short seed
is refused with the field named), assigns a jurisdiction manager and two audit-board members;
the manager's bad manifest is refused with its line, the good one accepted; the sample is drawn
and the retrieval list downloads as CSV and PDF; the two members read every ballot (a
disagreement is shown with both readings, then resolved); the round is measured, the risk plot
drawn, the outcome confirmed, and the final report downloads with the seed in it."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Browser, Page, expect

from ballotguard.services import auth
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import Person, Role
from support import world
from support.hub import PASSWORD
from support.pdf_text import pdf_text
from ui.conftest import LiveServer, screenshot, sign_in

SEED = "27182818284590452353602874"
MANIFEST = b"Container,Tabulator,Batch Name,Number of Ballots\nBox 1,T1,B1,100\nBox 2,T1,B2,100\n"


def truth(unit_id: str) -> str:
    """What the paper ballot says: every seventh position is Brooks (28 of 200)."""
    return "Brooks" if int(unit_id.rsplit("|", 1)[1]) % 7 == 0 else "Alvarez"


def _person(live: LiveServer, email: str, role: Role) -> Person:
    bg = live.hub.bg
    person = world.person(bg, live.hub.ea, [role], email=email, name=email.split("@")[0])
    with bg.uow() as uow:
        auth.set_password(uow, OPERATOR, person, PASSWORD, bg.clock())
    return person


def _as(browser: Browser, live: LiveServer, person: Person) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live, person.email, lands_on="/audits")
    return page


def _read(page: Page, live: LiveServer, audit_url: str, unit_id: str, choice: str,
          from_board: bool = False) -> None:
    """Enter a reading: through the audit page and the board's list, or straight to the form."""
    if from_board:
        page.goto(audit_url)
        page.locator(".board-link").click()
        page.locator(f"tr[data-unit='{unit_id}'] .enter-link").click()
    else:
        page.goto(f"{audit_url}/entry?unit={quote(unit_id)}")
    expect(page.locator("#ballot-place")).to_contain_text(unit_id.rsplit("|", 1)[1])
    mayor = page.get_by_role("group", name="Mayor")
    for candidate in ("Alvarez", "Brooks"):
        box = mayor.get_by_label(candidate)
        box.check() if candidate == choice else box.uncheck()
    page.get_by_role("button", name="Save my reading").click()
    expect(page.locator(f"tr[data-unit='{unit_id}'] .mine")).to_have_text(f"Mayor: {choice}")


def _units(page: Page, audit_url: str) -> list[str]:
    text = page.request.get(f"{audit_url}/retrieval.csv").text()
    return [line.split(",")[7] for line in text.strip().splitlines()[1:]]


def test_an_audit_end_to_end_in_the_browser(live: LiveServer, page: Page, browser: Browser) -> None:
    admin = _person(live, "rla-admin@ec.example", Role.AUDIT_ADMIN)
    clerk = _person(live, "clerk@northfield.example", Role.JURISDICTION_MANAGER)
    reader_a = _person(live, "board-a@northfield.example", Role.AUDIT_BOARD)
    reader_b = _person(live, "board-b@northfield.example", Role.AUDIT_BOARD)

    sign_in(page, live, admin.email, lands_on="/audits")
    page.get_by_role("link", name="Audits").click()
    page.get_by_role("link", name="Set up an audit").click()
    page.get_by_label("Name of the audit").fill("Northfield general election 2026")
    page.get_by_label("Method").select_option("bravo")
    page.get_by_label("Risk limit (%)").fill("10")
    page.get_by_label("Random seed").fill("12345")
    page.get_by_label("Chance that a round finishes the audit").fill("50")
    page.get_by_label("Jurisdictions and the ballot cards").fill("Northfield: 200")
    page.get_by_label("Contest name").first.fill("Mayor")
    page.get_by_label("Reported votes, one candidate per line").first.fill(
        "Alvarez: 172\nBrooks: 28")
    page.get_by_label("Reported winner(s)").first.fill("Alvarez")
    page.get_by_label("Ballot cards that carry the contest").first.fill("200")
    page.get_by_role("button", name="Create the audit").click()
    expect(page.locator("#audit-error")).to_contain_text("at least 20 are needed")
    expect(page.get_by_label("Contest name").first).to_have_value("Mayor")
    page.get_by_label("Random seed").fill(SEED)
    page.get_by_role("button", name="Create the audit").click()
    expect(page.locator("#audit-name")).to_have_text("Northfield general election 2026")
    expect(page.locator("#audit-status")).to_contain_text("waiting for files")
    audit_url = page.url
    for person in (clerk, reader_a, reader_b):
        page.get_by_label("Person", exact=True).select_option(person.id)
        page.get_by_role("button", name="Assign").click()
        expect(page.locator("tr[data-jurisdiction='Northfield']")).to_contain_text(person.name)

    manager = _as(browser, live, clerk)
    manager.get_by_role("link", name="Audits").click()
    manager.locator(".audit-link", has_text="Northfield general election").click()
    upload = manager.get_by_label("Ballot manifest of Northfield (CSV)")
    upload.set_input_files(files=[{"name": "bad.csv", "mimeType": "text/csv",
                                   "buffer": MANIFEST.replace(b",100\n", b",-4\n", 1)}])
    manager.get_by_role("button", name="Upload the ballot manifest").click()
    expect(manager.locator("#audit-error")).to_contain_text("manifest line 2")
    expect(manager.locator("tr[data-jurisdiction='Northfield'] .manifest-state")).to_have_text(
        "missing")
    manager.get_by_label("Ballot manifest of Northfield (CSV)").set_input_files(
        files=[{"name": "northfield-manifest.csv", "mimeType": "text/csv", "buffer": MANIFEST}])
    manager.get_by_role("button", name="Upload the ballot manifest").click()
    expect(manager.locator("tr[data-jurisdiction='Northfield'] .manifest-state")).to_contain_text(
        "200 listed")
    manager.context.close()

    page.goto(audit_url)
    expect(page.locator("#audit-status")).to_have_text("Ready to draw the first sample")
    page.get_by_role("button", name="Draw the round 1 sample").click()
    expect(page.locator("#audit-status")).to_contain_text("audit boards are reading")
    expect(page.locator("tr[data-round='1']")).to_be_visible()
    retrieval = page.request.get(live.url + (page.locator(".retrieval-pdf").get_attribute("href") or ""))
    assert retrieval.headers["content-type"] == "application/pdf"
    assert "Ballots to retrieve: Northfield, round 1" in pdf_text(retrieval.body())
    units = _units(page, audit_url)
    assert units

    board_a = _as(browser, live, reader_a)
    board_b = _as(browser, live, reader_b)
    first = units[0]
    wrong = "Brooks" if truth(first) == "Alvarez" else "Alvarez"
    _read(board_a, live, audit_url, first, wrong, from_board=True)
    board_b.goto(audit_url)
    board_b.locator(".board-link").click()
    board_b.locator(f"tr[data-unit='{first}'] .enter-link").click()
    expect(board_b.locator("#other-entered")).to_contain_text("board-a has entered a reading")
    expect(board_b.locator("#other-entered")).not_to_contain_text(wrong)
    board_b.get_by_role("group", name="Mayor").get_by_label(truth(first)).check()
    board_b.get_by_role("button", name="Save my reading").click()
    row = board_b.locator(f"tr[data-unit='{first}']")
    expect(row).to_have_attribute("data-state", "disagreement")
    expect(row.locator(".readings")).to_contain_text(f"board-a: Mayor: {wrong}")
    expect(row.locator(".readings")).to_contain_text(f"board-b: Mayor: {truth(first)}")
    page.goto(audit_url)
    expect(page.locator("tr[data-jurisdiction='Northfield'] .progress-disagreements")).to_have_text(
        "1")
    screenshot(board_b, "audit-board-disagreement")
    _read(board_a, live, audit_url, first, truth(first))
    expect(board_a.locator(f"tr[data-unit='{first}']")).to_have_attribute("data-state",
                                                                           "confirmed")

    for round_number in (1, 2, 3):
        todo = units[1:] if round_number == 1 else _units(page, audit_url)
        for unit in todo:
            _read(board_a, live, audit_url, unit, truth(unit))
            _read(board_b, live, audit_url, unit, truth(unit))
        page.goto(audit_url)
        page.get_by_role("button", name=f"Measure round {round_number}").click()
        expect(page.locator("#risk-plot")).to_be_visible()
        if page.locator("#audit-status").get_attribute("data-status") != "measured":
            break
        page.get_by_role("button", name=f"Draw the round {round_number + 1} sample").click()
    expect(page.locator("#audit-status")).to_have_text("Outcome confirmed")
    expect(page.locator("tr[data-contest='Mayor'] .contest-status")).to_have_text("confirmed")
    expect(page.locator("#risk-plot .risk-series[data-contest='Mayor']")).to_have_class(
        "risk-series series-0 confirmed")
    expect(page.locator("#conclusion")).to_contain_text("confirmed")
    screenshot(page, "audit-confirmed")

    report = page.request.get(live.url + (page.locator("#report-pdf").get_attribute("href") or ""))
    assert report.ok and report.headers["content-type"] == "application/pdf"
    text = pdf_text(report.body())
    assert SEED in text and "Outcome confirmed" in text and "Appendix: the sample" in text
    board_a.context.close()
    board_b.context.close()
