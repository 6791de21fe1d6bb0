"""The ``ballotguard`` command on a real SQLite database: TLP applies to ``--as``, every read
command has ``--json``, imports keep the good items and name the bad ones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ballotguard.bootstrap import bootstrap
from ballotguard.cli.main import app
from ballotguard.config import Settings
from support import world
from support.hub import Hub, build_hub

runner = CliRunner()
DISARM = Path(__file__).resolve().parents[3] / "shared" / "data" / "disarm" / "DISARM.json"


@pytest.fixture
def cli_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", url)
    bg = bootstrap(Settings(database_url=url))
    yield build_hub(bg)
    bg.close()


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.output


def test_report_create_list_show_respect_tlp(cli_hub: Hub, tmp_path: Path) -> None:
    body = world.content(tlp="AMBER", recipient_orgs=[cli_hub.cert.id]).model_dump(mode="json")
    path = tmp_path / "report.json"
    path.write_text(json.dumps(body))
    code, out = run("reports", "create", str(path), "--as", cli_hub.ea_analyst.email, "--json")
    assert code == 0, out
    report_id = json.loads(out)["id"]

    code, out = run("reports", "list", "--as", cli_hub.cert_analyst.email, "--json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)["reports"]] == [report_id]
    code, out = run("reports", "list", "--as", cli_hub.platform_analyst.email, "--json")
    assert json.loads(out) == {"total": 0, "reports": []}

    code, out = run("reports", "show", report_id, "--as", cli_hub.cert_analyst.email, "--json")
    assert code == 0
    assert json.loads(out)["report"]["content"]["tlp"] == "AMBER"
    code, out = run("reports", "show", report_id, "--as", cli_hub.platform_analyst.email)
    assert code == 2
    assert "not found" in out


def test_import_keeps_good_items_and_names_bad_ones(cli_hub: Hub, tmp_path: Path) -> None:
    good = world.content().model_dump(mode="json")
    items = [good, good | {"phase": "nonsense"}, good | {"title": "second good one"}]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(items))
    code, out = run("reports", "import", str(path), "--as", cli_hub.ea_analyst.email)
    assert code == 1
    assert "imported 2 of 3 reports" in out
    assert "item 1: phase" in out
    code, out = run("reports", "list", "--as", cli_hub.ea_analyst.email, "--json")
    assert json.loads(out)["total"] == 2


def test_export_csv_only_holds_readable_reports(cli_hub: Hub, tmp_path: Path) -> None:
    for tlp, extra in (("GREEN", {}), ("RED", {"recipient_people": [cli_hub.ea_analyst.id]})):
        path = tmp_path / f"{tlp}.json"
        path.write_text(json.dumps(world.content(tlp=tlp, title=f"{tlp} one", **extra)
                                   .model_dump(mode="json")))
        assert run("reports", "create", str(path), "--as", cli_hub.ea_analyst.email)[0] == 0
    out_file = tmp_path / "out.csv"
    code, _ = run("reports", "export", "--as", cli_hub.platform_analyst.email, "--format", "csv",
                  "-o", str(out_file))
    assert code == 0
    text = out_file.read_text()
    assert "GREEN one" in text
    assert "RED one" not in text


def test_community_commands_have_json(cli_hub: Hub) -> None:
    code, out = run("orgs", "list", "--json")
    assert code == 0
    assert {o["name"] for o in json.loads(out)} >= {"Electoral Commission", "National CERT"}
    code, out = run("people", "list", "--json")
    assert any(p["email"] == cli_hub.ea_analyst.email for p in json.loads(out))
    code, out = run("orgs", "create", "Diaspora Voice", "media", "XV")
    assert code == 0
    org_id = out.strip()
    code, out = run("contacts", "add", "--org", org_id, "--topic", "breach_notification",
                    "--name", "Desk", "--email", "desk@voice.example", "--verified",
                    "2026-01-01")
    assert code == 0, out
    code, out = run("contacts", "list", "--stale", "--json")
    assert [c["email"] for c in json.loads(out)] == ["desk@voice.example"]
    code, out = run("agreements", "add", "--from", cli_hub.ea.id, "--to", cli_hub.cert.id,
                    "--max-tlp", "AMBER+STRICT", "--vector", "cyber_intrusion")
    assert code == 0, out
    code, out = run("agreements", "list", "--json")
    assert json.loads(out)[0]["max_tlp"] == "AMBER+STRICT"


def test_bad_input_is_one_clear_line_and_exit_2(cli_hub: Hub) -> None:
    code, out = run("orgs", "create", "X", "media", "Canada")
    assert code == 2
    assert "ISO 3166-1" in out
    code, out = run("reports", "list", "--as", "nobody@nowhere.example")
    assert code == 2
    assert "nobody with e-mail" in out


def test_vocabulary_show_and_disarm_import(cli_hub: Hub) -> None:
    code, out = run("vocabulary", "show", "--json")
    assert code == 0
    assert json.loads(out)["techniques"]["disarm"] == []
    code, out = run("vocabulary", "import-disarm", str(DISARM))
    assert code == 0, out
    assert "imported 16 tactics and 391 techniques" in out
    code, out = run("vocabulary", "show", "--json")
    assert len(json.loads(out)["techniques"]["disarm"]) == 391


def test_audit_log_verify_passes_then_catches_tampering(cli_hub: Hub) -> None:
    code, out = run("audit-log", "verify", "--json")
    assert code == 0
    assert json.loads(out)["ok"] is True
    with cli_hub.bg.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.exec_driver_sql("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2")
    code, out = run("audit-log", "verify", "--json")
    assert code == 1
    assert json.loads(out) == {"ok": False, "seq": 2,
                               "reason": "its content does not match its hash: it was altered"}


def test_help_documents_every_command() -> None:
    code, out = run("--help")
    assert code == 0
    for command in ("serve", "demo", "reports", "orgs", "people", "contacts", "agreements",
                    "vocabulary", "audit-log", "settings"):
        assert command in out
    code, out = run("settings", "--json")
    assert "BALLOTGUARD_DATABASE_URL" in {row["variable"] for row in json.loads(out)}
