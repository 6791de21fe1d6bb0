"""``ballotguard campaigns``: reports correlated into campaigns, read under TLP 2.0, and the
analyst's decisions (confirm, reject, split, merge) that survive recomputation."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress

from ballotguard.campaigns import DecisionKind
from ballotguard.cli.common import (
    AS_OPTION,
    JSON_OPTION,
    acting,
    console,
    errors,
    instance,
    print_json,
    print_table,
)
from ballotguard.services import campaigns as service

app = typer.Typer(help=__doc__, no_args_is_help=True)
REASON = typer.Option(..., "--reason", help="Why; kept with the decision and in the audit log.")


@app.command("list")
def list_campaigns(email: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Campaigns in which the person may read at least two reports (counts are of those alone)."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            summaries = service.list_campaigns(uow, actor)
    if as_json:
        print_json(summaries)
        return
    print_table(
        f"{len(summaries)} campaigns visible to {email}",
        ["id", "reports", "score", "phases", "targets", "vectors", "weeks active"],
        [[s.id, s.reports, f"{s.score.value:.1f}", s.score.phases, s.score.targets,
          s.score.vectors, s.score.active_weeks] for s in summaries],
    )


@app.command()
def show(campaign_id: str, email: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """A campaign: its reports on a timeline, why they are linked, and its cumulative score."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            view = service.get_campaign(uow, actor, campaign_id)
    if as_json:
        print_json(view)
        return
    console.print(f"[bold]campaign {view.id}[/bold]  score {view.score.value:.1f}")
    console.print(f"  {view.score.formula}")
    print_table(
        "timeline",
        ["observed", "phase", "report", "title"],
        [[r.content.observed_at.date(), r.content.phase, r.id, r.content.title]
         for r in view.reports],
    )
    print_table(
        "links",
        ["a", "b", "why"],
        [[link.a, link.b, "; ".join(r.detail for r in link.reasons)] for link in view.links],
    )


@app.command()
def decide(
    first: Annotated[str, typer.Argument(help="A report id.")],
    second: Annotated[str, typer.Argument(help="The other report id.")],
    kind: Annotated[DecisionKind, typer.Argument(help="confirm or reject")],
    email: str = AS_OPTION,
    reason: str = REASON,
) -> None:
    """Confirm or reject the link between two reports; the decision sticks on recomputation."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            campaign = service.decide_link(uow, actor, first, second, kind, reason, bg.clock())
    console.print(f"{kind.value}ed; report {first} is now in campaign {campaign or '(none)'}")


@app.command()
def split(
    campaign_id: str,
    reports: Annotated[list[str], typer.Argument(help="The report ids to split off.")],
    email: str = AS_OPTION,
    reason: str = REASON,
) -> None:
    """Split reports off a campaign; refused unless the person may read all of its reports."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            left = service.split_campaign(
                uow, actor, campaign_id, frozenset(reports), reason, bg.clock()
            )
    console.print("campaigns now: " + (", ".join(left) or "(none)"))


@app.command()
def merge(
    first: str, second: str, email: str = AS_OPTION, reason: str = REASON
) -> None:
    """Merge two campaigns; refused unless the person may read every report in both."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            merged = service.merge_campaigns(uow, actor, first, second, reason, bg.clock())
    console.print(f"merged into campaign {merged}")


@app.command()
def exclude(
    key: Annotated[str, typer.Argument(help="kind:value, e.g. domain:platform.example")],
    email: str = AS_OPTION,
    reason: str = REASON,
) -> None:
    """Stop a value from linking reports (a platform's domain); links resting on it are re-checked."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            checked = service.exclude_key(uow, actor, key, reason, bg.clock())
    console.print(f"excluded {key}; {checked} reports re-checked")


@app.command()
def include(
    key: Annotated[str, typer.Argument(help="An excluded kind:value.")],
    email: str = AS_OPTION,
    reason: str = REASON,
) -> None:
    """Let an excluded value link reports again; the reports holding it are attached again."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            checked = service.include_key(uow, actor, key, reason, bg.clock())
    console.print(f"included {key}; {checked} reports attached again")


@app.command()
def exclusions(email: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """The values that never link reports, with who excluded them and why."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            found = service.exclusions(uow, actor)
    if as_json:
        print_json(found)
        return
    print_table("Correlation exclusions", ["key", "reason", "by", "at"],
                [[e.key, e.reason, e.decided_by, e.decided_at] for e in found])


@app.command()
def recompute() -> None:
    """Rebuild every report's correlation keys and links (operator); decisions still apply."""
    with instance() as bg, Progress(console=errors) as progress, bg.uow() as uow:
        task = progress.add_task("correlating", total=None)
        done = service.recompute(
            uow, bg.clock(),
            progress=lambda n, total: progress.update(task, completed=n, total=total),
        )
        uow.commit()
    console.print(f"{done} reports correlated")
