"""``ballotguard notices``: public notices (briefings, drafts, checks, publication) and voting information."""

from __future__ import annotations

import typer

app = typer.Typer(help=__doc__, no_args_is_help=True)
