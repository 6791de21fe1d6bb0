"""``ballotguard federation``: exchange CLEAR and GREEN STIX 2.1 with other TAXII 2.1 servers
(another Ballotguard, MISP, OpenCTI), by hand or on a schedule, remembering where each stopped.

The remote's API token is read from an environment variable named on the peer; it is never
stored in the database. docs/federation.md walks through connecting two instances.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ballotguard.bootstrap import Ballotguard
from ballotguard.cli.common import JSON_OPTION, console, errors, instance, print_json, print_table
from ballotguard.errors import BallotguardError, RemoteRefused
from ballotguard.services import federation as service
from ballotguard.services.actors import OPERATOR
from ballotguard.vocabulary import Tlp

app = typer.Typer(help=__doc__, no_args_is_help=True)
jobs_app = typer.Typer(
    help="Background jobs (scheduled federation pulls and pushes): rows in the database, run "
    "by `ballotguard serve` and by `ballotguard jobs run`.",
    no_args_is_help=True,
)


class Direction(StrEnum):
    PULL = "pull"
    PUSH = "push"
    BOTH = "both"


class Level(StrEnum):
    CLEAR = "CLEAR"
    GREEN = "GREEN"


NAME = Annotated[str, typer.Argument(help="The peer's name, as given to `federation add`.")]


@contextmanager
def _one_line(bg: Ballotguard | None = None, name: str | None = None) -> Iterator[None]:
    """A failure is one clear line and exit code 1; what was committed before it stays."""
    try:
        yield
    except BallotguardError as exc:
        message = str(exc)
        if isinstance(exc, RemoteRefused) and bg is not None and name is not None:
            message += f" (is the token in ${_token_env(bg, name)} right?)"
        errors.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
        raise typer.Exit(1) from None


def _token_env(bg: Ballotguard, name: str) -> str:
    with bg.uow() as uow:
        peer = uow.peers.get(name.strip().lower())
    return peer.token_env if peer else "?"


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="A short name for the peer, e.g. instance-b.")],
    url: Annotated[
        str,
        typer.Option(
            "--url",
            help="The remote TAXII 2.1 API root, e.g. https://b.example/taxii2/ballotguard/.",
        ),
    ],
    collection: Annotated[
        str,
        typer.Option(
            "--collection",
            help="The remote collection id (the remote's <api root>/collections/ lists them).",
        ),
    ],
    token_env: Annotated[
        str,
        typer.Option(
            "--token-env",
            help="NAME of the environment variable holding the remote API token (the token "
            "itself is never stored).",
        ),
    ],
    local_account: Annotated[
        str,
        typer.Option(
            "--local-account",
            help="E-mail of the local person with role federation_peer who stands for the peer: "
            "pulled objects belong to their organisation; pushes send only what they may read "
            "(CLEAR and GREEN).",
        ),
    ],
    direction: Annotated[
        Direction, typer.Option("--direction", help="pull, push or both.")
    ] = Direction.PULL,
    every: Annotated[
        int, typer.Option("--every", help="Minutes between scheduled runs.", min=1)
    ] = 15,
    tlp: Annotated[
        list[Level] | None,
        typer.Option(
            "--tlp",
            help="A TLP level exchanged with this collection; repeat for both (default: CLEAR "
            "and GREEN). A Ballotguard collection holds one: GREEN for community, CLEAR for clear.",
        ),
    ] = None,
) -> None:
    """Connect a TAXII 2.1 peer and schedule its pull and/or push (the first run is due now)."""
    levels = frozenset(Tlp(t.value) for t in tlp) if tlp else service.FEDERATED_TLPS
    spec = service.PeerSpec(
        name, url, collection, token_env, local_account, direction.value, every, levels
    )
    with instance() as bg, _one_line(), bg.uow() as uow:
        peer = service.add_peer(uow, OPERATOR, spec, bg.clock())
    console.print(
        f"peer [bold]{peer.name}[/bold] added: {peer.direction} "
        f"{'+'.join(sorted(t.value for t in peer.tlps))} every {peer.interval_minutes} min, "
        f"{escape(service.collection_url(peer))}, as {peer.local_account}"
    )


@app.command("list")
def list_peers(as_json: bool = JSON_OPTION) -> None:
    """The peers, where each direction stopped, the next scheduled runs and the last error."""
    with instance() as bg, bg.uow() as uow:
        statuses = service.list_peers(uow, OPERATOR)
    if as_json:
        print_json(statuses)
        return
    print_table(
        f"{len(statuses)} federation peers",
        ["name", "direction", "tlp", "collection", "as", "every", "next pull", "next push",
         "pulled up to", "last run", "last error"],
        [[s.peer.name, s.peer.direction, "+".join(sorted(t.value for t in s.peer.tlps)),
          service.collection_url(s.peer), s.peer.local_account,
          f"{s.peer.interval_minutes} min", _when(s.next_pull), _when(s.next_push),
          s.peer.pull_cursor or "-", _when(s.peer.last_run_at), s.peer.last_error or "-"]
         for s in statuses],
    )


@app.command()
def pull(name: NAME) -> None:
    """Pull now: import, page by page, what the remote collection added since the last pull."""
    with instance() as bg, _one_line(bg, name), _progress() as progress:
        task = progress.add_task(f"pulling from {name}", total=None)

        def show(result: service.PullResult) -> None:
            progress.update(task, description=f"pulling from {name}: {result.pages} pages, "
                            f"{result.received} objects")

        result = service.pull(bg.uow, OPERATOR, name, bg.clock, on_page=show)
    console.print(result.summary())
    _show_refused(result.refused)


@app.command()
def push(name: NAME) -> None:
    """Push now: send, in batches, the CLEAR and GREEN objects the peer has not had yet."""
    with instance() as bg, _one_line(bg, name), _progress() as progress:
        task = progress.add_task(f"pushing to {name}", total=None)

        def show(result: service.PushResult) -> None:
            progress.update(task, description=f"pushing to {name}: {result.batches} batches, "
                            f"{result.sent} objects")

        result = service.push(bg.uow, OPERATOR, name, bg.clock, on_batch=show)
    console.print(result.summary())
    _show_refused(result.refused)


@app.command()
def remove(name: NAME) -> None:
    """Forget a peer and its scheduled jobs; what was already imported from it stays."""
    with instance() as bg, _one_line(), bg.uow() as uow:
        service.remove_peer(uow, OPERATOR, name, bg.clock())
    console.print(f"peer {name} removed")


@jobs_app.command("list")
def jobs_list(as_json: bool = JSON_OPTION) -> None:
    """Every job: its kind, state, next run, consecutive failures and last error."""
    from ballotguard.jobs import list_jobs

    with instance() as bg:
        jobs = list_jobs(bg)
    if as_json:
        print_json(jobs)
        return
    print_table(
        f"{len(jobs)} jobs",
        ["key", "state", "next run", "every", "failures", "last run", "last error"],
        [[j.key, j.state, _when(j.run_at) if j.state == "scheduled" else "-",
          f"{j.interval_seconds // 60} min" if j.interval_seconds else "once", j.attempts,
          _when(j.last_run_at), j.last_error or "-"] for j in jobs],
    )


@jobs_app.command("run")
def jobs_run() -> None:
    """Run once what is due now (for cron); print what ran. Exit 1 if a job failed."""
    from ballotguard.jobs import run_due

    with instance() as bg:
        runs = run_due(bg, bg.clock())
    if not runs:
        console.print("nothing due")
    for run in runs:
        mark = "[green]ok[/green]" if run.ok else "[red]failed[/red]"
        then = f"; next {_when(run.next_run_at)}" if run.next_run_at else f"; {run.state}"
        console.print(f"{mark} {run.key}: {escape(run.message)}{then}")
    if any(not run.ok for run in runs):
        raise typer.Exit(1)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=errors, transient=True,
    )


def _show_refused(refused: list[tuple[str, str]], shown: int = 10) -> None:
    for object_id, reason in refused[:shown]:
        errors.print(f"  refused {escape(object_id)}: {escape(reason)}")
    if len(refused) > shown:
        errors.print(f"  ... and {len(refused) - shown} more (see the audit log)")


def _when(moment: object) -> str:
    isoformat = getattr(moment, "isoformat", None)
    return isoformat(timespec="seconds") if isoformat else "-"
