"""The decision record PDF: a real PDF whose text carries the key facts of the JSON record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ballotguard.panel.cases import Case, ChecklistAnswer, ChecklistItem, SubjectKind
from ballotguard.panel.decisions import Decision, NoticeKind
from ballotguard.panel.membership import PanelRules, Seat
from ballotguard.panel.packet import build_packet
from ballotguard.panel.record import RecordInputs, decision_record
from ballotguard.panel.votes import Choice, Recusal, Vote
from ballotguard.pdf.decision_record import decision_record_pdf, record_digest
from ballotguard.pdf.document import latin1
from ballotguard.sharing import Report, ReportContent, Status
from ballotguard.vocabulary import Confidence, Outcome, Phase, SourceReliability, Tlp, Vector
from support.pdf_text import pdf_text

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _record() -> dict[str, object]:
    content = ReportContent(
        title="Forged ballots video (débunké)", observed_at=AT - timedelta(days=1), election="E",
        phase=Phase.VOTING_EARLY, vectors=[Vector.DISINFORMATION], outcome=Outcome.SUCCESSFUL,
        tlp=Tlp.AMBER,
    )
    report = Report(id="r1", version=1, org_id="o", author_id="an", status=Status.NEW,
                    created_at=AT, updated_at=AT, content=content)
    packet = build_packet("c1", 1, ("report", "r1"), [report], [], "an", AT)
    case = Case("c1", "Forged ballots video", SubjectKind.REPORT, "r1", "Viral in two provinces",
                "an", AT, SourceReliability.B, Confidence.HIGH)
    seats = [Seat(f"seat-{i}", f"Seat {i}", i, f"m{i}") for i in range(1, 6)]
    votes = [Vote("c1", 1, f"seat-{i}", f"m{i}", Choice.PUBLIC, AT + timedelta(hours=1))
             for i in range(1, 5)]
    decision = Decision("d1", "c1", NoticeKind.PUBLIC, "", "National reach — during the vote",
                        AT + timedelta(hours=2), "m1", None, True, 1)
    names = {"an": "Ana Analyst", **{f"m{i}": f"Member {i}" for i in range(1, 6)}}
    return decision_record(RecordInputs(
        case=case, rules=PanelRules(), seats=seats, chair_seat="seat-1", packets=[packet],
        answers=[ChecklistAnswer("c1", ChecklistItem.EFFECT, "significant", "Turnout", "m2", AT)],
        notes=[], recusals=[Recusal("c1", "seat-5", "m5", "Adviser to a party", AT)],
        votes=votes, decisions=[decision], linked=[], names=names,
    ), AT + timedelta(hours=3), "m1")


def test_pdf_is_a_pdf_with_the_key_facts() -> None:
    record = _record()
    for compress in (False, True):
        pdf = decision_record_pdf(record, compress=compress)
        assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
        text = pdf_text(pdf)
        assert "TLP:AMBER" in text
        assert "Decision record: Forged ballots video" in text
        assert "Public notice" in text
        assert "National reach - during the vote" in text
        assert "Recused: Adviser to a party" in text
        assert "Member 4" in text and "Ana Analyst" in text
        assert record_digest(record) in text
        packet_sha = record["packets"][0]["sha256"]  # type: ignore[index]
        assert packet_sha in text
        assert "Forged ballots video (débunké)" in text
        assert "Page 1 of" in text


def test_latin1_keeps_accents_and_replaces_what_the_core_fonts_lack() -> None:
    assert latin1("Élection — “vote” … ok") == 'Élection - "vote" ... ok'
    assert latin1("Выборы") == "??????"
