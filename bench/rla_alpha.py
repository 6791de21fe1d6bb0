"""ALPHA card-level comparison: sample-size estimates on 5M ballots (issue 6), timed.

For a two-candidate contest of 5,000,000 cards at several margins, the cards a CLCA must audit
(without replacement) to reach the risk limit when the CVRs err at assumed rates, spread evenly
through the sample. The anchor in the same run is rlacalc's super-simple sample size (Stark
2010, gamma = 1.03905) for the same margin and the same expected error counts.

    .venv/bin/python bench/rla_alpha.py            # 5 repeats
    .venv/bin/python bench/rla_alpha.py --quick    # 2 repeats
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import rlacalc

from ballotguard.audit.alpha import ErrorRates, comparison_sample_size
from ballotguard.audit.assorters import Overstatement, assertions
from ballotguard.audit.contest import Contest

CARDS = 5_000_000
MARGINS = [0.004, 0.01, 0.05]
RATES = [ErrorRates(), ErrorRates(over1=0.001, over2=0.0001), ErrorRates(over1=0.005, over2=0.0005)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--alpha", type=float, default=0.05)
    args = parser.parse_args()
    repeat = 2 if args.quick else 5
    print(f"# ALPHA CLCA sample sizes, {CARDS:,} cards, risk limit {args.alpha}")
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"{'margin':>7} {'o1 rate':>8} {'o2 rate':>8} {'ALPHA n':>9} {'super-simple n':>15} "
          f"{'median ms':>10} {'max ms':>8}")
    worst = 0.0
    for margin in MARGINS:
        w = round(CARDS * (1 + margin) / 2)
        contest = Contest("c", {"w": w, "l": CARDS - w}, CARDS, ("w",))
        a = assertions(contest)[0]
        clca = Overstatement(a, 2 * a.mean_from_tally(contest.tally, CARDS) - 1)
        for rates in RATES:
            times, n = [], None
            for _ in range(repeat):
                start = time.perf_counter()
                n = comparison_sample_size(clca, args.alpha, CARDS, rates)
                times.append(time.perf_counter() - start)
            worst = max(worst, max(times))
            anchor = "-"
            if n is not None:
                o1, o2 = round(n * rates.over1), round(n * rates.over2)
                anchor = f"{rlacalc.nmin(args.alpha, 1.03905, clca.margin, o1, o2, 0, 0):,.0f}"
            shown = f"{n:,}" if n is not None else "none"
            print(f"{margin:7.1%} {rates.over1:8.4f} {rates.over2:8.4f} {shown:>9} {anchor:>15} "
                  f"{statistics.median(times) * 1000:10.1f} {max(times) * 1000:8.1f}")
    print(f"slowest estimate: {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
