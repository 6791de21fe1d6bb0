"""Evidence packets: RED withheld, TLP the strictest included, a stable digest, the record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ballotguard.panel.cases import (
    Case,
    ChecklistAnswer,
    ChecklistItem,
    SubjectKind,
    checklist_problem,
    latest_answers,
)
from ballotguard.panel.decisions import Decision, NoticeKind
from ballotguard.panel.membership import PanelRules, default_seats
from ballotguard.panel.packet import (
    AssessmentSnapshot,
    build_packet,
    digest,
    most_restrictive,
    withheld_line,
)
from ballotguard.panel.record import RecordInputs, decision_record
from ballotguard.sharing import Report, ReportContent, Status
from ballotguard.vocabulary import Confidence, Outcome, Phase, SourceReliability, Tlp, Vector

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _report(id_: str, tlp: Tlp, days: int) -> Report:
    content = ReportContent(
        title=f"Report {id_}", observed_at=AT - timedelta(days=days), election="E",
        phase=Phase.CAMPAIGN, vectors=[Vector.DISINFORMATION], outcome=Outcome.ATTEMPTED,
        tlp=tlp, recipient_people=["x"] if tlp is Tlp.RED else [],
    )
    return Report(id=id_, version=1, org_id="o", author_id="a", status=Status.NEW,
                  created_at=AT, updated_at=AT, content=content)


def test_packet_withholds_red_sorts_by_observation_and_takes_the_strictest_tlp() -> None:
    reports = [_report("r1", Tlp.GREEN, 1), _report("r2", Tlp.RED, 2),
               _report("r3", Tlp.AMBER, 3)]
    assessments = [
        AssessmentSnapshot("a1", "report", "r2", "d@1", "interference", 1, AT, {}),
        AssessmentSnapshot("a2", "report", "r1", "d@1", "not_interference", 1, AT, {}),
    ]
    packet = build_packet("c", 1, ("campaign", "k"), reports, assessments, "p", AT)
    assert [r["id"] for r in packet.body["reports"]] == ["r3", "r1"]
    assert [t["report_id"] for t in packet.body["timeline"]] == ["r3", "r1"]
    assert [a["id"] for a in packet.body["assessments"]] == ["a2"]
    assert packet.tlp is Tlp.AMBER and packet.withheld_red == 1
    assert withheld_line(packet) == "withheld: RED (1)"
    assert packet.sha256 == digest(packet.body)
    again = build_packet("c", 1, ("campaign", "k"), list(reversed(reports)), assessments, "p", AT)
    assert again.sha256 == packet.sha256


def test_amber_strict_reports_stay_out_of_the_packet_and_are_counted() -> None:
    reports = [_report("r1", Tlp.GREEN, 1), _report("r2", Tlp.AMBER_STRICT, 2),
               _report("r3", Tlp.AMBER_STRICT, 3), _report("r4", Tlp.RED, 4)]
    packet = build_packet("c", 1, ("campaign", "k"), reports, [], "p", AT)
    assert [r["id"] for r in packet.body["reports"]] == ["r1"]
    assert packet.tlp is Tlp.GREEN
    assert packet.body["withheld"] == {"RED": 1, "AMBER+STRICT": 2}
    assert withheld_line(packet) == "withheld: RED (1), AMBER+STRICT (2)"


def test_most_restrictive() -> None:
    assert most_restrictive([]) is Tlp.CLEAR
    assert most_restrictive([Tlp.GREEN, Tlp.AMBER_STRICT, Tlp.AMBER]) is Tlp.AMBER_STRICT


def test_checklist_values_and_latest_answer() -> None:
    assert checklist_problem(ChecklistItem.PHASE, "campaign") is None
    assert "use one of" in (checklist_problem(ChecklistItem.EFFECT, "huge") or "")
    early = ChecklistAnswer("c", ChecklistItem.SCOPE, "local", "", "p", AT)
    late = ChecklistAnswer("c", ChecklistItem.SCOPE, "national", "", "q", AT + timedelta(1))
    assert latest_answers([late, early])[ChecklistItem.SCOPE] is late


def test_record_names_people_and_links_decisions() -> None:
    case = Case("c", "T", SubjectKind.REPORT, "r1", "why", "an", AT, SourceReliability.B,
                Confidence.MODERATE)
    packet = build_packet("c", 1, ("report", "r1"), [_report("r1", Tlp.GREEN, 1)], [], "an", AT)
    first = Decision("d1", "c", NoticeKind.NONE, "", "not met", AT + timedelta(1), "ch", None,
                     False, 1)
    second = Decision("d2", "c", NoticeKind.PUBLIC, "", "", AT + timedelta(2), "ch", "d1", True, 2)
    record = decision_record(RecordInputs(
        case=case, rules=PanelRules(), seats=default_seats(5), chair_seat="seat-1",
        packets=[packet], answers=[], notes=[], recusals=[], votes=[],
        decisions=[first, second], linked=[], names={"an": "Ana", "ch": "Chen"},
    ), AT + timedelta(3), "ch")
    assert record["case"]["escalated_by"] == {"id": "an", "name": "Ana"}
    assert record["decisions"][0]["superseded_by"] == "d2"
    assert record["decisions"][1]["packet_sha256"] == packet.sha256
    assert record["current_decision"] == "d2"
    assert "at least 4 votes" in record["rules"]["description"]
