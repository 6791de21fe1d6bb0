"""Delivery through the real adapters: e-mail to an aiosmtpd server on loopback, signed webhooks
to an HTTP server on loopback; the acknowledgement link in a delivered message works."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import SecretStr

from ballotguard.delivery import Dispatcher, load_keys
from ballotguard.errors import SigningKeyUnusable
from ballotguard.services import notifications, stakeholders
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import ContactTopic, Organisation, Sector, Target
from ballotguard.vocabulary import TargetKind
from support import world
from support.mailbox import free_port, smtp_server, webhook_receiver

from .conftest import People

SEED = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def party(people: People) -> Organisation:
    org = world.org(people.bg, "Veldra Green Party", Sector.POLITICAL_PARTY)
    with people.bg.uow() as uow:
        stakeholders.add_contact(uow, OPERATOR, org.id, ContactTopic.BREACH_NOTIFICATION, "Sec",
                                 "sec@green.example", "+1", date(2026, 10, 1), people.bg.clock())
    return org


def _dispatcher(people: People, port: int) -> Dispatcher:
    settings = people.bg.settings.model_copy(update={
        "smtp_port": port, "webhook_signing_key": SecretStr(SEED),
        "notification_base_url": "https://hub.example", "webhook_allow_private_addresses": True})
    return Dispatcher(settings, people.bg.clock)


def _file(people: People, org: Organisation) -> str:
    target = Target(kind=TargetKind.POLITICAL_PARTY, organisation_id=org.id)
    return world.file(people.bg, people.cert_analyst, targets=[target]).id


def _deliver(people: People, dispatcher: Dispatcher) -> notifications.DeliveryRun:
    try:
        return notifications.deliver(people.bg.uow, dispatcher, people.bg.clock,
                                     lease=timedelta(minutes=2), batch=10, max_attempts=5)
    finally:
        dispatcher.close()


def test_an_email_reaches_the_smtp_server_with_its_idempotency_key_and_a_working_link(
    people: People, party: Organisation
) -> None:
    report_id = _file(people, party)
    with smtp_server() as mailbox:
        run = _deliver(people, _dispatcher(people, mailbox.port))
    assert run.sent == 1
    [mail] = mailbox.received
    with people.bg.uow() as uow:
        [n] = uow.victim_notifications.for_report(report_id)
        [message] = uow.outbox.for_notification(n.id)
    assert mail.recipients == ["sec@green.example"]
    assert mail.message_id == f"<{message.id}@ballotguard>"
    assert mail.idempotency_key == message.id
    assert mail.message["Subject"] == "Attempted breach targeting Veldra Green Party"
    assert "{acknowledge_url}" not in mail.text and "{acknowledge_url}" in message.body
    link = next(w for w in mail.text.split() if w.startswith("https://hub.example/notifications/"))
    token = link.rsplit("/", 1)[1]
    with people.bg.uow() as uow:
        done = notifications.acknowledge_by_token(uow, token, people.bg.clock())
    assert done.id == n.id and done.state == "acknowledged"


def test_a_refused_address_fails_for_good_and_a_dead_server_is_retried(
    people: People, party: Organisation
) -> None:
    _file(people, party)
    with smtp_server() as mailbox:
        mailbox.refuse.add("sec@green.example")
        run = _deliver(people, _dispatcher(people, mailbox.port))
    assert (run.sent, run.failed) == (0, 1)
    _file(people, party)
    run = _deliver(people, _dispatcher(people, free_port()))  # nobody listens there
    assert (run.sent, run.retried) == (0, 1)
    with people.bg.uow() as uow:
        assert uow.outbox.count_by_state() == {"failed": 1, "pending": 1}


def test_webhooks_are_signed_after_standard_webhooks(people: People, party: Organisation) -> None:
    with webhook_receiver() as receiver:
        with people.bg.uow() as uow:
            notifications.add_webhook(uow, OPERATOR, party.id, receiver.url, people.bg.clock())
        _file(people, party)
        with smtp_server() as mailbox:
            run = _deliver(people, _dispatcher(people, mailbox.port))
    assert run.sent == 2 and len(mailbox.received) == 1
    [call] = receiver.calls
    webhook_id, timestamp = call.headers["webhook-id"], call.headers["webhook-timestamp"]
    assert call.headers["idempotency-key"] == webhook_id
    assert int(timestamp) == int(people.bg.clock().timestamp())
    version, _, signature = call.headers["webhook-signature"].partition(",")
    assert version == "v1a"
    public = Ed25519PublicKey.from_public_bytes(
        base64.b64decode(load_keys(_dispatcher(people, 1).settings).public_base64()))
    public.verify(base64.b64decode(signature), f"{webhook_id}.{timestamp}.".encode() + call.body)
    body = call.json
    assert body["type"] == "victim_notification.notice"
    assert body["acknowledge_url"].startswith("https://hub.example/notifications/ack/")
    with pytest.raises(InvalidSignature):
        public.verify(base64.b64decode(signature), call.body + b" ")


def test_the_key_file_is_created_private_and_reused(tmp_path: Path, people: People) -> None:
    path = tmp_path / "var" / "key"
    settings = people.bg.settings.model_copy(update={"webhook_key_file": str(path)})
    first = load_keys(settings)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_keys(settings).seed == first.seed
    path.write_text("not base64!")
    with pytest.raises(SigningKeyUnusable):
        load_keys(settings)




def test_the_recurring_jobs_deliver_and_remind(tmp_path: Path) -> None:
    from ballotguard.bootstrap import bootstrap
    from ballotguard.config import Settings
    from ballotguard.jobs import run_due
    from support.clock import FakeClock

    clock = FakeClock()
    with smtp_server() as mailbox:
        bg = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'jobs.db'}",
                                smtp_port=mailbox.port, webhook_signing_key=SecretStr(SEED),
                                notification_ack_hours=1), clock=clock)
        cert = world.org(bg, "CERT", Sector.SECURITY_AGENCY)
        party = world.org(bg, "Party", Sector.POLITICAL_PARTY)
        with bg.uow() as uow:
            stakeholders.add_contact(uow, OPERATOR, party.id, ContactTopic.GENERAL, "HQ",
                                     "hq@party.example", "+1", date(2026, 10, 1), clock())
        world.file(bg, world.person(bg, cert), targets=[
            Target(kind=TargetKind.POLITICAL_PARTY, organisation_id=party.id)])
        runs = {r.kind: r for r in run_due(bg, clock())}
        assert runs[notifications.DELIVER_JOB].message == "1 sent, 0 to retry, 0 failed"
        assert runs[notifications.REMIND_JOB].message == "0 reminded, 0 escalated"
        clock.advance(hours=2)
        runs = {r.kind: r for r in run_due(bg, clock())}
        bg.close()
    assert runs[notifications.REMIND_JOB].message == (
        "1 reminded, 0 escalated; 1 sent, 0 to retry, 0 failed")
    assert [m.message["Subject"] for m in mailbox.received] == [
        "Attempted breach targeting Party", "Reminder: Attempted breach targeting Party"]


def test_without_a_mail_server_the_mail_drop_writes_one_eml_file_per_message_and_a_resend_replaces_it(
    people: People, party: Organisation, tmp_path: Path
) -> None:
    report_id = _file(people, party)
    drop = tmp_path / "mail"
    settings = people.bg.settings.model_copy(update={
        "mail_drop_dir": str(drop), "webhook_signing_key": SecretStr(SEED),
        "smtp_port": free_port(), "notification_base_url": "https://hub.example"})
    run = _deliver(people, Dispatcher(settings, people.bg.clock))
    assert run.sent == 1
    with people.bg.uow() as uow:
        [n] = uow.victim_notifications.for_report(report_id)
        [message] = uow.outbox.for_notification(n.id)
    [eml] = drop.iterdir()
    assert eml.name == f"{message.id}.eml"
    text = eml.read_text()
    assert "To: sec@green.example" in text and "https://hub.example/notifications/ack/" in text
    again = Dispatcher(settings, people.bg.clock)
    again.send(message, n)  # what a worker that died after sending would do once more
    assert [p.name for p in drop.iterdir()] == [eml.name]


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://169.254.169.254/latest",
                                 "http://10.0.0.8/hook", "http://localhost/hook"])
def test_a_webhook_to_a_non_public_address_fails_for_good_unless_the_operator_allows_it(
    people: People, party: Organisation, url: str
) -> None:
    with people.bg.uow() as uow:
        notifications.add_webhook(uow, OPERATOR, party.id, url, people.bg.clock())
    report_id = _file(people, party)
    settings = _dispatcher(people, free_port()).settings.model_copy(
        update={"webhook_allow_private_addresses": False})
    with smtp_server() as mailbox:
        settings = settings.model_copy(update={"smtp_port": mailbox.port})
        run = _deliver(people, Dispatcher(settings, people.bg.clock))
    assert (run.sent, run.failed) == (1, 1)  # the e-mail went; the webhook did not
    with people.bg.uow() as uow:
        [n] = uow.victim_notifications.for_report(report_id)
        hook = next(m for m in uow.outbox.for_notification(n.id) if m.channel == "webhook")
    assert hook.state == "failed" and "not a public address" in (hook.last_error or "")
