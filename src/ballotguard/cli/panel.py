"""``ballotguard panel``: the non-partisan expert panel: seats, cases, votes, decisions, exports."""

from __future__ import annotations

import typer

app = typer.Typer(help=__doc__, no_args_is_help=True)
