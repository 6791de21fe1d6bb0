"""Evidence packets: what the panel sees of a case, frozen when it is built.

A packet is built from what the escalating analyst can read at that moment: the reports (a
snapshot of their content), their assessments and verdicts, and for a campaign its timeline sorted
by when things were observed. TLP:RED reports are never put in a packet, nor are TLP:AMBER+STRICT
ones (their readers may share them within their own organisation only, and the panel's members
come from several): only their number is, per level, in the body's ``withheld``. The reporting
organisation can re-mark a report AMBER to let the panel see it. The packet's TLP is the most restrictive level it holds, and the packet is
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

from ballotguard.campaigns import facts_from_report, timeline
from ballotguard.sharing import Report
from ballotguard.vocabulary import Tlp

TLP_ORDER = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)
WITHHELD_LEVELS = (Tlp.RED, Tlp.AMBER_STRICT)
"""Levels that never enter a packet: RED names people, AMBER+STRICT stays in its organisations."""


@dataclass(frozen=True, slots=True)
class Packet:
    case_id: str
    version: int
    built_at: datetime
    built_by: str
    tlp: Tlp
    body: dict[str, Any]
    sha256: str

    @property
    def withheld_red(self) -> int:
        """RED reports left out; read from the body, which counts every withheld level."""
        return int(self.body.get("withheld", {}).get(Tlp.RED.value, 0))


def most_restrictive(levels: list[Tlp]) -> Tlp:
    """The strictest level among ``levels``; CLEAR when there are none."""
    return max(levels, key=TLP_ORDER.index, default=Tlp.CLEAR)


def canonical_json(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AssessmentSnapshot:
    """An assessment as the packet shows it (the service copies it from the store)."""

    id: str
    subject_kind: str
    subject_id: str
    definition: str
    verdict: str
    version: int
    updated_at: datetime
    body: dict[str, Any]


def build_packet(
    case_id: str,
    version: int,
    subject: tuple[str, str],
    reports: list[Report],
    assessments: list[AssessmentSnapshot],
    built_by: str,
    built_at: datetime,
) -> Packet:
    """Freeze what the escalator can read into a packet; RED and AMBER+STRICT reports are counted,
    never copied.

    ``reports`` must already be the ones the escalator may read (the service passes them through
    ``sharing.access``). Assessments of a withheld report are withheld with it.
    """
    included = sorted(
        (r for r in reports if r.content.tlp not in WITHHELD_LEVELS),
        key=lambda r: (r.content.observed_at, r.id),
    )
    counts = {level: sum(r.content.tlp is level for r in reports) for level in WITHHELD_LEVELS}
    kept_ids = {r.id for r in included}
    kept_assessments = [
        a for a in assessments
        if a.subject_kind != "report" or a.subject_id in kept_ids
    ]
    body: dict[str, Any] = {
        "case_id": case_id,
        "version": version,
        "subject": {"kind": subject[0], "id": subject[1]},
        "built_at": built_at.isoformat(),
        "built_by": built_by,
        "reports": [_report_entry(r) for r in included],
        "withheld": {level.value: n for level, n in counts.items() if n},
        "assessments": [
            {
                "id": a.id,
                "subject": f"{a.subject_kind}:{a.subject_id}",
                "definition": a.definition,
                "verdict": a.verdict,
                "version": a.version,
                "updated_at": a.updated_at.isoformat(),
                "body": a.body,
            }
            for a in sorted(kept_assessments, key=lambda a: (a.updated_at, a.id))
        ],
        "timeline": [
            {
                "report_id": t.report_id,
                "observed_at": t.observed_at.isoformat(),
                "phase": t.phase.value,
                "title": t.title,
                "vectors": [v.value for v in t.vectors],
                "techniques": list(t.techniques),
            }
            for t in timeline([facts_from_report(r) for r in included])
        ],
    }
    tlp = most_restrictive([r.content.tlp for r in included])
    body["tlp"] = tlp.value
    body = json.loads(canonical_json(body))
    return Packet(case_id, version, built_at, built_by, tlp, body, digest(body))


def _report_entry(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "version": report.version,
        "org_id": report.org_id,
        "status": report.status.value,
        "tlp": report.content.tlp.value,
        "content": report.content.model_dump(mode="json"),
    }


def withheld_counts(packet: Packet) -> dict[str, int]:
    """Reports left out of the packet, by TLP level (``{"RED": 1, "AMBER+STRICT": 2}``)."""
    withheld = packet.body.get("withheld", {})
    return {level.value: int(withheld[level.value]) for level in WITHHELD_LEVELS
            if level.value in withheld}


def withheld_line(packet: Packet) -> str:
    """``withheld: RED (n), AMBER+STRICT (m)`` or empty, for the panel room and the record."""
    counts = withheld_counts(packet)
    if not counts:
        return ""
    return "withheld: " + ", ".join(f"{level} ({n})" for level, n in counts.items())
