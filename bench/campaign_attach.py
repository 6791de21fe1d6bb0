"""Attaching one new report to the campaigns: time per attach at two corpus sizes.

Issue 3 asks that new reports attach incrementally, without recomputing the corpus, and that the
time to attach one stays the same from 10k to 1M reports. Each size gets its own in-memory
``campaigns.Correlator``, grown with ``_campaign_data.stream`` (planted campaigns and
background noise); then new reports from the continuation of each corpus's own stream are
attached one at a time, alternating between the sizes, so that load from elsewhere on the
machine falls on both alike. A new report is a planted-campaign member or noise in the corpus's
own proportions. The figure is the median (and p95) over the attaches; the ratio compares the
largest size with the smallest (goal: about 1, at most 1.5x).

The store-backed attach (the same steps through the database index) is meant to reuse
``grow_correlator``'s corpus: ``_campaign_data.stream(n + attaches, seed)`` yields the corpus and
then the reports to attach, in order.

    .venv/bin/python bench/campaign_attach.py --quick
    .venv/bin/python bench/campaign_attach.py --sizes 10000,1000000 --attaches 200
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _campaign_data import Planted, stream
from _common import machine, p95, print_table, write_json

from ballotguard.campaigns import Correlator

GOAL = 1.5
QUICK_SIZES = (1_000, 20_000)
FULL_SIZES = (10_000, 1_000_000)


def grow_correlator(size: int, attaches: int, seed: int) -> tuple[Correlator, Iterator[Planted]]:
    """A correlator holding ``size`` reports, and the stream's next ``attaches`` reports."""
    items = stream(size + attaches, seed)
    correlator = Correlator()
    started = time.perf_counter()
    for count in range(1, size + 1):
        correlator.add(next(items).facts)
        if count % 50_000 == 0 or count == size:
            rate = count / (time.perf_counter() - started)
            print(f"\r  {size:,}: {count:,} reports ({rate:,.0f}/s)", end="", file=sys.stderr,
                  flush=True)
    print(file=sys.stderr)
    return correlator, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None,
                        help=f"corpus sizes (default {','.join(map(str, FULL_SIZES))})")
    parser.add_argument("--quick", action="store_true",
                        help=f"sizes {' and '.join(map(str, QUICK_SIZES))}")
    parser.add_argument("--attaches", type=int, default=200, help="attaches per size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    sizes = (sorted(int(s.replace("_", "")) for s in args.sizes.split(",")) if args.sizes
             else list(QUICK_SIZES if args.quick else FULL_SIZES))

    grown: dict[int, tuple[Correlator, list[Planted]]] = {}
    for size in sizes:
        correlator, rest = grow_correlator(size, args.attaches, args.seed)
        grown[size] = (correlator, list(rest))
    gc.collect()
    gc.freeze()
    samples: dict[int, list[float]] = {size: [] for size in sizes}
    candidates: dict[int, list[int]] = {size: [] for size in sizes}
    for turn in range(args.attaches):
        for size in sizes:
            correlator, probes = grown[size]
            facts = probes[turn].facts
            started = time.perf_counter()
            result = correlator.add(facts)
            samples[size].append((time.perf_counter() - started) * 1000)
            candidates[size].append(result.candidates)
    rows, results = [], []
    for size in sizes:
        values = samples[size]
        results.append({"size": size, "attaches": len(values),
                        "median_ms": statistics.median(values), "p95_ms": p95(values),
                        "mean_candidates": statistics.fmean(candidates[size]),
                        "capped_keys": len(grown[size][0].capped_keys)})
        rows.append([f"{size:,}", str(len(values)), f"{statistics.median(values):.3f}",
                     f"{p95(values):.3f}", f"{statistics.fmean(candidates[size]):.1f}",
                     f"{len(grown[size][0].capped_keys):,}"])
    print_table("Attach one report (in-memory Correlator)",
                ["reports", "attaches", "median ms", "p95 ms", "candidates", "keys over cap"],
                rows, left=1)
    small, large = results[0], results[-1]
    if small["size"] != large["size"]:
        ratio = large["median_ms"] / small["median_ms"]
        print_table(f"Median time per attach, {large['size']:,} / {small['size']:,} "
                    f"(goal about 1, at most {GOAL}x)", ["ratio", "verdict"],
                    [[f"{ratio:.2f}x", "ok" if ratio <= GOAL else f"MISSES the {GOAL}x goal"]])
    write_json(args.json, {"benchmark": "campaign_attach", "machine": machine(),
                           "seed": args.seed, "results": results})


if __name__ == "__main__":
    main()
