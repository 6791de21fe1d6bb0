"""Campaigns through the services, on SQLite and PostgreSQL: reports filed with shared evidence
join one campaign incrementally, analysts' decisions survive recomputation, and a reader never
learns anything about a report they may not read."""

from __future__ import annotations

import pytest

from ballotguard.bootstrap import Ballotguard
from ballotguard.campaigns import DecisionKind
from ballotguard.errors import (
    CampaignNotFound,
    CampaignNotFullyVisible,
    InvalidInput,
    PermissionDenied,
    ReportNotFound,
)
from ballotguard.services import campaigns as cs
from ballotguard.services import reports as rs
from ballotguard.services.actors import person_actor
from ballotguard.sharing import Observable, Person, Report
from ballotguard.sharing.observables import ObservableKind
from ballotguard.vocabulary import Phase, Tlp, Vector
from support import world

from .conftest import People, build

URL = "https://www.veldra-truth.example/ballots-shredded/?utm_source=tg"
SAME_URL = "http://veldra-truth.example/ballots-shredded"


@pytest.fixture
def hub(bg: Ballotguard) -> People:
    return build(bg)


def url(value: str) -> Observable:
    return Observable(kind=ObservableKind.URL, value=value)


def handle(value: str) -> Observable:
    return Observable(kind=ObservableKind.SOCIAL_HANDLE, value=value)


def file(people: People, who: Person, title: str, observables: list[Observable], **more: object) -> Report:
    """A report whose narrative is too short to link by itself: links come from the evidence."""
    return world.file(people.bg, who, title=title, summary=title, observables=observables, **more)


def campaign_of(people: People, report_id: str) -> str | None:
    with people.bg.uow() as uow:
        return uow.correlation.campaign_of(report_id)


def members(people: People, campaign_id: str) -> frozenset[str]:
    with people.bg.uow() as uow:
        return uow.correlation.campaign(campaign_id).members


def test_reports_sharing_a_canonical_url_form_one_campaign_that_says_why(hub: People) -> None:
    first = file(hub, hub.cec_reporter, "Fake story of shredded ballots", [url(URL)])
    assert campaign_of(hub, first.id) is None
    second = file(hub, hub.cert_analyst, "Same link pushed by bots", [url(SAME_URL)])
    campaign_id = campaign_of(hub, second.id)
    assert campaign_id is not None
    assert campaign_of(hub, first.id) == campaign_id
    with hub.bg.uow() as uow:
        view = cs.get_campaign(uow, person_actor(hub.cert_analyst), campaign_id)
    assert {r.id for r in view.reports} == {first.id, second.id}
    [link] = view.links
    assert any("veldra-truth.example/ballots-shredded" in r.detail for r in link.reasons)
    assert view.fully_visible


def test_a_third_report_joins_and_two_campaigns_merge_when_a_report_bridges_them(hub: People) -> None:
    a1 = file(hub, hub.cec_reporter, "Site A one", [url("https://a-news.example/x")])
    a2 = file(hub, hub.cec_reporter, "Site A two", [url("https://a-news.example/x")])
    b1 = file(hub, hub.cec_reporter, "Handle B one", [handle("x:veldra_patriot")])
    b2 = file(hub, hub.cec_reporter, "Handle B two", [handle("x:veldra_patriot")])
    first, second = campaign_of(hub, a1.id), campaign_of(hub, b1.id)
    assert first and second and first != second
    bridge = file(hub, hub.cec_reporter, "Bridge",
                  [url("https://a-news.example/x"), handle("x:veldra_patriot")])
    merged = campaign_of(hub, bridge.id)
    assert merged in {first, second}
    assert members(hub, merged) == {a1.id, a2.id, b1.id, b2.id, bridge.id}


def test_unrelated_reports_stay_apart(hub: People) -> None:
    one = file(hub, hub.cec_reporter, "Phishing of the commission", [url("https://one.example/a")])
    two = file(hub, hub.cec_reporter, "DDoS on the results site", [url("https://two.example/b")],
               vectors=[Vector.DENIAL_OF_SERVICE], phase=Phase.RESULTS)
    assert campaign_of(hub, one.id) is None
    assert campaign_of(hub, two.id) is None


def test_a_reader_sees_only_readable_members_and_counts(hub: People) -> None:
    hidden = file(hub, hub.cec_reporter, "CEC internal: portal probing", [url(URL)], tlp=Tlp.AMBER)
    open_one = file(hub, hub.cert_analyst, "Portal probing seen at CERT", [url(URL)])
    open_two = file(hub, hub.platform_analyst, "Portal link shared on Agora", [url(URL)])
    campaign_id = campaign_of(hub, open_one.id)
    assert members(hub, campaign_id) == {hidden.id, open_one.id, open_two.id}
    with hub.bg.uow() as uow:
        platform = person_actor(hub.platform_analyst)
        view = cs.get_campaign(uow, platform, campaign_id)
        summaries = cs.list_campaigns(uow, platform)
        insider = cs.get_campaign(uow, person_actor(hub.cec_analyst), campaign_id)
    assert {r.id for r in view.reports} == {open_one.id, open_two.id}
    assert all(hidden.id not in (link.a, link.b) for link in view.links)
    assert not view.fully_visible
    assert [(s.id, s.reports) for s in summaries] == [(campaign_id, 2)]
    assert {r.id for r in insider.reports} == {hidden.id, open_one.id, open_two.id}


def test_a_campaign_with_one_readable_report_does_not_exist_for_that_reader(hub: People) -> None:
    file(hub, hub.cec_reporter, "CEC only one", [url(URL)], tlp=Tlp.AMBER)
    visible = file(hub, hub.cert_analyst, "CERT sees the link", [url(URL)])
    campaign_id = campaign_of(hub, visible.id)
    with hub.bg.uow() as uow:
        platform = person_actor(hub.platform_analyst)
        with pytest.raises(CampaignNotFound):
            cs.get_campaign(uow, platform, campaign_id)
        assert cs.list_campaigns(uow, platform) == []
        assert cs.campaign_of_report(uow, platform, visible.id) is None


def test_rejecting_a_link_splits_and_sticks_on_recomputation(hub: People) -> None:
    one = file(hub, hub.cec_reporter, "One", [url(URL)])
    two = file(hub, hub.cec_reporter, "Two", [url(URL)])
    analyst = person_actor(hub.cec_analyst)
    with hub.bg.uow() as uow:
        left = cs.decide_link(uow, analyst, one.id, two.id, DecisionKind.REJECT,
                              "same link, unrelated purposes", hub.bg.clock())
    assert left is None
    assert campaign_of(hub, one.id) is None
    with hub.bg.uow() as uow:
        cs.recompute(uow, hub.bg.clock())
        uow.commit()
    assert campaign_of(hub, one.id) is None and campaign_of(hub, two.id) is None


def test_correcting_a_report_re_links_it(hub: People) -> None:
    one = file(hub, hub.cec_reporter, "One", [url(URL)])
    two = file(hub, hub.cec_reporter, "Two", [url("https://elsewhere.example/z")])
    assert campaign_of(hub, two.id) is None
    corrected = two.content.model_copy(update={"observables": [url(SAME_URL)]})
    with hub.bg.uow() as uow:
        rs.correct_report(uow, person_actor(hub.cec_reporter), two.id, corrected,
                          "the link was mistyped", hub.bg.clock())
    assert campaign_of(hub, two.id) == campaign_of(hub, one.id) is not None


def test_retracting_a_report_takes_it_out_of_its_campaign(hub: People) -> None:
    one = file(hub, hub.cec_reporter, "One", [url(URL)])
    two = file(hub, hub.cec_reporter, "Two", [url(URL)])
    three = file(hub, hub.cec_reporter, "Three", [url(URL)])
    with hub.bg.uow() as uow:
        rs.retract_report(uow, person_actor(hub.cec_reporter), three.id, "filed twice",
                          hub.bg.clock())
    campaign_id = campaign_of(hub, one.id)
    assert members(hub, campaign_id) == {one.id, two.id}
    assert campaign_of(hub, three.id) is None


def test_split_and_merge_survive_recomputation(hub: People) -> None:
    reports = [file(hub, hub.cec_reporter, f"R{i}", [url(URL)]) for i in range(4)]
    ids = [r.id for r in reports]
    campaign_id = campaign_of(hub, ids[0])
    analyst = person_actor(hub.cec_analyst)
    with hub.bg.uow() as uow:
        left = cs.split_campaign(uow, analyst, campaign_id, frozenset(ids[2:]),
                                 "two operations reuse one link", hub.bg.clock())
    assert len(left) == 2
    assert campaign_of(hub, ids[0]) == campaign_of(hub, ids[1])
    assert campaign_of(hub, ids[2]) == campaign_of(hub, ids[3])
    assert campaign_of(hub, ids[0]) != campaign_of(hub, ids[2])
    with hub.bg.uow() as uow:
        cs.recompute(uow, hub.bg.clock())
        uow.commit()
    assert campaign_of(hub, ids[0]) != campaign_of(hub, ids[2])
    first, second = campaign_of(hub, ids[0]), campaign_of(hub, ids[2])
    with hub.bg.uow() as uow:
        merged = cs.merge_campaigns(uow, analyst, first, second, "same operator after all",
                                    hub.bg.clock())
    assert members(hub, merged) == set(ids)
    with hub.bg.uow() as uow:
        cs.recompute(uow, hub.bg.clock())
        uow.commit()
    assert members(hub, campaign_of(hub, ids[0])) == set(ids)


def test_merge_and_split_are_refused_without_full_visibility(hub: People) -> None:
    hidden = file(hub, hub.cec_reporter, "CEC only", [url(URL)], tlp=Tlp.AMBER)
    a = file(hub, hub.platform_analyst, "A", [url(URL)])
    b = file(hub, hub.platform_analyst, "B", [url(URL)])
    c = file(hub, hub.platform_analyst, "C", [handle("x:other")])
    d = file(hub, hub.platform_analyst, "D", [handle("x:other")])
    platform = person_actor(hub.platform_analyst)
    first, second = campaign_of(hub, a.id), campaign_of(hub, c.id)
    with hub.bg.uow() as uow:
        with pytest.raises(CampaignNotFullyVisible):
            cs.merge_campaigns(uow, platform, first, second, "looks related", hub.bg.clock())
        with pytest.raises(CampaignNotFullyVisible):
            cs.split_campaign(uow, platform, first, frozenset({a.id}), "split", hub.bg.clock())
        with pytest.raises(ReportNotFound):
            cs.decide_link(uow, platform, hidden.id, a.id, DecisionKind.REJECT, "no",
                           hub.bg.clock())
    assert members(hub, first) == {hidden.id, a.id, b.id}
    assert members(hub, second) == {c.id, d.id}


def test_decisions_need_the_correlate_permission_and_a_reason(hub: People) -> None:
    one = file(hub, hub.cec_reporter, "One", [url(URL)])
    two = file(hub, hub.cec_reporter, "Two", [url(URL)])
    with hub.bg.uow() as uow:
        with pytest.raises(PermissionDenied):
            cs.decide_link(uow, person_actor(hub.cec_reporter), one.id, two.id,
                           DecisionKind.REJECT, "no", hub.bg.clock())
        with pytest.raises(InvalidInput):
            cs.decide_link(uow, person_actor(hub.cec_analyst), one.id, two.id,
                           DecisionKind.REJECT, "  ", hub.bg.clock())
    assert campaign_of(hub, one.id) is not None


def test_decisions_are_written_to_the_audit_log(hub: People) -> None:
    one = file(hub, hub.cec_reporter, "One", [url(URL)])
    two = file(hub, hub.cec_reporter, "Two", [url(URL)])
    with hub.bg.uow() as uow:
        cs.decide_link(uow, person_actor(hub.cec_analyst), one.id, two.id,
                       DecisionKind.CONFIRM, "same operator", hub.bg.clock())
    with hub.bg.uow() as uow:
        actions = [(e.action, e.subject) for e in uow.audit_log.entries()]
    assert ("campaign.link.confirm", "~".join(sorted([one.id, two.id]))) in actions


def test_confirmed_link_survives_a_correction_that_removes_the_evidence(hub: People) -> None:
    one = file(hub, hub.cec_reporter, "One", [url(URL)])
    two = file(hub, hub.cec_reporter, "Two", [url(URL)])
    with hub.bg.uow() as uow:
        cs.decide_link(uow, person_actor(hub.cec_analyst), one.id, two.id,
                       DecisionKind.CONFIRM, "we know it is the same operator", hub.bg.clock())
    corrected = two.content.model_copy(update={"observables": [url("https://other.example/")]})
    with hub.bg.uow() as uow:
        rs.correct_report(uow, person_actor(hub.cec_reporter), two.id, corrected, "typo",
                          hub.bg.clock())
    assert campaign_of(hub, one.id) == campaign_of(hub, two.id) is not None


def test_recompute_rebuilds_lost_links_from_the_reports(hub: People) -> None:
    one = file(hub, hub.cec_reporter, "One", [url(URL)])
    two = file(hub, hub.cec_reporter, "Two", [url(URL)])
    with hub.bg.uow() as uow:
        uow.correlation.drop_links_of(one.id)
        uow.correlation.delete_campaign(uow.correlation.campaign_of(one.id))
        uow.commit()
    assert campaign_of(hub, one.id) is None
    with hub.bg.uow() as uow:
        assert cs.recompute(uow, hub.bg.clock()) == 2
        uow.commit()
    assert campaign_of(hub, one.id) == campaign_of(hub, two.id) is not None


def test_an_excluded_value_stops_linking_and_existing_links_are_rechecked(hub: People) -> None:
    platform_post = "https://agora.example/posts/{}"
    one = file(hub, hub.cec_reporter, "One", [url(platform_post.format(1))])
    two = file(hub, hub.cec_reporter, "Two", [url(platform_post.format(2))])
    assert campaign_of(hub, one.id) == campaign_of(hub, two.id) is not None  # same domain
    analyst = person_actor(hub.cec_analyst)
    with hub.bg.uow() as uow:
        with pytest.raises(InvalidInput, match="kind:value"):
            cs.exclude_key(uow, analyst, "agora.example", "platform", hub.bg.clock())
        checked = cs.exclude_key(uow, analyst, "domain:Agora.example",
                                 "Agora hosts everyone's posts", hub.bg.clock())
    assert checked == 2
    assert campaign_of(hub, one.id) is None and campaign_of(hub, two.id) is None
    three = file(hub, hub.cec_reporter, "Three", [url(platform_post.format(3))])
    assert campaign_of(hub, three.id) is None
    with hub.bg.uow() as uow:
        assert [e.key for e in cs.exclusions(uow, analyst)] == ["domain:agora.example"]
        cs.include_key(uow, analyst, "domain:agora.example", "we were wrong", hub.bg.clock())
    assert campaign_of(hub, one.id) == campaign_of(hub, three.id) is not None


def test_a_value_that_goes_over_the_cap_stops_holding_campaigns_together(hub: People) -> None:
    from ballotguard.campaigns import KEY_CAP

    shared = handle("x:everyone_follows_this")
    first = [file(hub, hub.cec_reporter, f"R{i}", [shared]) for i in range(KEY_CAP)]
    assert campaign_of(hub, first[0].id) is not None
    file(hub, hub.cec_reporter, "the one too many", [shared])
    assert all(campaign_of(hub, r.id) is None for r in first[:5])


def test_targets_and_techniques_come_from_readable_reports_only(hub: People) -> None:
    from ballotguard.sharing import Target
    from ballotguard.vocabulary import TargetKind

    hidden_target = Target(kind=TargetKind.CANDIDATE, description="Secret candidate X")
    file(hub, hub.cec_reporter, "Hidden", [url(URL)], tlp=Tlp.AMBER, targets=[hidden_target],
         techniques=["disarm:T0085"])
    visible_target = Target(kind=TargetKind.ELECTION_AUTHORITY, organisation_id=hub.cec.id)
    one = file(hub, hub.cert_analyst, "One", [url(URL)], targets=[visible_target],
               techniques=["disarm:T0049"])
    file(hub, hub.platform_analyst, "Two", [url(URL)], targets=[visible_target])
    with hub.bg.uow() as uow:
        view = cs.get_campaign(uow, person_actor(hub.platform_analyst),
                               uow.correlation.campaign_of(one.id))
        insider = cs.get_campaign(uow, person_actor(hub.cec_analyst),
                                  uow.correlation.campaign_of(one.id))
    assert view.targets == [("Central Election Commission", 2)]
    assert view.techniques == [("disarm:T0049", 1)]
    assert ("Secret candidate X", 1) in insider.targets
    assert ("disarm:T0085", 1) in insider.techniques
