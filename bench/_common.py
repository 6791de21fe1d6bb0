"""What the benchmarks share: options, the databases, the world, bulk growth, timing and tables.

Every benchmark measures through ``ballotguard.services`` (what users wait for), on a database
that was grown to the wanted size *directly* through SQLAlchemy core: filing a million reports
through the services would take hours and measure nothing new. The bulk rows are built from real
``Report`` objects (``model_dump_json``) with the same column mapping as the store, checked
against the store's own mapping at start, so that the services read them back like any other.

The world (organisations, people, agreements, the first reports) is the Veldra demo, loaded
through the services; the bulk reports are spread over four years before the demo's present, so
that each bigger size is a denser history and the newest page is never trivially the same rows.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, event, func, select, text

from ballotguard.auditlog import AuditEntry, next_entry
from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.config import Settings
from ballotguard.services.actors import Actor, person_actor
from ballotguard.services.demo import load_demo
from ballotguard.sharing import (
    Observable,
    ObservableKind,
    Permission,
    Person,
    Report,
    ReportContent,
    Status,
    SuspectedActor,
    Target,
)
from ballotguard.store import make_engine
from ballotguard.store.models import (
    AuditLogRow,
    CorrelationKeyRow,
    RecipientOrgRow,
    RecipientPersonRow,
    ReportRow,
    ReportVectorRow,
    ReportVersionRow,
)
from ballotguard.store.repositories import _report_columns
from ballotguard.vocabulary import (
    ActorKind,
    Confidence,
    Impact,
    Outcome,
    Phase,
    SourceReliability,
    TargetKind,
    Tlp,
    Vector,
)

sys.path.insert(0, str(Path(__file__).parent))
from _postgres import throwaway_server

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
HISTORY = timedelta(days=4 * 365)
QUICK_SIZES = (1_000, 20_000)
FULL_SIZES = (10_000, 1_000_000)
BATCH = 20_000

PHASES = {Phase.PLANNING: 5, Phase.VOTER_REGISTRATION: 15, Phase.CANDIDATE_REGISTRATION: 6,
          Phase.CAMPAIGN: 25, Phase.VOTING_EARLY: 5, Phase.VOTING_MAIL: 7,
          Phase.VOTING_IN_PERSON: 14, Phase.VOTING_PROVISIONAL: 1, Phase.COUNTING: 7,
          Phase.RESULTS: 9, Phase.POST_ELECTION: 6}
VECTORS = {Vector.DISINFORMATION: 30, Vector.CYBER_INTRUSION: 20,
           Vector.INAUTHENTIC_AMPLIFICATION: 10, Vector.VOTER_SUPPRESSION: 10,
           Vector.COERCION: 6, Vector.DENIAL_OF_SERVICE: 7, Vector.DATA_THEFT: 6,
           Vector.HACK_AND_LEAK: 4, Vector.COVERT_FINANCING: 4, Vector.INSIDER_THREAT: 2}
TLPS = {Tlp.CLEAR: 10, Tlp.GREEN: 45, Tlp.AMBER: 30, Tlp.AMBER_STRICT: 10, Tlp.RED: 5}
STATUSES = {Status.NEW: 20, Status.TRIAGED: 25, Status.ASSESSED: 20, Status.CLOSED: 33,
            Status.RETRACTED: 2}


# --- options ---------------------------------------------------------------------------------

@dataclass
class Options:
    sizes: list[int]
    databases: list[str]
    repeat: int
    seed: int
    json_path: Path | None
    explain: bool
    extra: argparse.Namespace


def parse_options(description: str,
                  add: Callable[[argparse.ArgumentParser], None] | None = None) -> Options:
    """``--sizes``/``BENCH_SIZES``, ``--db``/``BENCH_DB``, ``--quick`` and the script's own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES"),
                        help="database sizes in reports, comma-separated "
                             f"(default {','.join(map(str, FULL_SIZES))})")
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "both"),
                        choices=("sqlite", "postgresql", "both"))
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke check at {' and '.join(map(str, QUICK_SIZES))} reports")
    parser.add_argument("--repeat", type=int, default=None, help="measurements per figure")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    parser.add_argument("--explain", action="store_true",
                        help="print the query plan of each list query at each size")
    if add is not None:
        add(parser)
    args = parser.parse_args()
    if args.sizes:
        sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    else:
        sizes = list(QUICK_SIZES if args.quick else FULL_SIZES)
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    repeat = args.repeat or (10 if args.quick else 30)
    return Options(sizes, databases, repeat, args.seed, args.json, args.explain, args)


# --- databases -------------------------------------------------------------------------------

@dataclass
class Database:
    kind: str
    url: str
    version: str


@contextlib.contextmanager
def databases(kind: str, count: int) -> Iterator[list[Database]]:
    """``count`` fresh, empty databases of that kind (one server for PostgreSQL), deleted
    afterwards. One database per size lets the benchmarks alternate between sizes call by call,
    so that a burst of load from elsewhere on the machine hits every size alike."""
    if kind == "sqlite":
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
        with tempfile.TemporaryDirectory(prefix="ballotguard-bench-") as directory:
            yield [Database(kind, f"sqlite:///{directory}/bench{n}.db", version)
                   for n in range(count)]
    else:
        with throwaway_server() as server:
            yield [Database(kind, server.create_database(f"bench{n}"), server.version)
                   for n in range(count)]


# --- the world and its growth ----------------------------------------------------------------

@dataclass
class World:
    """The Veldra demo as the benchmark's population; the reader is the national CERT analyst."""

    app: Ballotguard
    target: Database
    rng: random.Random
    authors: list[Person]
    people: list[Person]
    org_ids: list[str]
    cert_org: str
    reader: Person
    pool: list[ReportContent] = field(default_factory=list)
    last_entry: AuditEntry | None = None
    tick: int = 0
    correlate: bool = False
    """Also fill the correlation index for the bulk reports (bench/campaign_attach_store.py)."""
    pool_keys: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def reader_actor(self) -> Actor:
        return person_actor(self.reader)

    def now(self) -> datetime:
        """The clock the services get: after every report, one millisecond further per call."""
        self.tick += 1
        return NOW + timedelta(minutes=1, milliseconds=self.tick)

    def count(self) -> int:
        with self.app.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(ReportRow.__table__)) or 0)


def open_world(target: Database, seed: int) -> World:
    """Bootstrap the database (migrations) and load the demo through the services."""
    app = bootstrap(Settings(database_url=target.url))
    summary = load_demo(app.uow, NOW, seed=seed)
    cert_email = next(login.email for login in summary.logins if "CERT" in login.role)
    with app.uow() as uow:
        people = uow.people.list()
        org_ids = [o.id for o in uow.orgs.list()]
        reader = uow.people.by_email(cert_email)
    assert reader is not None
    rng = random.Random(seed)
    world = World(app, target, rng, [p for p in people if p.may(Permission.FILE_REPORT)],
                  people, org_ids, reader.org_id, reader)
    world.pool = [_content(world) for _ in range(4_000)]
    return world


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), list(weights.values()))[0]


def _content(world: World) -> ReportContent:
    """One plausible report: weighted phase, vectors and TLP; recipients as TLP requires."""
    rng = world.rng
    tlp: Tlp = _pick(rng, TLPS)
    vectors = list(dict.fromkeys(_pick(rng, VECTORS) for _ in range(rng.choice((1, 1, 2)))))
    recipient_orgs: list[str] = []
    if tlp in (Tlp.AMBER, Tlp.AMBER_STRICT):
        if rng.random() < 0.4:
            recipient_orgs.append(world.cert_org)
        recipient_orgs += rng.sample(world.org_ids, rng.randint(0, 2))
    recipient_people = [p.id for p in rng.sample(world.people, rng.randint(1, 2))] \
        if tlp is Tlp.RED else []
    observables = [Observable(kind=ObservableKind.IP,
                              value=f"{rng.choice(('192.0.2', '198.51.100', '203.0.113'))}."
                                    f"{rng.randint(1, 254)}")
                   for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.3:
        observables.append(Observable(kind=ObservableKind.DOMAIN,
                                      value=f"site-{rng.randint(1, 9999)}.example"))
    number = rng.randint(1, 99_999)
    return ReportContent(
        title=f"{vectors[0].value.replace('_', ' ').capitalize()} report {number}",
        summary=("Synthetic benchmark report. " * rng.randint(4, 12)).strip(),
        observed_at=NOW - timedelta(days=rng.randint(1, 1400)),
        election=rng.choice(("Republic of Veldra general election 2026 (fictional)",
                             "Republic of Veldra general election 2022 (fictional)",
                             "Port Aster municipal by-election (fictional)")),
        phase=_pick(rng, PHASES), vectors=vectors,
        targets=[Target(kind=TargetKind.VOTERS, description="Voters")],
        outcome=rng.choice((Outcome.ATTEMPTED, Outcome.SUCCESSFUL)),
        impact=rng.choice(tuple(Impact)),
        techniques=rng.sample(("attack:T1566", "attack:T1190", "attack:T1498", "disarm:T0049",
                               "disarm:T0085", "disarm:T0119"), rng.randint(0, 2)),
        observables=observables,
        suspected_actor=SuspectedActor(kind=rng.choice(tuple(ActorKind)),
                                       confidence=rng.choice(tuple(Confidence))),
        source_reliability=rng.choice(tuple(SourceReliability)),
        tlp=tlp, recipient_orgs=list(dict.fromkeys(recipient_orgs)),
        recipient_people=recipient_people,
    )


def _columns(report: Report, body: str) -> dict[str, object]:
    """The store's column mapping, without dumping the body twice (checked in ``_check``)."""
    c = report.content
    return {"id": report.id, "version": report.version, "org_id": report.org_id,
            "author_id": report.author_id, "tlp": c.tlp.value, "status": report.status.value,
            "phase": c.phase.value, "outcome": c.outcome.value, "election": c.election,
            "title": c.title, "summary": c.summary, "created_at": report.created_at,
            "updated_at": report.updated_at, "body": body}


def _check_mapping(report: Report) -> None:
    ours = _columns(report, report.model_dump_json())
    theirs = {"id": report.id, **_report_columns(report)}
    if ours != theirs:
        raise SystemExit("bench/_common.py maps reports to columns differently from the store; "
                         f"update _columns: {sorted(set(ours.items()) ^ set(theirs.items()))}")


def grow(world: World, size: int, progress: bool = True) -> float:
    """Bulk-insert synthetic reports until the database holds ``size``; returns seconds."""
    missing = size - world.count()
    if missing <= 0:
        return 0.0
    with world.app.uow() as uow:  # the measurements since the last growth wrote entries too
        world.last_entry = uow.audit_log.last()
    engine = _loader_engine(world.target)
    started = time.perf_counter()
    done = 0
    try:
        while done < missing:
            batch = min(BATCH, missing - done)
            rows = _batch(world, batch, check=done == 0)
            with engine.begin() as conn:
                for table, values in rows.items():
                    if values:
                        conn.execute(table.insert(), values)
            done += batch
            if progress:
                rate = done / (time.perf_counter() - started)
                print(f"\r  {world.target.kind}: +{done:,}/{missing:,} reports "
                      f"({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
        _settle(engine, world.target)
    finally:
        engine.dispose()
    if progress:
        print(file=sys.stderr)
    return time.perf_counter() - started


def _loader_engine(target: Database) -> Engine:
    """A separate engine for loading: a big SQLite cache, asynchronous commit on PostgreSQL.
    The engine that measures keeps the product's own settings."""
    engine = make_engine(target.url)

    @event.listens_for(engine, "connect")
    def _tune(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if target.kind == "sqlite":
            cursor.execute("PRAGMA cache_size=-1048576")
        else:
            cursor.execute("SET synchronous_commit = off")
            dbapi_connection.commit()
        cursor.close()

    return engine


def _settle(engine: Engine, target: Database) -> None:
    """What a running server would do by itself after a big load: autovacuum analyses the
    tables on PostgreSQL; SQLite checkpoints its WAL. SQLite gets no ANALYZE: the product never
    runs one, so the figures show the plans users get."""
    if target.kind == "sqlite":
        raw = engine.raw_connection()  # outside a transaction: the store begins IMMEDIATE
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def _batch(world: World, n: int, check: bool) -> dict[Table, list[dict[str, object]]]:
    rng = world.rng
    reports: list[dict[str, object]] = []
    vectors: list[dict[str, object]] = []
    orgs: list[dict[str, object]] = []
    people: list[dict[str, object]] = []
    versions: list[dict[str, object]] = []
    audit: list[dict[str, object]] = []
    keys: list[dict[str, object]] = []
    for _ in range(n):
        author = rng.choice(world.authors)
        content = rng.choice(world.pool)
        created = NOW - HISTORY + timedelta(seconds=rng.randint(0, int(HISTORY.total_seconds())))
        report = Report(id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), version=1,
                        org_id=author.org_id, author_id=author.id, status=_pick(rng, STATUSES),
                        created_at=created, updated_at=created, content=content)
        if check and not reports:
            _check_mapping(report)
        body = report.model_dump_json()
        reports.append(_columns(report, body))
        vectors += [{"report_id": report.id, "vector": v.value} for v in content.vectors]
        if world.correlate:
            keys += [{"key_hash": k, "report_id": report.id} for k in _keys(world, report)]
        orgs += [{"report_id": report.id, "org_id": o} for o in content.recipient_orgs]
        people += [{"report_id": report.id, "person_id": p} for p in content.recipient_people]
        versions.append({"report_id": report.id, "version": 1, "change": "created",
                         "changed_by": author.email, "changed_at": created, "reason": "",
                         "snapshot": body})
        entry = next_entry(world.last_entry, created, author.email, "report.filed", report.id,
                           {"tlp": content.tlp.value})
        world.last_entry = entry
        audit.append({"seq": entry.seq, "at": entry.at, "actor": entry.actor,
                      "action": entry.action, "subject": entry.subject,
                      "detail": json.dumps(entry.detail, sort_keys=True, default=str),
                      "prev_hash": entry.prev_hash, "hash": entry.hash})
    tables: list[Any] = [ReportRow.__table__, ReportVectorRow.__table__, RecipientOrgRow.__table__,
                         RecipientPersonRow.__table__, ReportVersionRow.__table__,
                         AuditLogRow.__table__, CorrelationKeyRow.__table__]
    return dict(zip(tables, (reports, vectors, orgs, people, versions, audit, keys), strict=True))


def _keys(world: World, report: Report) -> frozenset[str]:
    """The report's hashed correlation keys, as ``services.campaigns.attach_report`` stores them.

    Keys depend on the content alone, and bulk reports reuse a pool of contents, so each pool
    item's keys are computed once."""
    cached = world.pool_keys.get(id(report.content))
    if cached is None:
        from ballotguard.campaigns import correlation_keys, facts_from_report
        from ballotguard.services.campaigns import key_hash

        cached = frozenset(key_hash(k) for k in correlation_keys(facts_from_report(report)))
        world.pool_keys[id(report.content)] = cached
    return cached


# --- timing and output -----------------------------------------------------------------------

def timed(fn: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    """Milliseconds per call, after ``warmup`` calls that fill caches as real use would."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def machine() -> dict[str, str]:
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": str(os.cpu_count())}


def print_table(title: str, columns: list[str], rows: list[list[str]], left: int = 2) -> None:
    """A rich table when rich is installed (it is a dependency of the CLI), else plain text."""
    try:
        from rich.console import Console
        from rich.table import Table as RichTable
    except ImportError:
        print(f"\n{title}")
        widths = [max(len(str(r[i])) for r in [columns, *rows]) for i in range(len(columns))]
        for row in [columns, *rows]:
            print("  ".join(str(v).rjust(w) for v, w in zip(row, widths, strict=True)))
        return
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    table = RichTable(title=title)
    for number, name in enumerate(columns):
        table.add_column(name, justify="left" if number < left else "right")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def write_json(path: Path | None, payload: dict[str, object]) -> None:
    if path is not None:
        path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
