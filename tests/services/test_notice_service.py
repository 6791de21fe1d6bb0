"""Public and targeted notices through the services: briefings first, every field, plain and
neutral language, the chair publishes, corrections keep the old text; voting information."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ballotguard.errors import (
    Conflict,
    DecisionNotFound,
    FlagsNotAcknowledged,
    InvalidInput,
    NotChair,
    NotElectionAuthority,
    NoticeNotFound,
    NoticeNotReady,
    NotOnPanel,
    PartiesAlreadyBriefed,
    PartiesNotBriefed,
    PermissionDenied,
    VotingPageNotFound,
)
from ballotguard.panel.briefings import Party
from ballotguard.panel.notices import Audience, NoticeContent
from ballotguard.panel.votes import Choice
from ballotguard.services import notices as service
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.sharing import Role, Sector
from services.conftest import People
from support import notices as support
from support import world

P, T, N = Choice.PUBLIC, Choice.TARGETED, Choice.NONE
LANGS = support.LANGUAGES


@pytest.fixture
def stage(people: People) -> support.Stage:
    return support.stage(people.bg)


def publish(s: support.Stage, notice_id: str, who: int = 0, ack: bool = False,
            reason: str = "") -> object:
    with s.bg.uow() as uow:
        return service.publish(uow, person_actor(s.members[who]), notice_id, LANGS, ack,
                               s.bg.clock(), reason)


def test_publishing_before_the_parties_are_briefed_names_who_is_missing(
    stage: support.Stage,
) -> None:
    notice_id = support.drafted(stage)
    with pytest.raises(PartiesNotBriefed) as raised:
        publish(stage, notice_id)
    assert raised.value.missing == [
        "the head of government's office (Office of the Premier) was not informed",
        "the election authority (Electoral Commission) was not informed",
        "registered parties not informed: Blue Horizon, Green Future Party",
    ]
    support.brief_everyone(stage)
    version = publish(stage, notice_id)
    assert version.number == 1  # type: ignore[attr-defined]


def test_all_parties_are_briefed_in_one_action_with_one_text(stage: support.Stage) -> None:
    bg = stage.bg
    with bg.uow() as uow:
        briefing = service.brief(uow, person_actor(stage.members[2]), stage.decision.id,
                                 Party.POLITICAL_PARTIES, "Same words for all", None, bg.clock())
    assert set(briefing.org_ids) == {p.id for p in stage.parties}
    with bg.uow() as uow, pytest.raises(PartiesAlreadyBriefed, match="same text at the same"):
        service.brief(uow, person_actor(stage.members[2]), stage.decision.id,
                      Party.POLITICAL_PARTIES, "Different words", None, bg.clock())


def test_a_briefing_needs_text_a_past_time_and_a_seat(
    people: People, stage: support.Stage
) -> None:
    bg = stage.bg
    member = person_actor(stage.members[1])
    with bg.uow() as uow, pytest.raises(InvalidInput, match="text"):
        service.brief(uow, member, stage.decision.id, Party.HEAD_OF_GOVERNMENT, " ", None,
                      bg.clock())
    with bg.uow() as uow, pytest.raises(InvalidInput, match="future"):
        service.brief(uow, member, stage.decision.id, Party.HEAD_OF_GOVERNMENT, "Told",
                      bg.clock() + timedelta(hours=1), bg.clock())
    with bg.uow() as uow, pytest.raises(DecisionNotFound):
        service.brief(uow, person_actor(people.cert_analyst), stage.decision.id,
                      Party.HEAD_OF_GOVERNMENT, "Told", None, bg.clock())
    with bg.uow() as uow:
        earlier = bg.clock() - timedelta(hours=2)
        briefing = service.brief(uow, member, stage.decision.id, Party.HEAD_OF_GOVERNMENT,
                                 "Told by phone", earlier, bg.clock())
    assert briefing.informed_at == earlier and briefing.recorded_at == bg.clock()


def test_a_missing_field_refuses_publication_naming_every_one(stage: support.Stage) -> None:
    support.brief_everyone(stage)
    content = replace(support.CONTENT, confidence=None,
                      texts={"en": replace(support.EN, unknown=""), "fr": support.FR})
    notice_id = support.drafted(stage, content)
    with pytest.raises(NoticeNotReady) as raised:
        publish(stage, notice_id)
    assert raised.value.missing == ["confidence", "en.unknown"]
    assert "empty fields: confidence, en.unknown" in str(raised.value)


def test_a_hard_text_is_refused_and_flags_need_acknowledging(stage: support.Stage) -> None:
    support.brief_everyone(stage)
    hard = ("The unprecedented exfiltration of confidential electoral information necessitates "
            "comprehensive investigation by governmental institutions.")
    notice_id = support.drafted(stage, replace(support.CONTENT, texts={
        "en": replace(support.EN, known=hard, unknown=hard, effect=hard), "fr": support.FR}))
    with pytest.raises(NoticeNotReady, match=r"en: readability grade .* is above 8"):
        publish(stage, notice_id)
    flagged = replace(support.CONTENT, texts={
        "en": replace(support.EN, target="Supporters of the Green Future Party."),
        "fr": support.FR})
    with stage.bg.uow() as uow:
        service.save_draft(uow, person_actor(stage.members[0]), notice_id, flagged,
                           stage.bg.clock())
    with pytest.raises(FlagsNotAcknowledged, match="party_name 'Green Future Party'"):
        publish(stage, notice_id)
    version = publish(stage, notice_id, ack=True)
    assert version.acknowledged == (  # type: ignore[attr-defined]
        "en.target: party_name 'Green Future Party'",)


def test_only_the_chair_publishes_and_only_seat_holders_draft(
    people: People, stage: support.Stage
) -> None:
    support.brief_everyone(stage)
    notice_id = support.drafted(stage)
    with pytest.raises(NotChair):
        publish(stage, notice_id, who=1)
    with stage.bg.uow() as uow, pytest.raises(NoticeNotFound):
        service.save_draft(uow, person_actor(people.cec_analyst), notice_id, NoticeContent(),
                           stage.bg.clock())
    with stage.bg.uow() as uow, pytest.raises(Conflict, match="has notice"):
        service.start_notice(uow, person_actor(stage.members[1]), stage.decision.id, None,
                             stage.bg.clock())


def test_a_correction_is_a_new_version_with_its_reason(
    people: People, stage: support.Stage
) -> None:
    bg = stage.bg
    support.brief_everyone(stage)
    notice_id = support.drafted(stage)
    publish(stage, notice_id)
    with pytest.raises(InvalidInput, match="needs its reason"):
        publish(stage, notice_id)
    with pytest.raises(InvalidInput, match="nothing changed since version 1"):
        publish(stage, notice_id, reason="No change")
    bg.clock.advance(hours=3)  # type: ignore[attr-defined]
    corrected = replace(support.CONTENT, texts={
        "en": replace(support.EN, when="On 2 November, all day."),
        "fr": replace(support.FR, when="Le 2 novembre, toute la journée.")})
    with bg.uow() as uow:
        service.save_draft(uow, person_actor(stage.members[0]), notice_id, corrected, bg.clock())
    publish(stage, notice_id, reason="The messages kept coming in the afternoon.")
    with bg.uow() as uow:
        view = service.get_notice(uow, person_actor(people.cert_analyst), notice_id)
        public = service.public_notice(uow, notice_id)
    assert [v.number for v in view.versions] == [1, 2]
    assert view.versions[0].content == support.CONTENT
    assert view.versions[1].reason == "The messages kept coming in the afternoon."
    assert public.latest is not None and public.latest.content == corrected
    assert public.notice.published_at < public.latest.published_at  # type: ignore[operator]


def test_drafts_stay_off_the_portal(stage: support.Stage) -> None:
    notice_id = support.drafted(stage)
    with stage.bg.uow() as uow:
        assert service.public_notices(uow) == []
        with pytest.raises(NoticeNotFound):
            service.public_notice(uow, notice_id)


def test_a_superseded_decision_publishes_nothing(stage: support.Stage) -> None:
    from ballotguard.errors import DecisionSuperseded
    from ballotguard.services import panel as panel_service
    from support import panel as panel_support

    bg = stage.bg
    support.brief_everyone(stage)
    notice_id = support.drafted(stage)
    chair = person_actor(stage.members[0])
    with bg.uow() as uow:
        panel_service.reopen_case(uow, chair, stage.decision.case_id, "New facts", bg.clock())
    panel_support.vote_all(bg, stage.decision.case_id, stage.members, [N] * 5)
    with bg.uow() as uow:
        panel_service.record_decision(uow, chair, stage.decision.case_id, bg.clock(),
                                      rationale="Threshold not met after all",
                                      supersedes=stage.decision.id)
    with pytest.raises(DecisionSuperseded):
        publish(stage, notice_id)


def test_a_targeted_notice_goes_to_its_target_org_and_the_panel_only(people: People) -> None:
    s = support.stage(people.bg, [T, T, T, T, P], target="Green Future Party")
    target = s.parties[0]
    with s.bg.uow() as uow, pytest.raises(InvalidInput, match="names the organisation"):
        service.start_notice(uow, person_actor(s.members[0]), s.decision.id, None, s.bg.clock())
    notice_id = support.drafted(s, replace(support.CONTENT, texts={
        "en": replace(support.EN, target="Your party's staff."), "fr": support.FR}),
        target_org_id=target.id)
    version = publish(s, notice_id)  # no briefings needed for a targeted notice
    assert version.number == 1  # type: ignore[attr-defined]
    staff = world.person(s.bg, target, [Role.REPORTER])
    outsider = world.person(s.bg, s.parties[1], [Role.REPORTER])
    with s.bg.uow() as uow:
        view = service.get_notice(uow, person_actor(staff), notice_id)
        assert view.notice.audience is Audience.TARGETED
        assert service.public_notices(uow) == []
        assert [v.notice.id for v in service.list_notices(uow, person_actor(staff))] == [notice_id]
        assert service.list_notices(uow, person_actor(outsider)) == []
        with pytest.raises(NoticeNotFound):
            service.get_notice(uow, person_actor(outsider), notice_id)
        with pytest.raises(NoticeNotFound):
            service.public_notice(uow, notice_id)


def test_briefings_are_only_for_public_notices(people: People) -> None:
    s = support.stage(people.bg, [T, T, T, T, P], target="A riding")
    with s.bg.uow() as uow, pytest.raises(InvalidInput, match="before a public notice"):
        service.brief(uow, person_actor(s.members[0]), s.decision.id,
                      Party.ELECTION_AUTHORITY, "Told", None, s.bg.clock())


def test_parties_configuration_checks_sectors(people: People, stage: support.Stage) -> None:
    with stage.bg.uow() as uow, pytest.raises(InvalidInput, match="not government"):
        service.configure_parties(uow, OPERATOR, stage.authority.id, None, stage.bg.clock())
    with stage.bg.uow() as uow, pytest.raises(PermissionDenied):
        service.configure_parties(uow, person_actor(people.cec_admin), None, None,
                                  stage.bg.clock())
    with stage.bg.uow() as uow:
        kept = service.configure_parties(uow, OPERATOR, None, None, stage.bg.clock())
    assert (kept.head_of_government, kept.election_authority) == (
        stage.government.id, stage.authority.id)


def test_voting_information_is_versioned_and_edited_by_election_officials(
    people: People, stage: support.Stage
) -> None:
    bg = stage.bg
    official = person_actor(stage.official)
    with bg.uow() as uow:
        first = service.save_voting_page(uow, official, "where-to-vote", "en", "Where to vote",
                                         "Find your **polling station**.", "", LANGS, bg.clock())
    with bg.uow() as uow, pytest.raises(InvalidInput, match="say what changed"):
        service.save_voting_page(uow, official, "where-to-vote", "en", "Where to vote",
                                 "New text", "", LANGS, bg.clock())
    with bg.uow() as uow:
        second = service.save_voting_page(uow, official, "where-to-vote", "en", "Where to vote",
                                          "New text", "Hours added", LANGS, bg.clock())
    assert (first.version, second.version) == (1, 2)
    with bg.uow() as uow:
        assert service.voting_page(uow, "where-to-vote", "en") == second
        assert service.voting_page_history(uow, "where-to-vote", "en") == [first, second]
        with pytest.raises(VotingPageNotFound):
            service.voting_page(uow, "where-to-vote", "fr")
    for slug, lang, field in (("Where To Vote!", "en", "slug"), ("ok", "de", "lang")):
        with bg.uow() as uow, pytest.raises(InvalidInput, match=field):
            service.save_voting_page(uow, official, slug, lang, "T", "B", "", LANGS, bg.clock())
    outsider_org = world.org(bg, "Ministry", Sector.GOVERNMENT)
    outsider = world.person(bg, outsider_org, [Role.ELECTION_OFFICIAL])
    with bg.uow() as uow, pytest.raises(NotElectionAuthority):
        service.save_voting_page(uow, person_actor(outsider), "x", "en", "T", "B", "", LANGS,
                                 bg.clock())
    with bg.uow() as uow, pytest.raises(PermissionDenied):
        service.save_voting_page(uow, person_actor(people.cec_analyst), "x", "en", "T", "B", "",
                                 LANGS, bg.clock())


def test_methodology_has_the_adopted_definition_and_the_threshold(
    people: People, stage: support.Stage
) -> None:
    from ballotguard.services import assessments

    with stage.bg.uow() as uow:
        baseline = assessments.list_definitions(uow)[0].definition
        assessments.adopt_definition(uow, OPERATOR, baseline.text, None, stage.bg.clock())
    with stage.bg.uow() as uow:
        method = service.methodology(uow)
    assert [d.entry.definition.id for d in method.definitions] == [baseline.id]
    assert method.definitions[0].run["cases"] == len(assessments.case_library())
    assert "at least 4 votes" in method.threshold


def test_not_on_panel_sees_a_published_notice_but_cannot_edit_it(
    people: People, stage: support.Stage
) -> None:
    support.brief_everyone(stage)
    notice_id = support.drafted(stage)
    publish(stage, notice_id)
    with stage.bg.uow() as uow, pytest.raises(NotOnPanel):
        service.save_draft(uow, person_actor(people.cec_analyst), notice_id, NoticeContent(),
                           stage.bg.clock())
