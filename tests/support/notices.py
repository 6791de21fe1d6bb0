"""A decided case, configured parties and a complete bilingual notice, through the services."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ballotguard.bootstrap import Ballotguard
from ballotguard.panel.decisions import Decision
from ballotguard.panel.notices import NoticeContent, NoticeText
from ballotguard.panel.votes import Choice
from ballotguard.services import notices as notice_service
from ballotguard.services import panel as panel_service
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.sharing import Organisation, Person, Role, Sector
from ballotguard.vocabulary import ActorKind, Confidence, Vector
from support import panel as panel_support
from support import world

LANGUAGES = ("en", "fr")
EN = NoticeText(
    title="Fake messages about polling stations",
    actor="We do not know who sent them.",
    target="Voters in the north of the country.",
    when="On 2 November, in the morning.",
    where="By text message and on social media.",
    known="The messages say that polling stations have moved. They have not.",
    unknown="We do not know how many people got the message.",
    effect="No one has been kept from voting so far.",
    action="Check your polling station on the official site. Do not trust the messages.",
)
FR = NoticeText(
    title="Faux messages sur les bureaux de vote",
    actor="Nous ne savons pas qui les a envoyés.",
    target="Les électeurs du nord du pays.",
    when="Le 2 novembre, le matin.",
    where="Par texto et sur les réseaux sociaux.",
    known="Les messages disent que les bureaux de vote ont changé. C'est faux.",
    unknown="Nous ne savons pas combien de gens ont reçu le message.",
    effect="Personne n'a été empêché de voter pour le moment.",
    action="Vérifiez votre bureau de vote sur le site officiel. Ne croyez pas ces messages.",
)
CONTENT = NoticeContent(
    threat_type=Vector.DISINFORMATION,
    actor_kind=ActorKind.UNKNOWN,
    confidence=Confidence.MODERATE,
    channel_url="https://elections.example/notices",
    texts={"en": EN, "fr": FR},
)


@dataclass
class Stage:
    """Everything a notice needs: the panel (members[0] chairs), parties and a decision."""

    bg: Ballotguard
    members: list[Person]
    government: Organisation
    authority: Organisation
    parties: list[Organisation]
    official: Person
    decision: Decision


def stage(bg: Ballotguard, choices: Sequence[Choice] = (Choice.PUBLIC,) * 5,
          target: str = "") -> Stage:
    """A panel of five, a government office, an election authority with an election official,
    two registered parties, and a case decided by ``choices``."""
    panel_org = world.org(bg, "Panel secretariat", Sector.CIVIL_SOCIETY)
    government = world.org(bg, "Office of the Premier", Sector.GOVERNMENT)
    authority = world.org(bg, "Electoral Commission", Sector.ELECTION_AUTHORITY)
    parties = [world.org(bg, name, Sector.POLITICAL_PARTY)
               for name in ("Green Future Party", "Blue Horizon")]
    official = world.person(bg, authority, [Role.ELECTION_OFFICIAL, Role.ANALYST],
                            name="Lucia Brandvold")
    members = panel_support.seat_members(bg, panel_org)
    report = world.file(bg, official)
    case_id = panel_support.escalate_report(bg, official, report.id)
    panel_support.vote_all(bg, case_id, members, choices)
    with bg.uow() as uow:
        decision = panel_service.record_decision(
            uow, person_actor(members[0]), case_id, bg.clock(),
            rationale="National reach during the vote", target=target)
    with bg.uow() as uow:
        notice_service.configure_parties(uow, OPERATOR, government.id, authority.id, bg.clock())
    return Stage(bg, members, government, authority, parties, official, decision)


def brief_everyone(s: Stage, text: str = "A public notice will be published at noon.") -> None:
    from ballotguard.panel.briefings import Party

    for party in Party:
        with s.bg.uow() as uow:
            notice_service.brief(uow, person_actor(s.members[1]), s.decision.id, party, text,
                                 None, s.bg.clock())


def drafted(s: Stage, content: NoticeContent = CONTENT, target_org_id: str | None = None) -> str:
    chair = person_actor(s.members[0])
    with s.bg.uow() as uow:
        notice = notice_service.start_notice(uow, chair, s.decision.id, target_org_id,
                                             s.bg.clock())
    with s.bg.uow() as uow:
        notice_service.save_draft(uow, chair, notice.id, content, s.bg.clock())
    return notice.id
