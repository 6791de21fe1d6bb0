"""When federation cannot work: an unknown peer, an unset token variable, a refused token, a
remote that is down. Each is one clear line and exit code 1 on the command line, kept on the
peer and in the audit log, and nothing already imported is lost. Also: a pull interrupted after
a page resumes from that page, and `federation add` refuses what would leak or leak secrets."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from federation_helpers import COMMUNITY, Instance
from typer.testing import CliRunner

from ballotguard.cli.main import app
from ballotguard.jobs import run_due
from ballotguard.ports import PeerRecord
from ballotguard.services import federation
from ballotguard.services.actors import OPERATOR
from support import world

runner = CliRunner()
TOKEN = "BG_TEST_FAILURES_TOKEN"


@pytest.fixture
def on_b(b: Instance, monkeypatch: pytest.MonkeyPatch) -> Iterator[Instance]:
    """The command line works on B's database."""
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", str(b.bg.engine.url))
    monkeypatch.delenv(TOKEN, raising=False)
    yield b


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def add(b: Instance, url: str, *extra: str) -> None:
    code, out = cli("federation", "add", "a", "--url", url, "--collection", COMMUNITY,
                    "--token-env", TOKEN, "--local-account", b.peer_person.email, *extra)
    assert code == 0, out
    assert "peer a added" in out


def peer(b: Instance) -> PeerRecord:
    with b.bg.uow() as uow:
        found = uow.peers.get("a")
    assert found is not None
    return found


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unknown_peer_is_one_line_and_exit_1(on_b: Instance) -> None:
    for command in ("pull", "push", "remove"):
        code, out = cli("federation", command, "nobody")
        assert (code, out.strip()) == (1, "error: federation peer nobody not found")


def test_an_unset_token_variable_is_named_and_kept_on_the_peer(
    a: Instance, on_b: Instance
) -> None:
    add(on_b, a.api_root)
    code, out = cli("federation", "pull", "a")
    assert code == 1
    assert out.strip() == (
        f"error: the environment variable {TOKEN}, which should hold the API token for peer a, "
        "is not set"
    )
    assert peer(on_b).last_error == f"pull failed: {out.strip().removeprefix('error: ')}"
    with on_b.bg.uow() as uow:
        failures = [e for e in uow.audit_log.entries() if e.action == "federation.pull_failed"]
    assert [e.subject for e in failures] == ["a"]


def test_a_refused_token_is_a_401_with_a_hint(
    a: Instance, on_b: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(on_b, a.api_root)
    monkeypatch.setenv(TOKEN, "bg_not-a-token")
    code, out = cli("federation", "pull", "a")
    assert code == 1
    assert len(out.strip().splitlines()) == 1
    assert "refused the request (401)" in out and f"(is the token in ${TOKEN} right?)" in out


def test_an_unreachable_remote_fails_the_job_with_back_off_and_loses_nothing(
    a: Instance, on_b: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    # first a good pull, so that there is something to lose
    monkeypatch.setenv(TOKEN, a.peer_token)
    report = world.file(a.bg, a.analyst, title="Robocalls with a wrong polling date")
    add(on_b, a.api_root)
    assert all(run.ok for run in run_due(on_b.bg, on_b.bg.clock()))
    cursor = peer(on_b).pull_cursor
    assert cursor is not None

    # the peer moves to an address where nothing listens
    dead = f"http://127.0.0.1:{closed_port()}/taxii2/ballotguard/"
    with on_b.bg.uow() as uow:
        uow.peers.update(replace(peer(on_b), api_root_url=dead))
        uow.commit()
    code, out = cli("federation", "pull", "a")
    assert code == 1 and len(out.strip().splitlines()) == 1
    assert f"cannot reach {dead}collections/{COMMUNITY}/" in out
    assert "Connection refused" in out

    later = on_b.bg.clock() + timedelta(minutes=16)
    [run] = run_due(on_b.bg, later)
    with on_b.bg.uow() as uow:
        job = uow.jobs.by_key("federation.pull:a")
        kept = uow.reports.get(report.id)
    assert not run.ok and job is not None
    assert job.attempts == 1 and job.last_error is not None and "cannot reach" in job.last_error
    assert job.last_error_at is not None
    assert job.run_at == job.last_error_at + timedelta(minutes=1)
    assert peer(on_b).pull_cursor == cursor and kept.id == report.id

    code, out = cli("jobs", "list", "--json")
    assert code == 0
    [listed] = json.loads(out)
    assert listed["attempts"] == 1 and "cannot reach" in listed["last_error"]


def test_a_pull_interrupted_after_a_page_resumes_from_that_page(
    a: Instance, b: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN, a.peer_token)
    reports = [world.file(a.bg, a.analyst, title=f"Report {n}") for n in range(3)]
    spec = federation.PeerSpec("a", a.api_root, COMMUNITY, TOKEN, b.peer_person.email)
    with b.bg.uow() as uow:
        federation.add_peer(uow, OPERATOR, spec, b.bg.clock())

    first = federation.pull(b.bg.uow, OPERATOR, "a", b.bg.clock, page_size=2,
                            cancelled=lambda: True)
    assert first.stopped_early and first.pages == 1 and first.received == 2
    assert peer(b).pull_cursor == first.cursor is not None

    rest = federation.pull(b.bg.uow, OPERATOR, "a", b.bg.clock, page_size=2)
    assert rest.pages >= 2  # the remote's more/next paging, followed to the end
    assert rest.refused == []
    with b.bg.uow() as uow:
        assert {uow.reports.get(r.id).org_id for r in reports} == {b.peer_org.id}
    assert federation.pull(b.bg.uow, OPERATOR, "a", b.bg.clock).received == 0


def test_add_refuses_an_account_that_is_not_a_federation_peer_and_a_token_for_a_name(
    on_b: Instance,
) -> None:
    base = ["federation", "add", "a", "--url", "http://127.0.0.1:1/taxii2/ballotguard/",
            "--collection", COMMUNITY]
    code, out = cli(*base, "--token-env", TOKEN, "--local-account", on_b.analyst.email)
    assert code == 1 and "must be an active person with the role federation_peer" in out
    code, out = cli(*base, "--token-env", "bg_Zx-secret", "--local-account",
                    on_b.peer_person.email)
    assert code == 1 and "NAME of the environment variable" in out
    code, out = cli("federation", "list", "--json")
    assert json.loads(out) == []


def test_a_pull_only_peer_does_not_push(on_b: Instance) -> None:
    add(on_b, "http://127.0.0.1:1/taxii2/ballotguard/")
    code, out = cli("federation", "push", "a")
    assert (code, out.strip()) == (1, "error: direction: peer a is set up to pull only")


def test_remove_forgets_the_peer_and_its_jobs(on_b: Instance) -> None:
    add(on_b, "http://127.0.0.1:1/taxii2/ballotguard/", "--direction", "both", "--every", "5")
    code, out = cli("jobs", "list", "--json")
    assert sorted(j["key"] for j in json.loads(out)) == [
        "federation.pull:a", "federation.push:a"
    ]
    assert {j["interval_seconds"] for j in json.loads(out)} == {300}
    code, out = cli("federation", "remove", "a")
    assert code == 0
    assert json.loads(cli("jobs", "list", "--json")[1]) == []
    assert json.loads(cli("federation", "list", "--json")[1]) == []
    code, out = cli("jobs", "run")
    assert (code, out.strip()) == (0, "nothing due")
