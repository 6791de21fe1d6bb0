"""A throwaway PostgreSQL server for the test session.

The tests start their own server with the machine's ``initdb`` and ``pg_ctl`` (PostgreSQL 15 from
the Debian package): one server and one database per session, and a fresh schema per test, named
first on the connection's ``search_path``. The migration then builds every table, index and
trigger inside that schema, so tests are independent; a schema costs about a tenth of a second,
where ``CREATE DATABASE ... TEMPLATE`` costs half a second. Durability is switched off
(``fsync=off``): the data is thrown away.

PostgreSQL refuses to run as root. When the tests run as root the binaries are run as the
``postgres`` system user (``runuser``, else ``su``), and the data directory is handed to that user.

Nothing here skips: if the binaries or an unprivileged user are missing, the session fails with a
message that says what to install.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

SUPERUSER = "postgres"
TEST_DB = "ballotguard_test"
_SEARCH_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin",
                "/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/14/bin")


class PostgresUnavailable(RuntimeError):
    """The throwaway server cannot be started; the message says why and what to install."""


def find_bindir() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl``: version 15 first, then PATH."""
    for directory in _SEARCH_DIRS:
        if (Path(directory) / "initdb").is_file() and (Path(directory) / "pg_ctl").is_file():
            return Path(directory)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(os.path.realpath(pg_ctl)).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/15/bin "
        "nor on PATH. The store contract suite needs a real server: install the Debian package "
        "'postgresql-15' (apt-get install postgresql-15; `make test` does this when it is missing)."
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> list[str]:
    """The command prefix that runs a PostgreSQL binary as an unprivileged user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        raise PostgresUnavailable(
            "the tests run as root and PostgreSQL refuses to run as root, but there is no "
            "'postgres' system user to run it as (the Debian package creates one)"
        ) from None
    if shutil.which("runuser"):
        return ["runuser", "-u", SUPERUSER, "--"]
    return ["su", SUPERUSER, "-s", "/bin/sh", "-c", '"$0" "$@"']


@dataclass
class PostgresServer:
    bindir: Path
    base: Path
    port: int = 0
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def datadir(self) -> Path:
        return self.base / "data"

    @property
    def logfile(self) -> Path:
        return self.base / "server.log"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = [*_run_as(), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                check=False, cwd=self.base)
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"{' '.join(args[:2])} failed ({result.returncode}):\n{result.stdout}\n"
                f"{result.stderr}\n{self._log_tail()}"
            )
        return result

    def _log_tail(self) -> str:
        try:
            return "server log:\n" + self.logfile.read_text()[-3000:]
        except OSError:
            return ""

    def init(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.datadir), "-U", SUPERUSER,
                  "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")

    def start(self) -> None:
        last_error: PostgresUnavailable | None = None
        for _ in range(3):
            self.port = _free_port()
            options = (f"-p {self.port} -h 127.0.0.1 -k {self.base} -F "
                       "-c full_page_writes=off -c synchronous_commit=off "
                       "-c max_connections=200 -c shared_buffers=32MB")
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-l",
                          str(self.logfile), "-o", options, "-w", "-t", "60", "start", timeout=90)
                return
            except PostgresUnavailable as exc:  # the port may have been taken meanwhile
                last_error = exc
        assert last_error is not None
        raise last_error

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast",
                      "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, dbname: str, schema: str | None = None) -> str:
        """A SQLAlchemy URL; with ``schema``, every connection works inside that schema."""
        url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"
        return f"{url}?options=-csearch_path%3D{schema}" if schema else url

    def admin(self, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                               dbname=dbname, autocommit=True)

    def create_database(self, name: str) -> str:
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return name

    def create_schema(self, dbname: str) -> str:
        name = f"bg_test_{next(self._names)}"
        with self.admin(dbname) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return name

    def drop_schema(self, dbname: str, name: str) -> None:
        with self.admin(dbname) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def start_server() -> PostgresServer:
    """initdb into a fresh directory and start the server; raises ``PostgresUnavailable``."""
    bindir = find_bindir()
    base = Path(tempfile.mkdtemp(prefix="ballotguard-pg-"))
    if os.geteuid() == 0:
        _run_as()  # fails early, with the reason, when there is no user to run as
        account = pwd.getpwnam(SUPERUSER)
        os.chown(base, account.pw_uid, account.pw_gid)
    server = PostgresServer(bindir, base)
    try:
        server.init()
        server.start()
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    return server
