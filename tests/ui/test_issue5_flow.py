"""Issue 5 end to end in real Chromium: a CERT analyst files a report naming a political party as
the victim of an attempted break-in; the outbox job sends the party a victim notification through
a real SMTP server on loopback; the party opens the link from the e-mail and confirms receipt; the
analyst escalates the report; four seats vote and one recuses; the chair records the decision,
briefs the required parties, drafts, checks and publishes a notice in English and French; the
public portal shows it in both languages without a login; and the analyst's tracking page shows
the notification acknowledged."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from pydantic import SecretStr

from ballotguard.bootstrap import bootstrap
from ballotguard.config import Settings
from ballotguard.jobs import run_due
from ballotguard.panel.notices import NoticeText
from ballotguard.services import auth, notifications, stakeholders
from ballotguard.services import notices as notice_service
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import ContactTopic, Person, Sector
from support import panel as panel_support
from support import world
from support.hub import PASSWORD, build_hub
from support.mailbox import Mailbox, free_port, smtp_server
from ui.conftest import LiveServer, screenshot, sign_in

TITLE = "Fake login page sent to Green Future Party staff"
EN = NoticeText(
    title="Attempt to break into a party's e-mail",
    actor="We do not know who did it.",
    target="The staff of a registered political party.",
    when="On 1 November, in the morning.",
    where="By e-mail, from a fake login page.",
    known="Someone sent fake e-mails to party staff to steal their passwords. The attempt "
          "failed.",
    unknown="We do not know who sent the e-mails or why.",
    effect="None. Voting and the count are not affected.",
    action="Vote as planned. Never give your password to a link in an e-mail.",
)
FR = NoticeText(
    title="Tentative d'intrusion dans les courriels d'un parti",
    actor="Nous ne savons pas qui l'a fait.",
    target="Le personnel d'un parti politique enregistré.",
    when="Le 1er novembre, le matin.",
    where="Par courriel, avec une fausse page de connexion.",
    known="Quelqu'un a envoyé de faux courriels au personnel du parti pour voler leurs mots de "
          "passe. La tentative a échoué.",
    unknown="Nous ne savons pas qui a envoyé les courriels, ni pourquoi.",
    effect="Aucun. Le vote et le dépouillement ne sont pas touchés.",
    action="Votez comme prévu. Ne donnez jamais votre mot de passe à un lien reçu par courriel.",
)


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox) -> Iterator[LiveServer]:
    """The UI server, configured to send its notifications to the loopback SMTP server and to
    put its own address in the acknowledgement links."""
    port = free_port()
    path = tmp_path_factory.mktemp("issue5") / "ballotguard.db"
    bg = bootstrap(Settings(
        database_url=f"sqlite:///{path}", smtp_port=mailbox.port,
        notification_base_url=f"http://127.0.0.1:{port}",
        webhook_signing_key=SecretStr(base64.b64encode(bytes(range(32))).decode())))
    with LiveServer(build_hub(bg), port) as server:
        yield server
    bg.close()


def _as(browser: Browser, live: LiveServer, person: Person) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live, person.email)
    return page


def _fill(page: Page, lang: str, text: NoticeText) -> None:
    for field, value in text.fields().items():
        page.locator(f"#f-{lang}-{field}").fill(value)


def test_from_a_victim_report_to_a_bilingual_public_notice_and_an_acknowledged_notification(
    live: LiveServer, page: Page, browser: Browser, mailbox: Mailbox
) -> None:
    hub = live.hub
    bg = hub.bg
    # The world the flow needs, set up by the operator: the victim party with a contact, another
    # party, the head of government's office, and a panel of five whose first seat chairs.
    party = world.org(bg, "Green Future Party", Sector.POLITICAL_PARTY)
    world.org(bg, "Blue Horizon", Sector.POLITICAL_PARTY)
    government = world.org(bg, "Office of the Premier", Sector.GOVERNMENT)
    with bg.uow() as uow:
        stakeholders.add_contact(uow, OPERATOR, party.id, ContactTopic.BREACH_NOTIFICATION,
                                 "Party security lead", "security@greenfuture.example", "+1 555",
                                 date(2026, 10, 1), bg.clock())
        notice_service.configure_parties(uow, OPERATOR, government.id, hub.ea.id, bg.clock())
    members = panel_support.seat_members(bg, world.org(bg, "Panel secretariat",
                                                       Sector.CIVIL_SOCIETY))
    for member in members:
        with bg.uow() as uow:
            auth.set_password(uow, OPERATOR, member, PASSWORD, bg.clock())

    # 1. The CERT analyst files the report; the party is named as a victim of an attempt.
    analyst = page
    sign_in(analyst, live, hub.cert_analyst.email)
    analyst.get_by_role("link", name="File a report").click()
    analyst.get_by_label("Title", exact=True).fill(TITLE)
    analyst.get_by_label("Summary").fill("E-mails with a fake webmail login page reached 40 "
                                         "party staff; no password was entered.")
    analyst.get_by_label("Observed at (UTC)").fill("2026-11-01T09:30")
    analyst.get_by_label("Election", exact=True).fill("General election 2026")
    analyst.get_by_label("Election phase").select_option("campaign")
    analyst.get_by_label("Cyber intrusion").check()
    analyst.get_by_label("Attempted").check()
    analyst.get_by_label("Kind of target").select_option("political_party")
    analyst.get_by_label("Organisation (if a member of this hub)").select_option(
        label="Green Future Party")
    expect(analyst.get_by_label("This target is a victim")).to_be_checked()
    analyst.get_by_label("TLP", exact=True).select_option("GREEN")
    analyst.get_by_role("button", name="File the report").click()
    expect(analyst.get_by_role("heading", level=1)).to_have_text(TITLE)
    match = re.search(r"/reports/([0-9a-f-]+)$", analyst.url)
    assert match, analyst.url
    report_url = analyst.url

    # 2. The outbox job (the recurring job the report created) sends the e-mail.
    runs = {run.kind: run for run in run_due(bg, bg.clock())}
    assert runs[notifications.DELIVER_JOB].message == "1 sent, 0 to retry, 0 failed"
    [mail] = mailbox.received
    assert mail.recipients == ["security@greenfuture.example"]
    assert mail.message["Subject"] == "Attempted breach targeting Green Future Party"
    assert "What to do now" in mail.text
    link = next(w for w in mail.text.split() if w.startswith(f"{live.url}/notifications/ack/"))

    analyst.get_by_role("link", name="Victim notifications of this report").click()
    row = analyst.locator("#notifications tbody tr", has_text="Green Future Party")
    expect(row.locator("td.status")).to_have_text("Sent")

    # 3. The party's security lead opens the link in their own browser and confirms.
    recipient = browser.new_context()
    inbox = recipient.new_page()
    inbox.goto(link)
    expect(inbox.get_by_role("heading", level=1)).to_have_text(
        "Confirm you received the notification")
    inbox.get_by_role("button", name="Confirm receipt").click()
    expect(inbox.locator("#ack-done")).to_contain_text("Green Future Party")
    recipient.close()

    # 4. The analyst escalates the report to the panel.
    analyst.goto(report_url)
    analyst.get_by_label("Why the panel should look at it").fill(
        "Targeted phishing of a party during the campaign")
    analyst.get_by_label("Confidence in the evidence").select_option("high")
    analyst.get_by_role("button", name="Escalate to the panel").click()
    expect(analyst.locator("#case-title")).to_have_text(TITLE)
    case_url = analyst.url

    # 5. Four seats vote for a public notice; the fifth recuses.
    chair = _as(browser, live, members[0])
    chair.goto(case_url)
    expect(chair.locator("#packet-reports")).to_contain_text("fake webmail login page")
    chair.get_by_role("button", name="Public notice").click()
    expect(chair.locator("#my-vote")).to_contain_text("Public notice")
    for member in members[1:4]:
        voter = _as(browser, live, member)
        voter.goto(case_url)
        voter.get_by_role("button", name="Public notice").click()
        expect(voter.locator("#my-vote")).to_contain_text("Public notice")
        voter.context.close()
    recused = _as(browser, live, members[4])
    recused.goto(case_url)
    recused.get_by_label("Conflict of interest").fill("Former adviser to the party")
    recused.get_by_role("button", name="Recuse from this case").click()
    expect(recused.locator("#my-recusal")).to_be_visible()
    expect(recused.locator("#vote-form")).to_have_count(0)
    recused.context.close()

    # 6. The chair records the decision.
    chair.goto(case_url)
    expect(chair.locator("#supported")).to_have_text("public notice")
    chair.get_by_label("Rationale").fill("Voters should hear it from us before rumours spread")
    chair.get_by_role("button", name="Record the decision").click()
    expect(chair.locator("#current-decision .outcome")).to_have_text("Public notice")

    # 7. The notice is started, drafted in both languages and checked.
    chair.goto(f"{live.url}/notices")
    chair.locator("form.awaiting").get_by_role("button", name="Start the notice").click()
    expect(chair.locator("#draft-form")).to_be_visible()
    notice_url = chair.url
    chair.get_by_label("Type of threat").select_option("cyber_intrusion")
    chair.get_by_label("Who is behind it").select_option("unknown")
    chair.get_by_label("How sure we are").select_option("high")
    chair.get_by_label("Official source for more").fill("https://elections.example/notices")
    _fill(chair, "en", EN)
    _fill(chair, "fr", FR)
    chair.get_by_role("button", name="Save the draft and run the checks").click()
    expect(chair.locator("#grades li[data-lang='en']")).to_contain_text("grade")
    expect(chair.locator("#grades li[data-lang='fr']")).to_contain_text("grade")
    expect(chair.locator("#grades li.error")).to_have_count(0)
    expect(chair.locator("#no-flags")).to_be_visible()

    # 8. Publication waits for the required parties; they are briefed, then it goes out.
    chair.get_by_role("button", name="Publish the notice").click()
    expect(chair.locator("#error")).to_contain_text("Office of the Premier")
    for required in ("head_of_government", "political_parties", "election_authority"):
        chair.goto(notice_url)
        chair.get_by_label("Who was informed").select_option(required)
        chair.get_by_label("What they were told").fill("A public notice follows within the hour.")
        chair.get_by_role("button", name="Record the briefing").click()
    expect(chair.locator("#briefings-done")).to_be_visible()
    chair.get_by_role("button", name="Publish the notice").click()
    expect(chair.locator("#versions details[data-version='1']")).to_be_visible()
    chair.context.close()

    # 9. Anyone reads it on the portal, in English and in French, without signing in.
    public = browser.new_context().new_page()
    public.goto(f"{live.url}/portal")
    expect(public.locator("html")).to_have_attribute("lang", "en")
    public.get_by_role("link", name=EN.title).click()
    expect(public.locator("#notice h1")).to_have_text(EN.title)
    expect(public.locator("#notice")).to_contain_text(EN.action)
    expect(public.locator("#notice")).to_contain_text("Breaking into computer systems")
    public.get_by_role("link", name="Français").click()
    expect(public.locator("html")).to_have_attribute("lang", "fr")
    expect(public.locator("#notice h1")).to_have_text(FR.title)
    expect(public.locator("#notice")).to_contain_text(FR.action)
    expect(public.locator("#notice")).to_contain_text("Élevée : nous en sommes sûrs")
    screenshot(public, "issue5-portal-fr")
    public.context.close()

    # 10. The analyst's tracking page shows the victim notification acknowledged.
    analyst.goto(f"{live.url}/notifications")
    row = analyst.locator("#notifications tbody tr", has_text="Green Future Party")
    expect(row.locator("td.status")).to_have_text("Acknowledged")
    analyst.get_by_role("link", name="Acknowledged (1)").click()
    expect(analyst.locator("#notifications tbody tr")).to_have_count(1)
    screenshot(analyst, "issue5-notifications-acknowledged")
