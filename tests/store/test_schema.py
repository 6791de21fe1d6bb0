"""The schema on both databases: the migration builds exactly what the models declare, the audit
log refuses UPDATE and DELETE in the database itself, and datetimes come back aware and in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, String, Table, exc, inspect, text

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.config import Settings
from ballotguard.services.actors import OPERATOR
from ballotguard.services.audit import record
from ballotguard.sharing import LoginState, Role
from ballotguard.store.models import Base
from support import world
from support.clock import FakeClock

EXPECTED_TABLES = {
    "organisations", "people", "api_tokens", "sessions", "contacts", "agreements", "reports",
    "report_vectors", "report_recipient_orgs", "report_recipient_people", "report_versions",
    "blobs", "audit_log", "techniques",
    "adopted_definitions", "assessments", "assessment_versions", "correlation_keys",
    "correlation_exclusions", "report_links", "link_decisions", "campaigns", "campaign_members",
    "stix_objects", "stix_object_parties", "taxii_statuses", "federation_peers", "jobs",
    "victim_notifications", "org_webhooks", "outbox",
    "panel_settings", "panel_seats", "panel_cases", "panel_case_links", "panel_packets",
    "panel_checklist", "panel_notes", "panel_recusals", "panel_votes", "panel_decisions",
    "notice_parties", "notice_briefings", "notices", "notice_versions", "voting_pages",
    "audits", "audit_contests", "audit_jurisdictions", "audit_assignments", "audit_manifests",
    "audit_cvrs", "audit_rounds", "audit_sampled_ballots", "audit_entries",
}


def test_migration_builds_exactly_the_models_schema(bg: Ballotguard) -> None:
    with bg.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        tables = set(inspect(conn).get_table_names())
    assert tables == EXPECTED_TABLES | {"alembic_version"}
    assert set(Base.metadata.tables) == EXPECTED_TABLES


def test_migrating_twice_changes_nothing(bg: Ballotguard) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from ballotguard.store import migrate
    from ballotguard.store.database import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    migrate(bg.engine)
    with bg.engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == [head]
    assert head is not None and int(head) >= 3


def _write_audit_entries(bg: Ballotguard, count: int) -> None:
    with bg.uow() as uow:
        for n in range(count):
            record(uow, OPERATOR, "test.entry", f"subject-{n}", bg.clock(), {"n": n})
        uow.commit()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET detail = '{}' WHERE seq = 1",
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log WHERE seq = 2",
        "DELETE FROM audit_log",
    ],
)
def test_the_database_refuses_to_change_the_audit_log(bg: Ballotguard, statement: str) -> None:
    _write_audit_entries(bg, 3)
    with bg.engine.connect() as conn, pytest.raises(exc.DBAPIError, match="append-only"):
        conn.execute(text(statement))
    with bg.engine.connect() as conn:
        rows = conn.execute(text("SELECT seq, detail FROM audit_log ORDER BY seq")).all()
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].detail == '{"n": 0}'


@pytest.mark.postgres
def test_postgres_also_refuses_truncate(postgres_url: str, clock: FakeClock) -> None:
    bg = bootstrap(Settings(database_url=postgres_url), clock=clock)
    try:
        _write_audit_entries(bg, 2)
        with bg.engine.connect() as conn, pytest.raises(exc.DBAPIError, match="append-only"):
            conn.execute(text("TRUNCATE audit_log"))
        with bg.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 2
    finally:
        bg.close()


def test_the_audit_log_still_accepts_appends(bg: Ballotguard) -> None:
    _write_audit_entries(bg, 2)
    _write_audit_entries(bg, 2)
    with bg.uow() as uow:
        assert [e.seq for e in uow.audit_log.entries()] == [1, 2, 3, 4]


# -- UtcDateTime --------------------------------------------------------------------------------

PLUS_0530 = timezone(timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 20, 14, 0, tzinfo=UTC),
        datetime(2026, 11, 20, 19, 30, 0, 123456, tzinfo=PLUS_0530),
        datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-8))),
    ],
)
def test_datetimes_round_trip_aware_and_in_utc(bg: Ballotguard, moment: datetime) -> None:
    organisation = world.org(bg)
    person = world.person(bg, organisation, [Role.REPORTER])
    with bg.uow() as uow:
        uow.credentials.save_login_state(person.id, LoginState(2, moment))
        uow.commit()
    with bg.uow() as uow:
        state = uow.credentials.login_state(person.id)
    assert state.locked_until == moment
    assert state.locked_until is not None
    assert state.locked_until.utcoffset() == timedelta(0)
    assert state.locked_until.tzinfo is not None


def test_the_store_refuses_a_naive_datetime(bg: Ballotguard) -> None:
    organisation = world.org(bg)
    person = world.person(bg, organisation)
    with bg.uow() as uow:
        uow.credentials.save_login_state(person.id, LoginState(1, datetime(2026, 11, 20, 14, 0)))
        with pytest.raises(exc.StatementError, match="naive datetime"):
            uow.commit()


def test_the_schema_comparison_does_see_a_difference(bg: Ballotguard) -> None:
    """Guard for the test above: a model the migration does not build is reported."""
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("not_migrated", metadata, Column("id", Integer, primary_key=True))
    metadata.tables["reports"].append_column(Column("extra", String(10)))
    with bg.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, metadata)
    kinds = {(d[0], d[1].name if d[0] == "add_table" else d[2]) for d in diffs}
    assert kinds == {("add_table", "not_migrated"), ("add_column", "reports")}
