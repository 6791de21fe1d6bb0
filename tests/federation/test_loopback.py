"""Federation between two real Ballotguard servers on loopback, with the real taxii2-client:
GREEN crosses, AMBER+STRICT never leaves, a retraction travels as a new STIX version and hides the
report on the other side, pulling again changes nothing, and a push arrives."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from federation_helpers import COMMUNITY, Instance
from sqlalchemy import text
from typer.testing import CliRunner

from ballotguard.bootstrap import Ballotguard
from ballotguard.cli.main import app
from ballotguard.errors import ReportNotFound
from ballotguard.jobs import run_due
from ballotguard.services import federation
from ballotguard.services import reports as report_service
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.services.taxii import collection_id
from ballotguard.sharing import Report, Status
from ballotguard.vocabulary import Tlp
from support import world

runner = CliRunner()
TOKEN_FROM_A = "BG_TEST_TOKEN_FROM_A"
TOKEN_FOR_B = "BG_TEST_TOKEN_FOR_B"


def add_peer(bg: Ballotguard, name: str, remote: Instance, local: Instance, token_env: str,
             direction: str, collection: str = COMMUNITY, tlp: Tlp = Tlp.GREEN) -> None:
    spec = federation.PeerSpec(name, remote.api_root, collection, token_env,
                               local.peer_person.email, direction, 15, frozenset({tlp}))
    with bg.uow() as uow:
        federation.add_peer(uow, OPERATOR, spec, bg.clock())


def stix_rows(bg: Ballotguard) -> list[tuple[Any, ...]]:
    with bg.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            text("SELECT stix_id, version, source, tlp, org_id FROM stix_objects ORDER BY seq"))]


def audit(bg: Ballotguard) -> list[Any]:
    with bg.uow() as uow:
        return list(uow.audit_log.entries())


def default_list(instance: Instance, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What ``ballotguard reports list`` shows the instance's analyst (no --retracted)."""
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", str(instance.bg.engine.url))
    result = runner.invoke(app, ["reports", "list", "--as", instance.analyst.email, "--json"])
    assert result.exit_code == 0, result.output
    return [r["id"] for r in json.loads(result.output)["reports"]]


def local_report(bg: Ballotguard, report_id: str) -> Report:
    with bg.uow() as uow:
        return uow.reports.get(report_id)


def test_green_crosses_amber_strict_stays_and_a_retraction_follows(
    a: Instance, b: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_FROM_A, a.peer_token)
    green = world.file(a.bg, a.analyst, title="Phishing wave against polling staff")
    strict = world.file(a.bg, a.analyst, title="Leaked roster (strict)", tlp=Tlp.AMBER_STRICT)
    add_peer(b.bg, "a", a, b, TOKEN_FROM_A, "pull")

    [run] = run_due(b.bg, b.bg.clock())

    assert run.ok and " 0 refused" in run.message, run.message
    assert run.key == "federation.pull:a"
    copy = local_report(b.bg, green.id)
    assert copy.org_id == b.peer_org.id  # it belongs to "Instance A" on B
    assert copy.content == green.content
    with pytest.raises(ReportNotFound):
        local_report(b.bg, strict.id)
    assert not [row for row in stix_rows(b.bg) if strict.id in row[0]]
    assert green.id in default_list(b, monkeypatch)

    # A's audit log says what was sent to whom: B's account got the GREEN incident, never the other
    served = [e for e in audit(a.bg) if e.actor == a.peer_person.id and e.action == "taxii.served"]
    sent = json.dumps([e.detail for e in served])
    assert f"incident--{green.id}" in sent
    assert strict.id not in json.dumps([e.detail for e in audit(a.bg)
                                        if e.actor == a.peer_person.id])

    # B's audit log says what came from where
    pulled = [e for e in audit(b.bg) if e.action == "federation.pulled"]
    assert pulled and all(e.detail["from"] == a.api_root for e in pulled)

    # the retraction on A is a new STIX version; the next scheduled pull brings it over
    with a.bg.uow() as uow:
        report_service.retract_report(uow, person_actor(a.analyst), green.id, "not an attack",
                                      a.bg.clock())
    [run] = run_due(b.bg, b.bg.clock() + timedelta(minutes=16))
    assert run.ok and " 0 refused" in run.message, run.message
    assert local_report(b.bg, green.id).status is Status.RETRACTED
    assert green.id not in default_list(b, monkeypatch)

    # pulling again, through the command line, finds nothing new and changes nothing
    before = (stix_rows(b.bg), local_report(b.bg, green.id))
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", str(b.bg.engine.url))
    result = runner.invoke(app, ["federation", "pull", "a"])
    assert result.exit_code == 0, result.output
    assert "pulled 0 objects" in result.output
    # ... and so does pulling everything again from the start (idempotent import)
    with b.bg.uow() as uow:
        peer = uow.peers.get("a")
        assert peer is not None and peer.pull_cursor is not None
        uow.peers.update(replace(peer, pull_cursor=None))
        uow.commit()
    again = federation.pull(b.bg.uow, OPERATOR, "a", b.bg.clock)
    assert again.received > 0 and again.refused == []
    assert (stix_rows(b.bg), local_report(b.bg, green.id)) == before

    listed = runner.invoke(app, ["federation", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    [shown] = json.loads(listed.output)
    assert shown["peer"]["name"] == "a" and shown["peer"]["last_error"] is None
    assert shown["next_pull"] is not None and shown["next_push"] is None


def test_a_push_delivers_green_and_withholds_amber_strict(
    a: Instance, b: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_FOR_B, b.peer_token)
    green = world.file(a.bg, a.analyst, title="Fake polling-place closures on Chirp")
    strict = world.file(a.bg, a.analyst, title="Insider at the count (strict)",
                        tlp=Tlp.AMBER_STRICT)
    clear = world.file(a.bg, a.analyst, title="Public notice (clear)", tlp=Tlp.CLEAR)
    add_peer(a.bg, "b", b, a, TOKEN_FOR_B, "push")

    [run] = run_due(a.bg, a.bg.clock())

    assert run.ok and " 0 refused" in run.message, run.message
    arrived = local_report(b.bg, green.id)
    assert arrived.org_id == b.peer_org.id and arrived.content == green.content
    with pytest.raises(ReportNotFound):
        local_report(b.bg, strict.id)
    with pytest.raises(ReportNotFound):  # CLEAR goes to B's clear collection, by another peer
        local_report(b.bg, clear.id)
    pushed = [e for e in audit(a.bg) if e.action == "federation.pushed"]
    sent = json.dumps([e.detail for e in pushed])
    assert f"incident--{green.id}" in sent and strict.id not in sent
    with a.bg.uow() as uow:
        peer = uow.peers.get("b")
    assert peer is not None and peer.push_cursor is not None

    # nothing new: the next push sends nothing
    again = federation.push(a.bg.uow, OPERATOR, "b", a.bg.clock)
    assert again.sent == 0

    # a second peer for B's clear collection carries the CLEAR report
    add_peer(a.bg, "b-clear", b, a, TOKEN_FOR_B, "push", collection_id("clear"), Tlp.CLEAR)
    [run] = run_due(a.bg, a.bg.clock())
    assert run.ok and " 0 refused" in run.message, run.message
    assert local_report(b.bg, clear.id).org_id == b.peer_org.id
