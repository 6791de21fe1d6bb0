"""Writing to and verifying the hash-chained audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ballotguard.auditlog import Verification, next_entry, verify
from ballotguard.ports import UnitOfWork
from ballotguard.services.actors import Actor


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    subject: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry in the caller's transaction, so the log and the change commit together."""
    uow.audit_log.append(next_entry(uow.audit_log.last(), now, actor.id, action, subject, detail))


def verify_log(uow: UnitOfWork) -> Verification:
    return verify(uow.audit_log.entries())
