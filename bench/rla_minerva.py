"""MINERVA round sizes at a 0.4% margin on 5M ballots (issue 6): the exact search, timed.

Goal: the exact first-round search takes at most 1 s. The anchor in the same run is the
Gaussian approximation r2b2 offers for narrow margins (``next_sample_size_gaussian``: instant,
but not exact), computed here from its formula, and the bisection point a bisection-only tool
(r2b2, Arlo) would report.

    .venv/bin/python bench/rla_minerva.py            # 5 repeats
    .venv/bin/python bench/rla_minerva.py --quick    # 2 repeats
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time

from scipy.stats import norm

from ballotguard.audit.contest import Contest
from ballotguard.audit.minerva import (
    minerva_first_round_size,
    minerva_next_round_size,
    minerva_pair_risk,
    minerva_round_size,
)

BALLOTS = 5_000_000
WINNER, LOSER = 2_510_000, 2_490_000  # a 0.4% margin of the ballots cast, no undervotes


def timed(fn, repeat):  # type: ignore[no-untyped-def]
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return value, statistics.median(times), max(times)


def gaussian(p: float, alpha: float, q: float) -> int:
    z_a, z_b = norm.isf(q), norm.isf(alpha * q)
    return math.ceil(((z_a * math.sqrt(p * (1 - p)) - 0.5 * z_b) / (p - 0.5)) ** 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--alpha", type=float, default=0.1)
    parser.add_argument("--q", type=float, default=0.9)
    args = parser.parse_args()
    repeat = 2 if args.quick else 5
    p = WINNER / (WINNER + LOSER)
    contest = Contest("statewide", {"w": WINNER, "l": LOSER}, BALLOTS, ("w",))
    print(f"# MINERVA, {BALLOTS:,} ballots, margin {(WINNER - LOSER) / BALLOTS:.1%}, "
          f"risk limit {args.alpha}, stopping probability {args.q}")
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    rows = []
    stays, t, worst = timed(lambda: minerva_first_round_size(p, args.alpha, args.q), repeat)
    rows.append(("first round, every larger size reaches q (default)", stays, t, worst))
    small, t, worst = timed(
        lambda: minerva_first_round_size(p, args.alpha, args.q, smallest=True), repeat)
    rows.append(("first round, smallest size reaching q", small, t, worst))
    drawn, t, worst = timed(lambda: minerva_round_size(contest, args.alpha, args.q), repeat)
    rows.append(("first round for the contest (ballots to draw)", drawn, t, worst))
    k1 = round(stays * p) - 600  # a first round that falls short of its kmin
    risk, t, worst = timed(lambda: minerva_pair_risk(p, args.alpha, [stays], [k1]).risk, repeat)
    rows.append((f"risk after round 1 with {k1:,} winner ballots", f"{risk:.4f}", t, worst))
    nxt, t, worst = timed(
        lambda: minerva_next_round_size(p, args.alpha, [stays], [k1], args.q), repeat)
    rows.append(("next round (cumulative), bisection", nxt, t, worst))
    print(f"{'what':58} {'value':>10} {'median s':>9} {'max s':>8}")
    for what, value, med, top in rows:
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        print(f"{what:58} {shown:>10} {med:9.3f} {top:8.3f}")
    print(f"anchor: Gaussian approximation (r2b2's formula) {gaussian(p, args.alpha, args.q):,}")
    ok = rows[0][2] <= 1.0
    print(f"goal: exact first-round search <= 1 s: {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
