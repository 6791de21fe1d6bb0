"""``ballotguard definitions`` and ``ballotguard assessments``: test, compare and adopt definitions
of interference; assess reports and campaigns against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from ballotguard.assessment import (
    Definition,
    LibraryRun,
    describe_rule,
    parse_definition,
    parse_findings,
)
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
from ballotguard.errors import BallotguardError
from ballotguard.services import assessments as service
from ballotguard.services.assessments import SubjectKind

definitions = typer.Typer(
    help="Definitions of interference: list, show, test on the case library, diff, adopt.",
    no_args_is_help=True,
)
assessments_app = typer.Typer(
    help="Assessments of reports and campaigns under a definition.", no_args_is_help=True
)

FILE_OPTION = typer.Option(
    "--file", "-f", help="A definition document (YAML) instead of a shipped or adopted one."
)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        errors.print(f"[red]error:[/red] cannot read {path}: {exc.strerror}")
        raise typer.Exit(2) from None


def _definition(bg: Any, definition_id: str | None, file: Path | None) -> Definition:
    if file is not None:
        return parse_definition(_read(file), str(file))
    with bg.uow() as uow:
        return service.get_definition(uow, definition_id or "ballotguard-baseline")


@definitions.command("list")
def list_definitions(as_json: bool = JSON_OPTION) -> None:
    """The shipped definitions and those adopted on this instance."""
    with instance() as bg, bg.uow() as uow:
        entries = service.list_definitions(uow)
    if as_json:
        print_json([
            {"id": e.definition.id, "version": e.definition.version, "title": e.definition.title,
             "builtin": e.builtin, "adopted": e.adoption is not None}
            for e in entries
        ])
        return
    print_table(
        "Definitions of interference",
        ["id", "version", "title", "shipped", "adopted"],
        [[e.definition.id, e.definition.version, e.definition.title,
          "yes" if e.builtin else "", "yes" if e.adoption else ""] for e in entries],
    )


@definitions.command()
def show(
    definition_id: Annotated[str, typer.Argument(help="e.g. ballotguard-baseline")],
    as_json: bool = JSON_OPTION,
) -> None:
    """A definition: its source, criteria and decision rule in plain words."""
    with instance() as bg, bg.uow() as uow:
        definition = service.get_definition(uow, definition_id)
    if as_json:
        print_json({**definition.model_dump(mode="json"), "rule_in_words": describe_rule(definition.rule)})
        return
    console.print(f"[bold]{definition.title}[/bold]  ({definition.id} {definition.version})")
    console.print(f"Source: {definition.source.title}, {definition.source.publisher} "
                  f"({definition.source.year}) {definition.source.url}")
    console.print("Criteria: " + ", ".join(c.value for c in definition.criteria))
    console.print(f"Rule: {describe_rule(definition.rule)}")
    console.print(definition.rationale.strip())


@definitions.command()
def test(
    definition_id: Annotated[
        str | None, typer.Argument(help="Definition id; the baseline when omitted.")
    ] = None,
    file: Annotated[Path | None, FILE_OPTION] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """Run a definition over the case library; exit 1 when a case does not get its expected
    verdict or a case of acceptable activity is called interference."""
    with instance() as bg:
        definition = _definition(bg, definition_id, file)
        run = service.test_definition(definition)
    if as_json:
        print_json(run)
    else:
        _print_run(run)
    if not run.passed or run.acceptable_called_interference:
        raise typer.Exit(1)


def _print_run(run: LibraryRun) -> None:
    print_table(
        f"{run.definition_id} {run.definition_version} on the case library",
        ["case", "side", "expected", "got", "criteria", ""],
        [
            [row.case_id, row.side, row.expected or "-", row.got,
             ", ".join(c.value for c in row.rests_on), _mark(run, row.case_id, row.passed)]
            for row in run.rows
        ],
    )
    failed = len(run.failures)
    console.print(f"{len(run.rows) - failed} of {len(run.rows)} cases as expected")
    if run.acceptable_called_interference:
        console.print(
            "[red]calls acceptable activity interference:[/red] "
            + ", ".join(run.acceptable_called_interference)
        )


def _mark(run: LibraryRun, case_id: str, passed: bool) -> str:
    if case_id in run.acceptable_called_interference:
        return "FAIL: acceptable activity called interference"
    return "ok" if passed else "FAIL"


@definitions.command()
def diff(
    first: Annotated[str, typer.Argument(help="Definition id (A).")],
    second: Annotated[str, typer.Argument(help="Definition id (B).")],
    as_json: bool = JSON_OPTION,
) -> None:
    """The cases whose verdict flips between definitions A and B, and why."""
    with instance() as bg, bg.uow() as uow:
        a = service.get_definition(uow, first)
        b = service.get_definition(uow, second)
    flips = service.compare_definitions(a, b)
    if as_json:
        print_json(flips)
        return
    print_table(
        f"{len(flips)} cases flip between {a.id} and {b.id}",
        ["case", a.id, b.id, "why"],
        [[f.case_id, f.a_verdict, f.b_verdict, f.why] for f in flips],
    )


@definitions.command()
def adopt(
    file: Annotated[Path, typer.Argument(help="The definition document (YAML).")],
    email: str = AS_OPTION,
    reason: Annotated[
        str | None,
        typer.Option(help="Signed reason, required when the definition calls a case of "
                     "acceptable activity interference."),
    ] = None,
) -> None:
    """Adopt a definition on this instance after its case-library run (kept in the audit log)."""
    document = _read(file)
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            adoption = service.adopt_definition(uow, actor, document, reason, bg.clock())
    summary = adoption.test_run
    console.print(
        f"adopted {adoption.definition_id} {adoption.version}: "
        f"{summary['cases']} cases run, failures: {summary['failures'] or 'none'}"
    )


@assessments_app.command("add")
def add(
    subject_id: Annotated[str, typer.Argument(help="The report (or campaign) id.")],
    findings_file: Annotated[
        Path, typer.Option("--findings", help="Findings as YAML or JSON: a list of "
                           "{criterion, answer, confidence, evidence, rationale}.")
    ],
    email: str = AS_OPTION,
    definition_id: Annotated[str, typer.Option("--definition")] = "ballotguard-baseline",
    campaign: Annotated[bool, typer.Option("--campaign", help="The subject is a campaign.")] = False,
    reason: Annotated[str, typer.Option(help="Why, kept with the version.")] = "",
    as_json: bool = JSON_OPTION,
) -> None:
    """Assess a report or a campaign: findings in, verdict with its reasons out."""
    raw = _findings_data(findings_file)
    kind = SubjectKind.CAMPAIGN if campaign else SubjectKind.REPORT
    with instance() as bg:
        actor = acting(bg, email)
        findings = parse_findings(raw)
        with bg.uow() as uow:
            view = service.assess(
                uow, actor, kind, subject_id, definition_id, findings, bg.clock(), reason
            )
    if as_json:
        print_json({"id": view.record.id, "result": view.result})
        return
    _print_verdict(view)


def _findings_data(path: Path) -> list[dict[str, Any]]:
    text = _read(path)
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        errors.print(f"[red]error:[/red] {path} does not parse: {exc}")
        raise typer.Exit(2) from None
    if isinstance(data, dict):
        data = data.get("findings")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        errors.print(f"[red]error:[/red] {path} must hold a list of findings")
        raise typer.Exit(2)
    return [_yaml_answers(item) for item in data]


def _yaml_answers(item: dict[str, Any]) -> dict[str, Any]:
    """YAML 1.1 reads an unquoted ``yes``/``no`` as true/false; the analyst meant the answer."""
    answer = item.get("answer")
    if isinstance(answer, bool):
        return {**item, "answer": "yes" if answer else "no"}
    return item


def _print_verdict(view: service.AssessmentView) -> None:
    result = view.result
    console.print(
        f"[bold]{result.verdict}[/bold] under {result.definition_id} {result.definition_version}"
        f"  (assessment {view.record.id}, version {view.record.version})"
    )
    console.print("rests on: " + (", ".join(c.value for c in result.rests_on) or "-"))
    for line in result.reasons:
        console.print(f"  - {line}")


@assessments_app.command("list")
def list_assessments(
    subject_id: Annotated[str, typer.Argument(help="The report (or campaign) id.")],
    email: str = AS_OPTION,
    campaign: Annotated[bool, typer.Option("--campaign", help="The subject is a campaign.")] = False,
    as_json: bool = JSON_OPTION,
) -> None:
    """The assessments of a report or campaign the person may read."""
    kind = SubjectKind.CAMPAIGN if campaign else SubjectKind.REPORT
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            views = service.assessments_of(uow, actor, kind, subject_id)
    if as_json:
        print_json([{"id": v.record.id, "version": v.record.version, "author": v.record.author_id,
                     "result": v.result} for v in views])
        return
    print_table(
        f"{len(views)} assessments of {kind.value} {subject_id}",
        ["id", "definition", "verdict", "rests on", "by", "version"],
        [[v.record.id, f"{v.record.definition_id} {v.record.definition_version}",
          v.result.verdict, ", ".join(c.value for c in v.result.rests_on), v.record.author_id,
          v.record.version] for v in views],
    )


__all__ = ["BallotguardError", "assessments_app", "definitions"]
