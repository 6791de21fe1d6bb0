"""``ballotguard audit``: the numbers alone (sample size, risk, the sample as the reference sampler
draws it), and an audit run end to end from the example files on a real SQLite database."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.cli.main import app
from ballotguard.config import Settings
from ballotguard.sharing import Role, Sector
from support import world

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "audit"
SEED = "32105462310542384961"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def run_json(*args: str) -> object:
    code, out = run(*args, "--json")
    assert code == 0, out
    return json.loads(out)


def test_sample_size_and_risk_without_a_database() -> None:
    contest = ["--tally", "Alvarez=1000", "--tally", "Brooks=650", "--winner", "Alvarez",
               "--ballots", "1800"]
    bravo = run_json("audit", "sample-size", *contest, "--method", "bravo")
    assert isinstance(bravo, dict) and bravo["sample_size"] > bravo["expected_sample_size"] > 0
    clca = run_json("audit", "sample-size", *contest, "--method", "clca", "--risk-limit", "0.05")
    assert isinstance(clca, dict) and 0 < clca["sample_size"] < bravo["sample_size"]
    assert clca["kaplan_markov_no_errors"] > 0
    risk = run_json("audit", "risk", "--method", "bravo", "--tally", "A=600", "--tally", "B=400",
                    "--winner", "A", "--ballots", "1000", "--round", "A=60,B=40",
                    "--round", "A=130,B=70")
    assert isinstance(risk, dict) and 0 < risk["risk"] < 1 and "A vs B" in risk["pairs"]
    km = run_json("audit", "risk", "--method", "clca", "--margin", "0.1", "--audited", "80")
    assert isinstance(km, dict) and km["confirmed"] is True
    code, out = run("audit", "sample-size", "--tally", "A=5", "--tally", "B=5", "--winner", "A",
                    "--ballots", "10")
    assert code == 2 and "no winner margin" in out
    code, out = run("audit", "risk", "--method", "clca", "--margin", "0.1", "--risk-limit", "1.5")
    assert code == 2 and "risk_limit" in out


def test_sample_reproduces_the_reference_sampler() -> None:
    from consistent_sampler import sampler

    from ballotguard.audit.manifest import parse_manifest

    drawn = run_json("audit", "sample", "--seed", SEED, "--count", "12",
                     "--manifest", f"Northfield={EXAMPLES / 'northfield-manifest.csv'}",
                     "--manifest", f"Southport={EXAMPLES / 'southport-manifest.csv'}")
    assert isinstance(drawn, dict)
    ids = [*parse_manifest((EXAMPLES / "northfield-manifest.csv").read_text(), "Northfield")
           .iter_ballot_ids(),
           *parse_manifest((EXAMPLES / "southport-manifest.csv").read_text(), "Southport")
           .iter_ballot_ids()]
    reference = list(sampler(ids, seed=SEED, with_replacement=False, output="tuple", take=12))
    assert [(d["ticket"], d["ballot_id"], d["generation"]) for d in drawn["draws"]] == reference
    code, out = run("audit", "sample", "--seed", "123", "--count", "1",
                    "--manifest", f"Northfield={EXAMPLES / 'northfield-manifest.csv'}")
    assert code == 2 and "at least 20" in out


@pytest.fixture
def cli_bg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ballotguard]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", url)
    bg = bootstrap(Settings(database_url=url))
    county = world.org(bg, "County Elections Office", Sector.ELECTION_AUTHORITY)
    world.person(bg, county, [Role.AUDIT_ADMIN], "rla@county.example")
    for j in ("northfield", "southport"):
        world.person(bg, county, [Role.JURISDICTION_MANAGER], f"manager@{j}.example")
        for n in (1, 2):
            world.person(bg, county, [Role.AUDIT_BOARD], f"board{n}@{j}.example")
    yield bg
    bg.close()


@pytest.mark.parametrize("method", ["bravo", "clca"])
def test_an_audit_end_to_end_from_files(cli_bg: Ballotguard, tmp_path: Path, method: str) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text((EXAMPLES / "audit.yaml").read_text().replace("method: bravo",
                                                                     f"method: {method}"))
    for f in EXAMPLES.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    admin = ["--as", "rla@county.example"]
    created = run_json("audit", "create", "--config", str(config), *admin)
    assert isinstance(created, dict)
    audit_id = created["id"]
    for j in ("Northfield", "Southport"):
        slug = j.lower()
        for person in (f"manager@{slug}.example", f"board1@{slug}.example",
                       f"board2@{slug}.example"):
            code, out = run("audit", "assign", audit_id, j, "--person", person, *admin)
            assert code == 0, out
        files = ["--manifest", str(tmp_path / f"{slug}-manifest.csv")]
        if method == "clca":
            files += ["--cvrs", str(tmp_path / f"{slug}-cvrs.csv")]
        uploaded = run_json("audit", "upload", audit_id, j, *files, "--as", f"manager@{slug}.example")
        assert isinstance(uploaded, list) and len(uploaded[0]["sha256"]) == 64
    for _ in range(5):
        round_ = run_json("audit", "draw", audit_id, *admin)
        assert isinstance(round_, dict) and round_["size"] > round_["start"]
        out_csv = tmp_path / "pull.csv"
        code, out = run("audit", "retrieval", audit_id, "--output", str(out_csv), *admin)
        assert code == 0, out
        assert out_csv.read_text().startswith("Jurisdiction,Container,Tabulator")
        for j in ("Northfield", "Southport"):
            slug = j.lower()
            for n in (1, 2):
                entered = run_json("audit", "enter", audit_id, "--from",
                                   str(tmp_path / f"{slug}-ballots.csv"), "--jurisdiction", j,
                                   "--as", f"board{n}@{slug}.example")
                assert isinstance(entered, dict) and entered["disagreement"] == 0
        measured = run_json("audit", "measure", audit_id, *admin)
        assert isinstance(measured, dict)
        if measured["decision"] == "stop":
            break
        assert measured["decision"] == "next_round"
    assert measured["status"] == "confirmed"
    assert all(r <= 0.1 for r in measured["risks"].values())
    shown = run_json("audit", "show", audit_id, *admin)
    assert isinstance(shown, dict) and shown["audit"]["status"] == "confirmed"
    assert [p["name"] for p in shown["progress"]] == ["Northfield", "Southport"]
    listed = run_json("audit", "list", "--as", "board1@northfield.example")
    assert isinstance(listed, list) and [a["id"] for a in listed] == [audit_id]


def test_errors_are_one_clear_line(cli_bg: Ballotguard, tmp_path: Path) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text((EXAMPLES / "audit.yaml").read_text().replace(
        '"32105462310542384961"', '"1234"'))
    code, out = run("audit", "create", "--config", str(config), "--as", "rla@county.example")
    assert code == 2 and "seed" in out and "at least 20" in out
    config.write_text((EXAMPLES / "audit.yaml").read_text())
    audit_id = run_json("audit", "create", "--config", str(config),
                        "--as", "rla@county.example")["id"]  # type: ignore[index]
    run("audit", "assign", audit_id, "Northfield", "--person", "manager@northfield.example",
        "--as", "rla@county.example")
    bad = tmp_path / "bad.csv"
    bad.write_text("Container,Tabulator,Batch Name,Number of Ballots\nBox 1,TAB-1,Batch 1,abc\n")
    code, out = run("audit", "upload", audit_id, "Northfield", "--manifest", str(bad),
                    "--as", "manager@northfield.example")
    assert code == 2 and "manifest line 2" in out and "Number of Ballots" in out
