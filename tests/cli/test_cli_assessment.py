"""``ballotguard definitions``, ``assessments`` and ``campaigns`` on a real SQLite database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ballotguard.bootstrap import bootstrap
from ballotguard.cli.main import app
from ballotguard.config import Settings
from ballotguard.sharing import Observable
from ballotguard.sharing.observables import ObservableKind
from ballotguard.vocabulary import Tlp
from support import world
from support.hub import Hub, build_hub

runner = CliRunner()
CATCH_ALL = """id: catch-all
version: 1.0.0
title: Anything foreign
source:
  title: A careless draft
  publisher: Test
  year: 2026
  url: https://example.org/draft
criteria: [foreign_nexus]
rule: foreign_nexus
rationale: Treats every foreign act as interference.
"""


@pytest.fixture
def cli_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", url)
    bg = bootstrap(Settings(database_url=url))
    yield build_hub(bg)
    bg.close()


def run(*args: str) -> tuple[int, str]:
    """Exit code and output, with Rich's line wrapping undone."""
    result = runner.invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())


def test_definitions_test_prints_the_case_table_and_passes_for_the_baseline(cli_hub: Hub) -> None:
    code, out = run("definitions", "test")
    assert code == 0, out
    assert "ballotguard-baseline" in out
    assert "FAIL" not in out
    code, out = run("definitions", "test", "ballotguard-baseline", "--json")
    run_data = json.loads(out)
    assert run_data["passed"] is True and len(run_data["rows"]) >= 40
    row = run_data["rows"][0]
    assert {"case_id", "expected", "got", "rests_on"} <= row.keys()


def test_definitions_test_exits_1_for_a_draft_that_fails_cases(cli_hub: Hub, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(CATCH_ALL)
    code, out = run("definitions", "test", "--file", str(draft))
    assert code == 1
    assert "FAIL" in out
    assert "calls acceptable activity interference" in out


def test_a_broken_definition_file_names_its_line(cli_hub: Hub, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(CATCH_ALL.replace("rule: foreign_nexus", "rule: {all_of: [coercion, bribes]}"))
    code, out = run("definitions", "test", "--file", str(draft))
    assert code == 2
    assert "line 10" in out
    assert "bribes" in out


def test_definitions_diff_lists_flips(cli_hub: Hub) -> None:
    code, out = run("definitions", "diff", "ballotguard-baseline", "canada-csis", "--json")
    assert code == 0, out
    flips = json.loads(out)
    assert flips and all(f["a_verdict"] != f["b_verdict"] for f in flips)
    code, out = run("definitions", "diff", "ballotguard-baseline", "nobody")
    assert code == 2 and "not found" in out


def test_adopt_is_refused_then_accepted_with_a_reason(cli_hub: Hub, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(CATCH_ALL)
    code, out = run("definitions", "adopt", str(draft), "--as", cli_hub.admin.email)
    assert code == 2
    assert "signed reason" in out
    code, out = run("definitions", "adopt", str(draft), "--as", cli_hub.admin.email,
                    "--reason", "Exercise only; diplomacy cases reviewed by the panel.")
    assert code == 0, out
    code, out = run("definitions", "list", "--json")
    adopted = {d["id"]: d["adopted"] for d in json.loads(out)}
    assert adopted["catch-all"] is True


def test_assessments_add_and_list(cli_hub: Hub, tmp_path: Path) -> None:
    report = world.file(cli_hub.bg, cli_hub.ea_analyst, tlp=Tlp.AMBER)
    findings = tmp_path / "findings.yaml"
    findings.write_text(
        "- criterion: deception\n  answer: yes\n  confidence: high\n"
        "  evidence: [{kind: report_field, ref: summary}]\n  rationale: posing as voters\n"
        "- criterion: coercion\n  answer: unknown\n  confidence: low\n"
    )
    code, out = run("assessments", "add", report.id, "--findings", str(findings),
                    "--as", cli_hub.ea_analyst.email, "--json")
    assert code == 0, out
    made = json.loads(out)
    assert made["result"]["verdict"] in {"interference", "insufficient information",
                                         "acceptable influence"}
    code, out = run("assessments", "list", report.id, "--as", cli_hub.ea_analyst.email, "--json")
    assert [a["id"] for a in json.loads(out)] == [made["id"]]
    code, out = run("assessments", "list", report.id, "--as", cli_hub.platform_analyst.email)
    assert code == 2 and "not found" in out


def test_assessment_without_evidence_is_refused(cli_hub: Hub, tmp_path: Path) -> None:
    report = world.file(cli_hub.bg, cli_hub.ea_analyst)
    findings = tmp_path / "findings.json"
    findings.write_text(json.dumps([{"criterion": "coercion", "answer": "yes",
                                     "confidence": "high"}]))
    code, out = run("assessments", "add", report.id, "--findings", str(findings),
                    "--as", cli_hub.ea_analyst.email)
    assert code == 2
    assert "coercion" in out and "evidence" in out


def test_campaigns_list_show_decide_and_recompute(cli_hub: Hub) -> None:
    link = [Observable(kind=ObservableKind.URL, value="https://veldra-truth.example/a")]
    one = world.file(cli_hub.bg, cli_hub.ea_analyst, observables=link)
    two = world.file(cli_hub.bg, cli_hub.ea_analyst, observables=link)
    code, out = run("campaigns", "list", "--as", cli_hub.ea_analyst.email, "--json")
    assert code == 0, out
    [campaign] = json.loads(out)
    assert campaign["reports"] == 2
    code, out = run("campaigns", "show", campaign["id"], "--as", cli_hub.ea_analyst.email,
                    "--json")
    assert code == 0, out
    shown = json.loads(out)
    assert {r["id"] for r in shown["reports"]} == {one.id, two.id}
    assert "veldra-truth.example/a" in str(shown["links"])
    code, out = run("campaigns", "decide", one.id, two.id, "reject",
                    "--as", cli_hub.ea_analyst.email, "--reason", "coincidence")
    assert code == 0, out
    code, out = run("campaigns", "recompute")
    assert code == 0, out
    code, out = run("campaigns", "list", "--as", cli_hub.ea_analyst.email, "--json")
    assert json.loads(out) == []
