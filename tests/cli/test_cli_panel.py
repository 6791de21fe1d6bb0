"""``ballotguard panel`` on a real SQLite database: seating, a case from escalation to an exported
decision record, and the refusals a user meets (recused vote, decision before every seat acted)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ballotguard.bootstrap import bootstrap
from ballotguard.cli.main import app
from ballotguard.config import Settings
from ballotguard.sharing import Person, Role
from support import world
from support.hub import Hub, build_hub
from support.pdf_text import pdf_text

runner = CliRunner()


@pytest.fixture
def cli_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", url)
    bg = bootstrap(Settings(database_url=url))
    yield build_hub(bg)
    bg.close()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def members(cli_hub: Hub) -> list[Person]:
    seated = [world.person(cli_hub.bg, cli_hub.cert, [Role.PANEL_MEMBER],
                           email=f"member{i}@panel.example", name=f"Member {i}")
              for i in range(1, 6)]
    for i, member in enumerate(seated, start=1):
        code, out = run("panel", "seat", f"seat-{i}", "--person", member.email)
        assert code == 0, out
    assert run("panel", "chair", "seat-1")[0] == 0
    return seated


def test_seats_are_listed_and_refuse_a_non_member(cli_hub: Hub, members: list[Person]) -> None:
    code, out = run("panel", "seats", "--json")
    assert code == 0, out
    listed = json.loads(out)
    assert listed["chair_seat"] == "seat-1"
    assert listed["rules"] == {"seats": 5, "quorum": 4, "notice_votes": 4}
    assert [s["holder"] for s in listed["seats"]] == [m.id for m in members]
    code, out = run("panel", "seat", "seat-2", "--person", cli_hub.ea_analyst.email)
    assert code == 2 and "panel_member" in out


def test_a_case_from_escalation_to_exported_record(
    cli_hub: Hub, members: list[Person], tmp_path: Path
) -> None:
    report = world.file(cli_hub.bg, cli_hub.ea_analyst, title="Deepfake of the commissioner")
    code, out = run("panel", "escalate", "report", report.id, "--reason", "Viral before the vote",
                    "--confidence", "high", "--as", cli_hub.ea_analyst.email, "--json")
    assert code == 0, out
    case_id = json.loads(out)["id"]
    code, out = run("panel", "cases", "--as", members[2].email, "--json")
    assert [c["case"]["id"] for c in json.loads(out)] == [case_id]
    assert run("panel", "checklist", case_id, "effect", "significant", "--note", "turnout",
               "--as", members[1].email)[0] == 0
    assert run("panel", "recuse", case_id, "--reason", "Former spokesperson",
               "--as", members[4].email)[0] == 0
    code, out = run("panel", "vote", case_id, "public_notice", "--as", members[4].email)
    assert code == 2 and "recused" in out and "Former spokesperson" in out
    for member in members[:3]:
        assert run("panel", "vote", case_id, "public_notice", "--as", member.email)[0] == 0
    code, out = run("panel", "decide", case_id, "--as", members[0].email)
    assert code == 2 and "Seat 4" in out
    assert run("panel", "vote", case_id, "public_notice", "--as", members[3].email)[0] == 0
    code, out = run("panel", "decide", case_id, "--as", members[0].email, "--json")
    assert code == 0, out
    assert json.loads(out)["outcome"] == "public_notice"

    code, out = run("panel", "show", case_id, "--as", members[3].email, "--json")
    assert json.loads(out)["decisions"][0]["outcome"] == "public_notice"
    target = tmp_path / "record.json"
    assert run("panel", "export", case_id, "--format", "json", "-o", str(target))[0] == 0
    record = json.loads(target.read_text())
    assert record["decisions"][0]["packet_sha256"] == record["packets"][0]["sha256"]
    pdf = tmp_path / "record.pdf"
    code, out = run("panel", "export", case_id, "--format", "pdf", "-o", str(pdf),
                    "--as", members[0].email)
    assert code == 0, out
    assert "Deepfake of the commissioner" in pdf_text(pdf.read_bytes())
