"""Persistence: SQLAlchemy models, repositories implementing ``ports``, Alembic migrations."""

from ballotguard.store.database import SqlUnitOfWork, make_engine, migrate, unit_of_work_factory

__all__ = ["SqlUnitOfWork", "make_engine", "migrate", "unit_of_work_factory"]
