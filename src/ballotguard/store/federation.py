"""Federation peers and background jobs: their tables and repositories.

A job is claimed with a conditional UPDATE (a lease): two runners (the thread in ``serve`` and a
cron ``ballotguard jobs run``) never execute the same job at once, on SQLite (whose write
transactions queue) as on PostgreSQL (where the UPDATE takes the row lock).
"""

from __future__ import annotations

import builtins
import json
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CursorResult,
    Index,
    Integer,
    String,
    Text,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from ballotguard.errors import Conflict
from ballotguard.ports import JobRecord, PeerRecord
from ballotguard.store.models import ID, Base
from ballotguard.vocabulary import Tlp


class PeerRow(Base):
    """Another TAXII server; never its token, only the name of the variable that holds it."""

    __tablename__ = "federation_peers"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    api_root_url: Mapped[str] = mapped_column(String(2000))
    collection_id: Mapped[str] = mapped_column(String(200))
    token_env: Mapped[str] = mapped_column(String(200))
    local_account: Mapped[str] = mapped_column(String(320))
    direction: Mapped[str] = mapped_column(String(10))
    interval_minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    tlps: Mapped[str] = mapped_column(String(40))
    pull_cursor: Mapped[str | None] = mapped_column(String(40), nullable=True)
    push_after_date: Mapped[datetime | None] = mapped_column(nullable=True)
    push_after_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_run_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class JobRow(Base):
    """One piece of background work; ``key`` is unique so a recurring job exists once."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(300), unique=True)
    payload: Mapped[str] = mapped_column(Text)
    run_at: Mapped[datetime]
    created_at: Mapped[datetime]
    interval_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    last_run_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error_at: Mapped[datetime | None] = mapped_column(nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    __table_args__ = (Index("ix_jobs_due", "state", "run_at"),)


class SqlPeers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, peer: PeerRecord) -> None:
        if self.session.get(PeerRow, peer.name) is not None:
            raise Conflict(f"a federation peer named {peer.name} exists already")
        row = PeerRow(name=peer.name)
        _fill_peer(row, peer)
        self.session.add(row)
        self.session.flush()

    def get(self, name: str) -> PeerRecord | None:
        row = self.session.get(PeerRow, name)
        return _peer(row) if row else None

    def update(self, peer: PeerRecord) -> None:
        row = self.session.get(PeerRow, peer.name)
        if row is None:
            raise Conflict(f"federation peer {peer.name} was removed meanwhile")
        _fill_peer(row, peer)
        self.session.flush()

    def remove(self, name: str) -> bool:
        result = self.session.execute(delete(PeerRow).where(PeerRow.name == name))
        return _count(result) > 0

    def list(self) -> builtins.list[PeerRecord]:
        return [_peer(r) for r in self.session.scalars(select(PeerRow).order_by(PeerRow.name))]


def _fill_peer(row: PeerRow, peer: PeerRecord) -> None:
    row.api_root_url = peer.api_root_url
    row.collection_id = peer.collection_id
    row.token_env = peer.token_env
    row.local_account = peer.local_account
    row.direction = peer.direction
    row.interval_minutes = peer.interval_minutes
    row.created_at = peer.created_at
    row.tlps = ",".join(sorted(t.value for t in peer.tlps))
    row.pull_cursor = peer.pull_cursor
    row.push_after_date, row.push_after_seq = peer.push_cursor or (None, None)
    row.last_run_at = peer.last_run_at
    row.last_error = peer.last_error


def _peer(row: PeerRow) -> PeerRecord:
    push_cursor = None
    if row.push_after_date is not None and row.push_after_seq is not None:
        push_cursor = (row.push_after_date, row.push_after_seq)
    return PeerRecord(
        name=row.name,
        api_root_url=row.api_root_url,
        collection_id=row.collection_id,
        token_env=row.token_env,
        local_account=row.local_account,
        direction=row.direction,
        interval_minutes=row.interval_minutes,
        created_at=row.created_at,
        tlps=frozenset(Tlp(t) for t in row.tlps.split(",") if t),
        pull_cursor=row.pull_cursor,
        push_cursor=push_cursor,
        last_run_at=row.last_run_at,
        last_error=row.last_error,
    )


class SqlJobs:
    def __init__(self, session: Session) -> None:
        self.session = session

    def schedule(self, job: JobRecord) -> None:
        """Insert the job, replacing any job with the same key."""
        self.session.execute(delete(JobRow).where(JobRow.key == job.key))
        row = JobRow(id=job.id)
        _fill_job(row, job)
        self.session.add(row)
        self.session.flush()

    def get(self, job_id: str) -> JobRecord | None:
        row = self.session.get(JobRow, job_id)
        return _job(row) if row else None

    def by_key(self, key: str) -> JobRecord | None:
        row = self.session.scalar(select(JobRow).where(JobRow.key == key))
        return _job(row) if row else None

    def due(self, now: datetime, limit: int) -> builtins.list[JobRecord]:
        """Scheduled jobs whose time has come and that no runner holds, oldest due first."""
        rows = self.session.scalars(
            select(JobRow)
            .where(JobRow.state == "scheduled", JobRow.run_at <= now, _unleased(now))
            .order_by(JobRow.run_at, JobRow.id)
            .limit(limit)
        )
        return [_job(r) for r in rows]

    def claim(self, job_id: str, now: datetime, until: datetime) -> bool:
        result = self.session.execute(
            update(JobRow)
            .where(
                JobRow.id == job_id,
                JobRow.state == "scheduled",
                JobRow.run_at <= now,
                _unleased(now),
            )
            .values(locked_until=until)
        )
        return _count(result) == 1

    def save(self, job: JobRecord) -> None:
        row = self.session.get(JobRow, job.id)
        if row is None:
            return  # removed while it ran (the peer was removed): nothing to reschedule
        _fill_job(row, job)
        self.session.flush()

    def remove(self, key: str) -> bool:
        result = self.session.execute(delete(JobRow).where(JobRow.key == key))
        return _count(result) > 0

    def list(self) -> builtins.list[JobRecord]:
        rows = self.session.scalars(select(JobRow).order_by(JobRow.run_at, JobRow.key))
        return [_job(r) for r in rows]


def _unleased(now: datetime) -> ColumnElement[bool]:
    return or_(JobRow.locked_until.is_(None), JobRow.locked_until <= now)


def _count(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


def _fill_job(row: JobRow, job: JobRecord) -> None:
    row.kind = job.kind
    row.key = job.key
    row.payload = json.dumps(job.payload, sort_keys=True)
    row.run_at = job.run_at
    row.created_at = job.created_at
    row.interval_seconds = job.interval_seconds
    row.attempts = job.attempts
    row.state = job.state
    row.last_run_at = job.last_run_at
    row.last_error = job.last_error
    row.last_error_at = job.last_error_at
    row.locked_until = job.locked_until


def _job(row: JobRow) -> JobRecord:
    return JobRecord(
        id=row.id,
        kind=row.kind,
        key=row.key,
        payload=dict(json.loads(row.payload)),
        run_at=row.run_at,
        created_at=row.created_at,
        interval_seconds=row.interval_seconds,
        attempts=row.attempts,
        state=row.state,
        last_run_at=row.last_run_at,
        last_error=row.last_error,
        last_error_at=row.last_error_at,
        locked_until=row.locked_until,
    )
