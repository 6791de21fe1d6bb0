"""The panel's use cases: seats, escalation and packets, checklist, recusal, votes, decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import (
    AlreadyVoted,
    CaseDecided,
    DecisionExists,
    DecisionNotFound,
    DecisionSuperseded,
    InvalidInput,
    NoNoticeDecided,
    NotChair,
    NotOnPanel,
    PanelCaseNotFound,
    PermissionDenied,
    QuorumNotMet,
    RationaleRequired,
    RecusedFromCase,
    ReportNotFound,
    SeatsStillToAct,
)
from ballotguard.panel.cases import ChecklistItem, SubjectKind
from ballotguard.panel.decisions import NoticeKind
from ballotguard.panel.votes import Choice
from ballotguard.services import panel as panel_service
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.sharing import Person
from ballotguard.vocabulary import Tlp
from services.conftest import People
from support import panel as panel_support
from support import world

P, T, N, A = Choice.PUBLIC, Choice.TARGETED, Choice.NONE, Choice.ABSTAIN


@pytest.fixture
def members(people: People) -> list[Person]:
    return panel_support.seat_members(people.bg, people.ngo)


@pytest.fixture
def case_id(people: People, members: list[Person]) -> str:
    report = world.file(people.bg, people.cec_reporter)
    return panel_support.escalate_report(people.bg, people.cec_analyst, report.id)


def run(bg: Ballotguard, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with bg.uow() as uow:
        return fn(uow, *args, **kwargs)


def act(bg: Ballotguard, person: Person, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with bg.uow() as uow:
        return fn(uow, person_actor(person), *args, **kwargs)


# -- seats and rules ----------------------------------------------------------------------------


def test_default_panel_has_five_vacant_seats_and_a_high_threshold(people: People) -> None:
    rules = run(people.bg, panel_service.panel_rules)
    assert (rules.seats, rules.quorum, rules.notice_votes) == (5, 4, 4)
    seats = run(people.bg, panel_service.seats)
    assert [s.name for s in seats] == [f"Seat {i}" for i in range(1, 6)]
    assert all(s.holder is None for s in seats)
    assert "at least 4 votes" in rules.describe()


def test_seating_is_audited_and_needs_the_panel_member_role(people: People) -> None:
    bg = people.bg
    with pytest.raises(InvalidInput, match="panel_member"):
        act(bg, people.instance_admin, panel_service.assign_seat, "seat-1",
            people.cec_analyst.id, bg.clock())
    with pytest.raises(PermissionDenied):
        act(bg, people.cec_analyst, panel_service.assign_seat, "seat-1", people.ngo_panel.id,
            bg.clock())
    act(bg, people.instance_admin, panel_service.assign_seat, "seat-1", people.ngo_panel.id,
        bg.clock())
    act(bg, people.instance_admin, panel_service.rename_seat, "seat-1", "Civil society seat",
        bg.clock())
    act(bg, people.instance_admin, panel_service.set_chair, "seat-1", bg.clock())
    assert run(bg, panel_service.holds_seat, people.ngo_panel.id)
    assert run(bg, panel_service.is_chair, people.ngo_panel.id)
    assert not run(bg, panel_service.holds_seat, people.cec_analyst.id)
    with pytest.raises(InvalidInput, match="already holds"):
        act(bg, people.instance_admin, panel_service.assign_seat, "seat-2", people.ngo_panel.id,
            bg.clock())
    with bg.uow() as uow:
        actions = [e.action for e in uow.audit_log.entries()]
    assert {"panel.seat.assigned", "panel.seat.renamed", "panel.chair"} <= set(actions)


def test_rules_must_be_coherent_and_held_seats_are_not_cut(
    people: People, members: list[Person]
) -> None:
    bg = people.bg
    with pytest.raises(InvalidInput, match="notice_votes must be more than half"):
        run(bg, panel_service.configure_panel, OPERATOR, bg.clock(), notice_votes=2)
    with pytest.raises(InvalidInput, match="Seat 5 is held"):
        run(bg, panel_service.configure_panel, OPERATOR, bg.clock(), seats_count=4, quorum=3,
            notice_votes=3)
    rules = run(bg, panel_service.configure_panel, OPERATOR, bg.clock(), seats_count=7)
    assert rules.seats == 7
    assert [s.holder for s in run(bg, panel_service.seats)][5:] == [None, None]


# -- escalation and packets -------------------------------------------------------------------


def test_escalation_builds_a_frozen_packet_from_what_the_analyst_reads(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    view = act(bg, members[0], panel_service.get_case, case_id)
    assert view.packet is not None and view.packet.version == 1
    assert view.packet.tlp is Tlp.GREEN
    assert len(view.packet.sha256) == 64
    assert [r["content"]["title"] for r in view.packet.body["reports"]] == [
        "Attempted intrusion into the voter registration portal"
    ]
    assert view.subject.startswith("report ")


def test_red_reports_are_withheld_and_counted(people: People, members: list[Person]) -> None:
    bg = people.bg
    green = world.file(bg, people.cec_analyst, title="Phishing of poll workers",
                       summary="Same lure sent to poll workers.")
    red = world.file(bg, people.cec_analyst, tlp=Tlp.RED, title="Informant names the operator",
                     summary="The source is named here.", recipient_people=[people.cec_analyst.id])
    amber = world.file(bg, people.cec_analyst, tlp=Tlp.AMBER, title="Phishing domain list")
    case = act(bg, people.cec_analyst, panel_service.escalate, SubjectKind.REPORT, green.id,
               "Coordinated phishing", bg.clock())
    packet = act(bg, people.cec_analyst, panel_service.add_evidence, case.id, bg.clock(),
                 [red.id, amber.id])
    assert packet.version == 2
    assert packet.withheld_red == 1
    assert packet.tlp is Tlp.AMBER
    assert red.id not in str(packet.body)
    assert "Informant" not in str(packet.body)
    assert packet.body["withheld"] == {"RED": 1}
    view = act(bg, members[0], panel_service.get_case, case.id)
    assert [p.version for p in view.packets] == [1, 2]
    assert view.packets[0].tlp is Tlp.GREEN  # version 1 unchanged


def test_an_analyst_cannot_escalate_what_they_cannot_read(people: People) -> None:
    bg = people.bg
    amber = world.file(bg, people.cec_analyst, tlp=Tlp.AMBER)
    with pytest.raises(ReportNotFound):
        act(bg, people.platform_analyst, panel_service.escalate, SubjectKind.REPORT, amber.id,
            "looks bad", bg.clock())
    with pytest.raises(RationaleRequired):
        act(bg, people.cec_analyst, panel_service.escalate, SubjectKind.REPORT, amber.id, " ",
            bg.clock())
    with pytest.raises(PermissionDenied):
        act(bg, people.cec_reporter, panel_service.escalate, SubjectKind.REPORT, amber.id,
            "reason", bg.clock())


def test_cases_are_read_by_seat_holders_managers_and_the_escalator_only(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    for reader in (members[2], people.instance_admin, people.cec_analyst):
        assert act(bg, reader, panel_service.get_case, case_id).id == case_id
    for outsider in (people.cert_analyst, people.ngo_panel):  # ngo_panel holds no seat
        with pytest.raises(PanelCaseNotFound):
            act(bg, outsider, panel_service.get_case, case_id)
    assert [s.case.id for s in act(bg, people.cec_analyst, panel_service.list_cases)] == [case_id]
    assert act(bg, people.cert_analyst, panel_service.list_cases) == []
    with pytest.raises(NotOnPanel):
        act(bg, people.cec_reporter, panel_service.list_cases)


# -- deliberation -------------------------------------------------------------------------------


def test_checklist_answers_and_notes_are_appended(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    act(bg, members[1], panel_service.answer_checklist, case_id, ChecklistItem.SCOPE, "regional",
        "Two provinces", bg.clock())
    bg.clock.advance(minutes=1)
    act(bg, members[2], panel_service.answer_checklist, case_id, ChecklistItem.SCOPE, "national",
        "Now everywhere", bg.clock())
    with pytest.raises(InvalidInput, match="use one of"):
        act(bg, members[2], panel_service.answer_checklist, case_id, ChecklistItem.EFFECT,
            "catastrophic", "", bg.clock())
    with pytest.raises(NotOnPanel):
        act(bg, people.cec_analyst, panel_service.add_case_note, case_id, "hi", bg.clock())
    act(bg, members[0], panel_service.add_case_note, case_id, "Wait for the platform's data.",
        bg.clock())
    view = act(bg, members[0], panel_service.get_case, case_id)
    assert view.answers[ChecklistItem.SCOPE].value == "national"
    assert [a.value for a in view.answer_history] == ["regional", "national"]
    assert [n.text for n in view.notes] == ["Wait for the platform's data."]


# -- votes and decisions ----------------------------------------------------------------------


def test_full_vote_for_public_notice_is_recorded_by_the_chair(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    panel_support.vote_all(bg, case_id, members, [P, P, P, P, N])
    with pytest.raises(NotChair):
        act(bg, members[1], panel_service.record_decision, case_id, bg.clock())
    decision = act(bg, members[0], panel_service.record_decision, case_id, bg.clock(),
                   rationale="National reach during the vote")
    assert decision.outcome is NoticeKind.PUBLIC and decision.threshold_met
    assert act(bg, members[3], panel_service.decision_for_notice, decision.id) == decision
    with pytest.raises(CaseDecided):
        act(bg, members[4], panel_service.vote, case_id, P, bg.clock())


def test_recused_member_cannot_vote_and_seat_votes_once(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    act(bg, members[4], panel_service.recuse, case_id, "Former adviser to the targeted party",
        bg.clock())
    with pytest.raises(RecusedFromCase, match=r"Seat 5 is recused.*Former adviser"):
        act(bg, members[4], panel_service.vote, case_id, P, bg.clock())
    act(bg, members[1], panel_service.vote, case_id, A, bg.clock())
    with pytest.raises(AlreadyVoted, match="Seat 2 has already acted in round 1"):
        act(bg, members[1], panel_service.vote, case_id, P, bg.clock())
    with pytest.raises(RationaleRequired):
        act(bg, members[3], panel_service.recuse, case_id, "", bg.clock())
    with pytest.raises(NotOnPanel):
        act(bg, people.ngo_panel, panel_service.vote, case_id, P, bg.clock())


def test_decision_waits_for_every_seat_and_the_quorum(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    panel_support.vote_all(bg, case_id, members[:3], [P, P, A])
    with pytest.raises(SeatsStillToAct, match="Seat 4, Seat 5"):
        act(bg, members[0], panel_service.record_decision, case_id, bg.clock())
    act(bg, members[3], panel_service.recuse, case_id, "Family member works for the target",
        bg.clock())
    act(bg, members[4], panel_service.vote, case_id, A, bg.clock())
    with pytest.raises(QuorumNotMet, match="2 vote\\(s\\) cast, the quorum is 4"):
        act(bg, members[0], panel_service.record_decision, case_id, bg.clock())


def test_threshold_not_met_needs_a_rationale_and_gives_nothing_to_publish(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    panel_support.vote_all(bg, case_id, members, [P, P, P, N, N])
    with pytest.raises(RationaleRequired, match="threshold not met"):
        act(bg, members[0], panel_service.record_decision, case_id, bg.clock())
    decision = act(bg, members[0], panel_service.record_decision, case_id, bg.clock(),
                   rationale="Threshold not met: limited reach so far")
    assert decision.outcome is NoticeKind.NONE and not decision.threshold_met
    with pytest.raises(NoNoticeDecided):
        act(bg, members[0], panel_service.decision_for_notice, decision.id)


def test_targeted_notice_names_its_target(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    panel_support.vote_all(bg, case_id, members, [P, T, T, T, N])
    with pytest.raises(InvalidInput, match="names whom"):
        act(bg, members[0], panel_service.record_decision, case_id, bg.clock())
    decision = act(bg, members[0], panel_service.record_decision, case_id, bg.clock(),
                   target="Diaspora community in the northern riding")
    assert decision.outcome is NoticeKind.TARGETED
    assert decision.target == "Diaspora community in the northern riding"


def test_a_later_decision_supersedes_with_the_link_kept(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    panel_support.vote_all(bg, case_id, members, [N, N, N, N, P])
    first = act(bg, members[0], panel_service.record_decision, case_id, bg.clock(),
                rationale="Threshold not met")
    with pytest.raises(DecisionExists):
        act(bg, members[0], panel_service.record_decision, case_id, bg.clock(), rationale="x")
    act(bg, members[0], panel_service.reopen_case, case_id, "New evidence of national reach",
        bg.clock())
    panel_support.vote_all(bg, case_id, members, [P, P, P, P, A])
    with pytest.raises(DecisionExists, match=first.id):
        act(bg, members[0], panel_service.record_decision, case_id, bg.clock())
    second = act(bg, members[0], panel_service.record_decision, case_id, bg.clock(),
                 supersedes=first.id)
    assert second.supersedes == first.id and second.round == 2
    with pytest.raises(DecisionSuperseded) as raised:
        act(bg, members[0], panel_service.decision_for_notice, first.id)
    assert raised.value.by == second.id
    view = act(bg, members[0], panel_service.get_case, case_id)
    assert view.current_decision == second
    assert [d.id for d in view.decisions] == [first.id, second.id]


def test_decision_for_notice_hides_decisions_from_outsiders(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    panel_support.vote_all(bg, case_id, members, [P, P, P, P, P])
    decision = act(bg, members[0], panel_service.record_decision, case_id, bg.clock())
    with pytest.raises(DecisionNotFound):
        act(bg, people.platform_analyst, panel_service.decision_for_notice, decision.id)
    with pytest.raises(DecisionNotFound):
        act(bg, members[0], panel_service.decision_for_notice, "no-such-decision")


def test_export_record_holds_everything_and_the_packet_hash(
    people: People, members: list[Person], case_id: str
) -> None:
    bg = people.bg
    act(bg, members[4], panel_service.recuse, case_id, "Conflict", bg.clock())
    panel_support.vote_all(bg, case_id, members[:4], [P, P, P, P])
    act(bg, members[0], panel_service.record_decision, case_id, bg.clock())
    record = act(bg, people.instance_admin, panel_service.export_record, case_id, bg.clock())
    view = act(bg, members[0], panel_service.get_case, case_id)
    assert record["decisions"][0]["packet_sha256"] == view.packet.sha256
    assert record["recusals"][0]["reason"] == "Conflict"
    assert [v["choice"] for v in record["votes"]] == ["public_notice"] * 4
    assert record["seats"][0]["chair"] is True
    assert record["seats"][0]["holder"]["name"] == "Panel member 1"
    assert record["case"]["id"] == case_id
