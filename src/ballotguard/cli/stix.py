"""``ballotguard stix``: import and export STIX 2.1 bundles, and print our published extension."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from ballotguard import stix_validator
from ballotguard.cli.common import AS_OPTION, JSON_OPTION, acting, errors, instance, print_json
from ballotguard.services import stix_exchange
from ballotguard.stix import EXTENSION_SCHEMA, ballotguard_identity, extension_definition
from ballotguard.vocabulary import Tlp

app = typer.Typer(help="STIX 2.1 bundles in and out (TLP applies).", no_args_is_help=True)
CHUNK = 1000
"""Objects per transaction on import: a failure loses nothing already stored."""


@app.command("import")
def import_bundle(
    file: Annotated[Path, typer.Argument(help="A STIX 2.1 bundle (JSON); - for stdin.")],
    email: str = AS_OPTION,
    tlp: Annotated[
        Tlp, typer.Option(help="TLP for objects without a TLP marking.", case_sensitive=False)
    ] = Tlp.AMBER,
    as_json: bool = JSON_OPTION,
) -> None:
    """Import a bundle object by object; bad objects are listed with their reason (exit 1).

    Incidents carrying Ballotguard's extension become reports of the person's organisation;
    every other valid object is kept for exchange over TAXII under its TLP marking."""
    objects = _bundle_objects(file)
    total = stix_exchange.ImportResult()
    with instance() as bg:
        actor = acting(bg, email)
        with Progress(console=errors, transient=True) as progress:
            task = progress.add_task("importing", total=len(objects))
            for start in range(0, len(objects), CHUNK):
                chunk = objects[start : start + CHUNK]
                with bg.uow() as uow:
                    result = stix_exchange.import_objects(
                        uow, actor, chunk, bg.clock(), default_tlp=tlp,
                        validate=stix_validator.full_problems,
                    )
                _merge(total, result)
                progress.advance(task, len(chunk))
    if as_json:
        print_json(total)
    else:
        typer.echo(f"stored {len(total.successes)} of {len(objects)} objects; "
                   f"{len(total.reports_created)} reports created, "
                   f"{len(total.reports_updated)} updated")
        for failure in total.failures:
            errors.print(f"  {failure.id or '(no id)'}: {failure.message}")
    if total.failures:
        raise typer.Exit(1)


@app.command("export")
def export_bundle(
    email: str = AS_OPTION,
    report: Annotated[
        list[str] | None, typer.Option("--report", help="A report id (repeatable).")
    ] = None,
    campaign: Annotated[str | None, typer.Option(help="A campaign id.")] = None,
    output: Annotated[Path | None, typer.Option("-o", help="File to write (default stdout).")
                      ] = None,
) -> None:
    """A bundle of the reports and campaign the person may read."""
    if not report and campaign is None:
        errors.print("[red]error:[/red] name at least one --report or a --campaign")
        raise typer.Exit(2)
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            bundle = stix_exchange.export_reports(uow, actor, bg.clock(), report or [],
                                                  campaign)
    text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.command("extension")
def extension() -> None:
    """The extension-definition our incidents carry, its author and its JSON schema."""
    print_json({"extension_definition": extension_definition(),
                "identity": ballotguard_identity(), "schema": EXTENSION_SCHEMA})


def _bundle_objects(file: Path) -> list[Any]:
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        bundle = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        errors.print(f"[red]error:[/red] {file}: {exc}")
        raise typer.Exit(2) from None
    objects = bundle.get("objects") if isinstance(bundle, dict) else None
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or not isinstance(
        objects, list
    ):
        errors.print(f"[red]error:[/red] {file}: not a STIX bundle with an objects list")
        raise typer.Exit(2)
    return objects


def _merge(total: stix_exchange.ImportResult, part: stix_exchange.ImportResult) -> None:
    total.successes += part.successes
    total.failures += part.failures
    total.reports_created += part.reports_created
    total.reports_updated += part.reports_updated
