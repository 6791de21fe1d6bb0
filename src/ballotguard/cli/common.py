"""What every command shares: the instance, the acting person, and JSON or table output."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from enum import Enum
from typing import Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.errors import BallotguardError
from ballotguard.services.actors import Actor, person_actor

console = Console()
errors = Console(stderr=True)

AS_OPTION = typer.Option(..., "--as", help="E-mail of the person acting; TLP applies to them.")
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")


@contextmanager
def instance() -> Iterator[Ballotguard]:
    """The instance from the settings (BALLOTGUARD_* variables); errors become one clear line."""
    bg = bootstrap()
    try:
        yield bg
    except BallotguardError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    finally:
        bg.close()


def acting(bg: Ballotguard, email: str) -> Actor:
    with bg.uow() as uow:
        person = uow.people.by_email(email.strip().lower())
    if person is None:
        errors.print(f"[red]error:[/red] nobody with e-mail {email}")
        raise typer.Exit(2)
    return person_actor(person)


def plain(value: Any) -> Any:
    """JSON-ready form of domain values (pydantic models, dataclasses, enums, sets)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def print_json(value: Any) -> None:
    typer.echo(json.dumps(plain(value), indent=2, ensure_ascii=False))


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*[str(plain(cell)) for cell in row])
    console.print(table)
