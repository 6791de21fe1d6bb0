"""Engines, the SQLAlchemy unit of work, and migrations.

SQLite runs in WAL mode with ``synchronous=NORMAL``: a killed process never loses a committed
transaction. Write transactions begin IMMEDIATE so that two writers queue instead of failing
half-way; PostgreSQL serialises audit-log appends with an advisory lock instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from ballotguard import ports
from ballotguard.store.analysis import SqlAssessments, SqlCorrelation, SqlDefinitions
from ballotguard.store.audits import SqlAuditStore
from ballotguard.store.federation import SqlJobs, SqlPeers
from ballotguard.store.notices import SqlNoticeStore
from ballotguard.store.notifications import SqlOutbox, SqlVictimNotifications
from ballotguard.store.panel import SqlPanelStore
from ballotguard.store.repositories import (
    SqlAgreements,
    SqlAuditLog,
    SqlBlobs,
    SqlContacts,
    SqlCredentials,
    SqlOrganisations,
    SqlPeople,
    SqlReports,
    SqlTechniques,
)
from ballotguard.store.stix_objects import SqlStixObjects

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and ":memory:" not in path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=30000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()
        # SQLite's own lower() folds ASCII only; text search must fold "É" as Python and
        # PostgreSQL do, or the two stores answer the same search differently.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _lower(text: str | None) -> str | None:
    return text.lower() if isinstance(text, str) else text


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class SqlUnitOfWork:
    """One session, one transaction; leaving without ``commit`` rolls everything back."""

    orgs: ports.Organisations
    people: ports.People
    credentials: ports.Credentials
    contacts: ports.Contacts
    agreements: ports.Agreements
    reports: ports.Reports
    blobs: ports.Blobs
    audit_log: ports.AuditLog
    techniques: ports.Techniques
    definitions: ports.Definitions
    assessments: ports.Assessments
    correlation: ports.Correlation
    stix_objects: ports.StixObjects
    peers: ports.Peers
    jobs: ports.Jobs
    panel: ports.PanelStore
    notices: ports.NoticeStore
    victim_notifications: ports.VictimNotifications
    outbox: ports.Outbox
    audits: ports.AuditStore

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def __enter__(self) -> Self:
        self.session = self._factory()
        self.orgs = SqlOrganisations(self.session)
        self.people = SqlPeople(self.session)
        self.credentials = SqlCredentials(self.session)
        self.contacts = SqlContacts(self.session)
        self.agreements = SqlAgreements(self.session)
        self.reports = SqlReports(self.session)
        self.blobs = SqlBlobs(self.session)
        self.audit_log = SqlAuditLog(self.session)
        self.techniques = SqlTechniques(self.session)
        self.definitions = SqlDefinitions(self.session)
        self.assessments = SqlAssessments(self.session)
        self.correlation = SqlCorrelation(self.session)
        self.stix_objects = SqlStixObjects(self.session)
        self.peers = SqlPeers(self.session)
        self.jobs = SqlJobs(self.session)
        self.panel = SqlPanelStore(self.session)
        self.notices = SqlNoticeStore(self.session)
        self.victim_notifications = SqlVictimNotifications(self.session)
        self.outbox = SqlOutbox(self.session)
        self.audits = SqlAuditStore(self.session)
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def unit_of_work_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
