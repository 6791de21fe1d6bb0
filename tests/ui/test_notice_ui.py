"""Notices in real Chromium: a seat holder drafts a bilingual notice from the panel's decision,
the checks grade both languages, publication is refused until the required parties are briefed,
the chair publishes and corrects, and the public portal shows both languages and the versions."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from ballotguard.services import auth
from ballotguard.services.actors import OPERATOR
from support import notices as support
from support.hub import PASSWORD
from ui.conftest import LiveServer, screenshot, sign_in


def _as(browser: Browser, live: LiveServer, email: str) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live, email)
    return page


def _fill(page: Page, lang: str, text: support.NoticeText) -> None:
    for field, value in text.fields().items():
        page.locator(f"#f-{lang}-{field}").fill(value)


def test_draft_check_brief_publish_correct_and_read_on_the_portal(
    live: LiveServer, page: Page, browser: Browser
) -> None:
    bg = live.hub.bg
    s = support.stage(bg)
    for person in s.members[:2]:
        with bg.uow() as uow:
            auth.set_password(uow, OPERATOR, person, PASSWORD, bg.clock())

    member = _as(browser, live, s.members[1].email)
    member.goto(f"{live.url}/notices")
    member.locator(f"form.awaiting[data-decision='{s.decision.id}']").get_by_role(
        "button", name="Start the notice").click()
    expect(member.locator("#draft-form")).to_be_visible()
    notice_url = member.url
    member.get_by_label("Type of threat").select_option("disinformation")
    member.get_by_label("Who is behind it").select_option("unknown")
    member.get_by_label("How sure we are").select_option("moderate")
    member.get_by_label("Official source for more").fill("https://elections.example/notices")
    _fill(member, "en", support.EN)
    _fill(member, "fr", support.FR)
    member.get_by_role("button", name="Save the draft and run the checks").click()
    expect(member.locator("#grades li[data-lang='en']")).to_contain_text("grade")
    expect(member.locator("#grades li[data-lang='fr']")).to_contain_text("grade")
    expect(member.locator("#grades li.error")).to_have_count(0)
    expect(member.locator("#no-flags")).to_be_visible()
    expect(member.locator("#briefings-missing")).to_contain_text("Office of the Premier")
    screenshot(member, "notice-draft-checked")

    chair = _as(browser, live, s.members[0].email)
    chair.goto(notice_url)
    chair.get_by_role("button", name="Publish the notice").click()
    expect(chair.locator("#error")).to_contain_text("required parties are informed")
    expect(chair.locator("#error")).to_contain_text("Blue Horizon, Green Future Party")

    for party in ("head_of_government", "political_parties", "election_authority"):
        member.goto(notice_url)
        member.get_by_label("Who was informed").select_option(party)
        member.get_by_label("What they were told").fill("A public notice follows at noon.")
        member.get_by_role("button", name="Record the briefing").click()
    expect(member.locator("#briefings-done")).to_be_visible()

    chair.goto(notice_url)
    chair.get_by_role("button", name="Publish the notice").click()
    expect(chair.locator("#versions details[data-version='1']")).to_be_visible()
    chair.locator("#f-en-when").fill("All day on 2 November.")
    chair.locator("#f-fr-when").fill("Toute la journée du 2 novembre.")
    chair.get_by_role("button", name="Save the draft and run the checks").click()
    chair.get_by_label("Reason for the correction").fill("The messages went on all day.")
    chair.get_by_role("button", name="Publish the correction").click()
    expect(chair.locator("#versions details[data-version='2']")).to_contain_text(
        "The messages went on all day.")

    page.goto(f"{live.url}/portal")
    expect(page).to_have_url(f"{live.url}/portal/en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Fake messages about polling stations").click()
    expect(page.locator("#notice")).to_contain_text("All day on 2 November.")
    expect(page.locator("#notice")).to_contain_text("The messages went on all day.")
    page.locator("#versions summary").first.click()
    expect(page.locator("#versions details[data-version='1']")).to_contain_text(
        "On 2 November, in the morning.")
    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#notice h1")).to_have_text("Faux messages sur les bureaux de vote")
    expect(page.locator("#notice")).to_contain_text("Toute la journée du 2 novembre.")
    expect(page.locator("#notice")).to_contain_text("Fausses informations diffusées exprès")
    screenshot(page, "portal-notice-fr")
    page.emulate_media(media="print")
    expect(page.locator("header.portal-top")).to_be_hidden()
    member.context.close()
    chair.context.close()


def test_an_election_official_edits_voting_information(
    live: LiveServer, page: Page
) -> None:
    hub = live.hub
    bg = hub.bg
    official = support.stage(bg).official
    with bg.uow() as uow:
        auth.set_password(uow, OPERATOR, official, PASSWORD, bg.clock())
    sign_in(page, live, official.email)
    page.goto(f"{live.url}/voting-info")
    page.get_by_label("Address (slug)").fill("where-to-vote")
    page.get_by_label("Language").select_option("fr")
    page.get_by_label("Title").fill("Où voter")
    page.get_by_label("Text (Markdown)").fill("Trouvez votre **bureau de vote** sur la carte.")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{live.url}/portal/fr/voting-info/where-to-vote")
    expect(page.locator("#voting-page strong")).to_have_text("bureau de vote")
