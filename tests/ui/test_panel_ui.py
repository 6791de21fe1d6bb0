"""The panel room in real Chromium: an analyst escalates a report from its page, the seat holders
read the frozen packet, answer the checklist, one recuses, the others vote, the chair records the
decision, and the decision record exports."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from ballotguard.services import auth
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import Role
from ballotguard.vocabulary import Tlp
from support import panel as panel_support
from support import world
from support.hub import PASSWORD
from support.pdf_text import pdf_text
from ui.conftest import LiveServer, screenshot, sign_in


def _as(browser: Browser, live: LiveServer, email: str) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live, email)
    return page


def test_escalation_to_decision_in_the_panel_room(
    live: LiveServer, page: Page, browser: Browser
) -> None:
    hub = live.hub
    bg = hub.bg
    members = [hub.panel_member]
    for i in range(2, 6):
        person = world.person(bg, hub.cert, [Role.PANEL_MEMBER], email=f"seat{i}@panel.example",
                              name=f"Panel member {i}")
        with bg.uow() as uow:
            auth.set_password(uow, OPERATOR, person, PASSWORD, bg.clock())
        members.append(person)
    panel_support.seat(bg, members)
    report = world.file(bg, hub.ea_analyst, tlp=Tlp.AMBER, title="Robocalls give the wrong "
                        "polling day", summary="Recorded calls in two ridings say to vote Tuesday.")

    sign_in(page, live, hub.ea_analyst.email)
    page.goto(f"{live.url}/reports/{report.id}")
    page.get_by_label("Why the panel should look at it").fill("Voter suppression in two ridings")
    page.get_by_label("Confidence in the evidence").select_option("high")
    page.get_by_role("button", name="Escalate to the panel").click()
    expect(page.locator("#case-title")).to_have_text("Robocalls give the wrong polling day")
    expect(page.locator("#packet-tlp")).to_have_text("TLP:AMBER")
    case_url = page.url

    chair = _as(browser, live, members[0].email)
    chair.goto(f"{live.url}/panel")
    chair.locator(".case-link", has_text="Robocalls").click()
    expect(chair.locator("#packet-reports")).to_contain_text("vote Tuesday")
    chair.get_by_label("Item", exact=True).select_option("effect")
    chair.get_by_label("Answer", exact=True).select_option("significant")
    chair.get_by_label("Why this answer").fill("Targets turnout directly")
    chair.get_by_role("button", name="Record answer").click()
    expect(chair.locator("#answer-effect")).to_contain_text("significant")
    chair.get_by_role("button", name="Public notice").click()
    expect(chair.locator("#my-vote")).to_contain_text("Public notice")

    recused = _as(browser, live, members[4].email)
    recused.goto(case_url)
    recused.get_by_label("Conflict of interest").fill("Campaign volunteer in one riding")
    recused.get_by_role("button", name="Recuse from this case").click()
    expect(recused.locator("#my-recusal")).to_be_visible()
    expect(recused.locator("#vote-form")).to_have_count(0)

    chair.goto(case_url)
    chair.get_by_role("button", name="Record the decision").click()
    expect(chair.locator("#panel-error")).to_contain_text("Seat 2, Seat 3, Seat 4")

    for member in members[1:4]:
        voter = _as(browser, live, member.email)
        voter.goto(case_url)
        voter.get_by_role("button", name="Public notice").click()
        expect(voter.locator("#my-vote")).to_be_visible()
        voter.context.close()

    chair.goto(case_url)
    expect(chair.locator("#supported")).to_have_text("public notice")
    chair.get_by_label("Rationale").fill("Clear effect on turnout in two ridings")
    chair.get_by_role("button", name="Record the decision").click()
    expect(chair.locator("#current-decision .outcome")).to_have_text("Public notice")
    expect(chair.locator("tr[data-seat='seat-5'] .seat-state")).to_contain_text(
        "Recused: Campaign volunteer")
    screenshot(chair, "panel-case-decided")

    pdf = chair.request.get(f"{case_url.replace('/panel/', '/api/panel/')}/record.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert "Clear effect on turnout in two ridings" in pdf_text(pdf.body())
    recused.context.close()
    chair.context.close()
