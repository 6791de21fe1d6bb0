"""Report intake: reports filed per second through the services, at two database sizes.

On polling day reports arrive in bursts, and filing must not slow down as the history grows.
Each filing is ``ballotguard.services.reports.file_report`` with a fresh unit of work, as one web
request does it: permission check, recipients and agreements looked up, the report, its version,
its vectors and recipients and one audit-log entry written, one commit. One writer at a time (the
rate of a single client; SQLite serialises writers anyway). Each size has its own database and
the filings alternate between sizes, so that load from elsewhere on the machine falls on every
size alike. The ratio compares the time per filing at the largest size with the smallest (goal:
flat, at most 1.5x).

    .venv/bin/python bench/report_intake.py --quick
    .venv/bin/python bench/report_intake.py --sizes 10000,1000000 --db both --filings 1000
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

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

from ballotguard.services.actors import person_actor
from ballotguard.services.reports import file_report

GOAL = 1.5


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--filings", type=int, default=None,
                        help="reports filed per size (default 200 quick, 1000 full)")


def one_filing(world: World) -> Callable[[], None]:
    """One filing per call: authors and contents drawn in turn from a seeded pool."""
    rng = world.rng
    pairs = itertools.cycle([(rng.choice(world.authors), rng.choice(world.pool))
                             for _ in range(500)])

    def file_one() -> None:
        author, content = next(pairs)
        with world.app.uow() as uow:
            file_report(uow, person_actor(author), content, world.now())

    return file_one


def main() -> None:
    options = parse_options(__doc__.splitlines()[0], _options)
    filings = options.extra.filings or (200 if options.extra.quick else 1000)
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
                filers = {size: one_filing(world) for size, world in worlds.items()}
                for file_one in filers.values():
                    timed(file_one, 0, warmup=20)
                samples: dict[int, list[float]] = {size: [] for size in worlds}
                for _ in range(filings):
                    for size, file_one in filers.items():
                        samples[size] += timed(file_one, 1, warmup=0)
                for size, values in samples.items():
                    results.append({"db": kind, "size": size, "filings": filings,
                                    "per_second": 1000 * len(values) / sum(values),
                                    "median_ms": median(values), "p95_ms": p95(values)})
            finally:
                for world in worlds.values():
                    world.app.close()
    report(results, options.sizes)
    write_json(options.json_path, {"benchmark": "report_intake", "machine": machine(),
                                   "versions": versions, "results": results})


def report(results: list[dict[str, Any]], sizes: list[int]) -> None:
    rows = [[str(r["db"]), f"{r['size']:,}", str(r["filings"]), f"{r['per_second']:.0f}",
             f"{r['median_ms']:.2f}", f"{r['p95_ms']:.2f}"] for r in results]
    print_table("Reports filed through the services (one writer)",
                ["db", "reports", "filings", "per second", "median ms", "p95 ms"], rows, left=1)
    small, large = sizes[0], sizes[-1]
    ratios = []
    for db in dict.fromkeys(str(r["db"]) for r in results):
        by_size = {r["size"]: r for r in results if r["db"] == db}
        if small in by_size and large in by_size and small != large:
            ratio = by_size[small]["per_second"] / by_size[large]["per_second"]
            ratios.append([db, f"{ratio:.2f}x",
                           "ok" if ratio <= GOAL else "MISSES the 1.5x goal"])
    if ratios:
        print_table(f"Time per filing, {large:,} / {small:,} (goal <= {GOAL}x)",
                    ["db", "ratio", "verdict"], ratios, left=1)


if __name__ == "__main__":
    main()
