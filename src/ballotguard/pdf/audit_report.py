"""The final report of a risk-limiting audit as a PDF, drawn from the audit's JSON record and
nothing else; and the printable retrieval list of one jurisdiction for one round.

The report says what anyone needs to check the audit independently: the seed, the manifests
(their SHA-256), the method and risk limit, every round's sample (its size and the SHA-256 of
the sample list; the list itself is the appendix), the discrepancies the audit boards found, the
risk of each contest after each round (a table and a plot), and the conclusion. The SHA-256 of
the JSON record in canonical form (sorted keys, no spaces, UTF-8; without ``exported_at`` and
``exported_by``) is printed so the PDF and the JSON can be matched.

The record (built by the web layer from ``services.audits``) is a dict::

    audit:         id, name, method, risk_limit, seed, status, created_at, created_by (name),
                   conclusion (a sentence); optional: election, method_reference (a citation),
                   report_id (the hub report a full hand count filed)
    contests:      [{name, winners: [..], tally: {candidate: votes}, ballots, status, risk}]
                   status: "confirmed" | "full_hand_count" | "in_progress"; risk: last measured
    jurisdictions: [{name, ballots, phantoms, manifest_sha256, cvr_sha256 (or null)}]
    rounds:        [{number, size, drawn_at, risks: {contest: risk or null}, decision,
                     next_size (or null)}]
                   decision: "stop" | "next_round" | "full_hand_count" | "pending"
    sample:        [{round, ticket, ballot_id, jurisdiction, container, tabulator, batch,
                     position, phantom}]  one per draw, in draw order (with replacement a ballot
                   drawn twice is listed twice); for a batch comparison ballot_id is the batch
    discrepancies: [{round, unit, jurisdiction, kind, detail}]  kind: phantom, not_found,
                   cvr_mismatch, batch_mismatch, disagreement (services.audits.Discrepancy)
    exported_at, exported_by
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fpdf.enums import XPos, YPos

from ballotguard.pdf.document import Document, latin1
from ballotguard.pdf.risk_plot import format_risk, risk_plot, risk_plot_svg

METHOD_NAMES = {
    "bravo": "Ballot polling, BRAVO (Lindeman, Stark and Yates 2012)",
    "minerva": "Ballot polling, MINERVA (Zagorski et al. 2021)",
    "alpha-polling": "Ballot polling, ALPHA (Stark 2023) on SHANGRLA assorters",
    "clca": "Card-level comparison, ALPHA / Kaplan-Markov (Stark 2023; Stark 2009)",
    "macro": "Batch comparison, MACRO (Stark 2008)",
}
STATUS_WORDS = {
    "confirmed": "Outcome confirmed",
    "full_hand_count": "Full hand count required",
    "in_progress": "Audit in progress",
}
DECISION_WORDS = {
    "stop": "Stop: every contest confirmed",
    "next_round": "Next round",
    "full_hand_count": "Full hand count",
    "pending": "Votes still being entered",
}
APPENDIX_HEADINGS = ("Round", "Ticket", "Jurisdiction", "Container", "Tabulator", "Batch",
                     "Position")
APPENDIX_WIDTHS = (5, 22, 18, 16, 14, 18, 8)
"""Characters per column of the appendix (Courier 7 pt: 105 fit on an A4 line)."""


def canonical(record: Mapping[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode("utf-8")


EXPORT_FIELDS = ("exported_at", "exported_by")


def record_digest(record: Mapping[str, Any]) -> str:
    """SHA-256 of the record in canonical JSON, leaving out when and by whom it was exported
    (so a JSON downloaded later matches the PDF while the audit has not changed)."""
    content = {k: v for k, v in record.items() if k not in EXPORT_FIELDS}
    return hashlib.sha256(canonical(content)).hexdigest()


def sample_lines(sample: Iterable[Mapping[str, Any]]) -> str:
    """The sample as the text whose SHA-256 the report prints: a header, then one line
    ``round,ticket,ballot_id`` per draw, in draw order, each ending in a newline."""
    lines = ["round,ticket,ballot_id\n"]
    lines += [f"{s['round']},{s['ticket']},{s['ballot_id']}\n" for s in sample]
    return "".join(lines)


def sample_digest(sample: Iterable[Mapping[str, Any]]) -> str:
    return hashlib.sha256(sample_lines(sample).encode("utf-8")).hexdigest()


def risk_series(record: Mapping[str, Any]) -> dict[str, list[float | None]]:
    """Contest name -> risk after each round, as the plot takes it."""
    return {
        c["name"]: [r["risks"].get(c["name"]) for r in record["rounds"]]
        for c in record["contests"]
    }


def audit_report_pdf(record: Mapping[str, Any], compress: bool = True) -> bytes:
    audit = record["audit"]
    doc = Document(f"Ballotguard - risk-limiting audit report - {audit['name']}", "", compress)
    doc.heading(f"Risk-limiting audit: {audit['name']}")
    if audit.get("election"):
        doc.field("Election", audit["election"])
    doc.field("Audit", audit["id"])
    doc.field("Method", METHOD_NAMES.get(audit["method"], audit["method"]))
    if audit.get("method_reference"):
        doc.field("Reference", audit["method_reference"])
    doc.field("Risk limit", format_risk(audit["risk_limit"]))
    doc.field("Seed", audit["seed"])
    doc.field("Created", f"{audit['created_at']} by {audit['created_by']}")
    doc.field("Status", STATUS_WORDS.get(audit["status"], audit["status"]))
    doc.field("Exported", f"{record['exported_at']} by {record['exported_by']}")
    doc.field("JSON record SHA-256", record_digest(record))

    doc.heading("Conclusion", 2)
    doc.paragraph(audit["conclusion"])
    if audit.get("report_id"):
        doc.field("Hub report", audit["report_id"])
    _contests(doc, record)
    _jurisdictions(doc, record)
    _rounds(doc, record)
    _discrepancies(doc, record)
    _how_to_check(doc, record)
    _appendix(doc, record)
    return bytes(doc.output())


def _contests(doc: Document, record: Mapping[str, Any]) -> None:
    doc.heading("Contests", 2)
    rows = []
    for c in record["contests"]:
        tally = ", ".join(f"{name} {votes:,}" for name, votes in c["tally"].items())
        risk = "-" if c["risk"] is None else format_risk(c["risk"])
        rows.append([c["name"], ", ".join(c["winners"]), tally, f"{c['ballots']:,}", risk,
                     STATUS_WORDS.get(c["status"], c["status"])])
    doc.simple_table(["Contest", "Reported winner(s)", "Reported tally", "Ballots", "Risk",
                      "Result"], rows)


def _jurisdictions(doc: Document, record: Mapping[str, Any]) -> None:
    doc.heading("Jurisdictions and manifests", 2)
    doc.simple_table(["Jurisdiction", "Ballots in the manifest", "Phantoms added"], [
        [j["name"], f"{j['ballots']:,}", str(j["phantoms"])] for j in record["jurisdictions"]
    ])
    for j in record["jurisdictions"]:
        doc.paragraph(f"{j['name']}: manifest SHA-256 {j['manifest_sha256'] or '-'}"
                      + (f"; CVR SHA-256 {j['cvr_sha256']}" if j.get("cvr_sha256") else ""), 9)


def _rounds(doc: Document, record: Mapping[str, Any]) -> None:
    doc.heading("Rounds", 2)
    rounds: Sequence[Mapping[str, Any]] = record["rounds"]
    if not rounds:
        doc.paragraph("No round has been drawn.")
        return
    names = [c["name"] for c in record["contests"]]
    sampled = _by_round(record["sample"])
    rows = []
    for r in rounds:
        risks = [format_risk(r["risks"][n]) if r["risks"].get(n) is not None else "-"
                 for n in names]
        decision = DECISION_WORDS.get(r["decision"], r["decision"])
        if r.get("next_size"):
            decision += f" of {r['next_size']:,} ballots"
        rows.append([str(r["number"]), f"{r['size']:,}", str(r["drawn_at"])[:16].replace("T", " "),
                     *risks, decision])
    doc.simple_table(["Round", "Sample", "Drawn (UTC)", *names, "Decision"], rows)
    for r in rounds:
        doc.paragraph(f"Round {r['number']}: sample SHA-256 "
                      f"{sample_digest(sampled.get(r['number'], []))}", 9)
    doc.paragraph(f"The risk of each contest after each round; the dashed line is the risk limit "
                  f"({format_risk(record['audit']['risk_limit'])}).", size=9)
    plot = risk_plot(risk_series(record), record["audit"]["risk_limit"])
    svg = risk_plot_svg(plot, title=False, text=latin1).encode("utf-8")
    width = doc.epw
    doc.image(io.BytesIO(svg), w=width)
    doc.ln(2)


def _by_round(sample: Iterable[Mapping[str, Any]]) -> dict[int, list[Mapping[str, Any]]]:
    found: dict[int, list[Mapping[str, Any]]] = {}
    for s in sample:
        found.setdefault(s["round"], []).append(s)
    return found


KIND_WORDS = {
    "phantom": "Phantom (not in the manifest): counted as the worst case",
    "not_found": "Not found by the audit board: counted as the worst case",
    "cvr_mismatch": "The CVR differs from the paper",
    "batch_mismatch": "The batch's reported tally differs from the hand count",
    "disagreement": "The audit board's readings disagree (not yet reconciled)",
}


def _discrepancies(doc: Document, record: Mapping[str, Any]) -> None:
    doc.heading("Discrepancies", 2)
    found = record["discrepancies"]
    if not found:
        doc.paragraph("The audit boards found no discrepancy, and no phantom was drawn.")
        return
    doc.paragraph(f"{len(found)} drawn ballot{'' if len(found) == 1 else 's'} (or batches) where "
                  "the audit differs from the record; every one counts against the reported "
                  "outcome in the risk above.")
    rows = [[str(d["round"]), d["unit"], KIND_WORDS.get(d["kind"], d["kind"]), d["detail"]]
            for d in found]
    doc.simple_table(["Round", "Ballot", "Kind", "Detail"], rows)


def _how_to_check(doc: Document, record: Mapping[str, Any]) -> None:
    doc.heading("Checking this audit independently", 2)
    doc.paragraph(
        "Anyone with the manifests (check their SHA-256 above) and the seed can draw the same "
        "sample with Rivest's SHA-256 consistent sampler: `ballotguard audit sample --seed "
        f"{record['audit']['seed']} MANIFEST.csv ...` prints it, and so does the reference "
        "implementation. The SHA-256 of a round's sample is that of the lines "
        "\"round,ticket,ballot_id\" (a header line, then one line per draw as in "
        "the appendix, in draw order, each ending in a newline). `ballotguard audit risk` recomputes the risk "
        "from the votes the audit boards entered.")


def _appendix(doc: Document, record: Mapping[str, Any]) -> None:
    """One line per ballot in a fixed-width font: a table of thousands of rows drawn cell by
    cell takes seconds, lines take milliseconds."""
    sample: Sequence[Mapping[str, Any]] = record["sample"]
    doc.add_page()
    doc.heading("Appendix: the sample", 2)
    doc.field("Ballots sampled", f"{len(sample):,}")
    doc.field("SHA-256", sample_digest(sample))
    if not sample:
        return
    doc.ln(2)
    doc.set_font("Courier", "B", 7)
    doc.cell(0, 3.4, _appendix_line(APPENDIX_HEADINGS), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font("Courier", "", 7)
    for s in sample:
        doc.cell(0, 3.4, _appendix_line((
            str(s["round"]), str(s["ticket"]), s["jurisdiction"], s["container"] or "-",
            s["tabulator"] or "-", s["batch"] or "-",
            "phantom" if s["phantom"] else str(s["position"] or "batch"))),
            new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _appendix_line(values: Sequence[str]) -> str:
    """Columns padded to their width; a longer value is cut, ending in "~"."""
    cells = []
    for value, width in zip(values, APPENDIX_WIDTHS, strict=True):
        text = latin1(value)
        cells.append(text.ljust(width) if len(text) <= width else text[: width - 1] + "~")
    return " ".join(cells).rstrip()


def retrieval_list_pdf(
    audit_name: str, jurisdiction: str, round_number: int, rows: Sequence[Mapping[str, Any]],
    compress: bool = True,
) -> bytes:
    """The ballots one jurisdiction pulls for one round, in the order given (shelf order), with
    a box to tick for each.

    ``rows``: [{container, tabulator, batch, position, unit_id, ticket, times_drawn, phantom}]
    (``services.audits.RetrievalRow`` as a dict); a phantom has nothing to pull. For a batch
    comparison the position is 0 and the whole batch is pulled.
    """
    doc = Document(f"Retrieval list - {audit_name} - {jurisdiction} - round {round_number}", "",
                   compress)
    doc.heading(f"Ballots to retrieve: {jurisdiction}, round {round_number}")
    doc.field("Audit", audit_name)
    doc.field("To retrieve", f"{sum(1 for r in rows if not r['phantom']):,}")
    phantoms = sum(1 for r in rows if r["phantom"])
    if phantoms:
        doc.field("Phantoms", f"{phantoms} (nothing to pull; counted as the worst case)")
    doc.paragraph("Sorted by container, tabulator, batch and position. Pull each ballot, tick "
                  "the box, and keep its place marked. A ballot drawn more than once is pulled "
                  "and read once.", 9)
    doc.simple_table(["Done", "Container", "Tabulator", "Batch", "Position", "Ticket", "Draws"], [
        ["-" if r["phantom"] else "[   ]", r["container"] or "-", r["tabulator"] or "-",
         r["batch"] or "-",
         "phantom" if r["phantom"] else (str(r["position"]) if r["position"] else "whole batch"),
         str(r["ticket"]), str(r["times_drawn"])]
        for r in rows
    ])
    return bytes(doc.output())
