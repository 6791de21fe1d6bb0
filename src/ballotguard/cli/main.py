"""``ballotguard``: serve the hub, load the demo, and work with reports and the community.

Settings come from BALLOTGUARD_* environment variables (``ballotguard settings`` lists them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.progress import Progress

from ballotguard.bootstrap import Ballotguard
from ballotguard.cli import (
    assessment,
    audit,
    campaigns,
    community,
    federation,
    notices,
    notifications,
    panel,
    reports,
    stix,
)
from ballotguard.cli.common import JSON_OPTION, console, errors, instance, print_json, print_table
from ballotguard.config import Settings
from ballotguard.services import vocabulary as vocabulary_service
from ballotguard.services.actors import OPERATOR
from ballotguard.services.audit import verify_log

app = typer.Typer(help=__doc__, no_args_is_help=True, pretty_exceptions_show_locals=False)
vocabulary = typer.Typer(help="The shared language.", no_args_is_help=True)
audit_log = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)
db = typer.Typer(help="The database schema.", no_args_is_help=True)
app.add_typer(reports.app, name="reports")
app.add_typer(community.orgs, name="orgs")
app.add_typer(community.people, name="people")
app.add_typer(community.contacts, name="contacts")
app.add_typer(community.agreements, name="agreements")
app.add_typer(assessment.definitions, name="definitions")
app.add_typer(assessment.assessments_app, name="assessments")
app.add_typer(campaigns.app, name="campaigns")
app.add_typer(stix.app, name="stix")
app.add_typer(federation.app, name="federation")
app.add_typer(federation.jobs_app, name="jobs")
app.add_typer(panel.app, name="panel")
app.add_typer(notices.app, name="notices")
app.add_typer(notifications.app, name="notifications")
app.add_typer(audit.app, name="audit")
app.add_typer(vocabulary, name="vocabulary")
app.add_typer(audit_log, name="audit-log")
app.add_typer(db, name="db")


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Listen address (default from settings).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Load the demo first if the database is empty, and print the demo logins.",
        ),
    ] = False,
    jobs: Annotated[
        bool,
        typer.Option(
            "--jobs/--no-jobs",
            help="Run due background jobs (federation pulls and pushes) in this process; "
            "--no-jobs when cron runs `ballotguard jobs run` instead.",
        ),
    ] = True,
) -> None:
    """Start the web server: analyst UI at /, JSON API at /api, OpenAPI at /openapi.json."""
    from ballotguard.jobs import JobRunner
    from ballotguard.web.app import create_app

    with instance() as bg:
        if demo:
            _ensure_demo(bg)
            _mail_to_files_without_smtp(bg)
        listen_host, listen_port = host or bg.settings.host, port or bg.settings.port
        console.print(
            f"\n[bold]Ballotguard[/bold] at [link]http://{listen_host}:{listen_port}/"
            "[/link]  (Ctrl+C stops it)\n"
        )
        runner = JobRunner(bg) if jobs else None
        if runner is not None:
            runner.start()
        try:
            uvicorn.run(
                create_app(bg),
                host=listen_host,
                port=listen_port,
                log_level="info",
                proxy_headers=False,
                server_header=False,
            )
        finally:
            if runner is not None and not runner.stop():
                errors.print(
                    "a background job was still running at shutdown; it runs again from its last "
                    "committed page once its lease runs out (at most an hour)"
                )


@app.command("demo")
def load_demo_command() -> None:
    """Load the fictional demo election (Republic of Veldra) into an empty database."""
    with instance() as bg:
        _ensure_demo(bg)


DEMO_MAIL_DIR = "var/mail"


def _mail_to_files_without_smtp(bg: Ballotguard) -> None:
    """The demo owes victim notifications; with no SMTP server configured they are written as
    .eml files (open one to follow its acknowledgement link) rather than retried against port 25."""
    settings = bg.settings
    if "smtp_host" in settings.model_fields_set or settings.mail_drop_dir:
        return
    bg.settings = settings.model_copy(update={"mail_drop_dir": DEMO_MAIL_DIR})
    console.print(f"No SMTP server configured (BALLOTGUARD_SMTP_HOST): victim notification "
                  f"e-mails are written to {DEMO_MAIL_DIR}/ as .eml files.")


def _ensure_demo(bg: object) -> None:
    from ballotguard.bootstrap import Ballotguard
    from ballotguard.services.demo import DEMO_PASSWORD, demo_logins, load_demo

    assert isinstance(bg, Ballotguard)
    with bg.uow() as uow:
        empty = not uow.orgs.list()
    if empty:
        with Progress(console=errors, transient=True) as progress:
            task = progress.add_task("loading the demo election", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            summary = load_demo(bg.uow, bg.clock(), on_progress=advance)
        console.print(
            f"Demo loaded: {summary.organisations} organisations, "
            f"{summary.people} people, {summary.reports} reports."
        )
    else:
        console.print("The database already holds data; the demo was not loaded again.")
    with bg.uow() as uow:
        logins = demo_logins(uow)
    if logins:
        print_table(
            f"Demo logins (password: {DEMO_PASSWORD})",
            ["e-mail", "who"],
            [[login.email, f"{login.role} · {login.organisation}"] for login in logins],
        )


@app.command()
def settings(as_json: bool = JSON_OPTION) -> None:
    """Every setting, its current value (secrets redacted) and what it does."""
    rows = Settings().describe()
    if as_json:
        print_json([{"variable": n, "value": v, "help": h} for n, v, h in rows])
    else:
        print_table("Settings", ["variable", "value", "help"], rows)


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations (also done on every start)."""
    with instance():
        pass
    typer.echo("database is at the newest schema")


@vocabulary.command("show")
def vocabulary_show(as_json: bool = JSON_OPTION) -> None:
    """The vocabulary: phases, vectors, targets, actors, outcomes, TLP, loaded techniques."""
    with instance() as bg, bg.uow() as uow:
        document = vocabulary_service.document(uow)
    if as_json:
        print_json(document)
        return
    console.print(f"[bold]Vocabulary {document['version']}[/bold]")
    for name, terms in document.items():
        if isinstance(terms, list):
            print_table(
                name.replace("_", " "), ["id", "label"], [[t["id"], t["label"]] for t in terms]
            )
    for framework, techniques in document["techniques"].items():
        console.print(f"{framework}: {len(techniques)} techniques loaded")


@vocabulary.command("import-disarm")
def import_disarm(
    file: Annotated[
        Path, typer.Argument(help="The DISARM framework's STIX 2.1 bundle (DISARM.json).")
    ],
) -> None:
    """Load DISARM technique names (CC BY-SA 4.0, DISARM Foundation) into this instance."""
    try:
        bundle = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        errors.print(f"[red]error:[/red] {file}: {exc}")
        raise typer.Exit(2) from None
    with instance() as bg, bg.uow() as uow:
        found = vocabulary_service.import_disarm(uow, OPERATOR, bundle, bg.clock())
    typer.echo(f"imported {len(found.tactics)} tactics and {len(found.techniques)} techniques")


@audit_log.command("verify")
def verify(as_json: bool = JSON_OPTION) -> None:
    """Walk the hash chain; exit 1 naming the first altered, inserted or deleted entry."""
    from ballotguard.errors import AuditLogBroken

    with instance() as bg, bg.uow() as uow:
        try:
            result = verify_log(uow)
        except AuditLogBroken as exc:
            if as_json:
                print_json({"ok": False, "seq": exc.seq, "reason": exc.reason})
            else:
                errors.print(f"[red]BROKEN[/red] {exc}")
            raise typer.Exit(1) from None
    if as_json:
        print_json({"ok": True, "entries": result.entries, "head_hash": result.head_hash})
    else:
        console.print(f"[green]OK[/green] {result.entries} entries, head {result.head_hash}")
