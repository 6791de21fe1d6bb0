"""``ballotguard stix``: a report exported as a bundle, the bundle imported into another instance,
bad objects listed with their reason and a non-zero exit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ballotguard.bootstrap import bootstrap
from ballotguard.cli.main import app
from ballotguard.config import Settings
from ballotguard.sharing import Role, Sector
from support import world
from support.hub import Hub, build_hub

runner = CliRunner()


@pytest.fixture
def cli_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", url)
    bg = bootstrap(Settings(database_url=url))
    yield build_hub(bg)
    bg.close()


def test_export_then_import_into_another_instance(cli_hub: Hub, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    report = world.file(cli_hub.bg, cli_hub.ea_analyst, title="Fake polling-station closures")
    bundle_file = tmp_path / "bundle.json"
    result = runner.invoke(app, ["stix", "export", "--as", cli_hub.cert_analyst.email,
                                 "--report", report.id, "-o", str(bundle_file)])
    assert result.exit_code == 0, result.output
    bundle = json.loads(bundle_file.read_text())
    assert f"incident--{report.id}" in {o["id"] for o in bundle["objects"]}

    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    other = bootstrap(Settings(database_url=other_url))
    peer = world.person(other, world.org(other, "Instance A", Sector.GOVERNMENT),
                        [Role.FEDERATION_PEER], "peer-a@other.example")
    monkeypatch.setenv("BALLOTGUARD_DATABASE_URL", other_url)
    bad = {"type": "indicator", "id": "indicator--nope", "spec_version": "2.1"}
    bundle["objects"].append(bad)
    bundle_file.write_text(json.dumps(bundle))
    result = runner.invoke(app, ["stix", "import", str(bundle_file), "--as", peer.email])
    assert result.exit_code == 1  # one bad object: said, and the rest stored
    assert "indicator--nope" in result.output
    assert "1 reports created" in " ".join(result.output.split())
    with other.uow() as uow:
        assert uow.reports.get(report.id).content.title == "Fake polling-station closures"
    other.close()


def test_bad_files_and_missing_choices_are_one_clear_line(cli_hub: Hub, tmp_path: Path) -> None:
    not_json = tmp_path / "x.json"
    not_json.write_text("{oops")
    result = runner.invoke(app, ["stix", "import", str(not_json), "--as",
                                 cli_hub.cert_analyst.email])
    assert result.exit_code == 2 and "x.json" in result.output
    result = runner.invoke(app, ["stix", "export", "--as", cli_hub.cert_analyst.email])
    assert result.exit_code == 2 and "--report" in result.output
    result = runner.invoke(app, ["stix", "extension"])
    assert json.loads(result.output)["extension_definition"]["type"] == "extension-definition"
