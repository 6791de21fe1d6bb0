"""Victim notifications as use cases: owed in the report's transaction, TLP-respecting text,
no-contact flagged, corrections update, retractions cancel, delivery marks sent, acknowledgement
by link and by a member, reminders then escalation, who may follow what."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from ballotguard.errors import (
    DeliveryFailed,
    NotificationClosed,
    NotificationNotFound,
    PermissionDenied,
)
from ballotguard.ports.notifications import NotificationRecord, OutboxMessage
from ballotguard.services import notifications, stakeholders
from ballotguard.services import reports as report_service
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.sharing import ContactTopic, Organisation, Report, Role, Sector, Status, Target
from ballotguard.vocabulary import Outcome, TargetKind, Tlp
from support import world
from support.clock import FakeClock

from .conftest import People

ACK_HOURS = 24


@dataclass
class FakeSender:
    """Records what would be sent; ``fail`` names recipients that refuse."""

    sent: list[OutboxMessage] = field(default_factory=list)
    fail: dict[str, bool] = field(default_factory=dict)

    def send(self, message: OutboxMessage, notification: NotificationRecord) -> None:
        if message.recipient in self.fail:
            raise DeliveryFailed(message.channel, message.recipient, "refused",
                                 self.fail[message.recipient])
        self.sent.append(message)

    def token_hash(self, notification_id: str) -> str:
        return hashlib.sha256(f"token-{notification_id}".encode()).hexdigest()


@pytest.fixture
def party(people: People) -> Organisation:
    org = world.org(people.bg, "Veldra Green Party", Sector.POLITICAL_PARTY)
    with people.bg.uow() as uow:
        for topic, name, alternate in (
            (ContactTopic.BREACH_NOTIFICATION, "sec", False),
            (ContactTopic.GENERAL, "hq", False),
            (ContactTopic.BREACH_NOTIFICATION, "deputy", True),
        ):
            stakeholders.add_contact(uow, OPERATOR, org.id, topic, name, f"{name}@green.example",
                                     "+1 555", date(2026, 10, 1), people.bg.clock(), alternate)
    return org


def _file(people: People, org_id: str, **changes: object):  # type: ignore[no-untyped-def]
    target = Target(kind=TargetKind.POLITICAL_PARTY, organisation_id=org_id)
    return world.file(people.bg, people.cert_analyst, targets=[target], **changes)


def _deliver(people: People, sender: FakeSender) -> notifications.DeliveryRun:
    return notifications.deliver(people.bg.uow, sender, people.bg.clock,
                                 lease=timedelta(minutes=2), batch=10,
                                 max_attempts=3)


def _only(people: People, report_id: str) -> NotificationRecord:
    with people.bg.uow() as uow:
        found = uow.victim_notifications.for_report(report_id)
    assert len(found) == 1
    return found[0]


def test_a_report_naming_a_victim_owes_a_notification_in_its_own_transaction(
    people: People, party: Organisation
) -> None:
    report = _file(people, party.id)
    n = _only(people, report.id)
    assert (n.org_id, n.state, n.outcome, n.details_included) == (
        party.id, "pending", "attempted", True)
    with people.bg.uow() as uow:
        messages = uow.outbox.for_notification(n.id)
        jobs = {j.key for j in uow.jobs.list()}
    assert [m.recipient for m in messages] == ["sec@green.example"]  # not general, not alternate
    assert messages[0].subject == "Attempted breach targeting Veldra Green Party"
    assert "Credential stuffing" in messages[0].body
    assert {notifications.DELIVER_JOB, notifications.REMIND_JOB} <= jobs


def test_no_victim_no_notification_and_bystanders_are_skipped(people: People) -> None:
    report = world.file(people.bg, people.cert_analyst, targets=[
        Target(kind=TargetKind.PLATFORM, organisation_id=people.platform.id, is_victim=False)])
    with people.bg.uow() as uow:
        assert uow.victim_notifications.for_report(report.id) == []


def test_an_organisation_with_no_contact_is_kept_and_flagged(people: People) -> None:
    report = _file(people, people.ngo.id)
    n = _only(people, report.id)
    assert n.state == "no_contact"
    with people.bg.uow() as uow:
        assert uow.outbox.for_notification(n.id) == []
        flags = notifications.flags(uow, people.actor(people.cert_analyst), people.bg.clock(),
                                    ACK_HOURS)
    assert flags is not None and flags.no_contact == 1


def test_tlp_decides_whether_the_victim_gets_the_details(
    people: People, party: Organisation
) -> None:
    amber = _file(people, party.id, tlp=Tlp.AMBER)
    n = _only(people, amber.id)
    with people.bg.uow() as uow:
        body = uow.outbox.for_notification(n.id)[0].body
    assert not n.details_included
    assert "Credential stuffing" not in body and "not among its readers" in body
    shared = _file(people, party.id, tlp=Tlp.AMBER, recipient_orgs=[party.id])
    n2 = _only(people, shared.id)
    with people.bg.uow() as uow:
        assert "Credential stuffing" in uow.outbox.for_notification(n2.id)[0].body
    assert n2.details_included


def test_a_correction_to_successful_sends_an_update_and_a_retraction_cancels(
    people: People, party: Organisation
) -> None:
    report = _file(people, party.id)
    actor = person_actor(people.cert_analyst)
    corrected = report.content.model_copy(update={"outcome": Outcome.SUCCESSFUL})
    people.bg.clock.advance(minutes=1)  # type: ignore[attr-defined]
    with people.bg.uow() as uow:
        report_service.correct_report(uow, actor, report.id, corrected, "it worked",
                                      people.bg.clock())
    n = _only(people, report.id)
    with people.bg.uow() as uow:
        purposes = [m.purpose for m in uow.outbox.for_notification(n.id)]
    assert n.outcome == "successful" and purposes == ["notice", "update"]
    with people.bg.uow() as uow:
        report_service.retract_report(uow, actor, report.id, "wrong party", people.bg.clock())
    n = _only(people, report.id)
    with people.bg.uow() as uow:
        states = {m.state for m in uow.outbox.for_notification(n.id)}
    assert n.state == "cancelled" and states == {"cancelled"}


def test_delivery_marks_sent_retries_and_gives_up(people: People, party: Organisation) -> None:
    report = _file(people, party.id)
    sender = FakeSender()
    run = _deliver(people, sender)
    assert (run.sent, run.retried, run.failed) == (1, 0, 0)
    n = _only(people, report.id)
    assert n.state == "sent" and n.sent_at == people.bg.clock()
    assert n.ack_token_hash == sender.token_hash(n.id)
    assert _deliver(people, sender).sent == 0  # nothing twice
    other = _file(people, party.id)
    refusing = FakeSender(fail={"sec@green.example": False})
    assert _deliver(people, refusing).retried == 1
    assert _deliver(people, refusing).sent == 0  # backing off
    clock: FakeClock = people.bg.clock  # type: ignore[assignment]
    clock.advance(minutes=5)
    assert _deliver(people, refusing).retried == 1
    clock.advance(minutes=5)
    assert _deliver(people, refusing).failed == 1  # third attempt: give up
    assert _only(people, other.id).state == "pending"


def test_acknowledgement_by_link_and_by_member(people: People, party: Organisation) -> None:
    report = _file(people, party.id)
    sender = FakeSender()
    _deliver(people, sender)
    n = _only(people, report.id)
    now = people.bg.clock()
    with people.bg.uow() as uow:
        with pytest.raises(NotificationNotFound):
            notifications.acknowledge_by_token(uow, "wrong", now)
        assert notifications.by_token(uow, f"token-{n.id}").id == n.id
        done = notifications.acknowledge_by_token(uow, f"token-{n.id}", now)
    assert done.state == "acknowledged" and done.acknowledged_by == "link"
    member = world.person(people.bg, party, [Role.REPORTER])
    second = _file(people, party.id)
    _deliver(people, sender)
    n2 = _only(people, second.id)
    with people.bg.uow() as uow:
        with pytest.raises(PermissionDenied):
            notifications.acknowledge(uow, person_actor(people.cert_analyst), n2.id, now)
        with pytest.raises(NotificationNotFound):
            notifications.acknowledge(uow, person_actor(people.cec_reporter), n2.id, now)
        done = notifications.acknowledge(uow, person_actor(member), n2.id, now)
        again = notifications.acknowledge(uow, person_actor(member), n2.id, now)
    assert done.acknowledged_by == member.email and again == done


def test_a_no_contact_notification_cannot_be_acknowledged(people: People) -> None:
    report = _file(people, people.ngo.id)
    n = _only(people, report.id)
    member = world.person(people.bg, people.ngo, [Role.REPORTER])
    with people.bg.uow() as uow, pytest.raises(NotificationClosed):
        notifications.acknowledge(uow, person_actor(member), n.id, people.bg.clock())


def test_reminders_then_escalation_to_the_alternate(people: People, party: Organisation) -> None:
    report = _file(people, party.id)
    sender = FakeSender()
    _deliver(people, sender)
    clock: FakeClock = people.bg.clock  # type: ignore[assignment]
    steps = []
    for _ in range(4):
        clock.advance(hours=ACK_HOURS + 1)
        with people.bg.uow() as uow:
            run = notifications.remind(uow, clock(), ACK_HOURS, reminders=2)
        steps.append((run.reminded, run.escalated))
    assert steps == [(1, 0), (1, 0), (0, 1), (0, 0)]
    _deliver(people, sender)
    assert [(m.purpose, m.recipient) for m in sender.sent] == [
        ("notice", "sec@green.example"), ("reminder", "sec@green.example"),
        ("reminder", "sec@green.example"), ("escalation", "deputy@green.example")]
    assert "alternate contact" in sender.sent[-1].body
    n = _only(people, report.id)
    assert n.reminders_sent == 2 and n.escalated_at is not None


def test_who_follows_what(people: People, party: Organisation) -> None:
    amber = _file(people, party.id, tlp=Tlp.AMBER)  # CERT only
    green = _file(people, people.cec.id)  # CEC has no contacts: no_contact
    now = people.bg.clock()
    party_admin = world.person(people.bg, party, [Role.ORG_ADMIN])
    amber_notification = _only(people, amber.id).id
    with people.bg.uow() as uow:
        cert = notifications.list_notifications(uow, person_actor(people.cert_analyst), now,
                                                ACK_HOURS)
        cec = notifications.list_notifications(uow, person_actor(people.cec_analyst), now,
                                               ACK_HOURS)
        admin = notifications.list_notifications(uow, person_actor(party_admin), now, ACK_HOURS)
        cec_admin = notifications.list_notifications(uow, person_actor(people.cec_admin), now,
                                                     ACK_HOURS)
        with pytest.raises(PermissionDenied):
            notifications.list_notifications(uow, person_actor(people.cec_reporter), now,
                                             ACK_HOURS)
        with pytest.raises(NotificationNotFound):
            notifications.get_notification(uow, person_actor(people.cec_analyst),
                                           amber_notification, now, ACK_HOURS)
    assert {v.notification.report_id for v in cert} == {amber.id, green.id}
    assert [v.notification.report_id for v in cec] == [green.id]
    assert [(v.notification.report_id, v.report_title) for v in admin] == [(amber.id, None)]
    assert [v.status for v in cec_admin] == ["no_contact"]


def test_overdue_after_the_acknowledgement_time(people: People, party: Organisation) -> None:
    _file(people, party.id)
    _deliver(people, FakeSender())
    clock: FakeClock = people.bg.clock  # type: ignore[assignment]
    actor = person_actor(people.cert_analyst)
    with people.bg.uow() as uow:
        assert notifications.list_notifications(uow, actor, clock(), ACK_HOURS, "overdue") == []
    clock.advance(hours=ACK_HOURS)
    with people.bg.uow() as uow:
        overdue = notifications.list_notifications(uow, actor, clock(), ACK_HOURS, "overdue")
        flags = notifications.flags(uow, actor, clock(), ACK_HOURS)
    assert [v.status for v in overdue] == ["overdue"]
    assert flags is not None and flags.overdue == 1


def test_a_victim_organisation_unknown_here_is_skipped(people: People) -> None:
    """A report received from another instance may name one of its organisations."""
    content = world.content(targets=[Target(kind=TargetKind.POLITICAL_PARTY,
                                            organisation_id="org-of-another-instance")])
    now = people.bg.clock()
    report = Report(id="r-elsewhere", version=1, org_id=people.cert.id,
                    author_id=people.cert_analyst.id, status=Status.NEW, created_at=now,
                    updated_at=now, content=content)
    with people.bg.uow() as uow:
        assert notifications.on_report_saved(uow, OPERATOR, None, report, now) == []


def test_a_retraction_after_sending_stops_the_reminders(people: People, party: Organisation) -> None:
    report = _file(people, party.id)
    _deliver(people, FakeSender())
    with people.bg.uow() as uow:
        report_service.retract_report(uow, person_actor(people.cert_analyst), report.id,
                                      "not an attack after all", people.bg.clock())
    n = _only(people, report.id)
    assert n.state == "cancelled" and n.sent_at is not None
    people.bg.clock.advance(hours=ACK_HOURS * 5)  # type: ignore[attr-defined]
    with people.bg.uow() as uow:
        run = notifications.remind(uow, people.bg.clock(), ACK_HOURS, reminders=2)
    assert (run.reminded, run.escalated) == (0, 0)
