"""Attaching a new report to its campaign, in the real store, at 10k and at 1M reports.

When a report is filed, ``services.campaigns.attach_report`` looks its correlation keys up in the
index, checks the candidates that share a key, links it and regroups only the campaigns it
touches, in the filing transaction. Its cost must depend on the report's candidates, not on the
corpus (issue 3: "New reports attach incrementally, without recomputing the corpus"; goal: the
ratio of the medians, 1M/10k, at most 1.5x).

Each database is the Veldra demo grown in bulk to the wanted size with the correlation index
filled for every bulk report (``World.correlate``). Each measurement files, through the services,
a report that shares a fresh URL with five reports filed just before it (so every size sees the
same five candidates and one campaign of six), and times:

- *file + attach*: ``services.reports.file_report`` (what the analyst waits for), and
- *attach alone*: ``services.campaigns.attach_report`` on the same report again (the correction
  path), in its own unit of work, rolled back.

The anchor, measured in the same run at the smallest size only, is what a batch correlator does
instead: ``services.campaigns.recompute`` over every report of the corpus. Its time grows with the
corpus; the ratio "recompute / attach" is what incremental attachment saves.

    .venv/bin/python bench/campaign_attach_store.py --quick
    .venv/bin/python bench/campaign_attach_store.py --sizes 10000,1000000 --db sqlite
"""

from __future__ import annotations

import sys
import time
import uuid
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
    write_json,
)

from ballotguard.services import campaigns, reports
from ballotguard.sharing import Observable, ObservableKind, ReportContent
from ballotguard.vocabulary import Outcome, Phase, Tlp, Vector

GOAL = 1.5
PLANTED = 5


def _content(world: World, url: str, words: str, n: int) -> ReportContent:
    return ReportContent(
        title=f"Fabricated story {words.split()[0]}, sighting {n}",
        summary=f"A video claims {words}; the same link is pushed by new accounts.",
        observed_at=world.now(),
        election="Republic of Veldra general election 2026 (fictional)",
        phase=Phase.COUNTING,
        vectors=[Vector.DISINFORMATION],
        outcome=Outcome.SUCCESSFUL,
        observables=[Observable(kind=ObservableKind.URL, value=url)],
        tlp=Tlp.GREEN,
    )


def one_attach(world: World) -> tuple[float, float, int]:
    """Plant five reports sharing a fresh URL, then time the sixth's filing and re-attachment."""
    token = uuid.uuid4().hex
    url = f"https://story-{token[:10]}.example/watch/{token[10:20]}"
    words = " ".join(f"w{token[i:i + 5]}" for i in range(0, 30, 5))  # words no other group has
    actor = world.reader_actor
    for n in range(PLANTED):
        with world.app.uow() as uow:
            reports.file_report(uow, actor, _content(world, url, words, n), world.now())
    content = _content(world, url, words, PLANTED)
    with world.app.uow() as uow:
        started = time.perf_counter()
        report = reports.file_report(uow, actor, content, world.now())
        filed = time.perf_counter() - started
    with world.app.uow() as uow:
        started = time.perf_counter()
        campaign_id = campaigns.attach_report(uow, report, world.now())
        attached = time.perf_counter() - started
        size = len(uow.correlation.campaign(campaign_id).members) if campaign_id else 0
        uow.rollback()
    return filed * 1000, attached * 1000, size


def recompute_all(world: World) -> float:
    with world.app.uow() as uow:
        started = time.perf_counter()
        campaigns.recompute(uow, world.now())
        seconds = time.perf_counter() - started
        uow.rollback()
    return seconds * 1000


def _options(parser: Any) -> None:
    parser.add_argument("--no-anchor", action="store_true",
                        help="skip the full recompute (minutes on the bulk world: its 4,000 "
                             "reused contents push keys over the cap all the time)")


def main() -> None:
    options = parse_options(__doc__.splitlines()[0], _options)
    results: list[dict[str, Any]] = []
    anchors: dict[str, float] = {}
    for kind in options.databases:
        with databases(kind, len(options.sizes)) as targets:
            worlds: dict[int, World] = {}
            try:
                for size, target in zip(options.sizes, targets, strict=True):
                    print(f"{target.version}: demo world, then {size:,} reports with the "
                          "correlation index", file=sys.stderr)
                    world = open_world(target, options.seed)
                    world.correlate = True
                    seconds = grow(world, size)
                    print(f"  grown in {seconds:.0f} s", file=sys.stderr)
                    worlds[size] = world
                samples: dict[int, list[tuple[float, float, int]]] = {s: [] for s in worlds}
                for _ in range(options.repeat):  # alternate sizes, call by call
                    for size, world in worlds.items():
                        samples[size].append(one_attach(world))
                for size, world in worlds.items():
                    filed = [s[0] for s in samples[size]]
                    attached = [s[1] for s in samples[size]]
                    results.append({
                        "db": kind, "size": size, "reports": world.count(),
                        "file_median_ms": median(filed), "file_p95_ms": p95(filed),
                        "attach_median_ms": median(attached), "attach_p95_ms": p95(attached),
                        "campaign_size": samples[size][-1][2],
                    })
                report(results, options.sizes, anchors)
                if not options.extra.no_anchor:
                    smallest = min(worlds)
                    print(f"  anchor: recompute over {worlds[smallest].count():,} reports",
                          file=sys.stderr)
                    anchors[kind] = recompute_all(worlds[smallest])
            finally:
                for world in worlds.values():
                    world.app.close()
    report(results, options.sizes, anchors)
    write_json(options.json_path, {"benchmark": "campaign_attach_store", "machine": machine(),
                                   "repeat": options.repeat, "results": results,
                                   "recompute_anchor_ms": anchors})


def report(results: list[dict[str, Any]], sizes: list[int], anchors: dict[str, float]) -> None:
    print_table(
        "Attaching one report (shares a URL with 5 others) to its campaign",
        ["db", "reports", "file+attach median ms", "p95", "attach alone median ms", "p95",
         "campaign"],
        [[r["db"], f"{r['reports']:,}", f"{r['file_median_ms']:.2f}", f"{r['file_p95_ms']:.2f}",
          f"{r['attach_median_ms']:.2f}", f"{r['attach_p95_ms']:.2f}", str(r["campaign_size"])]
         for r in results],
    )
    small, large = sizes[0], sizes[-1]
    rows = []
    for db in dict.fromkeys(r["db"] for r in results):
        by_size = {r["size"]: r for r in results if r["db"] == db}
        if small in by_size and large in by_size and small != large:
            ratio = by_size[large]["attach_median_ms"] / by_size[small]["attach_median_ms"]
            filing = by_size[large]["file_median_ms"] / by_size[small]["file_median_ms"]
            verdict = "ok" if ratio <= GOAL else f"MISSES the {GOAL}x goal"
            anchor = anchors.get(db)
            saved = f"{anchor / by_size[small]['attach_median_ms']:,.0f}x" if anchor else "-"
            rows.append([db, f"{ratio:.2f}x", f"{filing:.2f}x", verdict,
                         f"{anchor or 0:,.0f} ms", saved])
    if rows:
        print_table(
            f"Ratio {large:,} / {small:,} (goal <= {GOAL}x); anchor: full recompute at {small:,}",
            ["db", "attach", "file+attach", "verdict", "recompute all", "recompute / attach"],
            rows,
        )


if __name__ == "__main__":
    main()
