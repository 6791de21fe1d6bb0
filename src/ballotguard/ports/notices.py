"""Ports of public notices, briefings of the required parties, and the public portal's pages.

Briefings and published notice versions are appended, never updated: the record of who was told
what and when, and of what the public was told, must survive corrections. Only a notice's draft
(and its count of published versions) changes. Voting information pages are versioned the same
way: each save is a new version.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from ballotguard.panel.briefings import Briefing
from ballotguard.panel.notices import Notice, NoticeVersion


@dataclass(frozen=True, slots=True)
class PartiesConfig:
    """Which organisations are the head of government's office and the election authority."""

    head_of_government: str | None
    election_authority: str | None
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class VotingPage:
    """One version of an official voting information page in one language (Markdown body)."""

    slug: str
    lang: str
    version: int
    title: str
    body: str
    edited_by: str
    edited_at: datetime
    reason: str = ""


class NoticeStore(Protocol):
    """Briefings, notice drafts and published notice versions, voting information pages."""

    def parties(self) -> PartiesConfig | None: ...
    def save_parties(self, config: PartiesConfig) -> None: ...

    def add_briefing(self, briefing: Briefing) -> None: ...
    def briefings(self, decision_id: str) -> builtins.list[Briefing]: ...

    def add(self, notice: Notice) -> None: ...
    def update(self, notice: Notice) -> None: ...
    def get(self, notice_id: str) -> Notice | None: ...
    def by_decision(self, decision_id: str) -> Notice | None: ...
    def list(self) -> builtins.list[Notice]: ...
    def add_version(self, version: NoticeVersion) -> None: ...
    def versions(self, notice_id: str) -> builtins.list[NoticeVersion]: ...

    def add_voting_page(self, page: VotingPage) -> None: ...
    def voting_page(self, slug: str, lang: str) -> VotingPage | None: ...
    def voting_page_history(self, slug: str, lang: str) -> builtins.list[VotingPage]: ...
    def voting_pages(self, lang: str | None = None) -> builtins.list[VotingPage]: ...
