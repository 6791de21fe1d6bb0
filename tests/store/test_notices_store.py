"""Contract tests for the notice store, on SQLite and PostgreSQL: party configuration, briefings
in order, one notice per decision, drafts that round-trip every field, append-only versions, and
voting information pages whose newest version wins."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import Conflict
from ballotguard.panel.briefings import Briefing, Party
from ballotguard.panel.notices import Audience, Notice, NoticeContent, NoticeText, NoticeVersion
from ballotguard.ports.notices import PartiesConfig, VotingPage
from ballotguard.vocabulary import ActorKind, Confidence, Vector

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CONTENT = NoticeContent(
    threat_type=Vector.DISINFORMATION,
    actor_kind=ActorKind.FOREIGN_STATE,
    confidence=Confidence.HIGH,
    channel_url="https://elections.example/n/1",
    texts={
        "en": NoticeText(title="Fake messages", known="They say the vote moved. It did not."),
        "fr": NoticeText(title="Faux messages", known="Ils disent que le vote a changé. Non."),
    },
)


def notice(notice_id: str = "n1", decision_id: str = "d1") -> Notice:
    return Notice(notice_id, decision_id, "c1", Audience.PUBLIC, None, "p1", T0, T0, CONTENT)


def test_parties_configuration_is_one_row(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        assert uow.notices.parties() is None
        uow.notices.save_parties(PartiesConfig("pmo", None, "admin", T0))
        uow.notices.save_parties(PartiesConfig("pmo", "vec", "admin", T0 + timedelta(hours=1)))
        uow.commit()
    with bg.uow() as uow:
        assert uow.notices.parties() == PartiesConfig("pmo", "vec", "admin",
                                                      T0 + timedelta(hours=1))


def test_briefings_come_back_in_the_order_they_were_given(bg: Ballotguard) -> None:
    late = Briefing("b2", "d1", Party.POLITICAL_PARTIES, ("green", "blue"), "Texte égal",
                    T0 + timedelta(hours=1), "p1", T0 + timedelta(hours=2))
    early = Briefing("b1", "d1", Party.HEAD_OF_GOVERNMENT, ("pmo",), "Text", T0, "p1", T0)
    other = replace(early, id="b3", decision_id="d2")
    with bg.uow() as uow:
        for b in (late, early, other):
            uow.notices.add_briefing(b)
        uow.commit()
    with bg.uow() as uow:
        assert uow.notices.briefings("d1") == [early, late]
        assert uow.notices.briefings("nothing") == []
        assert uow.notices.briefings("d1")[1].text_sha256 == late.text_sha256


def test_a_notice_round_trips_and_its_draft_changes(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.notices.add(notice())
        uow.commit()
    with bg.uow() as uow:
        assert uow.notices.get("n1") == notice()
        assert uow.notices.by_decision("d1") == notice()
        changed = replace(notice(), draft=replace(CONTENT, channel_url="https://x.example"),
                          updated_at=T0 + timedelta(minutes=5), version=1, published_at=T0)
        uow.notices.update(changed)
        uow.commit()
    with bg.uow() as uow:
        assert uow.notices.get("n1") == changed
        assert uow.notices.get("missing") is None
        assert uow.notices.list() == [changed]


def test_one_notice_per_decision(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.notices.add(notice())
        with pytest.raises(Conflict, match="has a notice already"):
            uow.notices.add(notice("n2", "d1"))


def test_versions_are_appended_never_replaced(bg: Ballotguard) -> None:
    first = NoticeVersion("n1", 1, CONTENT, T0, "chair", "", ("en.known: jargon 'actor'",))
    second = NoticeVersion("n1", 2, replace(CONTENT, confidence=Confidence.MODERATE),
                           T0 + timedelta(days=1), "chair", "The confidence was overstated.")
    with bg.uow() as uow:
        uow.notices.add(notice())
        uow.notices.add_version(second)
        uow.notices.add_version(first)
        with pytest.raises(Conflict, match="version 1 already"):
            uow.notices.add_version(replace(first, reason="again"))
        uow.commit()
    with bg.uow() as uow:
        assert uow.notices.versions("n1") == [first, second]


def page(version: int, lang: str = "en", slug: str = "where-to-vote") -> VotingPage:
    return VotingPage(slug, lang, version, f"Where to vote v{version}", f"Body **{version}**",
                      "official", T0 + timedelta(hours=version), "" if version == 1 else "update")


def test_voting_pages_newest_version_per_slug_and_language(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        for p in (page(1), page(2), page(1, "fr"), page(1, "en", "id-needed")):
            uow.notices.add_voting_page(p)
        uow.commit()
    with bg.uow() as uow:
        assert uow.notices.voting_page("where-to-vote", "en") == page(2)
        assert uow.notices.voting_page("where-to-vote", "de") is None
        assert uow.notices.voting_page_history("where-to-vote", "en") == [page(1), page(2)]
        assert uow.notices.voting_pages("en") == [page(1, "en", "id-needed"), page(2)]
        assert uow.notices.voting_pages() == [page(1, "en", "id-needed"), page(2), page(1, "fr")]


def test_a_voting_page_version_is_written_once(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.notices.add_voting_page(page(1))
        with pytest.raises(Conflict, match="changed meanwhile"):
            uow.notices.add_voting_page(replace(page(1), body="someone else's edit"))
