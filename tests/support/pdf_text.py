"""Reading back the text of a PDF written with the core fonts, without a PDF library: inflate the
content streams and collect the string operands of Tj and TJ. Good enough to check that facts
appear in a document fpdf2 wrote; not a general PDF parser."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"(?<![a-z])stream\r?\n(.*?)\r?\n?endstream", re.S)
_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)")
_SHOWN = re.compile(rb"(\((?:\\.|[^\\)])*\))\s*Tj|\[((?:[^\]\\]|\\.)*)\]\s*TJ", re.S)


def _unescape(raw: bytes) -> str:
    body = raw[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        char = body[i]
        if char == 0x5C and i + 1 < len(body):  # backslash
            nxt = body[i + 1]
            mapping = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
            if nxt in mapping:
                out.append(mapping[nxt])
                i += 2
            elif 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", body[i + 1:i + 4])
                assert digits is not None
                out.append(int(digits.group(), 8))
                i += 1 + len(digits.group())
            else:
                out.append(nxt)
                i += 2
        else:
            out.append(char)
            i += 1
    return out.decode("latin-1")


def streams(pdf: bytes) -> list[bytes]:
    found = []
    for data in _STREAM.findall(pdf):
        try:
            found.append(zlib.decompress(data))
        except zlib.error:
            found.append(data)
    return found


def pdf_text(pdf: bytes) -> str:
    """All the shown text, pieces joined by spaces and whitespace collapsed."""
    pieces: list[str] = []
    for stream in streams(pdf):
        for single, array in _SHOWN.findall(stream):
            if single:
                pieces.append(_unescape(single))
            else:
                pieces.append("".join(_unescape(s) for s in _STRING.findall(array)))
    return " ".join(" ".join(pieces).split())
