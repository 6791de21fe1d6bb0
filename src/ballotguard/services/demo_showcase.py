"""The demo's showcase case: the panel's whole procedure once, from escalation to a public notice.

The CERT analyst (Amira Haddad) escalates the campaign behind the false "polling stations
closed" claim (or, if the hub grouped no campaign around it, the network report itself); the
chair answers the threshold checklist and notes why; four seats vote for a public notice and the
broadcasting seat recuses (its elections desk reported on the posts); the chair records the
decision; the head of government's office, every registered party (one text, one time) and the
Electoral Commission are briefed; and the chair publishes the notice in English and French. So
``make run`` shows a real notice at /portal/en/ and /portal/fr/ and a decided case in the panel
room. Everything goes through the services as the demo's people, like the rest of the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from ballotguard.panel.briefings import Party
from ballotguard.panel.cases import ChecklistItem, SubjectKind
from ballotguard.panel.notices import NoticeContent, NoticeText
from ballotguard.panel.votes import Choice
from ballotguard.ports import UnitOfWork
from ballotguard.services import campaigns, notices, panel, reports
from ballotguard.services.actors import Actor, person_actor
from ballotguard.sharing import Person
from ballotguard.sharing.search import ReportFilter
from ballotguard.vocabulary import ActorKind, Confidence, Phase, Tlp, Vector

ESCALATOR = "cert_analyst"
CHAIR = "pau_panel"
RECUSED = "vpb_panel"
VOTERS = ("gov_panel1", "gov_panel2", "vf_panel", CHAIR)
LANGUAGES = ("en", "fr")
CLAIM = "polling stations closed"
CASE_TITLE = "Coordinated false claim that polling stations will be closed"

CHECKLIST: tuple[tuple[ChecklistItem, str, str], ...] = (
    (ChecklistItem.SCOPE, "national",
     "Posts name several regions; the amplifying network targets voters nationwide."),
    (ChecklistItem.EFFECT, "significant",
     "Voters who believe it may stay home or try to vote online, which does not exist."),
    (ChecklistItem.ACCUMULATION, "pattern",
     "Reports from the Commission, fact-checkers, platforms and a campaign over two weeks."),
    (ChecklistItem.PHASE, Phase.CAMPAIGN.value,
     "Three weeks before polling day; the claim is about polling day itself."),
)
NOTE = ("The Commission's own corrections have not slowed the reposting. A panel notice in plain "
        "words, in both languages, adds weight without naming anyone we cannot attribute.")
RATIONALE = ("A coordinated false claim, in several regions, that polling stations will be closed "
             "and that voters can vote online: it could keep people from voting. The threshold "
             "is met; a public notice tells voters what is true and where to check.")
BRIEFING = ("The independent panel will publish a public notice within the hour: false posts say "
            "polling stations will be closed on polling day. They are not. The notice names no "
            "party or candidate. Its text is attached.")

EN = NoticeText(
    title="False posts say polling stations will be closed",
    actor="We do not know who started the posts. A network of fake accounts spread them.",
    target="Voters in several regions, and then voters in the whole country.",
    when="Over the last two weeks. The posts are still going round.",
    where="On social media and in short videos.",
    known="The posts say that polling stations will be closed on polling day and that you can "
          "vote online. This is false. Every polling station will be open from 7 a.m. to "
          "8 p.m. There is no online voting.",
    unknown="We do not know who is behind the fake accounts. We do not know how many people saw "
            "the posts.",
    effect="None so far. If people believe the posts, some may not go to vote.",
    action="Vote at your polling station as usual. Your voter card shows where it is. You can "
           "also call 0800 555 010. Do not share posts that say stations are closed.",
)
FR = NoticeText(
    title="De faux messages disent que les bureaux de vote seront fermés",
    actor="Nous ne savons pas qui a lancé ces messages. Un réseau de faux comptes les a diffusés.",
    target="Les électeurs de plusieurs régions, puis ceux de tout le pays.",
    when="Depuis deux semaines. Les messages circulent encore.",
    where="Sur les réseaux sociaux et dans de courtes vidéos.",
    known="Les messages disent que les bureaux de vote seront fermés le jour du scrutin et qu'on "
          "peut voter en ligne. C'est faux. Tous les bureaux de vote seront ouverts de 7 h à "
          "20 h. On ne peut pas voter en ligne.",
    unknown="Nous ne savons pas qui est derrière les faux comptes. Nous ne savons pas combien de "
            "gens ont vu les messages.",
    effect="Aucun pour le moment. Si des gens croient ces messages, certains pourraient ne pas "
           "aller voter.",
    action="Votez à votre bureau de vote comme d'habitude. Votre carte d'électeur indique où il "
           "se trouve. Vous pouvez aussi appeler le 0800 555 010. Ne partagez pas les messages "
           "qui disent que les bureaux sont fermés.",
)
CONTENT = NoticeContent(
    threat_type=Vector.DISINFORMATION,
    actor_kind=ActorKind.UNKNOWN,
    confidence=Confidence.MODERATE,
    channel_url="https://vec.veldra.example/notices",
    texts={"en": EN, "fr": FR},
)


def find_subject(uow: UnitOfWork, analyst: Actor, now: datetime) -> tuple[SubjectKind, str] | None:
    """The campaign behind the claim as the analyst may see it, else the newest report of it."""
    page = reports.list_reports(
        uow, analyst, ReportFilter(text=CLAIM, vector=Vector.DISINFORMATION, tlp=Tlp.GREEN,
                                   include_retracted=False), 50, None, now)
    for report in page.reports:
        campaign = campaigns.campaign_of_report(uow, analyst, report.id)
        if campaign is not None:
            return SubjectKind.CAMPAIGN, campaign.id
    if page.reports:
        return SubjectKind.REPORT, page.reports[0].id
    return None


def load_showcase_demo(
    uow_factory: Callable[[], UnitOfWork], people: dict[str, Person], now: datetime
) -> str | None:
    """Take the showcase case from escalation to a published bilingual public notice.

    Returns the notice's id, or None when the demo holds no report of the claim (then nothing
    is written). Each step gets its own time, a minute or so after ``now``.
    """
    step = iter(range(1, 1000))

    def at() -> datetime:
        return now + timedelta(minutes=next(step))

    analyst = person_actor(people[ESCALATOR])
    chair = person_actor(people[CHAIR])
    with uow_factory() as uow:
        subject = find_subject(uow, analyst, now)
        if subject is None:
            return None
        kind, subject_id = subject
        case = panel.escalate(
            uow, analyst, kind, subject_id,
            "The same false claim about polling stations keeps coming back in several regions, "
            "pushed by a network of fake accounts. The panel should decide whether voters need "
            "to hear from it.", at(), title=CASE_TITLE, confidence=Confidence.MODERATE)
    with uow_factory() as uow:
        for item, value, why in CHECKLIST:
            panel.answer_checklist(uow, chair, case.id, item, value, why, at())
        panel.add_case_note(uow, chair, case.id, NOTE, at())
    with uow_factory() as uow:
        panel.recuse(uow, person_actor(people[RECUSED]), case.id,
                     "My organisation's elections desk reported on these posts.", at())
        for key in VOTERS:
            panel.vote(uow, person_actor(people[key]), case.id, Choice.PUBLIC, at())
    with uow_factory() as uow:
        decision = panel.record_decision(uow, chair, case.id, at(), rationale=RATIONALE)
    with uow_factory() as uow:
        for party in (Party.HEAD_OF_GOVERNMENT, Party.POLITICAL_PARTIES,
                      Party.ELECTION_AUTHORITY):
            notices.brief(uow, chair, decision.id, party, BRIEFING, None, at())
    with uow_factory() as uow:
        notice = notices.start_notice(uow, chair, decision.id, None, at())
        notices.save_draft(uow, chair, notice.id, CONTENT, at())
        notices.publish(uow, chair, notice.id, LANGUAGES, False, at())
    return notice.id
