"""Evidence packets: what the panel sees of a case, frozen when it is built.

A packet is built from what the escalating analyst can read at that moment: the reports (a
snapshot of their content), their assessments and verdicts, and for a campaign its timeline sorted
by when things were observed. TLP:RED reports are never put in a packet: only their number is
(``withheld_red``). The packet's TLP is the most restrictive level it holds, and the packet is
readable by the panel's seat holders and the escalator. Adding evidence later builds a new
version; earlier versions are never changed. The SHA-256 of the canonical JSON of the body is
kept, so an export proves which packet the panel decided on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ballotguard.vocabulary import Tlp

TLP_ORDER = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)


@dataclass(frozen=True, slots=True)
class Packet:
    case_id: str
    version: int
    built_at: datetime
    built_by: str
    tlp: Tlp
    withheld_red: int
    body: dict[str, Any]
    sha256: str


def most_restrictive(levels: list[Tlp]) -> Tlp:
    """The strictest level among ``levels``; CLEAR when there are none."""
    return max(levels, key=TLP_ORDER.index, default=Tlp.CLEAR)


def canonical_json(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()
