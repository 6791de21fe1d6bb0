"""The consistent sampler over 1M and 5M ballots against the reference, in one run (issue 6).

Both sides get the same list of ballot ids (built from a synthetic manifest, not timed) and the
same 20-digit seed, and draw the first ``--take`` ballots without replacement; the script checks
that both drew the same tickets in the same order, then reports the time of each and the ratio
(goal: ours at least 5x faster). The reference is ``consistent_sampler`` 1.0.10 (Rivest),
installed by the test extra into the project's venv.

Also timed, ours only: hashing straight from the manifest's lazy ids (id strings built while
hashing, as the product does), and drawing for ten contests from one hashing (each a mask over
the jurisdictions), which is what an audit with several contests pays after the first.

    .venv/bin/python bench/rla_sampler.py                  # 1M and 5M ballots
    .venv/bin/python bench/rla_sampler.py --quick          # 50k and 200k ballots
    .venv/bin/python bench/rla_sampler.py --sizes 1000000 --repeat 5 --json sampler.json
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from consistent_sampler import sampler as reference_sampler

from ballotguard.audit.manifest import BallotUniverse, Batch, Manifest
from ballotguard.audit.sampler import hash_ballots

SEED = "27182818284590452353"
GOAL = 5.0
JURISDICTIONS = 20


def universe(size: int) -> BallotUniverse:
    """``size`` ballots in 20 jurisdictions of batches of up to 500, 4 tabulators each."""
    per = size // JURISDICTIONS
    manifests = []
    for j in range(JURISDICTIONS):
        count = per + (size - per * JURISDICTIONS if j == JURISDICTIONS - 1 else 0)
        batches = []
        number = 0
        while count > 0:
            ballots = min(500, count)
            batches.append(
                Batch(
                    f"Box {number // 20}", f"TAB-{number % 4}", f"{number:05d}", ballots, number + 2
                )
            )
            count -= ballots
            number += 1
        manifests.append(Manifest(f"County {j:02d}", tuple(batches)))
    return BallotUniverse(manifests)


def timed(fn: Callable[[], object], repeat: int) -> tuple[object, list[float]]:
    times: list[float] = []
    value: object = None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return value, times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000000,5000000", help="ballots, comma-separated")
    parser.add_argument("--quick", action="store_true", help="sizes 50,000 and 200,000")
    parser.add_argument("--take", type=int, default=1000, help="ballots drawn (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours per size (median)")
    parser.add_argument(
        "--reference-repeat", type=int, default=1, help="runs of the reference per size"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    options = parser.parse_args()
    sizes = [50_000, 200_000] if options.quick else [int(s) for s in options.sizes.split(",")]

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"seed {SEED}, drawing {options.take} ballots without replacement\n")
    rows = []
    for size in sizes:
        frame = universe(size)
        ids = list(frame.ballot_ids())
        ours_draws, ours = timed(
            lambda ids=ids: hash_ballots(SEED, ids).draw(options.take), options.repeat
        )
        _, lazy = timed(
            lambda frame=frame: hash_ballots(SEED, frame.ballot_ids()).draw(options.take),
            options.repeat,
        )
        tickets = hash_ballots(SEED, ids)
        masks = [
            frame.mask([f"County {j:02d}" for j in range(k, JURISDICTIONS, 3)]) for k in range(3)
        ]
        masks = [masks[i % 3] for i in range(10)]
        _, contests = timed(
            lambda tickets=tickets, masks=masks: [
                tickets.draw(options.take, eligible=m) for m in masks
            ],
            options.repeat,
        )
        tickets = None
        reference_draws, reference = timed(
            lambda ids=ids: list(reference_sampler(ids, seed=SEED, take=options.take)),
            options.reference_repeat,
        )
        assert isinstance(ours_draws, list) and isinstance(reference_draws, list)
        same = [d.as_reference_tuple() for d in ours_draws] == reference_draws
        if not same:
            raise SystemExit(f"MISMATCH at {size} ballots: the samples differ")
        row = {
            "ballots": size,
            "ours_s": statistics.median(ours),
            "ours_lazy_ids_s": statistics.median(lazy),
            "ten_contests_from_one_hashing_s": statistics.median(contests),
            "reference_s": statistics.median(reference),
            "identical_sample": same,
        }
        row["ratio"] = row["reference_s"] / row["ours_s"]
        rows.append(row)
        print(
            f"{size:>10,} ballots  ours {row['ours_s']:7.2f} s  (lazy ids {row['ours_lazy_ids_s']:6.2f} s, "
            f"10 contests after {row['ten_contests_from_one_hashing_s'] * 1000:6.1f} ms)  "
            f"reference {row['reference_s']:7.2f} s  ratio {row['ratio']:5.1f}x  "
            f"{'meets' if row['ratio'] >= GOAL else 'MISSES'} the {GOAL:.0f}x goal  sample identical"
        )
        del ids, frame
        gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak:,.0f} MB (the reference's heap of tickets dominates)")
    if options.json:
        options.json.write_text(
            json.dumps(
                {"seed": SEED, "take": options.take, "rows": rows, "peak_rss_mb": peak}, indent=2
            )
            + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
