"""Tables and repository of the briefings, public notices and voting information pages.

Briefings, published notice versions and voting page versions are insert-only here (the port has
no update for them). A notice keeps its content as JSON: the fields are read together, never
queried one by one.
"""

from __future__ import annotations

import builtins
import json
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from ballotguard.errors import Conflict
from ballotguard.panel.briefings import Briefing, Party
from ballotguard.panel.notices import (
    Audience,
    Notice,
    NoticeVersion,
    content_from_dict,
    content_to_dict,
)
from ballotguard.ports.notices import PartiesConfig, VotingPage
from ballotguard.store.models import ID, Base


class NoticePartiesRow(Base):
    """The one row of configuration: who the head of government's office and the authority are."""

    __tablename__ = "notice_parties"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    head_of_government: Mapped[str | None] = mapped_column(ID, nullable=True)
    election_authority: Mapped[str | None] = mapped_column(ID, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime]


class BriefingRow(Base):
    __tablename__ = "notice_briefings"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    decision_id: Mapped[str] = mapped_column(ID, index=True)
    party: Mapped[str] = mapped_column(String(40))
    org_ids: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    informed_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(320))
    recorded_at: Mapped[datetime]


class NoticeRow(Base):
    __tablename__ = "notices"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    decision_id: Mapped[str] = mapped_column(ID, unique=True)
    case_id: Mapped[str] = mapped_column(ID, index=True)
    audience: Mapped[str] = mapped_column(String(20))
    target_org_id: Mapped[str | None] = mapped_column(ID, nullable=True)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    draft: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)


class NoticeVersionRow(Base):
    __tablename__ = "notice_versions"
    notice_id: Mapped[str] = mapped_column(ID, ForeignKey("notices.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    content: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime]
    published_by: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(Text)
    acknowledged: Mapped[str] = mapped_column(Text)


class VotingPageRow(Base):
    __tablename__ = "voting_pages"
    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    edited_by: Mapped[str] = mapped_column(String(320))
    edited_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)


class SqlNoticeStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- configuration ------------------------------------------------------------------------

    def parties(self) -> PartiesConfig | None:
        row = self.session.get(NoticePartiesRow, 1)
        if row is None:
            return None
        return PartiesConfig(row.head_of_government, row.election_authority, row.updated_by,
                             row.updated_at)

    def save_parties(self, config: PartiesConfig) -> None:
        row = self.session.get(NoticePartiesRow, 1) or NoticePartiesRow(id=1)
        row.head_of_government = config.head_of_government
        row.election_authority = config.election_authority
        row.updated_by = config.updated_by
        row.updated_at = config.updated_at
        self.session.add(row)
        self.session.flush()

    # -- briefings ----------------------------------------------------------------------------

    def add_briefing(self, briefing: Briefing) -> None:
        self.session.add(BriefingRow(
            id=briefing.id, decision_id=briefing.decision_id, party=briefing.party.value,
            org_ids=json.dumps(list(briefing.org_ids)), text=briefing.text,
            text_sha256=briefing.text_sha256, informed_at=briefing.informed_at,
            recorded_by=briefing.recorded_by, recorded_at=briefing.recorded_at,
        ))
        self.session.flush()

    def briefings(self, decision_id: str) -> builtins.list[Briefing]:
        rows = self.session.scalars(
            select(BriefingRow).where(BriefingRow.decision_id == decision_id)
            .order_by(BriefingRow.informed_at, BriefingRow.recorded_at, BriefingRow.id)
        )
        return [
            Briefing(r.id, r.decision_id, Party(r.party), tuple(json.loads(r.org_ids)), r.text,
                     r.informed_at, r.recorded_by, r.recorded_at)
            for r in rows
        ]

    # -- notices ------------------------------------------------------------------------------

    def add(self, notice: Notice) -> None:
        if self.by_decision(notice.decision_id) is not None:
            raise Conflict(f"decision {notice.decision_id} has a notice already")
        row = NoticeRow(id=notice.id)
        _fill(row, notice)
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            raise Conflict(f"decision {notice.decision_id} has a notice already") from None

    def update(self, notice: Notice) -> None:
        row = self.session.get(NoticeRow, notice.id)
        if row is None:
            raise Conflict(f"notice {notice.id} was removed meanwhile")
        _fill(row, notice)
        self.session.flush()

    def get(self, notice_id: str) -> Notice | None:
        row = self.session.get(NoticeRow, notice_id)
        return _notice(row) if row else None

    def by_decision(self, decision_id: str) -> Notice | None:
        row = self.session.scalar(select(NoticeRow).where(NoticeRow.decision_id == decision_id))
        return _notice(row) if row else None

    def list(self) -> builtins.list[Notice]:
        rows = self.session.scalars(
            select(NoticeRow).order_by(NoticeRow.created_at.desc(), NoticeRow.id)
        )
        return [_notice(r) for r in rows]

    def add_version(self, version: NoticeVersion) -> None:
        if self.session.get(NoticeVersionRow, (version.notice_id, version.number)) is not None:
            raise Conflict(f"notice {version.notice_id} has a version {version.number} already")
        self.session.add(NoticeVersionRow(
            notice_id=version.notice_id, number=version.number,
            content=json.dumps(content_to_dict(version.content), ensure_ascii=False),
            published_at=version.published_at, published_by=version.published_by,
            reason=version.reason, acknowledged=json.dumps(list(version.acknowledged)),
        ))
        self.session.flush()

    def versions(self, notice_id: str) -> builtins.list[NoticeVersion]:
        rows = self.session.scalars(
            select(NoticeVersionRow).where(NoticeVersionRow.notice_id == notice_id)
            .order_by(NoticeVersionRow.number)
        )
        return [
            NoticeVersion(r.notice_id, r.number, content_from_dict(json.loads(r.content)),
                          r.published_at, r.published_by, r.reason,
                          tuple(json.loads(r.acknowledged)))
            for r in rows
        ]

    # -- voting information -------------------------------------------------------------------

    def add_voting_page(self, page: VotingPage) -> None:
        key = (page.slug, page.lang, page.version)
        if self.session.get(VotingPageRow, key) is not None:
            raise Conflict(f"voting page {page.slug} ({page.lang}) changed meanwhile; reload it")
        self.session.add(VotingPageRow(
            slug=page.slug, lang=page.lang, version=page.version, title=page.title,
            body=page.body, edited_by=page.edited_by, edited_at=page.edited_at,
            reason=page.reason,
        ))
        try:
            self.session.flush()
        except IntegrityError:
            raise Conflict(
                f"voting page {page.slug} ({page.lang}) changed meanwhile; reload it"
            ) from None

    def voting_page(self, slug: str, lang: str) -> VotingPage | None:
        row = self.session.scalar(
            select(VotingPageRow)
            .where(VotingPageRow.slug == slug, VotingPageRow.lang == lang)
            .order_by(VotingPageRow.version.desc()).limit(1)
        )
        return _page(row) if row else None

    def voting_page_history(self, slug: str, lang: str) -> builtins.list[VotingPage]:
        rows = self.session.scalars(
            select(VotingPageRow)
            .where(VotingPageRow.slug == slug, VotingPageRow.lang == lang)
            .order_by(VotingPageRow.version)
        )
        return [_page(r) for r in rows]

    def voting_pages(self, lang: str | None = None) -> builtins.list[VotingPage]:
        """The newest version of every page (in ``lang`` when given), by slug then language."""
        newest = (
            select(VotingPageRow.slug, VotingPageRow.lang,
                   func.max(VotingPageRow.version).label("version"))
            .group_by(VotingPageRow.slug, VotingPageRow.lang)
            .subquery()
        )
        query = select(VotingPageRow).join(
            newest,
            (VotingPageRow.slug == newest.c.slug) & (VotingPageRow.lang == newest.c.lang)
            & (VotingPageRow.version == newest.c.version),
        )
        if lang is not None:
            query = query.where(VotingPageRow.lang == lang)
        rows = self.session.scalars(query.order_by(VotingPageRow.slug, VotingPageRow.lang))
        return [_page(r) for r in rows]


def _fill(row: NoticeRow, notice: Notice) -> None:
    row.decision_id = notice.decision_id
    row.case_id = notice.case_id
    row.audience = notice.audience.value
    row.target_org_id = notice.target_org_id
    row.created_by = notice.created_by
    row.created_at = notice.created_at
    row.updated_at = notice.updated_at
    row.draft = json.dumps(content_to_dict(notice.draft), ensure_ascii=False)
    row.version = notice.version
    row.published_at = notice.published_at


def _notice(row: NoticeRow) -> Notice:
    return Notice(
        id=row.id, decision_id=row.decision_id, case_id=row.case_id,
        audience=Audience(row.audience), target_org_id=row.target_org_id,
        created_by=row.created_by, created_at=row.created_at, updated_at=row.updated_at,
        draft=content_from_dict(json.loads(row.draft)), version=row.version,
        published_at=row.published_at,
    )


def _page(row: VotingPageRow) -> VotingPage:
    return VotingPage(row.slug, row.lang, row.version, row.title, row.body, row.edited_by,
                      row.edited_at, row.reason)
