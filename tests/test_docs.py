"""Documentation is part of the product: a setting or command that the operator guide does not
mention fails here (as in datasette)."""

from __future__ import annotations

from pathlib import Path

import typer.main

from ballotguard.cli.main import app
from ballotguard.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_in_the_operator_guide() -> None:
    guide = (ROOT / "docs" / "operator-guide.md").read_text()
    for variable, _, help_text in Settings().describe():
        assert f"`{variable}`" in guide, variable
        assert help_text, f"{variable} has no help text"


def test_every_command_has_help_and_the_top_level_ones_are_documented() -> None:
    docs = "\n".join(p.read_text() for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
    group = typer.main.get_group(app)
    for name, command in group.commands.items():
        assert command.help, f"ballotguard {name} has no --help text"
        assert f"ballotguard {name}" in docs or f"`{name}`" in docs, name
        for sub_name, sub in getattr(command, "commands", {}).items():
            assert sub.help, f"ballotguard {name} {sub_name} has no --help text"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make run") < readme.index("make test") < readme.index("## A five-minute")
