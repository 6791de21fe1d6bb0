"""A server killed with SIGKILL in the middle of a stream of writes loses no committed report and
leaves a database that opens, passes SQLite's integrity check and a valid audit chain."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from ballotguard.bootstrap import bootstrap
from ballotguard.config import Settings
from ballotguard.services.audit import verify_log
from ballotguard.sharing import Reader, read_scope
from ballotguard.sharing.search import ReportFilter
from support import world
from support.hub import build_hub


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(url: str, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {"BALLOTGUARD_DATABASE_URL": url}
    process = subprocess.Popen([sys.executable, "-m", "ballotguard", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def test_sigkill_during_writes_loses_no_committed_report(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'durable.db'}"
    bg = bootstrap(Settings(database_url=url))
    hub = build_hub(bg)
    bg.close()
    port = _free_port()
    server = _start(url, port)
    acknowledged: list[str] = []
    body = world.content().model_dump(mode="json")
    headers = hub.headers(hub.ea_analyst)

    def writer() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as client:
            for n in range(2000):
                try:
                    response = client.post("/api/reports", json=body | {"title": f"Report {n}"})
                except httpx.TransportError:
                    return
                if response.status_code == 201:
                    acknowledged.append(response.json()["id"])

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for thread in threads:
        thread.start()
    while len(acknowledged) < 40:
        time.sleep(0.02)
    server.send_signal(signal.SIGKILL)
    server.wait()
    for thread in threads:
        thread.join(timeout=30)

    reopened = bootstrap(Settings(database_url=url))
    try:
        with reopened.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        with reopened.uow() as uow:
            scope = read_scope(Reader(hub.ea_analyst.id, hub.ea.id))
            stored = {r.id for r in uow.reports.page(scope, ReportFilter(), 5000, None).reports}
            assert set(acknowledged) <= stored
            assert verify_log(uow).entries >= len(acknowledged)
    finally:
        reopened.close()
