"""Contract tests of the victim notification store and the outbox, on SQLite and PostgreSQL:
records round-trip, lists filter, the lease gives a message to one worker at a time, a lapsed
lease gives it back, sent and failed are kept, cancelling touches only what is pending."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from ballotguard.bootstrap import Ballotguard
from ballotguard.ports.notifications import NotificationRecord, OutboxMessage, WebhookRecord
from ballotguard.sharing import Organisation, Sector
from support import world

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _world(bg: Ballotguard) -> tuple[Organisation, Organisation, str]:
    reporter = world.org(bg, "CERT", Sector.SECURITY_AGENCY)
    victim = world.org(bg, "Party", Sector.POLITICAL_PARTY)
    author = world.person(bg, reporter)
    return reporter, victim, world.file(bg, author).id


def _notification(report_id: str, reporter: str, victim: str, n: int = 1,
                  state: str = "pending") -> NotificationRecord:
    return NotificationRecord(
        id=f"n{n}", report_id=report_id, reporter_org_id=reporter, org_id=victim,
        target_kind="political_party", description="", via_intermediary=False,
        outcome="attempted", state=state, details_included=True,
        created_at=T0 + timedelta(minutes=n), updated_at=T0 + timedelta(minutes=n),
    )


def _message(n: int, notification_id: str = "n1", minutes: int = 0) -> OutboxMessage:
    return OutboxMessage(
        id=f"m{n:03d}", notification_id=notification_id, purpose="notice", channel="email",
        recipient=f"r{n}@party.example", subject="Attempted breach", body="text",
        created_at=T0, available_at=T0 + timedelta(minutes=minutes),
    )


def test_notifications_round_trip_and_filter(bg: Ballotguard) -> None:
    reporter, victim, report_id = _world(bg)
    first = _notification(report_id, reporter.id, victim.id)
    second = _notification(report_id, reporter.id, reporter.id, 2, state="no_contact")
    with bg.uow() as uow:
        uow.victim_notifications.add(first)
        uow.victim_notifications.add(second)
        uow.commit()
    sent = dataclasses.replace(first, state="sent", sent_at=T0, ack_token_hash="a" * 64,
                               reminders_sent=1, last_reminder_at=T0)
    with bg.uow() as uow:
        uow.victim_notifications.update(sent)
        uow.commit()
    with bg.uow() as uow:
        assert uow.victim_notifications.get("n1") == sent
        assert uow.victim_notifications.get("nope") is None
        assert uow.victim_notifications.by_token_hash("a" * 64) == sent
        assert uow.victim_notifications.by_token_hash("b" * 64) is None
        assert [r.id for r in uow.victim_notifications.for_report(report_id)] == ["n1", "n2"]
        assert [r.id for r in uow.victim_notifications.list()] == ["n2", "n1"]
        assert [r.id for r in uow.victim_notifications.list(org_id=victim.id)] == ["n1"]
        assert [r.id for r in uow.victim_notifications.list(
            states=frozenset({"no_contact"}))] == ["n2"]
        assert uow.victim_notifications.count_by_state() == {"sent": 1, "no_contact": 1}
        assert uow.victim_notifications.count_by_state(victim.id) == {"sent": 1}


def test_webhooks_per_organisation(bg: Ballotguard) -> None:
    _, victim, _ = _world(bg)
    hook = WebhookRecord("w1", victim.id, "https://party.example/hook", T0, "admin@hub")
    with bg.uow() as uow:
        uow.victim_notifications.add_webhook(hook)
        uow.commit()
    with bg.uow() as uow:
        assert uow.victim_notifications.webhooks(victim.id) == [hook]
        assert uow.victim_notifications.webhooks("other") == []
        assert uow.victim_notifications.remove_webhook("w1")
        assert not uow.victim_notifications.remove_webhook("w1")
        uow.commit()
    with bg.uow() as uow:
        assert uow.victim_notifications.webhooks() == []


def _seed_outbox(bg: Ballotguard, count: int) -> None:
    reporter, victim, report_id = _world(bg)
    with bg.uow() as uow:
        uow.victim_notifications.add(_notification(report_id, reporter.id, victim.id))
        uow.outbox.add([_message(n, minutes=n) for n in range(count)])
        uow.commit()


def test_a_lease_gives_each_message_to_one_worker_until_it_lapses(bg: Ballotguard) -> None:
    _seed_outbox(bg, 5)
    now = T0 + timedelta(minutes=10)
    lease = now + timedelta(minutes=2)
    with bg.uow() as uow:
        first = uow.outbox.claim(now, lease, 3)
        uow.commit()
    with bg.uow() as uow:
        second = uow.outbox.claim(now, lease, 10)
        third = uow.outbox.claim(now, lease, 10)
        uow.commit()
    assert [m.id for m in first] == ["m000", "m001", "m002"]
    assert [m.id for m in second] == ["m003", "m004"]
    assert third == []
    with bg.uow() as uow:  # the first worker died: its lease lapses and the rows come back
        again = uow.outbox.claim(lease, lease + timedelta(minutes=2), 10)
        uow.commit()
    assert [m.id for m in again] == ["m000", "m001", "m002", "m003", "m004"]


def test_only_due_messages_are_claimed(bg: Ballotguard) -> None:
    _seed_outbox(bg, 3)
    with bg.uow() as uow:
        claimed = uow.outbox.claim(T0 + timedelta(minutes=1), T0 + timedelta(minutes=5), 10)
    assert [m.id for m in claimed] == ["m000", "m001"]


def test_sent_failed_and_cancelled(bg: Ballotguard) -> None:
    _seed_outbox(bg, 4)
    now = T0 + timedelta(minutes=10)
    with bg.uow() as uow:
        uow.outbox.claim(now, now + timedelta(minutes=1), 10)
        uow.outbox.mark_sent("m000", now)
        uow.outbox.mark_failed("m001", now, "connection refused", now + timedelta(minutes=4))
        uow.outbox.mark_failed("m002", now, "550 no such user", None)
        uow.commit()
    with bg.uow() as uow:
        sent = uow.outbox.get("m000")
        retry = uow.outbox.get("m001")
        gave_up = uow.outbox.get("m002")
        assert sent is not None and sent.state == "sent" and sent.sent_at == now
        assert sent.attempts == 1 and sent.locked_until is None
        assert retry is not None and retry.state == "pending" and retry.attempts == 1
        assert retry.available_at == now + timedelta(minutes=4)
        assert retry.last_error == "connection refused"
        assert gave_up is not None and gave_up.state == "failed"
        assert uow.outbox.claim(now, now + timedelta(minutes=1), 10) == []  # m003 still leased
        assert uow.outbox.cancel_pending("n1") == 2  # m001 and m003
        uow.commit()
    with bg.uow() as uow:
        assert uow.outbox.count_by_state() == {"sent": 1, "failed": 1, "cancelled": 2}
        assert [m.id for m in uow.outbox.for_notification("n1")] == [
            "m000", "m001", "m002", "m003"]
        assert uow.outbox.claim(now + timedelta(hours=1), now + timedelta(hours=2), 10) == []


def test_the_first_message_sent_marks_the_notification_sent_once(bg: Ballotguard) -> None:
    reporter, victim, report_id = _world(bg)
    pending = _notification(report_id, reporter.id, victim.id)
    cancelled = _notification(report_id, reporter.id, victim.id, 2, state="cancelled")
    with bg.uow() as uow:
        uow.victim_notifications.add(pending)
        uow.victim_notifications.add(cancelled)
        uow.victim_notifications.mark_sent("n1", T0, "a" * 64)
        uow.victim_notifications.mark_sent("n1", T0 + timedelta(hours=1), "b" * 64)
        uow.victim_notifications.mark_sent("n2", T0, "c" * 64)  # sent while being cancelled
        uow.commit()
    with bg.uow() as uow:
        first = uow.victim_notifications.get("n1")
        second = uow.victim_notifications.get("n2")
    assert first is not None and (first.state, first.sent_at, first.ack_token_hash) == (
        "sent", T0, "a" * 64)
    assert second is not None and (second.state, second.sent_at) == ("cancelled", T0)
