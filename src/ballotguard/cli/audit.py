"""``ballotguard audit``: risk-limiting audits, from the numbers alone or end to end from files.

Without a database (for observers who reproduce numbers): ``sample-size``, ``risk`` and
``sample`` (seed + manifests -> the sample, as Rivest's reference sampler draws it).

On the database, naming the person acting with ``--as``: ``create`` (from a YAML file),
``assign``, ``upload``, ``draw``, ``retrieval``, ``enter``, ``measure``, ``hand-count``, ``show``,
``list``, ``discrepancies``. docs/audit.md ("Running an audit") walks through one.
Every command takes ``--json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ballotguard.audit import comparison
from ballotguard.audit import macro as macro_math
from ballotguard.audit.alpha import ErrorRates, comparison_sample_size
from ballotguard.audit.assorters import Overstatement, assertions
from ballotguard.audit.bravo import bravo_expected_sample_size, bravo_risk
from ballotguard.audit.config import parse_config
from ballotguard.audit.contest import Contest, check_risk_limit
from ballotguard.audit.cvr import parse_batch_tallies, parse_cvrs
from ballotguard.audit.manifest import BallotUniverse, parse_manifest
from ballotguard.audit.minerva import minerva_risk
from ballotguard.audit.rounds import Evidence, first_size
from ballotguard.audit.sampler import hash_ballots
from ballotguard.audit.workflow import AuditContest, Jurisdiction, Method, Reading, new_audit
from ballotguard.cli.common import (
    AS_OPTION,
    JSON_OPTION,
    acting,
    console,
    errors,
    instance,
    plain,
    print_json,
    print_table,
)
from ballotguard.errors import BallotguardError, InvalidAuditParameter
from ballotguard.services import audits as service

app = typer.Typer(help=__doc__, no_args_is_help=True)
AUDIT = Annotated[str, typer.Argument(help="The audit id (see `ballotguard audit list`).")]
TALLY = Annotated[list[str], typer.Option("--tally", help="A candidate's reported votes, NAME=VOTES "
                                          "(repeat for each candidate).")]
WINNER = Annotated[list[str], typer.Option("--winner", help="A reported winner (repeat for "
                                           "several seats).")]
BALLOTS = Annotated[int, typer.Option("--ballots", help="Ballot cards that carry the contest.")]
RISK_LIMIT = Annotated[float, typer.Option("--risk-limit", help="The risk limit, in (0, 1).")]
DUMMY_SEED = "0" * 20


def _fail(message: str) -> None:
    errors.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


class _Pure:
    """Like ``instance()`` for the commands that need no database: errors become one line."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if isinstance(exc, BallotguardError):
            _fail(str(exc))


def _pairs(values: list[str], option: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for value in values:
        name, sep, number = value.rpartition("=")
        if not sep or not name.strip():
            raise InvalidAuditParameter(option, f"{value!r} is not NAME=NUMBER")
        try:
            out[name.strip()] = int(number)
        except ValueError:
            raise InvalidAuditParameter(option, f"{number!r} in {value!r} is not a whole number")\
                from None
    return out


def _contest(tally: list[str], winners: list[str], ballots: int, name: str = "contest"
             ) -> AuditContest:
    return AuditContest(name, _pairs(tally, "--tally"), ballots, tuple(winners))


def _emit(data: dict[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        print_json(data)
        return
    print_table(title, ["", "value"], [[k, v] for k, v in plain(data).items()])


# -- the numbers alone ---------------------------------------------------------------------------


@app.command("sample-size")
def sample_size(
    tally: TALLY,
    winner: WINNER,
    ballots: BALLOTS,
    method: Annotated[Method, typer.Option(help="The audit method.")] = Method.BRAVO,
    risk_limit: RISK_LIMIT = 0.1,
    probability: Annotated[float, typer.Option(
        help="Chance the first round stops if the results are right (BRAVO, MINERVA).")] = 0.9,
    population: Annotated[int | None, typer.Option(
        help="Ballot cards in the whole frame (default: --ballots).")] = None,
    total_error_bound: Annotated[float | None, typer.Option(
        help="MACRO: the sum U of the batches' error bounds.")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """The first round's size for one contest, from its reported tally."""
    with _Pure():
        check_risk_limit(risk_limit)
        frame = population or ballots
        if method is Method.MACRO:
            if total_error_bound is None:
                raise InvalidAuditParameter("--total-error-bound", "MACRO needs U")
            n = macro_math.sample_size(total_error_bound, risk_limit)
            _emit({"method": method.value, "risk_limit": risk_limit, "sample_size": n},
                  as_json, "Sample size")
            return
        audit_contest = _contest(tally, winner, ballots)
        audit = new_audit("cli", "cli", method, risk_limit, DUMMY_SEED, [audit_contest],
                          [Jurisdiction("all", frame)], "cli", _now(),
                          stopping_probability=probability)
        contest = audit_contest.contest()
        data: dict[str, Any] = {"method": method.value, "risk_limit": risk_limit,
                                "ballots": ballots, "population": frame}
        if method is Method.CLCA:
            margin = comparison.diluted_margin([contest], frame)
            sizes = []
            for a in assertions(contest):
                clca = Overstatement(a, 2 * a.mean_from_tally(contest.tally, frame) - 1)
                sizes.append(comparison_sample_size(clca, risk_limit, frame, ErrorRates(
                    over1=0.001, over2=0.0001)))
            data.update({
                "diluted_margin": margin,
                "sample_size": None if None in sizes else max(s for s in sizes if s is not None),
                "kaplan_markov_no_errors": comparison.sample_size(margin, risk_limit),
                "kaplan_markov_expected": comparison.expected_sample_size_rounded(margin,
                                                                                   risk_limit),
                "assumed_rates": {"over1": 0.001, "over2": 0.0001},
            })
        else:
            data["sample_size"] = first_size(audit, Evidence(frame, {"all": frame}, [], {}))
            if method is Method.BRAVO:
                data["expected_sample_size"] = bravo_expected_sample_size(contest, risk_limit)
            if method in (Method.BRAVO, Method.MINERVA):
                data["stopping_probability"] = probability
        _emit(data, as_json, "Sample size")


@app.command()
def risk(
    method: Annotated[Method, typer.Option(help="bravo, minerva, clca (Kaplan-Markov) or macro.")],
    risk_limit: RISK_LIMIT = 0.1,
    tally: Annotated[list[str] | None, typer.Option("--tally", help="bravo/minerva: NAME=VOTES "
                                                    "reported.")] = None,
    winner: Annotated[list[str] | None, typer.Option("--winner", help="bravo/minerva: a reported "
                                                     "winner.")] = None,
    ballots: Annotated[int | None, typer.Option(help="bravo/minerva: ballot cards of the "
                                                "contest.")] = None,
    rounds: Annotated[list[str] | None, typer.Option(
        "--round", help="bravo/minerva: the votes sampled so far at the end of a round, "
        "cumulative, as NAME=N,NAME=N (repeat per round).")] = None,
    phantoms: Annotated[list[int] | None, typer.Option(
        "--phantoms", help="bravo: phantoms or missing ballots drawn by each round's end.")] = None,
    margin: Annotated[float | None, typer.Option(help="clca: the diluted margin.")] = None,
    audited: Annotated[int, typer.Option(help="clca: ballots audited.")] = 0,
    o1: Annotated[int, typer.Option(help="clca: one-vote overstatements.")] = 0,
    o2: Annotated[int, typer.Option(help="clca: two-vote overstatements.")] = 0,
    u1: Annotated[int, typer.Option(help="clca: one-vote understatements.")] = 0,
    u2: Annotated[int, typer.Option(help="clca: two-vote understatements.")] = 0,
    gamma: Annotated[float, typer.Option(help="clca: error inflation.")] = comparison.DEFAULT_GAMMA,
    total_error_bound: Annotated[float | None, typer.Option(help="macro: U.")] = None,
    taint: Annotated[list[float] | None, typer.Option("--taint", help="macro: each draw's taint "
                                                      "e/u (repeat).")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """The measured risk (P-value) of a contest from what the sample showed."""
    with _Pure():
        check_risk_limit(risk_limit)
        data: dict[str, Any] = {"method": method.value, "risk_limit": risk_limit}
        if method in (Method.BRAVO, Method.MINERVA):
            if not tally or not winner or ballots is None:
                raise InvalidAuditParameter("--tally", "give --tally, --winner and --ballots")
            contest = Contest("contest", _pairs(tally, "--tally"), ballots, tuple(winner))
            samples = [_pairs([p for p in r.split(",") if p.strip()], "--round")
                       for r in rounds or []]
            if method is Method.BRAVO:
                b = bravo_risk(contest, risk_limit, samples, phantoms=phantoms or ())
                data.update(risk=b.risk, confirmed=b.confirmed,
                            pairs={f"{w} vs {lo}": p.risk for (w, lo), p in b.pairs.items()})
            else:
                m = minerva_risk(contest, risk_limit, samples)
                data.update(risk=m.risk, confirmed=m.confirmed,
                            pairs={f"{w} vs {lo}": p.risk for (w, lo), p in m.pairs.items()})
        elif method is Method.CLCA:
            if margin is None:
                raise InvalidAuditParameter("--margin", "give the diluted margin")
            p = comparison.km_p_value(margin, audited, comparison.Discrepancies(o1, o2, u1, u2),
                                      gamma)
            data.update(risk=p, confirmed=p <= risk_limit, audited=audited, gamma=gamma)
        elif method is Method.MACRO:
            if total_error_bound is None:
                raise InvalidAuditParameter("--total-error-bound", "MACRO needs U")
            p = macro_math.p_value(total_error_bound, taint or [])
            data.update(risk=p, confirmed=p <= risk_limit, draws=len(taint or []))
        else:
            raise InvalidAuditParameter("--method", "alpha-polling risk needs the cards drawn: run "
                                        "the audit on the database (audit measure)")
        _emit(data, as_json, "Risk")


@app.command()
def sample(
    seed: Annotated[str, typer.Option(help="The seed: 20 or more digits.")],
    manifest: Annotated[list[str], typer.Option(
        "--manifest", help="JURISDICTION=FILE of a ballot manifest CSV (repeat, in the audit's "
        "order).")],
    count: Annotated[int, typer.Option(help="How many draws.")],
    start: Annotated[int, typer.Option(help="Skip this many draws (a later round).")] = 0,
    with_replacement: Annotated[bool, typer.Option(
        "--with-replacement", help="Draw with replacement (BRAVO, MINERVA).")] = False,
    reported: Annotated[list[str] | None, typer.Option(
        "--reported", help="JURISDICTION=BALLOTS cast: phantoms fill a shorter manifest.")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """Draw the sample from the seed and the manifests, as anyone can repeat it (the ids are
    those Rivest's consistent_sampler hashes: jurisdiction|tabulator|batch|position)."""
    with _Pure():
        cast = _pairs(reported or [], "--reported")
        manifests = []
        for item in manifest:
            name, sep, path = item.partition("=")
            if not sep:
                raise InvalidAuditParameter("--manifest", f"{item!r} is not JURISDICTION=FILE")
            parsed = parse_manifest(_read(Path(path)), name)
            if name in cast:
                parsed = parsed.reconcile(cast[name])
            manifests.append(parsed)
        universe = BallotUniverse(manifests)
        with _progress() as progress:
            task = progress.add_task(f"hashing {len(universe):,} ballots", total=None)
            tickets = hash_ballots(seed, universe.ballot_ids())
            progress.update(task, description=f"drawing {count:,} ballots")
            draws = tickets.draw(count, start=start, with_replacement=with_replacement)
        rows = []
        for i, d in enumerate(draws, start=start + 1):
            where = universe.locate(d.index)
            rows.append({"draw": i, "ticket": d.trimmed(), "ballot_id": d.ballot_id,
                         "generation": d.generation, "jurisdiction": where.jurisdiction,
                         "container": where.container, "tabulator": where.tabulator,
                         "batch": where.batch, "position": where.position,
                         "phantom": where.phantom})
    if as_json:
        print_json({"seed": seed, "ballots": len(universe), "with_replacement": with_replacement,
                    "draws": rows})
        return
    print_table(f"Sample of {len(rows)} from {len(universe):,} ballots",
                ["#", "ticket", "ballot id", "gen"],
                [[r["draw"], r["ticket"], r["ballot_id"], r["generation"]] for r in rows])


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidAuditParameter(str(path), f"cannot read the file: {exc.strerror}") from None


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    console=errors, transient=True)


# -- on the database -----------------------------------------------------------------------------


def _audit_json(audit: Any) -> dict[str, Any]:
    data: dict[str, Any] = plain(audit)
    data["jurisdictions"] = [{**j, "people": sorted(j["people"])} for j in data["jurisdictions"]]
    return data


@app.command()
def create(
    config: Annotated[Path, typer.Option("--config", help="The audit's YAML file.")],
    email: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Create an audit from a YAML file (see docs/examples/audit/audit.yaml)."""
    with instance() as bg:
        setup = parse_config(_read(config))
        actor = acting(bg, email)
        with bg.uow() as uow:
            audit = service.create_audit(uow, actor, setup.name, setup.method, setup.risk_limit,
                                         setup.seed, setup.contests, setup.jurisdictions,
                                         bg.clock(),
                                         stopping_probability=setup.stopping_probability)
    if as_json:
        print_json(_audit_json(audit))
    else:
        console.print(f"audit {audit.id} created ({audit.method.value}, risk limit "
                      f"{audit.risk_limit:g})")


@app.command("list")
def list_command(email: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """The audits the person may see."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            found = service.list_audits(uow, actor)
    if as_json:
        print_json([_audit_json(a) for a in found])
        return
    print_table("Audits", ["id", "name", "method", "status", "round"],
                [[a.id, a.name, a.method.value, a.status.value, a.round] for a in found])


@app.command()
def show(audit_id: AUDIT, email: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """The audit, its rounds (risk per contest) and its progress by jurisdiction."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            audit = service.get_audit(uow, actor, audit_id)
            rounds = service.rounds(uow, actor, audit_id)
            progress = service.progress(uow, actor, audit_id)
    if as_json:
        print_json({
            "audit": _audit_json(audit), "rounds": rounds,
            "progress": [{**plain(p), "people": sorted(p.people),
                          "manifest": p.manifest.sha256 if p.manifest else None,
                          "cvrs": p.cvrs.sha256 if p.cvrs else None} for p in progress],
        })
        return
    console.print(f"[bold]{audit.name}[/bold] ({audit.method.value}, risk limit "
                  f"{audit.risk_limit:g}, seed {audit.seed}): {audit.status.value}, round "
                  f"{audit.round}")
    print_table("Contests", ["contest", "status"], [[c.name, c.status.value]
                                                    for c in audit.contests])
    print_table("Rounds", ["round", "draws", "risks", "decision", "next size"],
                [[r.number, r.size, ", ".join(f"{k} {v:.4g}" for k, v in r.risks.items()),
                  r.decision.value if r.decision else "", r.next_size or ""] for r in rounds])
    print_table("Jurisdictions", ["jurisdiction", "manifest", "drawn", "confirmed", "pending",
                                  "disagreements"],
                [[p.name, "yes" if p.manifest else "no", p.drawn, p.confirmed, p.pending,
                  p.disagreements] for p in progress])


@app.command()
def assign(
    audit_id: AUDIT,
    jurisdiction: Annotated[str, typer.Argument(help="The jurisdiction's name.")],
    person: Annotated[str, typer.Option("--person", help="E-mail of the jurisdiction manager or "
                                        "audit-board member.")],
    remove: Annotated[bool, typer.Option("--remove", help="Take the assignment back.")] = False,
    email: str = AS_OPTION,
) -> None:
    """Assign a jurisdiction manager or audit-board member to a jurisdiction of the audit."""
    with instance() as bg:
        actor = acting(bg, email)
        who = acting(bg, person)
        with bg.uow() as uow:
            service.assign_jurisdiction(uow, actor, audit_id, jurisdiction, who.id, bg.clock(),
                                        remove=remove)
    console.print(f"{person}: {'removed from' if remove else 'assigned to'} {jurisdiction}")


@app.command()
def upload(
    audit_id: AUDIT,
    jurisdiction: Annotated[str, typer.Argument(help="The jurisdiction's name.")],
    manifest: Annotated[Path | None, typer.Option(help="The ballot manifest CSV.")] = None,
    cvrs: Annotated[Path | None, typer.Option(
        help="The CVR CSV (clca) or batch tallies CSV (macro).")] = None,
    email: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Upload a jurisdiction's manifest and/or CVRs; errors name the line and column."""
    if manifest is None and cvrs is None:
        raise typer.BadParameter("give --manifest, --cvrs or both")
    stored = []
    with instance() as bg:
        actor = acting(bg, email)
        if manifest is not None:
            with bg.uow() as uow:
                stored.append(service.upload_manifest(uow, actor, audit_id, jurisdiction,
                                                      manifest.name, _read(manifest), bg.clock()))
        if cvrs is not None:
            with bg.uow() as uow:
                stored.append(service.upload_cvrs(uow, actor, audit_id, jurisdiction, cvrs.name,
                                                  _read(cvrs), bg.clock()))
    summary = [{"jurisdiction": f.jurisdiction, "kind": f.kind, "filename": f.filename,
                "sha256": f.sha256, "count": f.count} for f in stored]
    if as_json:
        print_json(summary)
    else:
        for f in summary:
            console.print(f"{f['jurisdiction']}: {f['kind']} {f['filename']} ({f['count']}), "
                          f"sha256 {f['sha256']}")


@app.command()
def draw(
    audit_id: AUDIT,
    size: Annotated[int | None, typer.Option(help="Draws in all after this round (default: "
                                             "the computed size).")] = None,
    email: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Draw the next round's sample (one sample shared by every contest)."""
    with instance() as bg:
        actor = acting(bg, email)
        with _progress() as progress, bg.uow() as uow:
            task = progress.add_task("drawing the sample", total=None)
            round_ = service.start_round(
                uow, actor, audit_id, bg.clock(), size=size,
                on_progress=lambda text: progress.update(task, description=text))
    if as_json:
        print_json(round_)
    else:
        console.print(f"round {round_.number}: draws {round_.start + 1} to {round_.size}")


@app.command()
def retrieval(
    audit_id: AUDIT,
    jurisdiction: Annotated[str | None, typer.Option(help="Only this jurisdiction.")] = None,
    round_number: Annotated[int | None, typer.Option("--round", help="Default: the current.")]
    = None,
    output: Annotated[Path | None, typer.Option(help="Write the CSV here.")] = None,
    email: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """The ballots to pull, sorted by container, tabulator, batch and position (CSV)."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            rows = service.retrieval_list(uow, actor, audit_id, jurisdiction=jurisdiction,
                                          round_=round_number)
    if as_json:
        print_json(rows)
        return
    text = service.retrieval_csv(rows)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        console.print(f"{len(rows)} ballots written to {output}")
    else:
        typer.echo(text, nl=False)


@app.command()
def enter(
    audit_id: AUDIT,
    readings: Annotated[Path | None, typer.Option(
        "--from", help="The readings as a CSV in the CVR format (Tabulator, Batch Name, Position, "
        "one column per contest; macro: the batch tally format). Every drawn ballot of the "
        "jurisdiction found in it is entered.")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="With --from: the jurisdiction.")]
    = None,
    ballot: Annotated[str | None, typer.Option(help="One ballot id (or batch key).")] = None,
    mark: Annotated[list[str] | None, typer.Option(
        "--mark", help="With --ballot: CONTEST=CANDIDATE (repeat; CONTEST= for no vote).")] = None,
    not_found: Annotated[bool, typer.Option("--not-found", help="With --ballot: it could not be "
                                            "found.")] = False,
    email: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Enter what an audit-board member read; two members must enter the same for it to count."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            audit = service.get_audit(uow, actor, audit_id)
            drawn = {u.unit_id: u for u in service.draws(uow, actor, audit_id)}
        wanted: dict[str, Reading] = {}
        if readings is not None:
            if not jurisdiction:
                raise typer.BadParameter("--from needs --jurisdiction")
            wanted = _readings_from_file(bg, actor, audit, jurisdiction, _read(readings))
            wanted = {k: v for k, v in wanted.items() if k in drawn and not drawn[k].phantom}
        elif ballot is not None:
            marks: dict[str, list[str]] = {}
            for item in mark or []:
                contest, sep, candidate = item.partition("=")
                if not sep:
                    raise typer.BadParameter(f"{item!r} is not CONTEST=CANDIDATE")
                marks.setdefault(contest, [])
                if candidate:
                    marks[contest].append(candidate)
            wanted = {ballot: Reading(marks={c: tuple(m) for c, m in marks.items()},
                                      not_found=not_found)}
        else:
            raise typer.BadParameter("give --from or --ballot")
        with bg.uow() as uow:
            mine = {c.unit_id for c in service.confirmations(uow, actor, audit_id)
                    if actor.id in c.readings}
        if readings is not None:
            wanted = {k: v for k, v in wanted.items() if k not in mine}
        with bg.uow() as uow:
            results = service.record_entries(uow, actor, audit_id, wanted, bg.clock())
    summary = {s: sum(1 for r in results if r.state.value == s)
               for s in ("confirmed", "pending", "disagreement")}
    if as_json:
        print_json({"entered": len(results), **summary,
                    "disagreements": [r.unit_id for r in results
                                      if r.state.value == "disagreement"]})
    else:
        console.print(f"{len(results)} readings entered: {summary['confirmed']} confirmed, "
                      f"{summary['pending']} waiting for a second member, "
                      f"{summary['disagreement']} in disagreement")
        for r in results:
            if r.state.value == "disagreement":
                console.print(f"  [yellow]disagreement[/yellow] {r.unit_id}")


def _readings_from_file(bg: Any, actor: Any, audit: Any, jurisdiction: str, text: str
                        ) -> dict[str, Reading]:
    with bg.uow() as uow:
        manifest_file = next((f for f in service.files(uow, actor, audit.id)
                              if f.kind == "manifest" and f.jurisdiction == jurisdiction), None)
    if manifest_file is None:
        raise InvalidAuditParameter("jurisdiction", f"{jurisdiction!r} has no manifest")
    manifest = parse_manifest(manifest_file.text, jurisdiction)
    candidates = {c.name: list(c.tally) for c in audit.contests_in(jurisdiction)}
    if audit.method is Method.MACRO:
        keys = {f"{jurisdiction}|{b.tabulator}|{b.name}" for b in manifest.batches}
        tallies = parse_batch_tallies(text, jurisdiction, candidates, keys)
        return {key: Reading(counts={c: {k: counts.get(c, {}).get(k, 0) for k in candidates[c]}
                                     for c in candidates})
                for key, counts in tallies.batches.items()}
    parsed = parse_cvrs(text, jurisdiction, candidates, set(manifest.iter_ballot_ids()))
    return {k: Reading(marks={c: m for c, m in card.items() if m})
            for k, card in parsed.cards.items()}


@app.command()
def measure(audit_id: AUDIT, email: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Measure the round: the risk of each contest, then stop, size the next round, or require a
    full hand count (which files a report in the hub)."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            round_, outcome = service.measure_round(uow, actor, audit_id, bg.clock())
        with bg.uow() as uow:
            audit = service.get_audit(uow, actor, audit_id)
    data = {"round": round_.number, "draws": round_.size, "risks": dict(round_.risks),
            "decision": outcome.decision.value, "next_size": outcome.next_size,
            "contests": {n: s.value for n, s in outcome.statuses.items()},
            "status": audit.status.value, "report_id": audit.report_id}
    if as_json:
        print_json(data)
        return
    for name, r in round_.risks.items():
        console.print(f"{name}: risk {r:.4g} ({outcome.statuses[name].value})")
    console.print(f"decision: {outcome.decision.value}"
                  + (f", next round to {outcome.next_size} draws" if outcome.next_size else "")
                  + (f"; report {audit.report_id} filed" if audit.report_id else ""))


@app.command("hand-count")
def hand_count(
    audit_id: AUDIT,
    reason: Annotated[str, typer.Option(help="Why the audit goes to a full hand count.")],
    email: str = AS_OPTION,
) -> None:
    """Stop sampling and require a full hand count of every contest not yet confirmed."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            audit = service.require_full_hand_count(uow, actor, audit_id, reason, bg.clock())
    console.print(f"full hand count required; report {audit.report_id} filed")


@app.command("discrepancies")
def discrepancies_command(audit_id: AUDIT, email: str = AS_OPTION,
                          as_json: bool = JSON_OPTION) -> None:
    """Phantoms, ballots not found, CVR or batch mismatches and unresolved disagreements."""
    with instance() as bg:
        actor = acting(bg, email)
        with bg.uow() as uow:
            found = service.discrepancies(uow, actor, audit_id)
    if as_json:
        print_json(found)
        return
    print_table("Discrepancies", ["unit", "jurisdiction", "kind", "detail"],
                [[d.unit_id, d.jurisdiction, d.kind, d.detail] for d in found])
