"""The final audit report PDF, the retrieval list PDF and the risk plot: real PDFs and SVGs whose
text carries the facts of the record."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ballotguard.pdf.audit_report import (
    audit_report_pdf,
    record_digest,
    retrieval_list_pdf,
    risk_series,
    sample_digest,
    sample_lines,
)
from ballotguard.pdf.risk_plot import format_risk, risk_plot, risk_plot_svg
from support.pdf_text import pdf_text

SEED = "12345678901234567890"


def _sample(count: int) -> list[dict[str, Any]]:
    return [
        {"round": 1 if i < count // 2 else 2, "ticket": f"0.{i:06d}123", "ballot_id":
         f"North|T1|B{i % 3}|{i + 1}", "jurisdiction": "North", "container": "Box 1",
         "tabulator": "T1", "batch": f"B{i % 3}", "position": i + 1, "phantom": False}
        for i in range(count)
    ]


def record(sample_size: int = 40) -> dict[str, Any]:
    return {
        "audit": {
            "id": "aud-1", "name": "Mayor 2026 <county>", "election": "Municipal 2026",
            "method": "bravo", "risk_limit": 0.05, "seed": SEED, "status": "confirmed",
            "created_at": "2026-11-10T09:00:00+00:00", "created_by": "Ada Admin",
            "conclusion": "Every contest's reported winner is confirmed at the 5% risk limit.",
        },
        "contests": [
            {"name": "Mayor", "winners": ["Alice"], "tally": {"Alice": 6000, "Bob": 4000},
             "ballots": 10000, "status": "confirmed", "risk": 0.012},
            {"name": "Measure Q — élan", "winners": ["Yes"], "tally": {"Yes": 5500, "No": 4500},
             "ballots": 10000, "status": "confirmed", "risk": 0.0004},
        ],
        "jurisdictions": [{"name": "North", "ballots": 10000, "phantoms": 2,
                           "manifest_sha256": "ab" * 32, "cvr_sha256": None}],
        "rounds": [
            {"number": 1, "size": 20, "drawn_at": "2026-11-11T09:00:00+00:00",
             "risks": {"Mayor": 0.31, "Measure Q — élan": 0.04}, "decision": "next_round",
             "next_size": 20},
            {"number": 2, "size": 20, "drawn_at": "2026-11-12T09:00:00+00:00",
             "risks": {"Mayor": 0.012, "Measure Q — élan": 0.0004}, "decision": "stop",
             "next_size": None},
        ],
        "sample": _sample(sample_size),
        "discrepancies": [{"round": 1, "unit": "North|T1|B0|1", "jurisdiction": "North",
                           "kind": "cvr_mismatch", "detail": "Mayor: CVR ['Alice'], read ['Bob']"}],
        "exported_at": "2026-11-12T10:00:00+00:00", "exported_by": "Ada Admin",
    }


def test_the_report_carries_seed_sample_discrepancies_risks_and_conclusion() -> None:
    rec = record()
    for compress in (False, True):
        pdf = audit_report_pdf(rec, compress=compress)
        assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
        text = pdf_text(pdf)
        assert "Risk-limiting audit: Mayor 2026 <county>" in text
        assert SEED in text
        assert "Ballot polling, BRAVO" in text
        assert "Every contest's reported winner is confirmed" in text
        assert record_digest(rec) in text
        assert sample_digest(rec["sample"]) in text
        assert sample_digest(rec["sample"][:20]) in text
        assert "Measure Q - élan" in text
        assert "1.2%" in text and "0.04%" in text and "31%" in text
        assert "Mayor: CVR ['Alice'], read ['Bob']" in text and "The CVR differs" in text
        assert "0.000039123" in text  # a ticket of the appendix
        assert "ab" * 32 in text
        assert "Page 1 of" in text


def test_a_report_without_rounds_or_discrepancies_still_renders() -> None:
    rec = record(0)
    rec["rounds"], rec["discrepancies"] = [], []
    rec["audit"]["status"] = "in_progress"
    text = pdf_text(audit_report_pdf(rec, compress=False))
    assert "No round has been drawn." in text
    assert "The audit boards found no discrepancy" in text
    assert "Audit in progress" in text


def test_a_large_sample_fits_in_the_appendix() -> None:
    pdf = audit_report_pdf(record(2000))
    assert pdf.startswith(b"%PDF-1.")
    assert "Ballots sampled 2,000" in pdf_text(audit_report_pdf(record(2000), compress=False))


def test_sample_digest_is_the_sha256_of_the_documented_lines() -> None:
    import hashlib

    rows = _sample(2)
    text = sample_lines(rows)
    assert text == "round,ticket,ballot_id\n1,0.000000123,North|T1|B0|1\n2,0.000001123,North|T1|B1|2\n"
    assert sample_digest(rows) == hashlib.sha256(text.encode()).hexdigest()


def test_retrieval_list_lists_the_ballots_in_the_given_order_with_phantoms_marked() -> None:
    rows: list[dict[str, Any]] = [
        {"ticket": "0.1", "container": "Box 1", "tabulator": "T1", "batch": "B1", "position": 7,
         "unit_id": "N|T1|B1|7", "times_drawn": 2, "phantom": False},
        {"ticket": "0.2", "container": "", "tabulator": "", "batch": "", "position": 0,
         "unit_id": "N|phantom|1", "times_drawn": 1, "phantom": True},
    ]
    text = pdf_text(retrieval_list_pdf("Mayor", "North", 1, rows, compress=False))
    assert "Ballots to retrieve: North, round 1" in text
    assert "Box 1" in text and "phantom" in text
    assert text.index("Box 1") < text.index("phantom", text.index("Box 1"))


def test_risk_plot_geometry() -> None:
    rec = record()
    plot = risk_plot(risk_series(rec), 0.05)
    mayor, measure = plot.series
    assert [p.round for p in mayor.points] == [0, 1, 2]
    assert mayor.points[0].y == plot.top  # risk 1 at the top
    assert mayor.points[-1].y > plot.limit_y and mayor.confirmed  # below the limit is lower
    assert measure.points[-1].y > mayor.points[-1].y
    assert [t.label for t in plot.x_ticks] == ["start", "round 1", "round 2"]
    assert plot.y_ticks[0].label == "100%" and plot.y_ticks[-1].label == "0.01%"
    assert "Mayor: 1.2% after round 2 (below the risk limit)" in plot.description


def test_risk_plot_handles_no_rounds_zero_risk_and_missing_rounds() -> None:
    empty = risk_plot({}, 0.1)
    assert empty.series == () and empty.description == "No contest has been measured yet."
    plot = risk_plot({"A": [None, 0.0], "B": [1.5]}, 0.1)
    a, b = plot.series
    assert [p.round for p in a.points] == [0, 2] and a.points[-1].y == plot.bottom
    assert b.points[-1].risk == 1.0 and not b.confirmed


def test_risk_plot_svg_is_well_formed_and_escapes_names() -> None:
    svg = risk_plot_svg(risk_plot({"<A & B>": [0.2, 0.01]}, 0.05))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "&lt;A &amp; B&gt;" in svg


def test_format_risk() -> None:
    assert format_risk(0.05) == "5%"
    assert format_risk(0.0123) == "1.23%"
    assert format_risk(4.12e-5) == "0.00412%"
    assert format_risk(0) == "0%" and format_risk(2) == "100%"
