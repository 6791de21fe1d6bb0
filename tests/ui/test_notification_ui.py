"""Victim notifications in a real browser: the dashboard flags the one nobody can be told of,
the tracking page lists sent and no-contact ones, the recipient opens the link from the e-mail
received by a real SMTP server on loopback and confirms with the button (opening it confirms
nothing), and a member of the victim organisation acknowledges another from the tracking page."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Browser, Page, expect

from ballotguard.delivery import Dispatcher
from ballotguard.services import notifications, stakeholders
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import ContactTopic, Target
from ballotguard.vocabulary import Outcome, TargetKind
from conftest import LiveServer, screenshot, sign_in
from support import world
from support.mailbox import smtp_server


def _state(live: LiveServer, notification_id: str) -> str:
    with live.hub.bg.uow() as uow:
        found = uow.victim_notifications.get(notification_id)
    assert found is not None
    return found.state


def test_notifications_are_tracked_flagged_and_acknowledged(
    page: Page, browser: Browser, live: LiveServer
) -> None:
    hub = live.hub
    with hub.bg.uow() as uow:
        stakeholders.add_contact(uow, OPERATOR, hub.ea.id, ContactTopic.BREACH_NOTIFICATION,
                                 "Commission security desk", "security@ec.example", "+1 555",
                                 date(2026, 10, 1), hub.bg.clock())
    breach = world.file(hub.bg, hub.cert_analyst, title="Commission mailbox breached",
                        outcome=Outcome.SUCCESSFUL, targets=[Target(
                            kind=TargetKind.ELECTION_AUTHORITY, organisation_id=hub.ea.id)])
    attempt = world.file(hub.bg, hub.cert_analyst, title="Phishing against Commission staff",
                         targets=[Target(kind=TargetKind.ELECTION_AUTHORITY,
                                         organisation_id=hub.ea.id)])
    probe = world.file(hub.bg, hub.cert_analyst, title="Takedown tool probed", targets=[
        Target(kind=TargetKind.PLATFORM, organisation_id=hub.platform.id),
        Target(kind=TargetKind.VOTERS, description="voters of Port Aster")])
    with smtp_server() as mailbox:
        settings = hub.bg.settings.model_copy(update={
            "smtp_port": mailbox.port, "notification_base_url": live.url})
        dispatcher = Dispatcher(settings, hub.bg.clock)
        try:
            run = notifications.deliver(hub.bg.uow, dispatcher, hub.bg.clock,
                                        lease=timedelta(minutes=1), batch=10, max_attempts=3)
        finally:
            dispatcher.close()
    assert run.sent == 2
    with hub.bg.uow() as uow:
        [breach_n] = uow.victim_notifications.for_report(breach.id)
        [attempt_n] = uow.victim_notifications.for_report(attempt.id)
    mail = next(m for m in mailbox.received if m.message["Subject"].startswith("Breach"))
    link = next(w for w in mail.text.split() if w.startswith(f"{live.url}/notifications/ack/"))

    sign_in(page, live, hub.cert_analyst.email)
    flags = page.locator("#notification-flags")
    expect(flags).to_contain_text("1 victim notification with no point of contact")
    page.get_by_role("link", name="Notifications").click()
    expect(page.locator("#no-contact-flag")).to_be_visible()
    rows = page.locator("#notifications tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator(f'tr[data-notification="{breach_n.id}"] td.status')).to_have_text("Sent")
    expect(page.locator('tr[data-status="no_contact"]')).to_contain_text("Chirp Social")
    screenshot(page, "notifications-tracking")
    page.goto(f"{live.url}/reports/{probe.id}")
    page.get_by_role("link", name="Victim notifications of this report").click()
    expect(rows).to_have_count(1)
    expect(page.locator("#unaddressed")).to_contain_text("voters of Port Aster")
    page.goto(f"{live.url}/notifications")

    recipient = browser.new_context()  # the victim's own browser, not signed in
    inbox = recipient.new_page()
    inbox.goto(link)
    expect(inbox.get_by_role("heading", level=1)).to_have_text(
        "Confirm you received the notification")
    assert _state(live, breach_n.id) == "sent"  # opening the link confirms nothing
    screenshot(inbox, "notification-acknowledge")
    inbox.get_by_role("button", name="Confirm receipt").click()
    expect(inbox.locator("#ack-done")).to_contain_text("Electoral Commission")
    recipient.close()
    assert _state(live, breach_n.id) == "acknowledged"

    page.reload()
    expect(page.locator(f'tr[data-notification="{breach_n.id}"] td.status')).to_have_text(
        "Acknowledged")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live, hub.ea_analyst.email)
    page.goto(f"{live.url}/notifications/{attempt_n.id}")
    expect(page.locator("#status")).to_have_text("Sent")
    page.get_by_role("button", name="Acknowledge for Electoral Commission").click()
    expect(page.locator("#acknowledged")).to_contain_text(hub.ea_analyst.email)
    assert _state(live, attempt_n.id) == "acknowledged"
