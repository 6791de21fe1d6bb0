"""The throwaway server itself: it is real, it is ours, and without PostgreSQL the session fails
with a message that says what to install (it never skips)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from support import postgres
from support.postgres import PostgresServer, PostgresUnavailable


def test_missing_binaries_fail_with_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "_SEARCH_DIRS", ("/nonexistent/postgresql/bin",))
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(PostgresUnavailable, match=r"initdb, pg_ctl.*postgresql-15"):
        postgres.find_bindir()
    with pytest.raises(PostgresUnavailable):
        postgres.start_server()


@pytest.mark.postgres
def test_the_server_is_a_real_postgresql_15_with_a_schema_per_test(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version_num")).scalar_one()
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            fsync = conn.execute(text("SHOW fsync")).scalar_one()
    finally:
        engine.dispose()
    assert int(version) // 10000 >= 15
    assert schema.startswith("bg_test_")
    assert fsync == "off"
    assert str(postgres_server.port) in postgres_url
