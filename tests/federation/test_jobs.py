"""The job runner on SQLite: due jobs run, failures are kept with back-off, recurring jobs are
rescheduled, a lease keeps two runners off one job, and jobs survive a restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.config import Settings
from ballotguard.jobs import (
    LEASE,
    JobContext,
    JobRunner,
    Registry,
    after_failure,
    after_success,
    backoff,
    run_due,
)
from ballotguard.jobs.runner import ONE_SHOT_ATTEMPTS
from ballotguard.ports import JobRecord
from support.clock import FakeClock


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.fixture
def registry(calls: list[str]) -> Registry:
    registry = Registry()

    @registry.register("test.ok")
    def ok(context: JobContext) -> str:
        calls.append(context.payload["name"])
        return f"did {context.payload['name']}"

    @registry.register("test.fail")
    def fail(context: JobContext) -> str:
        calls.append(context.payload["name"])
        raise RuntimeError(f"remote down for {context.payload['name']}")

    return registry


def schedule(bg: Ballotguard, kind: str, key: str, *, in_minutes: float = 0,
             every_minutes: int | None = None) -> JobRecord:
    now = bg.clock()
    job = JobRecord(
        id=f"id-{key}", kind=kind, key=key, payload={"name": key},
        run_at=now + timedelta(minutes=in_minutes), created_at=now,
        interval_seconds=every_minutes * 60 if every_minutes else None,
    )
    with bg.uow() as uow:
        uow.jobs.schedule(job)
        uow.commit()
    return job


def stored(bg: Ballotguard, key: str) -> JobRecord:
    with bg.uow() as uow:
        job = uow.jobs.by_key(key)
    assert job is not None
    return job


def test_a_due_job_runs_and_a_job_not_yet_due_waits(
    sqlite_bg: Ballotguard, clock: FakeClock, registry: Registry, calls: list[str]
) -> None:
    schedule(sqlite_bg, "test.ok", "now")
    schedule(sqlite_bg, "test.ok", "later", in_minutes=5)

    runs = run_due(sqlite_bg, clock(), registry=registry)

    assert [(r.key, r.ok, r.message, r.state) for r in runs] == [("now", True, "did now", "done")]
    assert calls == ["now"]
    assert stored(sqlite_bg, "now").state == "done"
    assert run_due(sqlite_bg, clock(), registry=registry) == []
    clock.advance(minutes=5)
    assert [r.key for r in run_due(sqlite_bg, clock(), registry=registry)] == ["later"]


def test_a_recurring_job_is_rescheduled_one_interval_after_it_started(
    sqlite_bg: Ballotguard, clock: FakeClock, registry: Registry, calls: list[str]
) -> None:
    schedule(sqlite_bg, "test.ok", "sync", every_minutes=15)
    started = clock()

    [run] = run_due(sqlite_bg, started, registry=registry)

    job = stored(sqlite_bg, "sync")
    assert run.ok and job.state == "scheduled"
    assert job.run_at == run.next_run_at == started + timedelta(minutes=15)
    assert job.last_run_at == started and job.attempts == 0 and job.locked_until is None
    clock.advance(minutes=14)
    assert run_due(sqlite_bg, clock(), registry=registry) == []
    clock.advance(minutes=1)
    assert len(run_due(sqlite_bg, clock(), registry=registry)) == 1
    assert calls == ["sync", "sync"]


def test_a_failure_is_kept_and_retried_with_growing_back_off(
    sqlite_bg: Ballotguard, clock: FakeClock, registry: Registry
) -> None:
    schedule(sqlite_bg, "test.fail", "flaky", every_minutes=60)

    [first] = run_due(sqlite_bg, clock(), registry=registry)
    job = stored(sqlite_bg, "flaky")
    assert not first.ok and first.message == "remote down for flaky"
    assert job.attempts == 1 and job.last_error == "remote down for flaky"
    assert job.last_error_at == clock() and job.run_at == clock() + timedelta(minutes=1)

    clock.advance(minutes=1)
    run_due(sqlite_bg, clock(), registry=registry)
    job = stored(sqlite_bg, "flaky")
    assert job.attempts == 2 and job.run_at == clock() + timedelta(minutes=2)

    # the same job, now healthy: the count of failures resets, the last error stays visible
    with sqlite_bg.uow() as uow:
        uow.jobs.save(JobRecord(**{**_fields(job), "kind": "test.ok"}))
        uow.commit()
    clock.advance(minutes=2)
    [healed] = run_due(sqlite_bg, clock(), registry=registry)
    job = stored(sqlite_bg, "flaky")
    assert healed.ok and job.attempts == 0 and job.last_error == "remote down for flaky"
    assert job.run_at == clock() + timedelta(minutes=60)


def test_a_one_shot_job_gives_up_after_its_attempts(
    sqlite_bg: Ballotguard, clock: FakeClock, registry: Registry
) -> None:
    schedule(sqlite_bg, "test.fail", "once")
    for _ in range(ONE_SHOT_ATTEMPTS):
        run_due(sqlite_bg, clock(), registry=registry)
        clock.advance(hours=2)
    job = stored(sqlite_bg, "once")
    assert job.state == "failed" and job.attempts == ONE_SHOT_ATTEMPTS
    assert run_due(sqlite_bg, clock(), registry=registry) == []


def test_an_unknown_kind_fails_with_its_reason_instead_of_vanishing(
    sqlite_bg: Ballotguard, clock: FakeClock, registry: Registry
) -> None:
    schedule(sqlite_bg, "test.missing", "orphan")
    [run] = run_due(sqlite_bg, clock(), registry=registry)
    assert not run.ok
    assert stored(sqlite_bg, "orphan").last_error == (
        "no handler is registered for job kind 'test.missing'"
    )


def test_a_leased_job_is_not_run_by_a_second_runner(
    sqlite_bg: Ballotguard, clock: FakeClock, registry: Registry, calls: list[str]
) -> None:
    job = schedule(sqlite_bg, "test.ok", "busy")
    with sqlite_bg.uow() as uow:
        assert uow.jobs.claim(job.id, clock(), clock() + LEASE)
        assert not uow.jobs.claim(job.id, clock(), clock() + LEASE)
        uow.commit()

    assert run_due(sqlite_bg, clock(), registry=registry) == []
    clock.advance(seconds=LEASE.total_seconds())  # the first runner died; its lease ran out
    assert [r.key for r in run_due(sqlite_bg, clock(), registry=registry)] == ["busy"]
    assert calls == ["busy"]


def test_a_job_removed_while_it_runs_is_not_brought_back(
    sqlite_bg: Ballotguard, clock: FakeClock
) -> None:
    registry = Registry()

    @registry.register("test.self_removing")
    def remove_myself(context: JobContext) -> str:
        with context.bg.uow() as uow:
            uow.jobs.remove("gone")
            uow.commit()
        return "removed myself"

    schedule(sqlite_bg, "test.self_removing", "gone", every_minutes=5)
    [run] = run_due(sqlite_bg, clock(), registry=registry)
    assert run.state == "removed"
    with sqlite_bg.uow() as uow:
        assert uow.jobs.list() == []


def test_jobs_survive_a_restart(tmp_path: Path, clock: FakeClock, registry: Registry) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'restart.db'}")
    first = bootstrap(settings, clock=clock)
    schedule(first, "test.ok", "durable", in_minutes=1, every_minutes=10)
    first.close()

    second = bootstrap(settings, clock=clock)
    try:
        clock.advance(minutes=1)
        assert [r.key for r in run_due(second, clock(), registry=registry)] == ["durable"]
    finally:
        second.close()


def test_the_runner_thread_runs_due_jobs_and_stops_cleanly(
    sqlite_bg: Ballotguard, registry: Registry, calls: list[str]
) -> None:
    schedule(sqlite_bg, "test.ok", "background")
    runner = JobRunner(sqlite_bg, poll_seconds=0.05, registry=registry)
    runner.start()
    try:
        _wait_for(lambda: calls == ["background"])
    finally:
        assert runner.stop(timeout=5)


def test_a_stopping_runner_lets_the_job_return_early(
    sqlite_bg: Ballotguard, clock: FakeClock
) -> None:
    registry = Registry()
    entered = threading.Event()

    @registry.register("test.long")
    def long_work(context: JobContext) -> str:
        entered.set()
        while not context.stopping:
            time.sleep(0.01)
        return "stopped between steps"

    schedule(sqlite_bg, "test.long", "long", every_minutes=5)
    runner = JobRunner(sqlite_bg, poll_seconds=0.05, registry=registry)
    runner.start()
    assert entered.wait(5)
    assert runner.stop(timeout=5)
    job = stored(sqlite_bg, "long")
    assert job.locked_until is None and job.run_at == clock() + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 2), (3, 4), (4, 8), (6, 32), (7, 60), (20, 60)]
)
def test_back_off_doubles_up_to_an_hour(attempts: int, minutes: int) -> None:
    assert backoff(attempts) == timedelta(minutes=minutes)


def test_a_long_run_is_rescheduled_no_earlier_than_it_finished(clock: FakeClock) -> None:
    job = JobRecord("j", "k", "k", {}, clock(), clock(), interval_seconds=60)
    finished = clock() + timedelta(minutes=5)
    assert after_success(job, clock(), finished).run_at == finished
    assert after_failure(job, finished, "x" * 5000).last_error == "x" * 2000


def _fields(job: JobRecord) -> dict[str, object]:
    return {name: getattr(job, name) for name in JobRecord.__dataclass_fields__}


def _wait_for(condition: Callable[[], bool], seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture(autouse=True)
def _no_leftover_threads() -> Iterator[None]:
    before = {t.name for t in threading.enumerate()}
    yield
    assert "ballotguard-jobs" not in {t.name for t in threading.enumerate()} - before

