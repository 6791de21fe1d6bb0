"""Report-list latency: the first page an analyst sees, at two database sizes, on both stores.

The analyst opens the report list many times a day, and at a million reports it must still
answer as fast as at ten thousand (goal: the ratio of the medians, 1M/10k, at most 1.5x). The
reader is the national CERT analyst of the demo: the organisation named as recipient of the most
AMBER reports, so the TLP scope is the heaviest a real reader has. Each figure is the median (and
p95) of ``ballotguard.services.reports.list_reports`` with a fresh unit of work, as a web request
does it, including the audit-log entry it writes for the restricted reports on the page. "store
only" times the repository's ``page`` alone (query and JSON parsing), to show where time goes.

Each size has its own database and the calls alternate between sizes, so that load from elsewhere
on the machine falls on every size alike and the ratio stays honest.

    .venv/bin/python bench/report_list.py --quick
    .venv/bin/python bench/report_list.py --sizes 10000,1000000 --db both --explain
"""

from __future__ import annotations

import sys
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).parent))
from _common import (
    World,
    databases,
    grow,
    machine,
    median,
    open_world,
    p95,
    parse_options,
    print_table,
    timed,
    write_json,
)

from ballotguard.config import Settings
from ballotguard.services.reports import list_reports
from ballotguard.sharing import read_scope
from ballotguard.sharing.search import ReportFilter
from ballotguard.vocabulary import Phase, Vector

PAGE = Settings().page_size
VARIANTS: list[tuple[str, ReportFilter]] = [
    ("unfiltered", ReportFilter()),
    ("phase=voter_registration", ReportFilter(phase=Phase.VOTER_REGISTRATION)),
    ("vector=cyber_intrusion", ReportFilter(vector=Vector.CYBER_INTRUSION)),
    ("phase=voting_provisional (1%)", ReportFilter(phase=Phase.VOTING_PROVISIONAL)),
    ("vector=insider_threat (2%)", ReportFilter(vector=Vector.INSIDER_THREAT)),
]
GOAL = 1.5


def first_page(world: World, where: ReportFilter) -> int:
    """What the user waits for: the service call, audit entry and commit included."""
    with world.app.uow() as uow:
        page = list_reports(uow, world.reader_actor, where, PAGE, None, world.now())
    return len(page.reports)


def store_page(world: World, where: ReportFilter) -> int:
    """The store's part alone (query and JSON parsing, no audit write): where the time goes."""
    with world.app.uow() as uow:
        page = uow.reports.page(read_scope(world.reader_actor.reader), where, PAGE, None)
    return len(page.reports)


def query_plan(world: World, where: ReportFilter) -> str:
    """The plan of the exact statement the store sends for this page (captured, then
    EXPLAINed with the same parameters): EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on
    PostgreSQL."""
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM reports" in statement and "ORDER BY" in statement:
            captured.append((statement, parameters))

    event.listen(world.app.engine, "before_cursor_execute", capture)
    try:
        store_page(world, where)
    finally:
        event.remove(world.app.engine, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    prefix = ("EXPLAIN QUERY PLAN " if world.target.kind == "sqlite"
              else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ")
    with world.app.engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, parameters).all()
    if world.target.kind == "sqlite":
        return "\n".join(f"{row[0]:>3} {row[1]:>3} {row[3]}" for row in rows)
    return "\n".join(str(row[0]) for row in rows)


def measure(worlds: dict[int, World], repeat: int) -> dict[tuple[int, str, str], list[float]]:
    """Round-robin over sizes and variants, one call at a time."""
    samples: dict[tuple[int, str, str], list[float]] = defaultdict(list)
    for world in worlds.values():
        for _, where in VARIANTS:
            timed(partial(first_page, world, where), 0, warmup=3)
    for _ in range(repeat):
        for name, where in VARIANTS:
            for size, world in worlds.items():
                samples[(size, name, "service")] += timed(
                    partial(first_page, world, where), 1, warmup=0)
                samples[(size, name, "store")] += timed(
                    partial(store_page, world, where), 1, warmup=0)
    return samples


def main() -> None:
    options = parse_options(__doc__.splitlines()[0])
    results: list[dict[str, object]] = []
    versions: dict[str, str] = {}
    for kind in options.databases:
        with databases(kind, len(options.sizes)) as targets:
            versions[kind] = targets[0].version
            worlds: dict[int, World] = {}
            try:
                for size, target in zip(options.sizes, targets, strict=True):
                    print(f"{target.version}: demo world, then {size:,} reports",
                          file=sys.stderr)
                    worlds[size] = open_world(target, options.seed)
                    seconds = grow(worlds[size], size)
                    print(f"  grown in {seconds:.0f} s", file=sys.stderr)
                samples = measure(worlds, options.repeat)
                for size, world in worlds.items():
                    for name, where in VARIANTS:
                        plan = query_plan(world, where) if options.explain else ""
                        if plan:
                            print(f"\n--- {kind}, {size:,} reports, {name}:\n{plan}\n",
                                  file=sys.stderr)
                        service = samples[(size, name, "service")]
                        results.append({
                            "db": kind, "size": size, "reports": world.count(),
                            "variant": name, "rows": store_page(world, where),
                            "median_ms": median(service), "p95_ms": p95(service),
                            "store_median_ms": median(samples[(size, name, "store")]),
                            "plan": plan})
            finally:
                for world in worlds.values():
                    world.app.close()
    report(results, options.sizes)
    write_json(options.json_path, {"benchmark": "report_list", "machine": machine(),
                                   "versions": versions, "page": PAGE, "repeat": options.repeat,
                                   "results": results})


def report(results: list[dict[str, Any]], sizes: list[int]) -> None:
    rows = [[str(r["db"]), str(r["variant"]), f"{r['size']:,}", str(r["rows"]),
             f"{r['median_ms']:.2f}", f"{r['p95_ms']:.2f}", f"{r['store_median_ms']:.2f}"]
            for r in results]
    print_table(f"First page ({PAGE} reports) of the list, national CERT analyst",
                ["db", "filter", "reports", "rows", "median ms", "p95 ms", "store only ms"],
                rows)
    small, large = sizes[0], sizes[-1]
    ratios = []
    for db in dict.fromkeys(str(r["db"]) for r in results):
        for name, _ in VARIANTS:
            by_size = {r["size"]: r for r in results if r["db"] == db and r["variant"] == name}
            if small in by_size and large in by_size and small != large:
                ratio = by_size[large]["median_ms"] / by_size[small]["median_ms"]
                store = by_size[large]["store_median_ms"] / by_size[small]["store_median_ms"]
                verdict = "ok" if ratio <= GOAL else "MISSES the 1.5x goal"
                if by_size[small]["rows"] != by_size[large]["rows"]:
                    verdict = f"not comparable: {by_size[small]['rows']} rows at {small:,}"
                ratios.append([db, name, f"{ratio:.2f}x", f"{store:.2f}x", verdict])
    if ratios:
        print_table(f"Median latency ratio {large:,} / {small:,} (goal <= {GOAL}x)",
                    ["db", "filter", "ratio", "store only", "verdict"], ratios)


if __name__ == "__main__":
    main()
