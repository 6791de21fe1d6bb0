"""A small fpdf2 document with the house layout: a marking line and title on every page, page
numbers, headings, paragraphs, label/value lines and simple tables.

It uses the PDF core fonts (Helvetica), which need no font file on the server. They cover Latin-1
only: ``latin1`` turns common typographic characters into their plain equivalents and any other
character outside Latin-1 into "?". Documents that carry text in other scripts should say where
the complete text is (the decision record points to its JSON, of which it prints the SHA-256).
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos

_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u00a0": " ", "\u2022": "-", "\u2212": "-", "\u202f": " ",
})


def latin1(text: str) -> str:
    """``text`` as the core fonts can draw it."""
    plain = text.translate(_PLAIN)
    return plain.encode("latin-1", "replace").decode("latin-1")


class Document(FPDF):
    """A4 portrait; ``marking`` (e.g. "TLP:AMBER") is printed at the top of every page."""

    def __init__(self, title: str, marking: str = "", compress: bool = True) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = latin1(title)
        self.marking = latin1(marking)
        self.set_compression(compress)
        self.set_title(self.doc_title)
        self.set_creator("Ballotguard")
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages()
        self.add_page()

    def header(self) -> None:
        self.set_font("Helvetica", "B", 9)
        if self.marking:
            self.cell(0, 5, self.marking, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="R")
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, self.doc_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    def heading(self, text: str, level: int = 1) -> None:
        self.ln(2)
        self.set_font("Helvetica", "B", 15 if level == 1 else 12)
        self.multi_cell(0, 7, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str, size: int = 10) -> None:
        self.set_font("Helvetica", "", size)
        self.multi_cell(0, 5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def field(self, label: str, value: str) -> None:
        """One ``label: value`` line (the value wraps under itself)."""
        self.set_font("Helvetica", "B", 10)
        self.cell(45, 5, latin1(label))
        self.set_font("Helvetica", "", 10)
        self.multi_cell(0, 5, latin1(value) or "-", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def simple_table(self, headings: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.set_font("Helvetica", "", 9)
        with self.table(text_align="LEFT", line_height=5) as grid:
            heading = grid.row()
            for text in headings:
                heading.cell(latin1(text))
            for row in rows:
                line = grid.row()
                for text in row:
                    line.cell(latin1(text) or "-")
        self.ln(2)
