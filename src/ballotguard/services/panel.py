"""The expert panel's use cases: seats, cases, packets, checklist, notes, recusals, votes, decisions.

Who may do what:

- ``manage_panel`` (instance admin): the rules, the seats and who holds them, the chair;
- ``escalate_case`` (analyst): escalate a report or campaign they can read, add evidence to it;
- seat holders (people with ``sit_on_panel`` who hold a seat): read cases and packets, answer the
  checklist, write notes, recuse, vote; the chair records decisions and reopens cases.

A case's packet is built through ``sharing.access`` from what the escalator can read (RED never
enters). Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from ballotguard.errors import (
    DecisionNotFound,
    DecisionSuperseded,
    NoNoticeDecided,
    NotOnPanel,
    PanelCaseNotFound,
    PermissionDenied,
)
from ballotguard.panel.cases import Case, CaseNote, ChecklistAnswer, ChecklistItem, latest_answers
from ballotguard.panel.decisions import Decision, NoticeKind, current_decision, superseded_by
from ballotguard.panel.membership import PanelRules, Seat, default_seats, seat_of
from ballotguard.panel.packet import Packet
from ballotguard.panel.votes import Recusal, Tally, Vote, outcome_of, quorum_met, tally
from ballotguard.ports import UnitOfWork
from ballotguard.services.actors import Actor
from ballotguard.sharing import Permission

# -- rules and seats --------------------------------------------------------------------------


def panel_rules(uow: UnitOfWork) -> PanelRules:
    """The rules in force (the defaults until an admin changes them); public by design."""
    return uow.panel.rules() or PanelRules()


def seats(uow: UnitOfWork) -> list[Seat]:
    """The seats in order; the default vacant seats until an admin changes them."""
    return uow.panel.seats() or default_seats(panel_rules(uow).seats)


def chair_seat(uow: UnitOfWork) -> str | None:
    return uow.panel.chair_seat()


def holds_seat(uow: UnitOfWork, person_id: str) -> bool:
    return seat_of(seats(uow), person_id) is not None


def is_chair(uow: UnitOfWork, person_id: str) -> bool:
    seat = seat_of(seats(uow), person_id)
    return seat is not None and seat.id == uow.panel.chair_seat()


def _seat_of_actor(uow: UnitOfWork, actor: Actor, action: str) -> Seat:
    """The seat the actor holds; refused unless they may sit on the panel and hold one."""
    if actor.person is None or not actor.person.may(Permission.SIT_ON_PANEL):
        raise NotOnPanel(action)
    seat = seat_of(seats(uow), actor.person.id)
    if seat is None:
        raise NotOnPanel(action)
    return seat


def _require_panel_reader(uow: UnitOfWork, actor: Actor, case: Case | None = None) -> None:
    """Seat holders, panel managers and (for one case) its escalator read the panel's cases."""
    if actor.person is None:
        actor.require(Permission.MANAGE_PANEL)  # the console operator passes; the public does not
        return
    if actor.person.may(Permission.MANAGE_PANEL):
        return
    if actor.person.may(Permission.SIT_ON_PANEL) and holds_seat(uow, actor.person.id):
        return
    if case is not None and case.escalated_by == actor.person.id:
        return
    raise NotOnPanel("reading the panel's cases")


# -- reading a case ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseView:
    """Everything the panel room shows of one case."""

    case: Case
    seats: list[Seat]
    chair_seat: str | None
    rules: PanelRules
    packets: list[Packet]
    answers: dict[ChecklistItem, ChecklistAnswer]
    answer_history: list[ChecklistAnswer]
    notes: list[CaseNote]
    recusals: list[Recusal]
    votes: list[Vote]
    """Votes of the current round."""
    all_votes: list[Vote]
    decisions: list[Decision]
    linked: list[str]
    tally: Tally

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def title(self) -> str:
        return self.case.title

    @property
    def subject(self) -> str:
        return f"{self.case.subject_kind.value} {self.case.subject_id}"

    @property
    def packet(self) -> Packet | None:
        return self.packets[-1] if self.packets else None

    @property
    def current_decision(self) -> Decision | None:
        return current_decision(self.decisions)

    @property
    def supported_outcome(self) -> NoticeKind:
        return outcome_of(self.rules, self.tally)

    @property
    def quorum_met(self) -> bool:
        return quorum_met(self.rules, self.tally)


def _load_case(uow: UnitOfWork, case_id: str) -> Case:
    case = uow.panel.get_case(case_id)
    if case is None:
        raise PanelCaseNotFound(case_id)
    return case


def get_case(uow: UnitOfWork, actor: Actor, case_id: str) -> CaseView:
    """One case with its packet, checklist, notes, votes and decisions; panel readers only."""
    case = uow.panel.get_case(case_id)
    if case is None:
        raise PanelCaseNotFound(case_id)
    try:
        _require_panel_reader(uow, actor, case)
    except PermissionDenied:
        raise PanelCaseNotFound(case_id) from None
    return _view(uow, case)


def _view(uow: UnitOfWork, case: Case) -> CaseView:
    all_seats = seats(uow)
    recusals = uow.panel.recusals(case.id)
    round_votes = uow.panel.votes(case.id, case.round)
    answers = uow.panel.answers(case.id)
    return CaseView(
        case=case,
        seats=all_seats,
        chair_seat=uow.panel.chair_seat(),
        rules=panel_rules(uow),
        packets=uow.panel.packets(case.id),
        answers=latest_answers(answers),
        answer_history=answers,
        notes=uow.panel.notes(case.id),
        recusals=recusals,
        votes=round_votes,
        all_votes=uow.panel.votes(case.id),
        decisions=uow.panel.decisions(case.id),
        linked=uow.panel.linked(case.id),
        tally=tally(all_seats, round_votes, recusals),
    )


# -- decisions for the notices work -----------------------------------------------------------


def decision_for_notice(uow: UnitOfWork, actor: Actor, decision_id: str) -> Decision:
    """A standing decision to issue a notice (public or targeted), for drafting and publishing.

    Raises ``DecisionNotFound`` (also when the actor may not read the panel's cases),
    ``DecisionSuperseded`` when a later decision replaced it, and ``NoNoticeDecided`` when the
    panel decided no notice.
    """
    decision = uow.panel.get_decision(decision_id)
    if decision is None:
        raise DecisionNotFound(decision_id)
    case = _load_case(uow, decision.case_id)
    try:
        _require_panel_reader(uow, actor, case)
    except PermissionDenied:
        raise DecisionNotFound(decision_id) from None
    later = superseded_by(uow.panel.decisions(decision.case_id), decision_id)
    if later is not None:
        raise DecisionSuperseded(decision_id, later)
    if not decision.is_notice:
        raise NoNoticeDecided(decision_id)
    return decision
