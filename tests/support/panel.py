"""Seating a panel and taking a case to a decision, through the services, for tests."""

from __future__ import annotations

from collections.abc import Sequence

from ballotguard.bootstrap import Ballotguard
from ballotguard.panel.cases import SubjectKind
from ballotguard.panel.votes import Choice
from ballotguard.services import panel as panel_service
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.sharing import Organisation, Person, Role
from support import world


def seat_members(bg: Ballotguard, org: Organisation, count: int = 5) -> list[Person]:
    """``count`` new panel members seated in Seat 1.. Seat n; the first is the chair."""
    members = [
        world.person(bg, org, [Role.PANEL_MEMBER], name=f"Panel member {i + 1}")
        for i in range(count)
    ]
    seat(bg, members)
    return members


def seat(bg: Ballotguard, members: Sequence[Person], chair: int = 0) -> None:
    with bg.uow() as uow:
        if len(members) != panel_service.panel_rules(uow).seats:
            panel_service.configure_panel(uow, OPERATOR, bg.clock(), seats_count=len(members),
                                          quorum=min(len(members), 4 if len(members) >= 4
                                                     else len(members)),
                                          notice_votes=max(len(members) // 2 + 1,
                                                           min(4, len(members))))
        for n, member in enumerate(members):
            panel_service.assign_seat(uow, OPERATOR, f"seat-{n + 1}", member.id, bg.clock())
        panel_service.set_chair(uow, OPERATOR, f"seat-{chair + 1}", bg.clock())


def escalate_report(bg: Ballotguard, analyst: Person, report_id: str, reason: str = "Pattern "
                    "against the registration portal") -> str:
    with bg.uow() as uow:
        case = panel_service.escalate(uow, person_actor(analyst), SubjectKind.REPORT, report_id,
                                      reason, bg.clock())
    return case.id


def vote_all(bg: Ballotguard, case_id: str, members: Sequence[Person],
             choices: Sequence[Choice]) -> None:
    for member, choice in zip(members, choices, strict=True):
        with bg.uow() as uow:
            panel_service.vote(uow, person_actor(member), case_id, choice, bg.clock())
