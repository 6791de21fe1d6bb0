"""Public and targeted notices: the required parties, briefings, drafts, checks, publication,
corrections; the portal's reads; the official voting information pages.

Who may do what:

- ``manage_panel`` (instance admin): say which organisations are the head of government's office
  and the election authority (``configure_parties``);
- seat holders on the panel: record briefings, start and edit a notice's draft, run the checks;
- the chair: publish a notice (and its corrections), only on a standing decision of the panel
  to issue a notice (``services.panel.decision_for_notice``);
- members of the target organisation: read a published targeted notice;
- anyone, signed in or not: read published public notices (the portal);
- ``edit_voting_info`` in an election-authority organisation: edit voting information pages.

Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ballotguard.errors import (
    Conflict,
    FlagsNotAcknowledged,
    InvalidInput,
    NotChair,
    NotElectionAuthority,
    NoticeNotFound,
    NoticeNotReady,
    NotOnPanel,
    OrganisationNotFound,
    PartiesAlreadyBriefed,
    PartiesNotBriefed,
    VotingPageNotFound,
)
from ballotguard.panel.briefings import (
    PARTY_NAMES,
    Briefing,
    Party,
    RequiredParties,
    check_briefing_time,
    missing_briefings,
)
from ballotguard.panel.decisions import Decision, NoticeKind, current_decision
from ballotguard.panel.membership import PanelRules
from ballotguard.panel.notices import (
    Audience,
    CheckReport,
    Notice,
    NoticeContent,
    NoticeVersion,
    channel_problem,
    check,
    flag_keys,
    text_problems,
)
from ballotguard.ports import UnitOfWork
from ballotguard.ports.notices import PartiesConfig, VotingPage
from ballotguard.services import assessments
from ballotguard.services import panel as panel_service
from ballotguard.services.actors import Actor
from ballotguard.services.audit import record
from ballotguard.sharing import Organisation, Permission, Sector

BRIEFING_LIMIT = 20_000
REASON_LIMIT = 2000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_LIMIT = 80
PAGE_TITLE_LIMIT = 200
PAGE_BODY_LIMIT = 50_000
NAMED_SECTORS = (Sector.POLITICAL_PARTY, Sector.CAMPAIGN)


# -- the required parties ---------------------------------------------------------------------


def configure_parties(
    uow: UnitOfWork, actor: Actor, head_of_government: str | None,
    election_authority: str | None, now: datetime,
) -> PartiesConfig:
    """Name the head of government's office (sector government) and the election authority."""
    actor.require(Permission.MANAGE_PANEL)
    current = uow.notices.parties()
    hog = head_of_government if head_of_government is not None else (
        current.head_of_government if current else None)
    ea = election_authority if election_authority is not None else (
        current.election_authority if current else None)
    if hog:
        _org_of_sector(uow, hog, Sector.GOVERNMENT, "head_of_government")
    if ea:
        _org_of_sector(uow, ea, Sector.ELECTION_AUTHORITY, "election_authority")
    config = PartiesConfig(hog or None, ea or None, actor.id, now)
    uow.notices.save_parties(config)
    record(uow, actor, "notices.parties", "notice_parties", now,
           {"head_of_government": config.head_of_government,
            "election_authority": config.election_authority})
    uow.commit()
    return config


def _org_of_sector(uow: UnitOfWork, org_id: str, sector: Sector, field: str) -> Organisation:
    try:
        org = uow.orgs.get(org_id)
    except OrganisationNotFound:
        raise InvalidInput(field, f"no organisation {org_id}") from None
    if org.sector is not sector:
        raise InvalidInput(field, f"{org.name} is of sector {org.sector.value}, "
                                  f"not {sector.value}")
    return org


def required_parties(uow: UnitOfWork) -> RequiredParties:
    config = uow.notices.parties()
    parties = tuple(o.id for o in uow.orgs.list() if o.sector is Sector.POLITICAL_PARTY)
    return RequiredParties(
        config.head_of_government if config else None,
        config.election_authority if config else None,
        parties,
    )


def party_names(uow: UnitOfWork) -> list[str]:
    """Names the neutrality check looks for: registered parties and campaigns."""
    return [o.name for o in uow.orgs.list() if o.sector in NAMED_SECTORS]


# -- briefings --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BriefingStatus:
    decision: Decision
    briefings: list[Briefing]
    required: RequiredParties
    missing: list[str]
    names: dict[str, str]


def _panel_decision(uow: UnitOfWork, actor: Actor, decision_id: str, action: str) -> Decision:
    decision = panel_service.decision_for_notice(uow, actor, decision_id)
    if actor.person is None or not panel_service.holds_seat(uow, actor.person.id):
        raise NotOnPanel(action)
    return decision


def brief(
    uow: UnitOfWork, actor: Actor, decision_id: str, party: Party, text: str,
    informed_at: datetime | None, now: datetime,
) -> Briefing:
    """Record that ``party`` was told ``text`` at ``informed_at`` (default: now).

    For ``political_parties`` every registered party is named in the one briefing.
    """
    decision = _panel_decision(uow, actor, decision_id, "recording a briefing")
    if decision.outcome is not NoticeKind.PUBLIC:
        raise InvalidInput("decision", "briefings come before a public notice; this decision "
                                       f"is a {decision.outcome.value}")
    text = text.strip()
    if not text:
        raise InvalidInput("text", "write down what the party was told")
    if len(text) > BRIEFING_LIMIT:
        raise InvalidInput("text", f"at most {BRIEFING_LIMIT} characters")
    when = informed_at or now
    problem = check_briefing_time(when, now)
    if problem:
        raise InvalidInput("informed_at", problem)
    required = required_parties(uow)
    org_ids = _briefed_orgs(uow, decision_id, party, required)
    briefing = Briefing(str(uuid.uuid4()), decision_id, party, org_ids, text, when, actor.id, now)
    uow.notices.add_briefing(briefing)
    record(uow, actor, "notice.briefing", decision_id, now,
           {"party": party.value, "orgs": list(org_ids), "sha256": briefing.text_sha256,
            "informed_at": when.isoformat()})
    uow.commit()
    return briefing


def _briefed_orgs(
    uow: UnitOfWork, decision_id: str, party: Party, required: RequiredParties
) -> tuple[str, ...]:
    if party is Party.POLITICAL_PARTIES:
        earlier = [b for b in uow.notices.briefings(decision_id) if b.party is party]
        if earlier:
            raise PartiesAlreadyBriefed(decision_id, earlier[0].informed_at)
        if not required.political_parties:
            raise InvalidInput("party", "no organisation of sector political_party is registered")
        return required.political_parties
    org_id = (required.head_of_government if party is Party.HEAD_OF_GOVERNMENT
              else required.election_authority)
    if org_id is None:
        raise InvalidInput("party", f"{PARTY_NAMES[party]} is not configured; run "
                                    "`ballotguard notices parties`")
    return (org_id,)


def briefing_status(uow: UnitOfWork, actor: Actor, decision_id: str) -> BriefingStatus:
    decision = _panel_decision(uow, actor, decision_id, "reading briefings")
    return _status(uow, decision)


def _status(uow: UnitOfWork, decision: Decision) -> BriefingStatus:
    briefings = uow.notices.briefings(decision.id)
    required = required_parties(uow)
    names = {o.id: o.name for o in uow.orgs.list()}
    return BriefingStatus(decision, briefings, required,
                          missing_briefings(briefings, required, names), names)


# -- notices ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoticeView:
    notice: Notice
    versions: list[NoticeVersion]
    target_org: Organisation | None

    @property
    def latest(self) -> NoticeVersion | None:
        return self.versions[-1] if self.versions else None


def start_notice(
    uow: UnitOfWork, actor: Actor, decision_id: str, target_org_id: str | None, now: datetime
) -> Notice:
    """A draft notice on a standing decision to issue one; a targeted one names its target org."""
    decision = _panel_decision(uow, actor, decision_id, "drafting a notice")
    existing = uow.notices.by_decision(decision_id)
    if existing is not None:
        raise Conflict(f"decision {decision_id} has notice {existing.id} already")
    audience = Audience.PUBLIC if decision.outcome is NoticeKind.PUBLIC else Audience.TARGETED
    target = (target_org_id or "").strip() or None
    if audience is Audience.TARGETED:
        if target is None:
            raise InvalidInput("target_org_id", "a targeted notice names the organisation it "
                                                f"goes to (the decision says: {decision.target})")
        try:
            uow.orgs.get(target)
        except OrganisationNotFound:
            raise InvalidInput("target_org_id", f"no organisation {target}") from None
    else:
        target = None
    notice = Notice(str(uuid.uuid4()), decision_id, decision.case_id, audience, target,
                    actor.id, now, now, NoticeContent())
    uow.notices.add(notice)
    record(uow, actor, "notice.started", notice.id, now,
           {"decision": decision_id, "audience": audience.value, "target_org": target})
    uow.commit()
    return notice


def save_draft(
    uow: UnitOfWork, actor: Actor, notice_id: str, content: NoticeContent, now: datetime
) -> Notice:
    """Replace the draft; fields may stay empty until publication."""
    notice = _draft_notice(uow, actor, notice_id, "editing a notice")
    problem = channel_problem(content.channel_url)
    if problem:
        raise InvalidInput("channel_url", problem)
    for field, reason in text_problems(content):
        raise InvalidInput(field, reason)
    updated = notice.with_draft(content, now)
    uow.notices.update(updated)
    record(uow, actor, "notice.draft", notice_id, now)
    uow.commit()
    return updated


def _draft_notice(uow: UnitOfWork, actor: Actor, notice_id: str, action: str) -> Notice:
    notice = uow.notices.get(notice_id)
    if notice is None:
        raise NoticeNotFound(notice_id)
    if actor.person is None or not panel_service.holds_seat(uow, actor.person.id):
        if _may_read(uow, actor, notice):
            raise NotOnPanel(action)
        raise NoticeNotFound(notice_id)
    return notice


def check_notice(
    uow: UnitOfWork, actor: Actor, notice_id: str, languages: Sequence[str]
) -> CheckReport:
    notice = _draft_notice(uow, actor, notice_id, "checking a notice")
    return check(notice.draft, languages, party_names(uow))


def publish(
    uow: UnitOfWork, actor: Actor, notice_id: str, languages: Sequence[str],
    acknowledge_flags: bool, now: datetime, reason: str = "",
) -> NoticeVersion:
    """Publish the draft as the next version; a correction (version 2 on) needs its reason.

    Refused, naming what is wrong: unless the decision still stands; unless the actor is the
    chair; with empty fields or a grade above 8; with flags not acknowledged; for a public
    notice, before the required parties were informed.
    """
    notice = _draft_notice(uow, actor, notice_id, "publishing a notice")
    decision = panel_service.decision_for_notice(uow, actor, notice.decision_id)
    assert actor.person is not None
    if not panel_service.is_chair(uow, actor.person.id):
        raise NotChair("publishing a notice")
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise InvalidInput("reason", f"at most {REASON_LIMIT} characters")
    versions = uow.notices.versions(notice_id)
    if versions and not reason:
        raise InvalidInput("reason", f"a correction of version {versions[-1].number} needs its "
                                     "reason; it is shown with the old text")
    if versions and versions[-1].content == notice.draft:
        raise InvalidInput("notice", f"nothing changed since version {versions[-1].number}")
    report = check(notice.draft, languages, party_names(uow))
    if report.blocking:
        raise NoticeNotReady(notice_id, list(report.missing), list(report.blocking))
    if report.flags and not acknowledge_flags:
        raise FlagsNotAcknowledged(notice_id, list(flag_keys(report.flags)))
    if notice.audience is Audience.PUBLIC:
        missing = _status(uow, decision).missing
        if missing:
            raise PartiesNotBriefed(decision.id, missing)
    version = NoticeVersion(notice_id, len(versions) + 1, notice.draft, now, actor.id,
                            reason if versions else "", flag_keys(report.flags))
    uow.notices.add_version(version)
    uow.notices.update(replace(notice, version=version.number, updated_at=now,
                               published_at=notice.published_at or now))
    record(uow, actor, "notice.published", notice_id, now,
           {"version": version.number, "reason": version.reason,
            "acknowledged": list(version.acknowledged),
            "grades": {lang: r.grade for lang, r in report.readability.items()}})
    uow.commit()
    return version


def _may_read(uow: UnitOfWork, actor: Actor, notice: Notice) -> bool:
    """Seat holders read every notice; a published public one is for everyone; a published
    targeted one for the members of its target organisation."""
    person = actor.person
    if person is not None and panel_service.holds_seat(uow, person.id):
        return True
    if not notice.version:
        return False
    if notice.audience is Audience.PUBLIC:
        return True
    return person is not None and person.active and person.org_id == notice.target_org_id


def get_notice(uow: UnitOfWork, actor: Actor, notice_id: str) -> NoticeView:
    notice = uow.notices.get(notice_id)
    if notice is None or not _may_read(uow, actor, notice):
        raise NoticeNotFound(notice_id)
    return _view(uow, notice)


def _view(uow: UnitOfWork, notice: Notice) -> NoticeView:
    target = None
    if notice.target_org_id:
        try:
            target = uow.orgs.get(notice.target_org_id)
        except OrganisationNotFound:
            target = None
    return NoticeView(notice, uow.notices.versions(notice.id), target)


def list_notices(uow: UnitOfWork, actor: Actor) -> list[NoticeView]:
    """The notices the actor may read, newest first."""
    return [_view(uow, n) for n in uow.notices.list() if _may_read(uow, actor, n)]


def notice_for_decision(uow: UnitOfWork, actor: Actor, decision_id: str) -> Notice | None:
    _panel_decision(uow, actor, decision_id, "reading a decision's notice")
    return uow.notices.by_decision(decision_id)


@dataclass(frozen=True, slots=True)
class AwaitingNotice:
    decision: Decision
    case_title: str


def decisions_awaiting_notice(uow: UnitOfWork, actor: Actor) -> list[AwaitingNotice]:
    """Standing decisions to issue a notice that have no notice yet (seat holders only)."""
    if actor.person is None or not panel_service.holds_seat(uow, actor.person.id):
        return []
    found = []
    for case in uow.panel.list_cases():
        decision = current_decision(uow.panel.decisions(case.id))
        if decision is not None and decision.is_notice \
                and uow.notices.by_decision(decision.id) is None:
            found.append(AwaitingNotice(decision, case.title))
    return found


# -- the portal (no login) --------------------------------------------------------------------


def public_notices(uow: UnitOfWork) -> list[NoticeView]:
    """Published public notices, most recently first published first."""
    views = [_view(uow, n) for n in uow.notices.list()
             if n.audience is Audience.PUBLIC and n.version]
    return sorted(views, key=lambda v: (v.notice.published_at or v.notice.created_at),
                  reverse=True)


def public_notice(uow: UnitOfWork, notice_id: str) -> NoticeView:
    notice = uow.notices.get(notice_id)
    if notice is None or notice.audience is not Audience.PUBLIC or not notice.version:
        raise NoticeNotFound(notice_id)
    return _view(uow, notice)


@dataclass(frozen=True, slots=True)
class PublishedDefinition:
    entry: assessments.DefinitionEntry
    run: dict[str, object]


@dataclass(frozen=True, slots=True)
class Methodology:
    definitions: list[PublishedDefinition]
    rules: PanelRules
    threshold: str


def methodology(uow: UnitOfWork) -> Methodology:
    """The adopted definitions with their case-library results, and the panel's threshold."""
    published = [
        PublishedDefinition(entry, assessments.run_summary(
            assessments.test_definition(entry.definition)))
        for entry in assessments.list_definitions(uow) if entry.adoption is not None
    ]
    rules = panel_service.panel_rules(uow)
    return Methodology(published, rules, rules.describe())


# -- voting information -----------------------------------------------------------------------


def save_voting_page(
    uow: UnitOfWork, actor: Actor, slug: str, lang: str, title: str, body: str, reason: str,
    languages: Sequence[str], now: datetime,
) -> VotingPage:
    """A new version of a voting information page (Markdown); a change after the first needs a
    reason. Only election officials of an election authority (or the console operator)."""
    actor.require(Permission.EDIT_VOTING_INFO)
    if actor.person is not None:
        org = uow.orgs.get(actor.person.org_id)
        if org.sector is not Sector.ELECTION_AUTHORITY:
            raise NotElectionAuthority("editing voting information")
    slug, title, body, reason = slug.strip().lower(), title.strip(), body.strip(), reason.strip()
    if not SLUG.match(slug) or len(slug) > SLUG_LIMIT:
        raise InvalidInput("slug", "lower-case letters, digits and single hyphens, e.g. "
                                   f"where-to-vote (at most {SLUG_LIMIT})")
    if lang not in languages:
        raise InvalidInput("lang", f"'{lang}' is not a portal language ({', '.join(languages)})")
    if not title or len(title) > PAGE_TITLE_LIMIT:
        raise InvalidInput("title", f"between 1 and {PAGE_TITLE_LIMIT} characters")
    if not body or len(body) > PAGE_BODY_LIMIT:
        raise InvalidInput("body", f"between 1 and {PAGE_BODY_LIMIT} characters")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput("reason", f"at most {REASON_LIMIT} characters")
    latest = uow.notices.voting_page(slug, lang)
    if latest is not None:
        if not reason:
            raise InvalidInput("reason", "say what changed; the earlier version stays on record")
        if (latest.title, latest.body) == (title, body):
            raise InvalidInput("body", f"nothing changed since version {latest.version}")
    page = VotingPage(slug, lang, (latest.version + 1) if latest else 1, title, body, actor.id,
                      now, reason)
    uow.notices.add_voting_page(page)
    record(uow, actor, "voting_info.saved", f"{slug}/{lang}", now,
           {"version": page.version, "reason": reason})
    uow.commit()
    return page


def voting_pages(uow: UnitOfWork, lang: str | None = None) -> list[VotingPage]:
    return uow.notices.voting_pages(lang)


def voting_page(uow: UnitOfWork, slug: str, lang: str) -> VotingPage:
    page = uow.notices.voting_page(slug, lang)
    if page is None:
        raise VotingPageNotFound(f"{slug} ({lang})")
    return page


def voting_page_history(uow: UnitOfWork, slug: str, lang: str) -> list[VotingPage]:
    history = uow.notices.voting_page_history(slug, lang)
    if not history:
        raise VotingPageNotFound(f"{slug} ({lang})")
    return history
