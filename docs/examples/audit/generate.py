"""Writes the example files of docs/audit.md ("Running an audit"): two jurisdictions' ballot
manifests, their cast vote records, and ``*-ballots.csv``, what the paper ballots really say (here
identical to the CVRs; an audit board reads the paper, these stand in for it).

Run ``python docs/examples/audit/generate.py`` to write them again; the output is deterministic.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).parent

# jurisdiction -> (batches: (container, tabulator, batch, ballots), votes per contest)
JURISDICTIONS = {
    "Northfield": (
        [("Box 1", "TAB-1", "Batch 1", 250), ("Box 1", "TAB-1", "Batch 2", 250),
         ("Box 2", "TAB-2", "Batch 1", 250), ("Box 2", "TAB-2", "Batch 2", 250)],
        {"Mayor": {"Alvarez": 560, "Brooks": 360, "": 80},
         "Measure A": {"Yes": 600, "No": 350, "": 50}},
    ),
    "Southport": (
        [("Cage A", "SP-1", "Early 1", 300), ("Cage A", "SP-1", "Early 2", 300),
         ("Cage B", "SP-2", "Election Day", 200)],
        {"Mayor": {"Alvarez": 440, "Brooks": 290, "": 70}},
    ),
}


def ballots(jurisdiction: str) -> list[tuple[str, str, str, int, dict[str, str]]]:
    """Every card: (container, tabulator, batch, position, contest -> choice or '')."""
    batches, contests = JURISDICTIONS[jurisdiction]
    total = sum(b[3] for b in batches)
    rng = random.Random(f"ballotguard-example-{jurisdiction}")
    columns: dict[str, list[str]] = {}
    for contest, votes in contests.items():
        column = [choice for choice, n in votes.items() for _ in range(n)]
        assert len(column) == total, (jurisdiction, contest)
        rng.shuffle(column)
        columns[contest] = column
    out = []
    i = 0
    for container, tabulator, batch, count in batches:
        for position in range(1, count + 1):
            out.append((container, tabulator, batch, position,
                        {c: columns[c][i] for c in contests}))
            i += 1
    return out


def main() -> None:
    for jurisdiction, (batches, contests) in JURISDICTIONS.items():
        slug = jurisdiction.lower()
        with (HERE / f"{slug}-manifest.csv").open("w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["Container", "Tabulator", "Batch Name", "Number of Ballots"])
            w.writerows(batches)
        for name in ("cvrs", "ballots"):
            with (HERE / f"{slug}-{name}.csv").open("w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["Tabulator", "Batch Name", "Position", *contests])
                for _, tabulator, batch, position, marks in ballots(jurisdiction):
                    w.writerow([tabulator, batch, position, *(marks[c] for c in contests)])


if __name__ == "__main__":
    main()
