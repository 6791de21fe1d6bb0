"""Running due jobs: claim, run, and reschedule or back off.

Each job is claimed with a lease in its own short transaction, run outside any transaction (a
federation pull talks to the network for minutes and must not hold SQLite's write lock), and its
outcome written in a second short transaction. A failure keeps its message on the row and sets
the next try after an exponential back-off (1, 2, 4, ... minutes, at most an hour); a success
clears the count of failures and, for a recurring job, schedules the next run one interval after
this one started. A runner that dies mid-job leaves the lease, which expires after ``LEASE``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ballotguard.bootstrap import Ballotguard
from ballotguard.jobs.registry import REGISTRY, JobContext, Registry
from ballotguard.ports import JobRecord

LEASE = timedelta(hours=1)
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
ONE_SHOT_ATTEMPTS = 8
"""A one-shot job that fails this many times in a row is marked failed and left alone."""
ERROR_CHARS = 2000

log = logging.getLogger("ballotguard.jobs")


@dataclass(frozen=True, slots=True)
class JobRun:
    """What one run did, for ``ballotguard jobs run`` and the server log."""

    job_id: str
    kind: str
    key: str
    ok: bool
    message: str
    started_at: datetime
    finished_at: datetime
    next_run_at: datetime | None
    state: str


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure in a row: 1, 2, 4, ... minutes, at most an hour."""
    return min(RETRY_BASE * (1 << min(max(attempts - 1, 0), 30)), RETRY_CAP)


def after_success(job: JobRecord, started: datetime, finished: datetime) -> JobRecord:
    if job.interval_seconds is None:
        return replace(job, state="done", attempts=0, last_run_at=finished, locked_until=None)
    next_run = max(started + timedelta(seconds=job.interval_seconds), finished)
    return replace(job, run_at=next_run, attempts=0, last_run_at=finished, locked_until=None)


def after_failure(
    job: JobRecord, finished: datetime, message: str
) -> JobRecord:
    attempts = job.attempts + 1
    failed = replace(
        job,
        attempts=attempts,
        last_run_at=finished,
        last_error=message[:ERROR_CHARS],
        last_error_at=finished,
        locked_until=None,
    )
    if job.interval_seconds is None and attempts >= ONE_SHOT_ATTEMPTS:
        return replace(failed, state="failed")
    return replace(failed, run_at=finished + backoff(attempts))


def run_due(
    bg: Ballotguard,
    now: datetime,
    *,
    registry: Registry = REGISTRY,
    limit: int = 100,
    stop: threading.Event | None = None,
) -> list[JobRun]:
    """Run every job due at ``now`` that no other runner holds; returns what ran, in order."""
    with bg.uow() as uow:
        due = uow.jobs.due(now, limit)
    stop = stop or threading.Event()
    runs = []
    for job in due:
        if stop.is_set():
            break
        run = run_job(bg, job, now, registry, stop)
        if run is not None:
            runs.append(run)
    return runs


def run_job(
    bg: Ballotguard, job: JobRecord, now: datetime, registry: Registry, stop: threading.Event
) -> JobRun | None:
    """Claim and run one job; None when another runner got it first."""
    with bg.uow() as uow:
        claimed = uow.jobs.claim(job.id, now, now + LEASE)
        uow.commit()
    if not claimed:
        return None
    try:
        message = registry.handler(job.kind)(JobContext(bg, dict(job.payload), now, stop))
        ok = True
    except Exception as exc:  # the failure is kept on the row and retried; never lost
        log.warning("job %s failed: %s", job.key, describe(exc))
        message, ok = describe(exc), False
    except BaseException:
        _release(bg, job.id)  # Ctrl+C in ``jobs run``: give the job back at once
        raise
    finished = bg.clock()
    with bg.uow() as uow:
        current = uow.jobs.get(job.id)
        if current is None:  # removed while it ran
            return JobRun(job.id, job.kind, job.key, ok, message, now, finished, None, "removed")
        updated = after_success(current, now, finished) if ok else after_failure(
            current, finished, message
        )
        uow.jobs.save(updated)
        uow.commit()
    next_run = updated.run_at if updated.state == "scheduled" else None
    return JobRun(job.id, job.kind, job.key, ok, message, now, finished, next_run, updated.state)


def describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return text if text else type(exc).__name__


def _release(bg: Ballotguard, job_id: str) -> None:
    with bg.uow() as uow:
        current = uow.jobs.get(job_id)
        if current is not None:
            uow.jobs.save(replace(current, locked_until=None))
            uow.commit()


def list_jobs(bg: Ballotguard) -> list[JobRecord]:
    with bg.uow() as uow:
        return uow.jobs.list()


class JobRunner:
    """Runs due jobs every ``poll_seconds`` in a background thread, until ``stop``.

    ``serve`` starts one next to the web server; ``stop`` lets the job in progress reach its next
    safe point (a federation pull stops between pages) and waits for the thread.
    """

    def __init__(
        self, bg: Ballotguard, poll_seconds: float = 15.0, registry: Registry = REGISTRY
    ) -> None:
        self.bg = bg
        self.poll_seconds = poll_seconds
        self.registry = registry
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="ballotguard-jobs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> bool:
        """Ask the runner to stop and wait; False if a job was still running after ``timeout``."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                for run in run_due(self.bg, self.bg.clock(), registry=self.registry,
                                   stop=self._stop):
                    log.info("job %s %s: %s", run.key, "ok" if run.ok else "failed", run.message)
            except Exception:  # the database is away: say so and try again at the next poll
                log.exception("the job runner could not read the jobs table")
            self._stop.wait(self.poll_seconds)
