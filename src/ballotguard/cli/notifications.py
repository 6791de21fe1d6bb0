"""``ballotguard notifications``: victim notifications of breaches and attempted breaches, and the outbox."""

from __future__ import annotations

import typer

app = typer.Typer(help=__doc__, no_args_is_help=True)
