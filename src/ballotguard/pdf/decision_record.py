"""The decision record of a panel case as a PDF, drawn from the JSON record and nothing else.

The JSON record (``panel.record``) is authoritative; the PDF prints the SHA-256 of that JSON (in
its canonical form) so the two can be matched, and the SHA-256 of every packet version. Packet
contents are summarised (report titles, TLP, what was withheld); the full snapshots are in the
JSON. The marking at the top of every page is the strictest TLP of the packets.
"""

from __future__ import annotations

from typing import Any

from ballotguard.panel.packet import canonical_json, digest, most_restrictive
from ballotguard.pdf.document import Document
from ballotguard.vocabulary import Tlp

OUTCOME_WORDS = {
    "public_notice": "Public notice",
    "targeted_notice": "Targeted notice",
    "no_notice": "No notice",
    "abstain": "Abstained",
}


def record_digest(record: dict[str, Any]) -> str:
    return digest(record)


def decision_record_pdf(record: dict[str, Any], compress: bool = True) -> bytes:
    case = record["case"]
    tlp = most_restrictive([Tlp(p["tlp"]) for p in record["packets"]])
    doc = Document(f"Ballotguard panel - decision record - case {case['id']}",
                   f"TLP:{tlp.value}", compress)
    doc.heading(f"Decision record: {case['title']}")
    doc.field("Case", case["id"])
    doc.field("Subject", f"{case['subject']['kind']} {case['subject']['id']}")
    doc.field("Escalated by", f"{case['escalated_by']['name']}, {case['escalated_at']}")
    doc.field("Reason", case["reason"])
    doc.field("Source reliability", case["source_reliability"])
    doc.field("Confidence", case["confidence"])
    doc.field("Status", f"{case['status']} (round {case['round']})")
    doc.field("Linked cases", ", ".join(case["linked_cases"]) or "none")
    doc.field("Exported", f"{record['exported_at']} by {record['exported_by']['name']}")
    doc.field("JSON record SHA-256", record_digest(record))

    _decisions(doc, record)
    doc.heading("The threshold", 2)
    doc.paragraph(record["rules"]["description"])
    doc.heading("Seats", 2)
    doc.simple_table(["Seat", "Holder", "Chair"], [
        [s["name"], s["holder"]["name"] if s["holder"] else "vacant", "chair" if s["chair"] else ""]
        for s in record["seats"]
    ])
    _votes(doc, record)
    _packets(doc, record)
    _checklist(doc, record)
    if record["notes"]:
        doc.heading("Deliberation notes", 2)
        for note in record["notes"]:
            doc.field(note["author"]["name"], note["at"])
            doc.paragraph(note["text"])
    return bytes(doc.output())


def _decisions(doc: Document, record: dict[str, Any]) -> None:
    doc.heading("Decisions", 2)
    if not record["decisions"]:
        doc.paragraph("No decision has been recorded.")
    for d in record["decisions"]:
        standing = " (current)" if d["id"] == record["current_decision"] else ""
        doc.field(f"Round {d['round']}{standing}", OUTCOME_WORDS[d["outcome"]])
        if d["target"]:
            doc.field("Target", d["target"])
        doc.field("Threshold met", "yes" if d["threshold_met"] else "no")
        doc.field("Rationale", d["rationale"] or "-")
        doc.field("Recorded", f"{d['recorded_at']} by {d['recorded_by']['name']}")
        doc.field("Decision id", d["id"])
        if d["supersedes"]:
            doc.field("Supersedes", d["supersedes"])
        if d["superseded_by"]:
            doc.field("Superseded by", d["superseded_by"])
        doc.field("Packet SHA-256", d["packet_sha256"] or "-")
        doc.ln(2)


def _votes(doc: Document, record: dict[str, Any]) -> None:
    doc.heading("Votes, abstentions and recusals", 2)
    rows = [[str(v["round"]), v["seat"], v["person"]["name"], OUTCOME_WORDS[v["choice"]],
             v["at"], v["comment"]] for v in record["votes"]]
    rows += [["all", r["seat"], r["person"]["name"], f"Recused: {r['reason']}", r["at"], ""]
             for r in record["recusals"]]
    if rows:
        doc.simple_table(["Round", "Seat", "Member", "Vote", "At", "Comment"], rows)
    else:
        doc.paragraph("No votes yet.")


def _packets(doc: Document, record: dict[str, Any]) -> None:
    doc.heading("Evidence packets", 2)
    for p in record["packets"]:
        doc.field(f"Version {p['version']}", f"TLP:{p['tlp']}, built {p['built_at']} by "
                  f"{p['built_by']['name']}")
        doc.field("SHA-256", p["sha256"])
        withheld = p["withheld"]
        if withheld:
            doc.field("Withheld", ", ".join(f"{level} ({n})" for level, n in withheld.items()))
        for report in p["body"].get("reports", []):
            content = report["content"]
            doc.paragraph(f"- [TLP:{report['tlp']}] {content['title']} (observed "
                          f"{content['observed_at']}, {content['phase']})", size=9)
        for a in p["body"].get("assessments", []):
            doc.paragraph(f"- Assessment {a['id']} of {a['subject']}: {a['verdict']} "
                          f"under {a['definition']}", size=9)
        doc.ln(1)


def _checklist(doc: Document, record: dict[str, Any]) -> None:
    doc.heading("Threshold checklist", 2)
    if not record["checklist"]:
        doc.paragraph("Not answered.")
        return
    doc.simple_table(["Item", "Answer", "Note", "By", "At"], [
        [a["item"], a["value"], a["note"], a["answered_by"]["name"], a["answered_at"]]
        for a in record["checklist"]
    ])


__all__ = ["canonical_json", "decision_record_pdf", "record_digest"]
