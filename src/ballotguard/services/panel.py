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

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

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
    PersonNotFound,
    QuorumNotMet,
    RationaleRequired,
    RecusedFromCase,
    SeatNotFound,
    SeatsStillToAct,
)
from ballotguard.panel.cases import (
    Case,
    CaseNote,
    CaseStatus,
    ChecklistAnswer,
    ChecklistItem,
    SubjectKind,
    checklist_problem,
    latest_answers,
)
from ballotguard.panel.decisions import Decision, NoticeKind, current_decision, superseded_by
from ballotguard.panel.membership import PanelRules, Seat, default_seats, resized, seat_of
from ballotguard.panel.packet import AssessmentSnapshot, Packet, build_packet
from ballotguard.panel.record import RecordInputs, decision_record
from ballotguard.panel.votes import (
    Choice,
    Recusal,
    Tally,
    Vote,
    outcome_of,
    quorum_met,
    tally,
)
from ballotguard.ports import UnitOfWork
from ballotguard.services.actors import Actor
from ballotguard.services.audit import record
from ballotguard.services.campaigns import get_campaign
from ballotguard.services.reports import readable_report
from ballotguard.sharing import Permission, Report, Role, readable
from ballotguard.vocabulary import Confidence, SourceReliability

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


# -- managing the panel (manage_panel) --------------------------------------------------------


def configure_panel(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    seats_count: int | None = None,
    quorum: int | None = None,
    notice_votes: int | None = None,
) -> PanelRules:
    """Change the number of seats, the quorum or the notice threshold; held seats are never cut."""
    actor.require(Permission.MANAGE_PANEL)
    old = panel_rules(uow)
    rules = PanelRules(
        seats=old.seats if seats_count is None else seats_count,
        quorum=old.quorum if quorum is None else quorum,
        notice_votes=old.notice_votes if notice_votes is None else notice_votes,
    )
    problems = rules.problems()
    if problems:
        raise InvalidInput("rules", "; ".join(problems))
    current = seats(uow)
    new_seats = resized(current, rules.seats)
    cut = [s for s in current if s not in new_seats and s.holder]
    if cut:
        names = ", ".join(s.name for s in cut)
        raise InvalidInput("seats", f"{names} is held; vacate it before removing it")
    chair = uow.panel.chair_seat()
    if chair not in {s.id for s in new_seats}:
        chair = None
    uow.panel.save_seats(new_seats)
    uow.panel.save_rules(rules, chair)
    record(uow, actor, "panel.rules", "panel", now, {
        "seats": rules.seats, "quorum": rules.quorum, "notice_votes": rules.notice_votes,
        "before": {"seats": old.seats, "quorum": old.quorum, "notice_votes": old.notice_votes},
    })
    uow.commit()
    return rules


def _seat(uow: UnitOfWork, seat_id: str) -> tuple[list[Seat], Seat]:
    all_seats = seats(uow)
    for seat in all_seats:
        if seat.id == seat_id:
            return all_seats, seat
    raise SeatNotFound(seat_id)


def _save_seat(uow: UnitOfWork, all_seats: list[Seat], changed: Seat) -> None:
    uow.panel.save_seats([changed if s.id == changed.id else s for s in all_seats])
    if uow.panel.rules() is None:  # first change: the defaults become explicit
        uow.panel.save_rules(panel_rules(uow), uow.panel.chair_seat())


def rename_seat(uow: UnitOfWork, actor: Actor, seat_id: str, name: str, now: datetime) -> Seat:
    actor.require(Permission.MANAGE_PANEL)
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput("name", "a seat name has 1 to 120 characters")
    all_seats, seat = _seat(uow, seat_id)
    changed = replace(seat, name=name)
    _save_seat(uow, all_seats, changed)
    record(uow, actor, "panel.seat.renamed", seat_id, now, {"from": seat.name, "to": name})
    uow.commit()
    return changed


def assign_seat(
    uow: UnitOfWork, actor: Actor, seat_id: str, person_id: str | None, now: datetime
) -> Seat:
    """Seat a person (who must hold the panel_member role), or vacate the seat (None)."""
    actor.require(Permission.MANAGE_PANEL)
    all_seats, seat = _seat(uow, seat_id)
    if person_id is not None:
        person = uow.people.get(person_id)
        if Role.PANEL_MEMBER not in person.roles or not person.active:
            raise InvalidInput("person", f"{person.name} does not hold the panel_member role")
        elsewhere = seat_of(all_seats, person_id)
        if elsewhere is not None and elsewhere.id != seat_id:
            raise InvalidInput("person", f"{person.name} already holds {elsewhere.name}")
    changed = replace(seat, holder=person_id)
    _save_seat(uow, all_seats, changed)
    record(uow, actor, "panel.seat.assigned", seat_id, now,
           {"from": seat.holder, "to": person_id})
    uow.commit()
    return changed


def set_chair(uow: UnitOfWork, actor: Actor, seat_id: str, now: datetime) -> Seat:
    actor.require(Permission.MANAGE_PANEL)
    _all, seat = _seat(uow, seat_id)
    before = uow.panel.chair_seat()
    uow.panel.save_rules(panel_rules(uow), seat_id)
    if not uow.panel.seats():
        uow.panel.save_seats(_all)
    record(uow, actor, "panel.chair", seat_id, now, {"from": before, "to": seat_id})
    uow.commit()
    return seat


# -- escalating a case (escalate_case) --------------------------------------------------------


def escalate(
    uow: UnitOfWork,
    actor: Actor,
    subject_kind: SubjectKind,
    subject_id: str,
    reason: str,
    now: datetime,
    title: str = "",
    source_reliability: SourceReliability | None = None,
    confidence: Confidence = Confidence.LOW,
) -> Case:
    """An analyst sends a report or campaign they can read to the panel, with a reason.

    The first evidence packet is built at once from what the analyst can read.
    """
    actor.require(Permission.ESCALATE_CASE)
    if not reason.strip():
        raise RationaleRequired("reason", "escalating to the panel")
    reports = _subject_reports(uow, actor, subject_kind, subject_id)
    if not title.strip():
        title = reports[0].content.title if subject_kind is SubjectKind.REPORT else (
            f"Campaign of {len(reports)} reports"
        )
    reliability = source_reliability or _best_reliability(reports)
    case = Case(
        id=str(uuid.uuid4()),
        title=title.strip()[:300],
        subject_kind=subject_kind,
        subject_id=subject_id,
        reason=reason.strip(),
        escalated_by=actor.id,
        escalated_at=now,
        source_reliability=reliability,
        confidence=confidence,
    )
    uow.panel.add_case(case)
    packet = _build_packet(uow, actor, case, reports, 1, now)
    uow.panel.add_packet(packet)
    record(uow, actor, "panel.case.escalated", case.id, now, {
        "subject": f"{subject_kind.value}:{subject_id}", "packet_sha256": packet.sha256,
        "withheld": packet.body.get("withheld", {}),
    })
    uow.commit()
    return case


def add_evidence(
    uow: UnitOfWork,
    actor: Actor,
    case_id: str,
    now: datetime,
    report_ids: list[str] | None = None,
) -> Packet:
    """A new packet version: the subject again as the escalator reads it now, plus more reports.

    Earlier versions stay unchanged; the new one says what it holds.
    """
    actor.require(Permission.ESCALATE_CASE)
    case = _load_case(uow, case_id)
    if case.escalated_by != actor.id:
        raise PanelCaseNotFound(case_id)
    reports = _subject_reports(uow, actor, case.subject_kind, case.subject_id)
    known = {r.id for r in reports}
    for report_id in report_ids or []:
        if report_id not in known:
            reports.append(readable_report(uow, actor, report_id))
            known.add(report_id)
    version = len(uow.panel.packets(case_id)) + 1
    packet = _build_packet(uow, actor, case, reports, version, now)
    uow.panel.add_packet(packet)
    record(uow, actor, "panel.case.evidence", case_id, now,
           {"version": version, "packet_sha256": packet.sha256})
    uow.commit()
    return packet


def _subject_reports(
    uow: UnitOfWork, actor: Actor, kind: SubjectKind, subject_id: str
) -> list[Report]:
    """The reports of the subject the actor may read (``sharing.access``); RED ones included
    here so that the packet can count what it withholds."""
    if kind is SubjectKind.REPORT:
        return [readable_report(uow, actor, subject_id)]
    return list(get_campaign(uow, actor, subject_id).reports)


def _build_packet(
    uow: UnitOfWork, actor: Actor, case: Case, reports: list[Report], version: int, now: datetime
) -> Packet:
    snapshots: list[AssessmentSnapshot] = []
    subjects = [("report", r.id) for r in reports]
    if case.subject_kind is SubjectKind.CAMPAIGN:
        subjects.append(("campaign", case.subject_id))
    for kind, subject_id in subjects:
        for a in uow.assessments.for_subject(kind, subject_id):
            snapshots.append(AssessmentSnapshot(
                a.id, a.subject_kind, a.subject_id, f"{a.definition_id}@{a.definition_version}",
                a.verdict, a.version, a.updated_at, dict(a.body),
            ))
    return build_packet(
        case.id, version, (case.subject_kind.value, case.subject_id), readable(
            actor.reader, reports
        ), snapshots, actor.id, now,
    )


def _best_reliability(reports: list[Report]) -> SourceReliability:
    """The most reliable source among the reports (A best); F when unknown."""
    levels = [r.content.source_reliability for r in reports] or [SourceReliability.F]
    return min(levels, key=lambda s: s.value)


# -- cases as the panel reads them ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseSummary:
    case: Case
    tlp: str
    current: Decision | None
    acted: int
    seats: int


def list_cases(uow: UnitOfWork, actor: Actor) -> list[CaseSummary]:
    """The cases the actor may read: all for seat holders and panel managers, else their own."""
    try:
        _require_panel_reader(uow, actor)
        cases = uow.panel.list_cases()
    except PermissionDenied:
        if actor.person is None or not actor.person.may(Permission.ESCALATE_CASE):
            raise
        cases = [c for c in uow.panel.list_cases() if c.escalated_by == actor.id]
    all_seats = seats(uow)
    summaries = []
    for case in cases:
        packets = uow.panel.packets(case.id)
        counted = tally(all_seats, uow.panel.votes(case.id, case.round),
                        uow.panel.recusals(case.id))
        summaries.append(CaseSummary(
            case=case,
            tlp=packets[-1].tlp.value if packets else "CLEAR",
            current=current_decision(uow.panel.decisions(case.id)),
            acted=len(all_seats) - len(counted.pending),
            seats=len(all_seats),
        ))
    return summaries


def cases_of_subject(
    uow: UnitOfWork, actor: Actor, kind: SubjectKind, subject_id: str
) -> list[Case]:
    """Cases of a report or campaign, for its page; only what the actor may read of the panel."""
    found = uow.panel.cases_of(kind.value, subject_id)
    visible = []
    for case in found:
        try:
            _require_panel_reader(uow, actor, case)
        except PermissionDenied:
            continue
        visible.append(case)
    return visible


# -- deliberation (seat holders) --------------------------------------------------------------


def answer_checklist(
    uow: UnitOfWork,
    actor: Actor,
    case_id: str,
    item: ChecklistItem,
    value: str,
    note: str,
    now: datetime,
) -> ChecklistAnswer:
    _seat_of_actor(uow, actor, "answering the checklist")
    case = _load_case(uow, case_id)
    problem = checklist_problem(item, value)
    if problem:
        raise InvalidInput(item.value, problem)
    answer = ChecklistAnswer(case.id, item, value, note.strip(), actor.id, now)
    uow.panel.add_answer(answer)
    record(uow, actor, "panel.checklist", case_id, now, {"item": item.value, "value": value})
    uow.commit()
    return answer


def add_case_note(
    uow: UnitOfWork, actor: Actor, case_id: str, text: str, now: datetime
) -> CaseNote:
    _seat_of_actor(uow, actor, "writing deliberation notes")
    _load_case(uow, case_id)
    if not text.strip():
        raise InvalidInput("text", "a note cannot be empty")
    if len(text) > 20_000:
        raise InvalidInput("text", "a note has at most 20000 characters")
    note = CaseNote(str(uuid.uuid4()), case_id, actor.id, text.strip(), now)
    uow.panel.add_note(note)
    record(uow, actor, "panel.note", case_id, now, {"note": note.id})
    uow.commit()
    return note


def link_cases(uow: UnitOfWork, actor: Actor, case_id: str, other_id: str, now: datetime) -> None:
    """Link two cases, for the accumulation question of the checklist."""
    _seat_of_actor(uow, actor, "linking cases")
    _load_case(uow, case_id)
    _load_case(uow, other_id)
    if case_id == other_id:
        raise InvalidInput("other", "a case cannot be linked to itself")
    uow.panel.link_cases(case_id, other_id)
    record(uow, actor, "panel.case.linked", case_id, now, {"other": other_id})
    uow.commit()


def recuse(uow: UnitOfWork, actor: Actor, case_id: str, reason: str, now: datetime) -> Recusal:
    """A seat holder steps aside from a case for a conflict of interest; the reason is recorded."""
    seat = _seat_of_actor(uow, actor, "recusing from a case")
    case = _load_case(uow, case_id)
    if not reason.strip():
        raise RationaleRequired("reason", "a recusal")
    if any(r.seat_id == seat.id for r in uow.panel.recusals(case_id)):
        raise AlreadyVoted(case_id, seat.name, case.round)
    recusal = Recusal(case_id, seat.id, actor.id, reason.strip(), now)
    uow.panel.add_recusal(recusal)
    record(uow, actor, "panel.recused", case_id, now, {"seat": seat.id, "reason": reason})
    uow.commit()
    return recusal


def vote(
    uow: UnitOfWork,
    actor: Actor,
    case_id: str,
    choice: Choice,
    now: datetime,
    comment: str = "",
) -> Vote:
    """A seat votes (or abstains) once in the current round; a recused seat is refused."""
    seat = _seat_of_actor(uow, actor, "voting")
    case = _load_case(uow, case_id)
    if case.status is CaseStatus.DECIDED:
        current = current_decision(uow.panel.decisions(case_id))
        raise CaseDecided(case_id, current.id if current else "")
    for recusal in uow.panel.recusals(case_id):
        if recusal.seat_id == seat.id:
            raise RecusedFromCase(case_id, seat.name, recusal.reason)
    if any(v.seat_id == seat.id for v in uow.panel.votes(case_id, case.round)):
        raise AlreadyVoted(case_id, seat.name, case.round)
    cast = Vote(case_id, case.round, seat.id, actor.id, choice, now, comment.strip())
    uow.panel.add_vote(cast)
    record(uow, actor, "panel.vote", case_id, now,
           {"seat": seat.id, "round": case.round, "choice": choice.value})
    uow.commit()
    return cast


def _require_chair(uow: UnitOfWork, actor: Actor, action: str) -> Seat:
    seat = _seat_of_actor(uow, actor, action)
    if seat.id != uow.panel.chair_seat():
        raise NotChair(action)
    return seat


def record_decision(
    uow: UnitOfWork,
    actor: Actor,
    case_id: str,
    now: datetime,
    rationale: str = "",
    target: str = "",
    supersedes: str | None = None,
) -> Decision:
    """The chair records the decision the votes support, once every seat has acted.

    The outcome is not chosen: it follows from the votes and the published rules. A case already
    decided needs a new round (``reopen_case``) and a decision that names the one it supersedes.
    """
    _require_chair(uow, actor, "recording a decision")
    case = _load_case(uow, case_id)
    decisions = uow.panel.decisions(case_id)
    current = current_decision(decisions)
    if case.status is CaseStatus.DECIDED and current is not None:
        raise DecisionExists(case_id, current.id)
    if current is not None and supersedes != current.id:
        raise DecisionExists(case_id, current.id)
    if current is None and supersedes is not None:
        raise DecisionNotFound(supersedes)
    view = _view(uow, case)
    if view.tally.pending:
        names = {s.id: s.name for s in view.seats}
        raise SeatsStillToAct(case_id, [names[s] for s in view.tally.pending])
    if not view.quorum_met:
        raise QuorumNotMet(case_id, view.tally.cast, view.rules.quorum)
    outcome = view.supported_outcome
    rationale = rationale.strip()
    if outcome is NoticeKind.NONE and not rationale:
        raise RationaleRequired("rationale", "a decision of no notice (threshold not met)")
    target = target.strip()
    if outcome is NoticeKind.TARGETED and not target:
        raise InvalidInput("target", "a targeted notice names whom it goes to (a candidate, "
                           "organisation, riding or community)")
    if outcome is not NoticeKind.TARGETED:
        target = ""
    decision = Decision(
        id=str(uuid.uuid4()),
        case_id=case_id,
        outcome=outcome,
        target=target[:300],
        rationale=rationale,
        recorded_at=now,
        recorded_by=actor.id,
        supersedes=supersedes,
        threshold_met=outcome is not NoticeKind.NONE,
        round=case.round,
    )
    uow.panel.add_decision(decision)
    uow.panel.update_case(replace(case, status=CaseStatus.DECIDED))
    record(uow, actor, "panel.decision", case_id, now, {
        "decision": decision.id, "outcome": outcome.value, "round": case.round,
        "supersedes": supersedes, "votes": {
            "public": view.tally.public, "targeted": view.tally.targeted,
            "none": view.tally.none, "abstained": view.tally.abstained,
            "recused": view.tally.recused,
        },
    })
    uow.commit()
    return decision


def reopen_case(uow: UnitOfWork, actor: Actor, case_id: str, reason: str, now: datetime) -> Case:
    """The chair opens a new voting round on a decided case; its decision will supersede."""
    _require_chair(uow, actor, "reopening a case")
    case = _load_case(uow, case_id)
    if case.status is not CaseStatus.DECIDED:
        raise InvalidInput("case", f"case {case_id} is open (round {case.round}); nothing to reopen")
    if not reason.strip():
        raise RationaleRequired("reason", "reopening a decided case")
    reopened = replace(case, round=case.round + 1, status=CaseStatus.OPEN)
    uow.panel.update_case(reopened)
    record(uow, actor, "panel.case.reopened", case_id, now,
           {"round": reopened.round, "reason": reason.strip()})
    uow.commit()
    return reopened


# -- export -----------------------------------------------------------------------------------


def export_record(uow: UnitOfWork, actor: Actor, case_id: str, now: datetime) -> dict[str, Any]:
    """The complete decision record as a JSON value (the PDF is drawn from it); audited."""
    view = get_case(uow, actor, case_id)
    people = {
        view.case.escalated_by, *(s.holder for s in view.seats if s.holder),
        *(p.built_by for p in view.packets), *(a.answered_by for a in view.answer_history),
        *(n.author_id for n in view.notes), *(r.person_id for r in view.recusals),
        *(v.person_id for v in view.all_votes), *(d.recorded_by for d in view.decisions),
        actor.id,
    }
    names = {}
    for person_id in people:
        try:
            names[person_id] = uow.people.get(person_id).name
        except PersonNotFound:
            names[person_id] = person_id
    inputs = RecordInputs(
        case=view.case, rules=view.rules, seats=view.seats, chair_seat=view.chair_seat,
        packets=view.packets, answers=view.answer_history, notes=view.notes,
        recusals=view.recusals, votes=view.all_votes, decisions=view.decisions,
        linked=view.linked, names=names,
    )
    result = decision_record(inputs, now, actor.id)
    record(uow, actor, "panel.exported", case_id, now, {"decisions": len(view.decisions)})
    uow.commit()
    return result
