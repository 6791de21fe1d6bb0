"""``ballotguard panel``: the non-partisan expert panel: seats, cases, votes, decisions, exports.

Seats and rules are changed by the operator at the console (or a person with ``manage_panel``
through the API). Case work names the person acting with ``--as``: an analyst escalates, seat
holders deliberate and vote, the chair records the decision. docs/panel.md walks through a case.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ballotguard.cli.common import (
    AS_OPTION,
    JSON_OPTION,
    acting,
    console,
    instance,
    print_json,
    print_table,
)
from ballotguard.panel.cases import ChecklistItem, SubjectKind
from ballotguard.panel.votes import Choice
from ballotguard.pdf.decision_record import decision_record_pdf
from ballotguard.services import panel as service
from ballotguard.services.actors import OPERATOR
from ballotguard.vocabulary import Confidence, SourceReliability

app = typer.Typer(help=__doc__, no_args_is_help=True)
CASE = Annotated[str, typer.Argument(help="The case id (see `ballotguard panel cases`).")]
SEAT = Annotated[str, typer.Argument(help="The seat id, e.g. seat-1 (see `ballotguard panel seats`).")]


class Format(StrEnum):
    JSON = "json"
    PDF = "pdf"


# -- seats and rules (operator) ---------------------------------------------------------------


@app.command()
def seats(as_json: bool = JSON_OPTION) -> None:
    """The seats, who holds them, the chair, and the threshold in force."""
    with instance() as bg, bg.uow() as uow:
        rules = service.panel_rules(uow)
        all_seats = service.seats(uow)
        chair = service.chair_seat(uow)
        names = {p.id: p.name for p in uow.people.list()}
    if as_json:
        print_json({"rules": rules, "chair_seat": chair, "seats": all_seats})
        return
    print_table(
        f"{rules.seats} seats, quorum {rules.quorum}, a notice needs {rules.notice_votes} votes",
        ["seat", "name", "holder", "chair"],
        [[s.id, s.name, names.get(s.holder, s.holder) if s.holder else "vacant",
          "chair" if s.id == chair else ""] for s in all_seats],
    )
    console.print(rules.describe())


@app.command()
def configure(
    seats_count: Annotated[int | None, typer.Option("--seats", help="Number of seats.")] = None,
    quorum: Annotated[int | None, typer.Option(help="Votes that must be cast to decide.")] = None,
    notice_votes: Annotated[
        int | None, typer.Option(help="Votes a notice needs (more than half the seats).")
    ] = None,
) -> None:
    """Change the number of seats, the quorum or the notice threshold (audited)."""
    with instance() as bg, bg.uow() as uow:
        rules = service.configure_panel(uow, OPERATOR, bg.clock(), seats_count, quorum,
                                        notice_votes)
    console.print(rules.describe())


@app.command()
def seat(
    seat_id: SEAT,
    person: Annotated[
        str | None, typer.Option("--person", help="E-mail of the panel member to seat.")
    ] = None,
    vacate: Annotated[bool, typer.Option("--vacate", help="Leave the seat empty.")] = False,
) -> None:
    """Seat a person holding the panel_member role, or vacate the seat (audited)."""
    if (person is None) == (not vacate):
        raise typer.BadParameter("give either --person or --vacate")
    with instance() as bg:
        person_id = acting(bg, person).id if person else None
        with bg.uow() as uow:
            changed = service.assign_seat(uow, OPERATOR, seat_id, person_id, bg.clock())
    console.print(f"{changed.name}: {person or 'vacant'}")


@app.command()
def rename(seat_id: SEAT, name: Annotated[str, typer.Argument(help="The new name.")]) -> None:
    """Rename a seat (audited)."""
    with instance() as bg, bg.uow() as uow:
        service.rename_seat(uow, OPERATOR, seat_id, name, bg.clock())
    console.print(f"{seat_id} is now {name!r}")


@app.command()
def chair(seat_id: SEAT) -> None:
    """Make a seat the chair's: its holder records decisions (audited)."""
    with instance() as bg, bg.uow() as uow:
        changed = service.set_chair(uow, OPERATOR, seat_id, bg.clock())
    console.print(f"{changed.name} is the chair")


# -- cases ------------------------------------------------------------------------------------


@app.command()
def escalate(
    kind: Annotated[SubjectKind, typer.Argument(help="report or campaign.")],
    subject_id: Annotated[str, typer.Argument(help="The report or campaign id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the panel should look at it.")],
    email: str = AS_OPTION,
    title: Annotated[str, typer.Option(help="A title (default: the report's).")] = "",
    reliability: Annotated[
        SourceReliability | None, typer.Option(help="Source reliability A-F (default: best).")
    ] = None,
    confidence: Annotated[Confidence, typer.Option(help="low, moderate or high.")] = (
        Confidence.LOW
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Escalate a report or campaign to the panel; the evidence packet is frozen now."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            case = service.escalate(uow, actor, kind, subject_id, reason, bg.clock(), title,
                                    reliability, confidence)
    if as_json:
        print_json(case)
        return
    console.print(f"case {case.id}: {case.title}")


@app.command()
def evidence(
    case_id: CASE,
    email: str = AS_OPTION,
    report: Annotated[
        list[str] | None, typer.Option("--report", help="Another report to add (repeatable).")
    ] = None,
) -> None:
    """Build a new packet version (the subject as you read it now, plus more reports)."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            packet = service.add_evidence(uow, actor, case_id, bg.clock(), report or [])
    console.print(f"packet version {packet.version}, TLP:{packet.tlp.value}, "
                  f"sha256 {packet.sha256}")


@app.command()
def cases(email: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """The cases you may read (seat holders and panel managers: all; analysts: their own)."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            found = service.list_cases(uow, actor)
    if as_json:
        print_json(found)
        return
    print_table(
        f"{len(found)} cases", ["case", "title", "status", "round", "acted", "decision"],
        [[s.case.id, s.case.title, s.case.status.value, s.case.round, f"{s.acted}/{s.seats}",
          s.current.outcome.value if s.current else ""] for s in found],
    )


@app.command()
def show(case_id: CASE, email: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """A case: packet, checklist, votes of the current round, decisions."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            view = service.get_case(uow, actor, case_id)
    if as_json:
        print_json({
            "case": view.case, "packet": view.packet, "checklist": list(view.answers.values()),
            "notes": view.notes, "recusals": view.recusals, "votes": view.votes,
            "decisions": view.decisions, "linked": view.linked, "tally": view.tally,
            "supported_outcome": view.supported_outcome, "quorum_met": view.quorum_met,
        })
        return
    console.print(f"[bold]{view.title}[/bold] ({view.subject}), {view.case.status.value}, "
                  f"round {view.case.round}")
    if view.packet:
        console.print(f"packet v{view.packet.version} TLP:{view.packet.tlp.value} "
                      f"{view.packet.sha256}")
    names = {s.id: s.name for s in view.seats}
    recused = {r.seat_id: r.reason for r in view.recusals}
    votes = {v.seat_id: v.choice.value for v in view.votes}
    print_table("seats", ["seat", "acted"], [
        [s.name, f"recused: {recused[s.id]}" if s.id in recused else votes.get(s.id, "pending")]
        for s in view.seats
    ])
    console.print(f"the votes support: {view.supported_outcome.value}; quorum "
                  f"{'met' if view.quorum_met else 'not met'}; pending: "
                  f"{', '.join(names[s] for s in view.tally.pending) or 'none'}")
    for d in view.decisions:
        console.print(f"decision {d.id} (round {d.round}): {d.outcome.value} {d.target} "
                      f"- {d.rationale}")


@app.command()
def checklist(
    case_id: CASE,
    item: Annotated[ChecklistItem, typer.Argument(help="scope, effect, accumulation or phase.")],
    value: Annotated[str, typer.Argument(help="The answer (see docs/panel.md for the lists).")],
    email: str = AS_OPTION,
    note: Annotated[str, typer.Option(help="Why this answer.")] = "",
) -> None:
    """Answer one item of the threshold checklist (the latest answer counts; all are kept)."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            service.answer_checklist(uow, actor, case_id, item, value, note, bg.clock())
    console.print(f"{item.value}: {value}")


@app.command()
def note(
    case_id: CASE,
    text: Annotated[str, typer.Argument(help="The note.")],
    email: str = AS_OPTION,
) -> None:
    """Add a deliberation note (append-only)."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            service.add_case_note(uow, actor, case_id, text, bg.clock())
    console.print("noted")


@app.command()
def link(
    case_id: CASE,
    other: Annotated[str, typer.Argument(help="The case to link it with.")],
    email: str = AS_OPTION,
) -> None:
    """Link two cases (the accumulation question of the checklist)."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            service.link_cases(uow, actor, case_id, other, bg.clock())
    console.print(f"{case_id} linked with {other}")


@app.command()
def recuse(
    case_id: CASE,
    reason: Annotated[str, typer.Option("--reason", help="The conflict of interest.")],
    email: str = AS_OPTION,
) -> None:
    """Step aside from a case for a conflict of interest; the reason is recorded."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            service.recuse(uow, actor, case_id, reason, bg.clock())
    console.print("recused")


@app.command()
def vote(
    case_id: CASE,
    choice: Annotated[
        Choice, typer.Argument(help="public_notice, targeted_notice, no_notice or abstain.")
    ],
    email: str = AS_OPTION,
    comment: Annotated[str, typer.Option(help="An optional comment kept with the vote.")] = "",
) -> None:
    """Vote once in the case's current round (or record an abstention)."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            cast = service.vote(uow, actor, case_id, choice, bg.clock(), comment)
    console.print(f"round {cast.round}: {cast.choice.value}")


@app.command()
def decide(
    case_id: CASE,
    email: str = AS_OPTION,
    rationale: Annotated[str, typer.Option(help="Why (required for no notice).")] = "",
    target: Annotated[str, typer.Option(help="Whom a targeted notice goes to.")] = "",
    supersedes: Annotated[
        str | None, typer.Option(help="The decision this one replaces (after reopen).")
    ] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """The chair records the decision the votes support (immutable once recorded)."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            decision = service.record_decision(uow, actor, case_id, bg.clock(), rationale, target,
                                               supersedes)
    if as_json:
        print_json(decision)
        return
    console.print(f"decision {decision.id}: {decision.outcome.value}")


@app.command()
def reopen(
    case_id: CASE,
    reason: Annotated[str, typer.Option("--reason", help="Why the panel looks again.")],
    email: str = AS_OPTION,
) -> None:
    """The chair opens a new voting round; its decision must supersede the current one."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            reopened = service.reopen_case(uow, actor, case_id, reason, bg.clock())
    console.print(f"round {reopened.round} open")


@app.command()
def export(
    case_id: CASE,
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[Format, typer.Option("--format", help="json or pdf.")] = Format.JSON,
    email: Annotated[
        str | None, typer.Option("--as", help="E-mail of the person exporting (default: the "
                                 "operator).")
    ] = None,
) -> None:
    """Export the decision record for post-election review: JSON (complete) or PDF."""
    with instance() as bg:
        actor = acting(bg, email) if email else OPERATOR
        with bg.uow() as uow:
            record = service.export_record(uow, actor, case_id, bg.clock())
    if fmt is Format.PDF:
        output.write_bytes(decision_record_pdf(record))
    else:
        output.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    console.print(f"wrote {output}")
