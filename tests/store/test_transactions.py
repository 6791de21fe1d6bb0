"""One transaction per use case, on SQLite and PostgreSQL: a use case that fails half-way leaves
nothing behind, and concurrent use cases queue instead of breaking the audit chain."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import text

from ballotguard.auditlog import AuditEntry
from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import OrganisationNotFound, PersonNotFound
from ballotguard.ports import UnitOfWork
from ballotguard.services import reports as rs
from ballotguard.services import stakeholders
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.services.audit import verify_log
from ballotguard.sharing import Person, Role, Sector, Status
from ballotguard.store.repositories import SqlAuditLog
from ballotguard.vocabulary import Tlp
from support import world

TABLES = ["organisations", "people", "reports", "report_versions", "report_vectors",
          "report_recipient_orgs", "report_recipient_people", "blobs", "audit_log"]


def counts(bg: Ballotguard) -> dict[str, int]:
    with bg.engine.connect() as conn:
        return {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in TABLES}


class DiskFull(Exception):
    pass


def test_filing_with_an_unknown_recipient_leaves_nothing(bg: Ballotguard) -> None:
    author = world.person(bg, world.org(bg))
    before = counts(bg)
    with pytest.raises(OrganisationNotFound):
        world.file(bg, author, tlp=Tlp.AMBER, recipient_orgs=["org-that-does-not-exist"])
    with pytest.raises(PersonNotFound):
        world.file(bg, author, tlp=Tlp.RED, recipient_people=["p-that-does-not-exist"])
    assert counts(bg) == before
    assert before["reports"] == 0


def test_half_written_use_cases_roll_back(
    bg: Ballotguard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit entry is each use case's last write; when it fails, the rest goes too."""
    author = world.person(bg, world.org(bg), [Role.ANALYST])
    filed = world.file(bg, author, title="As first filed")
    actor = person_actor(author)
    before = counts(bg)
    with bg.uow() as uow:
        before_report = uow.reports.get(filed.id)
        before_history = uow.reports.history(filed.id)

    def append(self: SqlAuditLog, entry: AuditEntry) -> None:
        raise DiskFull

    monkeypatch.setattr(SqlAuditLog, "append", append)
    now = bg.clock()
    upload = rs.Upload("a.txt", "text/plain", b"evidence")
    attempts: list[Callable[[UnitOfWork], object]] = [
        lambda uow: rs.file_report(uow, actor, world.content(tlp=Tlp.AMBER), now),
        lambda uow: rs.correct_report(uow, actor, filed.id, world.content(title="Changed"),
                                      "reason", now),
        lambda uow: rs.change_status(uow, actor, filed.id, Status.TRIAGED, now),
        lambda uow: rs.add_note(uow, actor, filed.id, "a note", now),
        lambda uow: rs.add_attachment(uow, actor, filed.id, upload, 100, now),
        lambda uow: stakeholders.create_org(uow, OPERATOR, "New org", Sector.MEDIA, "XA", now),
        lambda uow: stakeholders.create_person(uow, OPERATOR, author.org_id, "New",
                                               "new@x.example", frozenset({Role.REPORTER}), now),
    ]
    for attempt in attempts:
        with bg.uow() as uow, pytest.raises(DiskFull):
            attempt(uow)
    monkeypatch.undo()
    assert counts(bg) == before
    with bg.uow() as uow:
        assert uow.reports.get(filed.id) == before_report
        assert uow.reports.history(filed.id) == before_history
        verify_log(uow)


def test_concurrent_use_cases_queue_and_keep_the_chain(bg: Ballotguard) -> None:
    org = world.org(bg)
    authors = [world.person(bg, org) for _ in range(4)]
    errors: list[BaseException] = []

    def work(author: Person) -> None:
        try:
            for n in range(5):
                world.file(bg, author, title=f"Concurrent {n}")
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(a,)) for a in authors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counts(bg)["reports"] == 20
    with bg.uow() as uow:
        result = verify_log(uow)
    assert result.entries == 1 + 4 + 20
