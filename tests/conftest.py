"""Fixtures shared by every test directory.

- ``postgres_server``: one throwaway PostgreSQL server for the session (``support.postgres``);
  it fails the session, never skips, when PostgreSQL is not installed.
- ``postgres_database``: the session's database; ``postgres_url`` gives each test a fresh schema
  in it (the migration runs there when the test bootstraps).
- ``clock``: a ``FakeClock`` the test moves by hand.
- ``bg``: a ``Ballotguard`` on a fresh database, once on SQLite and once on PostgreSQL.
- ``sqlite_bg``: the same on SQLite only, for tests where the database does not matter.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.config import Settings
from support.clock import FakeClock
from support.postgres import TEST_DB, PostgresServer, PostgresUnavailable, start_server

DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = start_server()
    except PostgresUnavailable as exc:
        pytest.fail(f"cannot start the throwaway PostgreSQL server: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_database(postgres_server: PostgresServer) -> str:
    return postgres_server.create_database(TEST_DB)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, postgres_database: str) -> Iterator[str]:
    """The URL of an empty schema of its own; nothing is migrated until someone bootstraps."""
    schema = postgres_server.create_schema(postgres_database)
    try:
        yield postgres_server.url(postgres_database, schema)
    finally:
        postgres_server.drop_schema(postgres_database, schema)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def database_url(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'ballotguard.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(params=DATABASES)
def bg(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Ballotguard]:
    """A Ballotguard on a fresh, migrated database, on each of the supported databases."""
    instance = bootstrap(Settings(database_url=database_url(request, request.param, tmp_path)),
                         clock=clock)
    try:
        yield instance
    finally:
        instance.close()


@pytest.fixture
def sqlite_bg(tmp_path: Path, clock: FakeClock) -> Iterator[Ballotguard]:
    instance = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'ballotguard.db'}"),
                         clock=clock)
    try:
        yield instance
    finally:
        instance.close()
