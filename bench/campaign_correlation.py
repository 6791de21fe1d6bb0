"""Campaign correlation: recover planted campaigns from synthetic reports, against MISP-style
exact-value correlation in DuckDB, in the same run.

Ours is ``campaigns.Correlator``: every report is attached incrementally (keys, candidates
through the index, ``link_between``, union-find), as the store does it. The corpus comes from
``_campaign_data.stream`` (planted campaigns of 3 to 30 reports with known membership, 85 %
background noise made to trip naive correlation).

The anchor is MISP's default correlation: two events correlate when an attribute value is equal
(no canonicalisation beyond what our sharing layer already stores). It runs in DuckDB on the
table ``(report, value)`` of every observable: reports sharing a value are joined (the self-join
on values, computed as label propagation over the report-value graph so that a value cited by
10,000 reports does not make 50 million pairs), and campaigns are the connected components.
It runs twice: with no limit, and with MISP's over-correlation limit set to our ``KEY_CAP`` (a
value carried by more reports is not correlated), so the comparison isolates what ours adds.

Figures: wall time (generation is timed apart and not counted), peak memory as the process's
maximum resident set size (``resource.getrusage``, so it includes the generated corpus, which
the correlator keeps), and pairwise precision and recall of the recovered campaigns against the
planted ones: a pair of reports is predicted when both are in one recovered campaign, true when
both are in one planted campaign. Goal: precision and recall >= 0.95 for ours.

    .venv/bin/python bench/campaign_correlation.py --quick
    .venv/bin/python bench/campaign_correlation.py --reports 1000000 --json correlation.json
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import duckdb
from _campaign_data import NOISE, campaign_sizes, report_index, stream
from _common import machine, print_table

from ballotguard.campaigns import KEY_CAP, Correlator, LinkKind

GOAL = 0.95
QUICK_REPORTS = 20_000
FULL_REPORTS = 1_000_000


def rss_mib() -> float:
    """Current resident set size."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pairwise(groups: Iterable[Iterable[int]], truth: list[int]) -> tuple[float, float, int, int]:
    """Pairwise precision and recall of ``groups`` (report indices) against ``truth``."""
    true_pairs = sum(comb(size, 2) for size in campaign_sizes(truth).values())
    predicted = found = 0
    for group in groups:
        members = list(group)
        predicted += comb(len(members), 2)
        labels = Counter(truth[i] for i in members)
        found += sum(comb(count, 2) for label, count in labels.items() if label != NOISE)
    precision = found / predicted if predicted else 1.0
    recall = found / true_pairs if true_pairs else 1.0
    return precision, recall, predicted, true_pairs


def run_ours(facts: list, truth: list[int]) -> dict[str, object]:
    correlator = Correlator()
    before = rss_mib()
    started = time.perf_counter()
    candidates = 0
    for count, item in enumerate(facts, 1):
        candidates += correlator.add(item).candidates
        if count % 50_000 == 0:
            rate = count / (time.perf_counter() - started)
            print(f"\r  ours: {count:,}/{len(facts):,} ({rate:,.0f}/s)", end="", file=sys.stderr,
                  flush=True)
    seconds = time.perf_counter() - started
    print(file=sys.stderr)
    groups = [[report_index(r) for r in group] for group in correlator.campaigns()]
    precision, recall, predicted, true_pairs = pairwise(groups, truth)
    false_links: Counter[str] = Counter()
    all_links: Counter[str] = Counter()
    for link in correlator.links:
        a, b = truth[report_index(link.a)], truth[report_index(link.b)]
        for kind in link.kinds:
            all_links[kind.value] += 1
            if a == NOISE or a != b:
                false_links[kind.value] += 1
    return {"engine": "ours (Correlator)", "seconds": seconds, "precision": precision,
            "recall": recall, "campaigns": len(groups), "largest": max(map(len, groups), default=0),
            "predicted_pairs": predicted, "true_pairs": true_pairs,
            "links": len(correlator.links), "candidates": candidates,
            "capped_keys": len(correlator.capped_keys),
            "links_by_kind": {k.value: all_links[k.value] for k in LinkKind},
            "false_links_by_kind": {k.value: false_links[k.value] for k in LinkKind},
            "rss_growth_mib": rss_mib() - before, "peak_mib": peak_mib()}


def run_misp(rows_path: Path, truth: list[int], limit: int | None) -> dict[str, object]:
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"CREATE TABLE obs AS SELECT * FROM read_csv('{rows_path}', header = false, "
                "columns = {'r': 'INTEGER', 'v': 'VARCHAR'}, quote = '', escape = '', "
                "delim = '\t')")
    loaded = time.perf_counter() - started
    upper = f"AND count(*) <= {limit}" if limit else ""
    con.execute(f"""
        CREATE TABLE edges AS
        WITH shared AS (SELECT v FROM obs GROUP BY v HAVING count(*) >= 2 {upper})
        SELECT DISTINCT r, dense_rank() OVER (ORDER BY v) AS v FROM obs JOIN shared USING (v)
    """)
    pairs = con.execute("SELECT coalesce(sum(c * (c - 1) / 2), 0) FROM "
                        "(SELECT count(*) AS c FROM edges GROUP BY v)").fetchone()
    con.execute("CREATE TABLE labels AS SELECT DISTINCT r, r AS l FROM edges")
    rounds = 0
    while True:
        rounds += 1
        con.execute("""
            CREATE OR REPLACE TABLE value_labels AS
            SELECT e.v, min(l.l) AS l FROM edges e JOIN labels l USING (r) GROUP BY e.v
        """)
        con.execute("""
            CREATE OR REPLACE TABLE next_labels AS
            SELECT e.r, min(vl.l) AS l FROM edges e JOIN value_labels vl USING (v) GROUP BY e.r
        """)
        changed = con.execute("SELECT count(*) FROM labels JOIN next_labels USING (r) "
                              "WHERE labels.l <> next_labels.l").fetchone()
        con.execute("DROP TABLE labels")
        con.execute("ALTER TABLE next_labels RENAME TO labels")
        if not changed or changed[0] == 0:
            break
    rows = con.execute("SELECT l, list(r) FROM labels GROUP BY l HAVING count(*) >= 2").fetchall()
    seconds = time.perf_counter() - started
    con.close()
    groups = [members for _label, members in rows]
    precision, recall, predicted, true_pairs = pairwise(groups, truth)
    name = "MISP-style exact, no limit" if not limit else f"MISP-style exact, limit {limit}"
    return {"engine": name, "seconds": seconds, "load_seconds": loaded, "rounds": rounds,
            "precision": precision, "recall": recall, "campaigns": len(groups),
            "largest": max(map(len, groups), default=0), "predicted_pairs": predicted,
            "true_pairs": true_pairs, "correlated_pairs": int(pairs[0]) if pairs else 0,
            "peak_mib": peak_mib()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_REPORTS:,} reports instead of {FULL_REPORTS:,}")
    parser.add_argument("--reports", type=int, default=None, help="corpus size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = parser.parse_args()
    n = args.reports or (QUICK_REPORTS if args.quick else FULL_REPORTS)

    print(f"generating {n:,} reports (seed {args.seed})", file=sys.stderr)
    started = time.perf_counter()
    facts, truth = [], []
    with tempfile.TemporaryDirectory(prefix="ballotguard-campaigns-") as directory:
        rows_path = Path(directory) / "observables.tsv"
        with rows_path.open("w", encoding="utf-8") as rows:
            for item in stream(n, args.seed):
                facts.append(item.facts)
                truth.append(item.campaign)
                index = report_index(item.facts.id)
                rows.writelines(f"{index}\t{value}\n" for _kind, value in item.observables)
        generated = time.perf_counter() - started
        corpus_mib = rss_mib()
        print(f"  generated in {generated:.0f} s; RSS {corpus_mib:,.0f} MiB", file=sys.stderr)
        gc.freeze()  # the corpus lives to the end: keep the collector off it
        results = [run_ours(facts, truth)]
        del facts
        for limit in (None, KEY_CAP):
            print(f"  anchor: DuckDB, limit {limit}", file=sys.stderr)
            results.append(run_misp(rows_path, truth, limit))
    report(results, n, generated, corpus_mib)
    if args.json:
        args.json.write_text(json.dumps({
            "benchmark": "campaign_correlation", "reports": n, "seed": args.seed,
            "generation_seconds": generated, "corpus_rss_mib": corpus_mib,
            "machine": machine(), "duckdb": duckdb.__version__, "results": results,
        }, indent=2) + "\n", encoding="utf-8")


def report(results: list[dict], n: int, generated: float, corpus_mib: float) -> None:
    print(f"\n{n:,} reports, {results[0]['true_pairs']:,} planted pairs; generated in "
          f"{generated:.0f} s (not counted); corpus in memory {corpus_mib:,.0f} MiB RSS")
    rows = [[r["engine"], f"{r['seconds']:.1f}", f"{r['precision']:.4f}", f"{r['recall']:.4f}",
             f"{r['campaigns']:,}", f"{r['largest']:,}", f"{r['peak_mib']:,.0f}"]
            for r in results]
    print_table("Campaign correlation", ["engine", "seconds", "precision", "recall",
                                         "campaigns", "largest", "peak RSS MiB"], rows, left=1)
    ours = results[0]
    print(f"ours: {ours['links']:,} links from {ours['candidates']:,} candidates; "
          f"{ours['capped_keys']:,} keys over the cap ({KEY_CAP}); "
          f"RSS growth while correlating {ours['rss_growth_mib']:,.0f} MiB")
    print("links by reason (all / between different campaigns or noise): " + ", ".join(
        f"{kind} {ours['links_by_kind'][kind]:,}/{ours['false_links_by_kind'][kind]:,}"
        for kind in ours["links_by_kind"]))
    ratios = []
    for anchor in results[1:]:
        ratios.append([anchor["engine"], f"{ours['seconds'] / anchor['seconds']:.2f}x",
                       f"{ours['precision'] - anchor['precision']:+.4f}",
                       f"{ours['recall'] - anchor['recall']:+.4f}"])
    print_table("Ours against the anchor (time ratio ours/anchor; precision and recall "
                "difference)", ["anchor", "time", "precision", "recall"], ratios, left=1)
    verdict = ("ok" if ours["precision"] >= GOAL and ours["recall"] >= GOAL
               else f"MISSES the {GOAL} goal")
    print(f"goal precision and recall >= {GOAL}: {verdict}")


if __name__ == "__main__":
    main()
