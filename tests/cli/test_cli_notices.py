"""``ballotguard notices`` on a real SQLite database: parties, a draft from a JSON file, the checks,
a refusal that names who was not briefed, briefings, publication, voting information."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ballotguard.bootstrap import bootstrap
from ballotguard.cli.main import app
from ballotguard.config import Settings
from ballotguard.panel.notices import content_to_dict
from support import notices as support

runner = CliRunner()


@pytest.fixture
def stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[support.Stage]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", url)
    bg = bootstrap(Settings(database_url=url))
    yield support.stage(bg)
    bg.close()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_a_notice_from_the_command_line(stage: support.Stage, tmp_path: Path) -> None:
    chair, member = stage.members[0].email, stage.members[1].email
    code, out = run("notices", "parties", "--head-of-government", "Office of the Premier")
    assert code == 0, out
    assert "Office of the Premier" in out and "Blue Horizon" in out
    code, notice_id = run("notices", "start", stage.decision.id, "--as", member)
    assert code == 0, notice_id
    notice_id = notice_id.strip()
    content = tmp_path / "notice.json"
    content.write_text(json.dumps(content_to_dict(support.CONTENT), ensure_ascii=False))
    assert run("notices", "draft", notice_id, "--file", str(content), "--as", member)[0] == 0
    code, out = run("notices", "check", notice_id, "--as", member, "--json")
    assert code == 0 and json.loads(out)["blocking"] == []
    code, out = run("notices", "publish", notice_id, "--as", chair)
    assert code != 0 and "Office of the Premier" in out
    for party in ("head_of_government", "political_parties", "election_authority"):
        code, out = run("notices", "brief", stage.decision.id, "--party", party,
                        "--text", "Notice at noon.", "--as", member)
        assert code == 0, out
    assert "still to do" not in out
    code, out = run("notices", "publish", notice_id, "--as", chair)
    assert code == 0 and "published version 1" in out
    code, out = run("notices", "list", "--as", member, "--json")
    assert json.loads(out)[0]["version"] == 1
    code, out = run("notices", "show", notice_id, "--as", member, "--json")
    assert json.loads(out)["versions"][0]["content"]["texts"]["fr"]["title"] == support.FR.title


def test_voting_information_from_the_command_line(stage: support.Stage, tmp_path: Path) -> None:
    body = tmp_path / "where.md"
    body.write_text("Find your **polling station**.")
    code, out = run("notices", "voting-info", "set", "where-to-vote", "en", "--title",
                    "Where to vote", "--file", str(body), "--as", stage.official.email)
    assert code == 0 and "version 1" in out, out
    code, out = run("notices", "voting-info", "set", "where-to-vote", "en", "--title",
                    "Where to vote", "--file", str(body))
    assert code != 0 and "reason" in out
    code, out = run("notices", "voting-info", "list", "--json")
    assert json.loads(out)[0]["slug"] == "where-to-vote"
