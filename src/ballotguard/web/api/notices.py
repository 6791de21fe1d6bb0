"""Public notices over JSON: briefings of the required parties, drafts, checks, publication,
corrections; voting information; and the portal's published notices (no login)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from ballotguard.panel.briefings import Briefing, Party
from ballotguard.panel.languages import parse_languages
from ballotguard.panel.notices import (
    TEXT_LIMIT,
    CheckReport,
    NoticeContent,
    NoticeText,
    NoticeVersion,
)
from ballotguard.ports import UnitOfWork
from ballotguard.ports.notices import VotingPage
from ballotguard.services import notices
from ballotguard.services.actors import Actor
from ballotguard.sharing import Permission
from ballotguard.vocabulary import ActorKind, Confidence, Vector
from ballotguard.web.access import (
    PUBLIC,
    SIGNED_IN,
    GuardedRoute,
    app_of,
    current_actor,
    needs,
    rule,
)
from ballotguard.web.deps import NOW, UOW

router = APIRouter(prefix="/api", tags=["notices"], route_class=GuardedRoute)
ACTOR = Depends(current_actor)
PANEL = needs(Permission.SIT_ON_PANEL)
Id = Annotated[str, Field(min_length=1, max_length=64)]
Text = Annotated[str, Field(max_length=TEXT_LIMIT)]


def _languages(request: Request) -> tuple[str, ...]:
    return parse_languages(app_of(request).settings.portal_languages)


class PartiesIn(BaseModel):
    head_of_government: Id | None = Field(None, description="organisation id (sector government)")
    election_authority: Id | None = Field(None, description="organisation id (sector "
                                                            "election_authority)")


class PartiesOut(BaseModel):
    head_of_government: str | None
    election_authority: str | None


class BriefingIn(BaseModel):
    party: Party
    text: Annotated[str, Field(min_length=1, max_length=20_000)]
    informed_at: datetime | None = Field(None, description="when they were told; default now")


class BriefingOut(BaseModel):
    id: str
    decision_id: str
    party: str
    org_ids: list[str]
    text: str
    text_sha256: str
    informed_at: datetime
    recorded_by: str
    recorded_at: datetime


class BriefingStatusOut(BaseModel):
    decision_id: str
    briefings: list[BriefingOut]
    missing: list[str] = Field(description="what stands between the decision and publication")


class NoticeTextIO(BaseModel):
    title: Annotated[str, Field(max_length=200)] = ""
    actor: Text = ""
    target: Text = ""
    when: Text = ""
    where: Text = ""
    known: Text = ""
    unknown: Text = ""
    effect: Text = ""
    action: Text = ""


class ContentIO(BaseModel):
    threat_type: Vector | None = None
    actor_kind: ActorKind | None = None
    confidence: Confidence | None = None
    channel_url: Annotated[str, Field(max_length=2000)] = ""
    texts: dict[Annotated[str, Field(max_length=8)], NoticeTextIO] = Field(
        default_factory=dict, description="text per language code (en, fr)")


class NewNoticeIn(BaseModel):
    decision_id: Id
    target_org_id: Id | None = Field(None, description="for a targeted notice: the organisation")


class PublishIn(BaseModel):
    acknowledge_flags: bool = Field(False, description="the publisher reviewed every flag")
    reason: Annotated[str, Field(max_length=2000)] = Field(
        "", description="required for a correction (version 2 on)")


class VersionOut(BaseModel):
    number: int
    published_at: datetime
    published_by: str
    reason: str
    acknowledged: list[str]
    content: ContentIO


class NoticeOut(BaseModel):
    id: str
    decision_id: str
    case_id: str
    audience: str
    target_org_id: str | None
    state: str
    version: int
    published_at: datetime | None
    draft: ContentIO | None = Field(None, description="seat holders only")
    versions: list[VersionOut]


class PublicNoticeOut(BaseModel):
    id: str
    published_at: datetime | None
    versions: list[VersionOut]


class FlagOut(BaseModel):
    kind: str
    language: str
    field: str
    excerpt: str
    detail: str


class GradeOut(BaseModel):
    grade: float
    formula: str
    sentences: int
    words: int
    syllables: int
    ease: float | None


class CheckOut(BaseModel):
    publishable_with_acknowledgement: bool
    blocking: list[str]
    missing: list[str]
    readability: dict[str, GradeOut]
    flags: list[FlagOut]


class VotingPageIn(BaseModel):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    body: Annotated[str, Field(min_length=1, max_length=50_000, description="Markdown")]
    reason: Annotated[str, Field(max_length=2000)] = ""


class VotingPageOut(BaseModel):
    slug: str
    lang: str
    version: int
    title: str
    body: str
    edited_at: datetime
    reason: str


def content_in(body: ContentIO) -> NoticeContent:
    return NoticeContent(
        threat_type=body.threat_type, actor_kind=body.actor_kind, confidence=body.confidence,
        channel_url=body.channel_url.strip(),
        texts={lang: NoticeText.of(text.model_dump()) for lang, text in body.texts.items()},
    )


def content_out(content: NoticeContent) -> ContentIO:
    return ContentIO(
        threat_type=content.threat_type, actor_kind=content.actor_kind,
        confidence=content.confidence, channel_url=content.channel_url,
        texts={lang: NoticeTextIO(**text.fields()) for lang, text in content.texts.items()},
    )


def version_out(v: NoticeVersion) -> VersionOut:
    return VersionOut(number=v.number, published_at=v.published_at, published_by=v.published_by,
                      reason=v.reason, acknowledged=list(v.acknowledged),
                      content=content_out(v.content))


def briefing_out(b: Briefing) -> BriefingOut:
    return BriefingOut(id=b.id, decision_id=b.decision_id, party=b.party.value,
                       org_ids=list(b.org_ids), text=b.text, text_sha256=b.text_sha256,
                       informed_at=b.informed_at, recorded_by=b.recorded_by,
                       recorded_at=b.recorded_at)


def notice_out(view: notices.NoticeView, with_draft: bool) -> NoticeOut:
    n = view.notice
    return NoticeOut(
        id=n.id, decision_id=n.decision_id, case_id=n.case_id, audience=n.audience.value,
        target_org_id=n.target_org_id, state=n.state.value, version=n.version,
        published_at=n.published_at, draft=content_out(n.draft) if with_draft else None,
        versions=[version_out(v) for v in view.versions],
    )


def check_out(report: CheckReport) -> CheckOut:
    return CheckOut(
        publishable_with_acknowledgement=not report.blocking,
        blocking=list(report.blocking),
        missing=list(report.missing),
        readability={
            lang: GradeOut(grade=r.grade, formula=r.formula, sentences=r.sentences,
                           words=r.words, syllables=r.syllables, ease=r.ease)
            for lang, r in report.readability.items()
        },
        flags=[FlagOut(kind=f.kind, language=f.language, field=f.field, excerpt=f.excerpt,
                       detail=f.detail) for f in report.flags],
    )


def page_out(p: VotingPage) -> VotingPageOut:
    return VotingPageOut(slug=p.slug, lang=p.lang, version=p.version, title=p.title, body=p.body,
                         edited_at=p.edited_at, reason=p.reason)


def _seat_holder(uow: UnitOfWork, actor: Actor) -> bool:
    from ballotguard.services import panel

    return actor.person is not None and panel.holds_seat(uow, actor.person.id)


@router.put("/notices/parties", response_model=PartiesOut)
@rule(needs(Permission.MANAGE_PANEL))
def set_parties(body: PartiesIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
                now: datetime = NOW) -> PartiesOut:
    """Which organisations are the head of government's office and the election authority."""
    config = notices.configure_parties(uow, actor, body.head_of_government,
                                       body.election_authority, now)
    return PartiesOut(head_of_government=config.head_of_government,
                      election_authority=config.election_authority)


@router.get("/notices/decisions/{decision_id}/briefings", response_model=BriefingStatusOut)
@rule(PANEL)
def briefings(decision_id: str, uow: UnitOfWork = UOW,
              actor: Actor = ACTOR) -> BriefingStatusOut:
    status = notices.briefing_status(uow, actor, decision_id)
    return BriefingStatusOut(decision_id=decision_id,
                             briefings=[briefing_out(b) for b in status.briefings],
                             missing=status.missing)


@router.post("/notices/decisions/{decision_id}/briefings", response_model=BriefingOut,
             status_code=201)
@rule(PANEL)
def brief(decision_id: str, body: BriefingIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
          now: datetime = NOW) -> BriefingOut:
    """Record that a required party was informed; political_parties names every party at once."""
    return briefing_out(notices.brief(uow, actor, decision_id, body.party, body.text,
                                      body.informed_at, now))


@router.post("/notices", response_model=NoticeOut, status_code=201)
@rule(PANEL)
def start(body: NewNoticeIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
          now: datetime = NOW) -> NoticeOut:
    notice = notices.start_notice(uow, actor, body.decision_id, body.target_org_id, now)
    return notice_out(notices.NoticeView(notice, [], None), True)


@router.get("/notices", response_model=list[NoticeOut])
@rule(SIGNED_IN)
def list_notices(uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> list[NoticeOut]:
    """Notices the caller may read: all for seat holders; published public ones; published
    targeted ones addressed to the caller's organisation."""
    seat = _seat_holder(uow, actor)
    return [notice_out(v, seat) for v in notices.list_notices(uow, actor)]


@router.get("/notices/{notice_id}", response_model=NoticeOut)
@rule(SIGNED_IN)
def get_notice(notice_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> NoticeOut:
    return notice_out(notices.get_notice(uow, actor, notice_id), _seat_holder(uow, actor))


@router.put("/notices/{notice_id}/draft", response_model=NoticeOut)
@rule(PANEL)
def save_draft(notice_id: str, body: ContentIO, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
               now: datetime = NOW) -> NoticeOut:
    notices.save_draft(uow, actor, notice_id, content_in(body), now)
    return notice_out(notices.get_notice(uow, actor, notice_id), True)


@router.post("/notices/{notice_id}/check", response_model=CheckOut)
@rule(PANEL)
def check(request: Request, notice_id: str, uow: UnitOfWork = UOW,
          actor: Actor = ACTOR) -> CheckOut:
    """Plain-language and neutrality checks of the draft in every configured language."""
    return check_out(notices.check_notice(uow, actor, notice_id, _languages(request)))


@router.post("/notices/{notice_id}/publish", response_model=VersionOut, status_code=201)
@rule(PANEL)
def publish(request: Request, notice_id: str, body: PublishIn, uow: UnitOfWork = UOW,
            actor: Actor = ACTOR, now: datetime = NOW) -> VersionOut:
    """Publish the draft (the chair); refused naming empty fields, a grade above 8, flags not
    acknowledged, or required parties not yet informed."""
    return version_out(notices.publish(uow, actor, notice_id, _languages(request),
                                       body.acknowledge_flags, now, body.reason))


@router.put("/voting-info/{slug}/{lang}", response_model=VotingPageOut)
@rule(needs(Permission.EDIT_VOTING_INFO))
def save_voting_page(request: Request, slug: str, lang: str, body: VotingPageIn,
                     uow: UnitOfWork = UOW, actor: Actor = ACTOR,
                     now: datetime = NOW) -> VotingPageOut:
    """Save a new version of an official voting information page (Markdown, HTML disabled)."""
    return page_out(notices.save_voting_page(uow, actor, slug, lang, body.title, body.body,
                                             body.reason, _languages(request), now))


@router.get("/portal/notices", response_model=list[PublicNoticeOut])
@rule(PUBLIC)
def public_notices(uow: UnitOfWork = UOW) -> list[PublicNoticeOut]:
    """Published public notices with every version (no login)."""
    return [PublicNoticeOut(id=v.notice.id, published_at=v.notice.published_at,
                            versions=[version_out(x) for x in v.versions])
            for v in notices.public_notices(uow)]


@router.get("/portal/notices/{notice_id}", response_model=PublicNoticeOut)
@rule(PUBLIC)
def public_notice(notice_id: str, uow: UnitOfWork = UOW) -> PublicNoticeOut:
    v = notices.public_notice(uow, notice_id)
    return PublicNoticeOut(id=v.notice.id, published_at=v.notice.published_at,
                           versions=[version_out(x) for x in v.versions])


@router.get("/portal/voting-info", response_model=list[VotingPageOut])
@rule(PUBLIC)
def public_voting_pages(uow: UnitOfWork = UOW) -> list[VotingPageOut]:
    """The newest version of every voting information page, in every language (no login)."""
    return [page_out(p) for p in notices.voting_pages(uow)]
