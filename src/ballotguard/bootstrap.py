"""The composition root: Settings -> engine -> units of work. The only door from web and cli
to the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from ballotguard.config import Settings
from ballotguard.ports import UnitOfWork
from ballotguard.store import SqlUnitOfWork, make_engine, migrate, unit_of_work_factory


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Ballotguard:
    """One running instance: its settings, its database and its clock."""

    settings: Settings
    engine: Engine
    clock: Callable[[], datetime] = field(default=utc_now)

    def __post_init__(self) -> None:
        self._sessions = unit_of_work_factory(self.engine)

    def uow(self) -> UnitOfWork:
        return SqlUnitOfWork(self._sessions)

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None,
    clock: Callable[[], datetime] = utc_now,
    run_migrations: bool = True,
) -> Ballotguard:
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    if run_migrations:
        migrate(engine)
    return Ballotguard(settings, engine, clock)
