"""The peers and jobs repositories, on SQLite and on PostgreSQL: what goes in comes back (cursors,
levels, aware datetimes), a key holds one job, and a claim is exclusive."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import Conflict
from ballotguard.ports import JobRecord, PeerRecord
from ballotguard.vocabulary import Tlp
from support.clock import FakeClock


def peer(clock: FakeClock, name: str = "a") -> PeerRecord:
    return PeerRecord(name, "https://a.example/taxii2/ballotguard/", "community", "BG_TOKEN_A",
                      "instance-a@b.example", "both", 15, clock(), frozenset({Tlp.GREEN}))


def job(clock: FakeClock, key: str, minutes: float = 0) -> JobRecord:
    return JobRecord(f"id-{key}-{minutes}", "federation.pull", key, {"peer": key},
                     clock() + timedelta(minutes=minutes), clock(), interval_seconds=900)


def test_a_peer_round_trips_with_its_cursors(bg: Ballotguard, clock: FakeClock) -> None:
    stored = replace(peer(clock), pull_cursor="2026-11-02T09:00:00.123456Z",
                     push_cursor=(clock() + timedelta(seconds=1), 2**40),
                     last_run_at=clock(), last_error="pull failed: boom")
    with bg.uow() as uow:
        uow.peers.add(peer(clock, "b"))
        uow.peers.add(peer(clock))
        uow.peers.update(stored)
        uow.commit()
    with bg.uow() as uow:
        assert uow.peers.get("a") == stored
        assert [p.name for p in uow.peers.list()] == ["a", "b"]
        with pytest.raises(Conflict):
            uow.peers.add(peer(clock))
    with bg.uow() as uow:
        assert uow.peers.remove("a") and not uow.peers.remove("a")
        uow.commit()
    with bg.uow() as uow:
        assert uow.peers.get("a") is None


def test_one_job_per_key_due_in_order_and_claimed_once(bg: Ballotguard, clock: FakeClock) -> None:
    with bg.uow() as uow:
        uow.jobs.schedule(job(clock, "late", 5))
        uow.jobs.schedule(job(clock, "first", -2))
        uow.jobs.schedule(job(clock, "second", -1))
        uow.jobs.schedule(job(clock, "second", -1.5))  # replaces the job with the same key
        uow.commit()
    with bg.uow() as uow:
        due = uow.jobs.due(clock(), 10)
        assert [(j.key, j.id) for j in due] == [("first", "id-first--2"),
                                                ("second", "id-second--1.5")]
        assert due[0].payload == {"peer": "first"} and due[0].run_at.tzinfo is not None
        assert uow.jobs.claim("id-first--2", clock(), clock() + timedelta(hours=1))
        uow.commit()
    with bg.uow() as uow:
        assert not uow.jobs.claim("id-first--2", clock(), clock() + timedelta(hours=1))
        assert not uow.jobs.claim("id-late-5", clock(), clock() + timedelta(hours=1))
        assert [j.key for j in uow.jobs.due(clock(), 10)] == ["second"]
        assert uow.jobs.remove("late")
        uow.jobs.save(job(clock, "late", 5))  # removed meanwhile: not brought back
        uow.commit()
    with bg.uow() as uow:
        assert sorted(j.key for j in uow.jobs.list()) == ["first", "second"]
