"""Victim notification outbox: delivery throughput and the delay from report to notice sent.

Issue 5 asks for the outbox throughput (notifications delivered per second to a loopback SMTP
server) and the delay from a report being saved to its victim notification being sent, at 10 and
10k pending notifications. Measured through the services (``services.notifications.deliver``
with the real ``delivery.Dispatcher``) on SQLite, against aiosmtpd's ``Sink`` handler in its own
process on loopback (the server discards what it accepts, so it costs both sides the same).

The anchor, in the same run and to the same server: plain ``smtplib`` sending the same messages
(same sizes, same headers) over one connection in a loop, with no database and no outbox. The
ratio (outbox time / anchor time) is what the outbox costs: a claim per batch, and one short
transaction per message to mark it sent (the price of losing nothing when the worker dies).

- **throughput**: ``P`` messages pending in the outbox; one ``deliver`` call sends them all.
- **delay**: ``P`` messages pending, then a report naming a victim is filed through
  ``services.reports.file_report`` (the hook writes its notification and outbox message in the
  report's transaction); the clock runs from the report's commit to the moment its message is
  marked sent, by a worker already running. The outbox is first in, first out, so the delay is
  the time to drain what was ahead of it.
- **hook cost**: ``file_report`` latency for a report naming a victim organisation against the
  same report with the victim unmarked (no notification owed), median of interleaved calls.

    .venv/bin/python bench/notification_outbox.py --quick
    .venv/bin/python bench/notification_outbox.py --sizes 10,10000 --json outbox.json
"""

from __future__ import annotations

import argparse
import json
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, print_table

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.config import Settings
from ballotguard.delivery import Dispatcher
from ballotguard.delivery.smtp import build
from ballotguard.services import notifications, stakeholders
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.services.reports import file_report
from ballotguard.sharing import ContactTopic, Person, ReportContent, Role, Sector, Target
from ballotguard.vocabulary import Outcome, Phase, TargetKind, Tlp, Vector

PARTIES = 20
CHUNK = 1000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sink(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("aiosmtpd did not start")


class World:
    def __init__(self, folder: Path, port: int, batch: int) -> None:
        settings = Settings(
            database_url=f"sqlite:///{folder / 'outbox.db'}", smtp_port=port,
            webhook_key_file=str(folder / "webhook.key"), notification_batch=batch)
        self.bg: Ballotguard = bootstrap(settings)
        with self.bg.uow() as uow:
            cert = stakeholders.create_org(uow, OPERATOR, "National CERT",
                                           Sector.SECURITY_AGENCY, "XV", self.bg.clock())
            self.analyst: Person = stakeholders.create_person(
                uow, OPERATOR, cert.id, "Analyst", "analyst@cert.example",
                frozenset({Role.ANALYST}), self.bg.clock())
            stakeholders.add_contact(uow, OPERATOR, cert.id, ContactTopic.BREACH_NOTIFICATION,
                                     "Duty desk", "duty@cert.example", "+1", date(2026, 10, 1),
                                     self.bg.clock())
            self.parties = []
            for n in range(PARTIES):
                party = stakeholders.create_org(uow, OPERATOR, f"Party {n}",
                                                Sector.POLITICAL_PARTY, "XV", self.bg.clock())
                stakeholders.add_contact(uow, OPERATOR, party.id,
                                         ContactTopic.BREACH_NOTIFICATION, f"Security {n}",
                                         f"security@party{n}.example", "+1", date(2026, 10, 1),
                                         self.bg.clock())
                self.parties.append(party.id)
        self.turn = 0

    def content(self, victim: bool = True) -> ReportContent:
        self.turn += 1
        party = self.parties[self.turn % PARTIES]
        return ReportContent(
            title=f"Phishing against party staff ({self.turn})",
            summary="Spoofed invoices with a credential-harvesting link were sent to the "
                    "treasurer's office; two staff entered their password.",
            observed_at=self.bg.clock() - timedelta(hours=2), election="General election",
            phase=Phase.CAMPAIGN, vectors=[Vector.CYBER_INTRUSION],
            targets=[Target(kind=TargetKind.POLITICAL_PARTY, organisation_id=party,
                            is_victim=victim)],
            outcome=Outcome.ATTEMPTED, tlp=Tlp.GREEN)

    def file(self, victim: bool = True) -> str:
        with self.bg.uow() as uow:
            return file_report(uow, person_actor(self.analyst), self.content(victim),
                               self.bg.clock()).id

    def pend(self, count: int) -> None:
        """``count`` pending messages: copies of one real notification and its message."""
        report_id = self.file()
        with self.bg.uow() as uow:
            [first] = uow.victim_notifications.for_report(report_id)
            [message] = uow.outbox.for_notification(first.id)
            uow.commit()
        for start in range(1, count, CHUNK):
            with self.bg.uow() as uow:
                for _ in range(start, min(start + CHUNK, count)):
                    n = replace(first, id=str(uuid.uuid4()))
                    uow.victim_notifications.add(n)
                    uow.outbox.add([replace(message, id=str(uuid.uuid4()),
                                            notification_id=n.id)])
                uow.commit()

    def pending_messages(self) -> list[tuple[object, object]]:
        with self.bg.uow() as uow:
            claimed = uow.outbox.claim(self.bg.clock(), self.bg.clock(), 10**9)
            return [(m, uow.victim_notifications.get(m.notification_id)) for m in claimed]

    def deliver(self, dispatcher: Dispatcher) -> notifications.DeliveryRun:
        s = self.bg.settings
        return notifications.deliver(
            self.bg.uow, dispatcher, self.bg.clock,
            lease=timedelta(seconds=s.notification_lease_seconds), batch=s.notification_batch,
            max_attempts=s.notification_max_attempts)


def anchor(world: World, port: int) -> float:
    """Seconds for plain smtplib to send the pending messages' twins over one connection."""
    pairs = world.pending_messages()  # leases them with an already-lapsed lease: still pending
    sender = world.bg.settings.smtp_from
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for m, n in pairs:  # built in the loop, as any sender must: the same build as the outbox
            mail = build(m, sender, m.body, world.bg.clock(), n.id)  # type: ignore[attr-defined]
            smtp.send_message(mail, to_addrs=[m.recipient])  # type: ignore[attr-defined]
    return time.perf_counter() - start


def measure(size: int, port: int, batch: int, repeat: int) -> dict[str, float]:
    throughput, anchors, delays = [], [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            world = World(Path(folder), port, batch)
            world.pend(size)
            anchors.append(anchor(world, port))
            dispatcher = Dispatcher(world.bg.settings, world.bg.clock)
            start = time.perf_counter()
            run = world.deliver(dispatcher)
            throughput.append(time.perf_counter() - start)
            assert run.sent == size, run
            world.pend(size)  # the delay: ``size`` pending, then a new report
            report_id = world.file()
            saved = time.perf_counter()
            world.deliver(dispatcher)
            with world.bg.uow() as uow:
                [n] = uow.victim_notifications.for_report(report_id)
            assert n.state == "sent"
            delays.append(time.perf_counter() - saved)
            dispatcher.close()
            world.bg.close()
    outbox_s, anchor_s = statistics.median(throughput), statistics.median(anchors)
    return {"pending": size, "outbox_seconds": outbox_s, "anchor_seconds": anchor_s,
            "outbox_per_second": size / outbox_s, "anchor_per_second": size / anchor_s,
            "ratio": outbox_s / anchor_s, "delay_seconds": statistics.median(delays)}


def hook_cost(port: int, calls: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        world = World(Path(folder), port, 50)
        with_victim, without = [], []
        for _ in range(calls):
            for victim, into in ((True, with_victim), (False, without)):
                start = time.perf_counter()
                world.file(victim)
                into.append(time.perf_counter() - start)
        world.bg.close()
    a, b = statistics.median(with_victim), statistics.median(without)
    return {"file_with_victim_ms": a * 1000, "file_without_ms": b * 1000, "ratio": a / b}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,10000", help="pending messages (default 10,10000)")
    parser.add_argument("--quick", action="store_true", help="sizes 10,1000 and fewer repeats")
    parser.add_argument("--batch", type=int, default=50, help="messages claimed at a time")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    options = parser.parse_args()
    sizes = [10, 1000] if options.quick else [int(s) for s in options.sizes.split(",")]
    port = _free_port()
    sink = _sink(port)
    try:
        rows = [measure(size, port, options.batch, 5 if size <= 100 else (1 if size >= 5000
                                                                            else 2))
                for size in sizes]
        hook = hook_cost(port, 50 if options.quick else 200)
    finally:
        sink.terminate()
        sink.wait(10)
    print_table(
        "Outbox to a loopback SMTP server (aiosmtpd Sink), SQLite; anchor: plain smtplib loop",
        ["pending", "outbox msg/s", "smtplib msg/s", "outbox/anchor time", "report->sent delay"],
        [[str(r["pending"]), f"{r['outbox_per_second']:.0f}", f"{r['anchor_per_second']:.0f}",
          f"{r['ratio']:.2f}x", f"{r['delay_seconds'] * 1000:.0f} ms"] for r in rows])
    print_table("Hook cost: file_report with a victim organisation vs without",
                ["with victim", "without", "ratio"],
                [[f"{hook['file_with_victim_ms']:.1f} ms", f"{hook['file_without_ms']:.1f} ms",
                  f"{hook['ratio']:.2f}x"]])
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(f"throughput {last['pending']} vs {first['pending']} pending: "
              f"{first['outbox_seconds'] / first['pending'] / (last['outbox_seconds'] / last['pending']):.2f}x "
              "messages per second")
    if options.json:
        options.json.write_text(json.dumps({"machine": machine(), "rows": rows, "hook": hook},
                                           indent=2))


if __name__ == "__main__":
    main()
