"""The outbox survives a crash: a real worker process (``ballotguard notifications deliver``)
sending to a real SMTP server on loopback is killed with SIGKILL in the middle of a message; a new
worker delivers the rest. Nothing is lost, and the only message received twice is the one that
was in flight, both copies carrying the same idempotency key (at-least-once delivery)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from ballotguard.bootstrap import bootstrap
from ballotguard.config import Settings
from ballotguard.services import stakeholders
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import ContactTopic, Role, Sector, Target
from ballotguard.vocabulary import TargetKind
from support import world
from support.mailbox import smtp_server

VICTIMS = 6
HELD = 3  # the worker is killed while the server holds the third message
LEASE_SECONDS = 1


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ballotguard", "notifications", "deliver", "--no-remind"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def test_a_worker_killed_mid_send_loses_nothing_and_repeats_only_the_message_in_flight(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    bg = bootstrap(Settings(database_url=url))
    cert = world.org(bg, "National CERT", Sector.SECURITY_AGENCY)
    analyst = world.person(bg, cert, [Role.ANALYST])
    for n in range(VICTIMS):
        party = world.org(bg, f"Party {n}", Sector.POLITICAL_PARTY)
        with bg.uow() as uow:
            stakeholders.add_contact(uow, OPERATOR, party.id, ContactTopic.BREACH_NOTIFICATION,
                                     f"Security {n}", f"security{n}@party{n}.example", "+1",
                                     date(2026, 10, 1), bg.clock())
        world.file(bg, analyst, targets=[Target(kind=TargetKind.POLITICAL_PARTY,
                                                organisation_id=party.id)])
    with bg.uow() as uow:
        owed = {m.id for n in uow.victim_notifications.list()
                for m in uow.outbox.for_notification(n.id)}
    assert len(owed) == VICTIMS

    with smtp_server() as mailbox:
        mailbox.hold_at(HELD)
        env = {**os.environ, "BALLOTGUARD_DATABASE_URL": url,
               "BALLOTGUARD_SMTP_PORT": str(mailbox.port),
               "BALLOTGUARD_WEBHOOK_KEY_FILE": str(tmp_path / "webhook.key"),
               "BALLOTGUARD_NOTIFICATION_LEASE_SECONDS": str(LEASE_SECONDS),
               "BALLOTGUARD_NOTIFICATION_BATCH": "2"}
        first = _worker(env)
        assert mailbox.holding.wait(60), first.communicate()[0].decode()
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        assert first.returncode == -signal.SIGKILL
        in_flight = mailbox.received[HELD - 1].idempotency_key
        mailbox.release.set()

        with bg.uow() as uow:
            states = Counter(uow.outbox.get(i).state for i in owed)  # type: ignore[union-attr]
        assert states == {"sent": HELD - 1, "pending": VICTIMS - HELD + 1}

        time.sleep(LEASE_SECONDS + 0.5)  # the dead worker's lease lapses
        second = _worker(env)
        output = second.communicate(timeout=120)[0].decode()
        assert second.returncode == 0, output

    keys = Counter(r.idempotency_key for r in mailbox.received)
    assert set(keys) == owed  # nothing lost
    assert {k for k, n in keys.items() if n > 1} == {in_flight}  # only the one in flight twice
    copies = [r for r in mailbox.received if r.idempotency_key == in_flight]
    assert len(copies) == 2
    assert copies[0].message_id == copies[1].message_id == f"<{in_flight}@ballotguard>"
    assert copies[0].text == copies[1].text  # the same link: the token is derived, not random
    with bg.uow() as uow:
        assert uow.outbox.count_by_state() == {"sent": VICTIMS}
        assert {n.state for n in uow.victim_notifications.list()} == {"sent"}
    bg.close()
