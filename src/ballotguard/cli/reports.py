"""``ballotguard reports``: list, show, create, import and export, as a person (TLP applies)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.progress import Progress

from ballotguard.cli.common import AS_OPTION, JSON_OPTION, acting, errors, instance, print_json
from ballotguard.cli.common import print_table as table
from ballotguard.errors import BallotguardError
from ballotguard.services import reports as service
from ballotguard.services.exports import csv_rows, report_stream
from ballotguard.sharing import ReportContent, Status
from ballotguard.sharing.search import ReportFilter
from ballotguard.vocabulary import Phase, Tlp, Vector

app = typer.Typer(
    help="Interference reports, read and written under TLP 2.0.", no_args_is_help=True
)


@app.command("list")
def list_reports(
    email: str = AS_OPTION,
    phase: Annotated[Phase | None, typer.Option(help="Only this election phase.")] = None,
    vector: Annotated[Vector | None, typer.Option(help="Only this vector.")] = None,
    status: Annotated[Status | None, typer.Option(help="Only this status.")] = None,
    tlp: Annotated[Tlp | None, typer.Option(help="Only this TLP level.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Words in title or summary.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first.")] = 50,
    retracted: Annotated[
        bool, typer.Option("--retracted", help="Also list retracted reports.")
    ] = False,
    as_json: bool = JSON_OPTION,
) -> None:
    """The newest reports the person may read (retracted ones with --retracted)."""
    with instance() as bg:
        actor = acting(bg, email)
        where = ReportFilter(phase=phase, vector=vector, status=status, tlp=tlp, text=text,
                             include_retracted=retracted)
        with bg.uow() as uow:
            page = service.list_reports(uow, actor, where, limit, None, bg.clock())
            total = service.count_reports(uow, actor, where)
    if as_json:
        print_json({"total": total, "reports": page.reports})
        return
    table(
        f"{total} reports readable by {email}",
        ["id", "TLP", "status", "phase", "title"],
        [[r.id, r.content.tlp, r.status, r.content.phase, r.content.title] for r in page.reports],
    )


@app.command()
def show(report_id: str, email: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """One report with its history, if the person may read it."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            report = service.get_report(uow, actor, report_id, bg.clock())
            history = uow.reports.history(report_id)
    if as_json:
        print_json({"report": report, "history": history})
        return
    c = report.content
    table(
        f"TLP:{c.tlp.value} · {c.title}",
        ["field", "value"],
        [
            ["id", report.id],
            ["status", report.status],
            ["version", report.version],
            ["election", c.election],
            ["phase", c.phase],
            ["vectors", ", ".join(c.vectors)],
            ["outcome", c.outcome],
            ["impact", c.impact],
            ["observed", c.observed_at],
            ["observables", "\n".join(f"{o.kind.value} {o.value}" for o in c.observables)],
            ["techniques", ", ".join(c.techniques)],
            ["summary", c.summary],
        ],
    )
    table(
        "History",
        ["version", "change", "by", "at", "reason"],
        [[v.version, v.change, v.changed_by, v.changed_at, v.reason] for v in history],
    )


@app.command()
def create(
    file: Annotated[
        Path,
        typer.Argument(help="JSON file with one report's content ('-' = stdin).", allow_dash=True),
    ],
    email: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """File one report from JSON (the same fields as POST /api/reports)."""
    data = _read_json(file)
    with instance() as bg:
        actor = acting(bg, email)
        content = _content(data, "report")
        with bg.uow() as uow:
            report = service.file_report(uow, actor, content, bg.clock())
    if as_json:
        print_json(report)
    else:
        typer.echo(f"filed {report.id} (TLP:{report.content.tlp.value})")


@app.command("import")
def import_reports(
    file: Annotated[Path, typer.Argument(help="JSON file: a list of report contents.")],
    email: str = AS_OPTION,
) -> None:
    """File many reports; a bad one is reported with its position and reason, the rest are kept."""
    items = _read_json(file)
    if not isinstance(items, list):
        errors.print("[red]error:[/red] expected a JSON list of reports")
        raise typer.Exit(2)
    failures: list[tuple[int, str]] = []
    with instance() as bg, Progress(console=errors) as progress:
        actor = acting(bg, email)
        task = progress.add_task("importing", total=len(items))
        for index, item in enumerate(items):
            try:
                content = ReportContent.model_validate(item)
                with bg.uow() as uow:
                    service.file_report(uow, actor, content, bg.clock())
            except (ValidationError, BallotguardError) as exc:
                failures.append((index, _one_line(exc)))
            progress.advance(task)
    typer.echo(f"imported {len(items) - len(failures)} of {len(items)} reports")
    for index, reason in failures:
        errors.print(f"  item {index}: {reason}")
    if failures:
        raise typer.Exit(1)


@app.command()
def export(
    email: str = AS_OPTION,
    format: Annotated[str, typer.Option(help="json or csv")] = "json",
    output: Annotated[
        Path | None, typer.Option("-o", help="File to write (default stdout).")
    ] = None,
) -> None:
    """Every report the person may read, as JSON or CSV."""
    if format not in ("json", "csv"):
        errors.print("[red]error:[/red] --format must be json or csv")
        raise typer.Exit(2)
    with instance() as bg:
        actor = acting(bg, email)
        stream = report_stream(bg.uow, actor, ReportFilter(), bg.clock)
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            if format == "csv":
                for chunk in csv_rows(stream):
                    out.write(chunk)
            else:
                json.dump([r.model_dump(mode="json") for r in stream], out, indent=2)
                out.write("\n")
        finally:
            if output:
                out.close()


def _read_json(file: Path) -> Any:
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        errors.print(f"[red]error:[/red] {file}: {exc}")
        raise typer.Exit(2) from None


def _content(data: Any, what: str) -> ReportContent:
    try:
        return ReportContent.model_validate(data)
    except (ValidationError, ValueError) as exc:
        errors.print(f"[red]error:[/red] the {what} is not valid: {_one_line(exc)}")
        raise typer.Exit(2) from None


def _one_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return str(exc)
