"""A throwaway PostgreSQL server for one benchmark run.

The benchmarks must compare SQLite and PostgreSQL on the same machine without asking anyone to
set up a server, so they start their own with the machine's ``initdb`` and ``pg_ctl`` (PostgreSQL
15 from the Debian package) in a temporary directory and delete it afterwards. PostgreSQL refuses
to run as root; as root the binaries run as the ``postgres`` system user via ``runuser``.

Unlike the test server, this one keeps durability on (``fsync`` and ``synchronous_commit`` at
their defaults): the intake rate it reports must be the rate of a server that keeps what it
acknowledged. Only the bulk loader switches ``synchronous_commit`` off for its own session.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BINDIR = Path(os.environ.get("BENCH_PG_BINDIR", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"
SERVER_OPTIONS = (
    "-c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min "
    "-c max_connections=50"
)
"""Settings a small production server would also use; recorded in bench/RESULTS.md."""


class PostgresUnavailable(RuntimeError):
    """The server cannot be started; the message says why and what to install."""


@dataclass
class Server:
    base: Path
    port: int

    def database_url(self, name: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        """Another empty database on the same server; returns its URL."""
        _run(self.base, str(BINDIR / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
             "-U", SUPERUSER, name)
        return self.database_url(name)

    @property
    def version(self) -> str:
        result = subprocess.run([str(BINDIR / "postgres"), "--version"], capture_output=True,
                                text=True, check=False)
        return result.stdout.strip()


def _as_postgres() -> list[str]:
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        raise PostgresUnavailable("running as root, and there is no 'postgres' user to run the "
                                  "server as; install the Debian package postgresql-15") from None
    return ["runuser", "-u", SUPERUSER, "--"]


def _run(base: Path, *args: str, timeout: float = 120) -> None:
    result = subprocess.run([*_as_postgres(), *args], capture_output=True, text=True,
                            timeout=timeout, check=False, cwd=base)
    if result.returncode != 0:
        log = base / "server.log"
        tail = log.read_text()[-2000:] if log.exists() else ""
        raise PostgresUnavailable(f"{args[0]} failed:\n{result.stdout}{result.stderr}{tail}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def throwaway_server() -> Iterator[Server]:
    """initdb and start a server; stop it and delete its files on exit."""
    if not (BINDIR / "initdb").is_file():
        raise PostgresUnavailable(f"no initdb in {BINDIR}: apt-get install postgresql-15, or set "
                                  "BENCH_PG_BINDIR")
    base = Path(tempfile.mkdtemp(prefix="ballotguard-bench-pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam(SUPERUSER)
        os.chown(base, account.pw_uid, account.pw_gid)
    data = base / "data"
    server = Server(base, _free_port())
    try:
        _run(base, str(BINDIR / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust",
             "-E", "UTF8", "--locale=C.UTF-8")
        options = f"-p {server.port} -h 127.0.0.1 -k {base} {SERVER_OPTIONS}"
        _run(base, str(BINDIR / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"),
             "-o", options, "-w", "-t", "90", "start")
        yield server
    finally:
        with contextlib.suppress(Exception):
            _run(base, str(BINDIR / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)
