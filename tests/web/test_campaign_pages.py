"""The campaign pages over HTTP: TLP-filtered lists, pictures and counts; analysts' decisions
with their reasons, refused without CORRELATE or without sight of every report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from ballotguard.sharing import Observable, ObservableKind, Report
from ballotguard.vocabulary import Phase, Tlp, Vector
from conftest import PASSWORD, Hub
from support import world

SECRET = "Commission-only: insider copied the poll-worker roster"


@dataclass
class Campaign:
    id: str
    open_a: Report
    open_b: Report
    secret: Report


def _url(value: str) -> list[Observable]:
    return [Observable(kind=ObservableKind.URL, value=value)]


def _campaign(hub: Hub, url: str = "https://vote-fraud.example/proof") -> Campaign:
    """Two GREEN reports from two organisations and one AMBER report only the commission may
    read, all citing the same URL."""
    open_a = world.file(hub.bg, hub.ea_analyst, title="Fake fraud claims spread on Chirp",
                        summary="Posts claim ballots were burned; they link a doctored video.",
                        observables=_url(url), phase=Phase.CAMPAIGN,
                        vectors=[Vector.DISINFORMATION])
    open_b = world.file(hub.bg, hub.cert_analyst, title="Fraud video seeded by new accounts",
                        summary="Freshly created accounts amplify the clip at polling time.",
                        observables=_url(url), phase=Phase.VOTING_IN_PERSON,
                        observed_at=world.OBSERVED + timedelta(days=5),
                        vectors=[Vector.INAUTHENTIC_AMPLIFICATION])
    secret = world.file(hub.bg, hub.ea_analyst, title=SECRET, tlp=Tlp.AMBER,
                        summary="A staff account exported the roster to a file-sharing site.",
                        observables=_url(url), phase=Phase.COUNTING,
                        observed_at=world.OBSERVED + timedelta(days=9),
                        vectors=[Vector.INSIDER_THREAT])
    with hub.bg.uow() as uow:
        campaign_id = uow.correlation.campaign_of(open_a.id)
        assert campaign_id is not None
        assert uow.correlation.campaign_of(secret.id) == campaign_id
    return Campaign(campaign_id, open_a, open_b, secret)


def _login(hub: Hub, email: str) -> str:
    hub.client.cookies.clear()
    signed_in = hub.client.post("/login", data={"email": email, "password": PASSWORD, "next": "/"},
                                follow_redirects=False)
    assert signed_in.status_code == 303
    found = re.search(r'name="csrf_token" value="([^"]+)"', hub.client.get("/").text)
    assert found
    return found.group(1)


def _listed_count(page: str, campaign_id: str) -> int:
    found = re.search(rf'<tr data-campaign="{campaign_id}">.*?<td class="num reports">(\d+)</td>',
                      page, re.DOTALL)
    assert found, "the campaign is listed"
    return int(found.group(1))


def test_the_list_and_the_page_show_only_what_the_reader_may_read(hub: Hub) -> None:
    campaign = _campaign(hub)

    _login(hub, hub.ea_analyst.email)
    listing = hub.client.get("/campaigns")
    assert listing.status_code == 200
    assert _listed_count(listing.text, campaign.id) == 3
    page = hub.client.get(f"/campaigns/{campaign.id}")
    assert page.status_code == 200
    assert SECRET in page.text
    assert page.text.count('class="tl-dot"') == 3
    assert page.text.count('<g class="node"') == 3
    assert 'id="partial"' not in page.text
    assert 'id="split-form"' in page.text and 'id="merge-form"' in page.text
    assert 'id="formula"' in page.text
    links = re.findall(r'<tr class="link-row"', page.text)
    assert len(links) == 3
    assert page.text.count('<g class="edge edge-computed"') == 3
    assert "observable" in page.text

    _login(hub, hub.cert_analyst.email)
    listing = hub.client.get("/campaigns")
    assert _listed_count(listing.text, campaign.id) == 2
    assert SECRET not in listing.text
    page = hub.client.get(f"/campaigns/{campaign.id}")
    assert page.status_code == 200
    assert SECRET not in page.text
    assert campaign.secret.id not in page.text
    assert page.text.count('class="tl-dot"') == 2
    assert page.text.count('<g class="node"') == 2
    assert '<dd id="report-count">2</dd>' in page.text
    assert 'id="partial"' in page.text
    assert 'id="split-form"' not in page.text and 'id="merge-form"' not in page.text

    report_page = hub.client.get(f"/reports/{campaign.open_b.id}")
    assert f'href="/campaigns/{campaign.id}" id="campaign-link"' in report_page.text
    assert "2 reports you may read" in report_page.text


def test_a_reader_who_sees_one_report_sees_no_campaign(hub: Hub) -> None:
    campaign = _campaign(hub)
    lone = world.file(hub.bg, hub.ea_analyst, title="Commission-only second leak",
                      tlp=Tlp.AMBER, summary="Another export of the roster, same site.",
                      observables=_url("https://leak-site.example/roster"))
    also = world.file(hub.bg, hub.ea_analyst, title="Commission-only third leak",
                      tlp=Tlp.AMBER, summary="Roster again, different staff account.",
                      observables=_url("https://leak-site.example/roster"))
    with hub.bg.uow() as uow:
        hidden_campaign = uow.correlation.campaign_of(lone.id)
        assert hidden_campaign is not None
        assert hidden_campaign == uow.correlation.campaign_of(also.id)
    _login(hub, hub.platform_analyst.email)
    listing = hub.client.get("/campaigns")
    assert hidden_campaign not in listing.text
    assert "Commission-only" not in listing.text
    assert hub.client.get(f"/campaigns/{hidden_campaign}").status_code == 404
    assert _listed_count(listing.text, campaign.id) == 2


def test_confirming_and_rejecting_a_link_need_correlate_and_a_reason(hub: Hub) -> None:
    campaign = _campaign(hub)
    a, b = sorted((campaign.open_a.id, campaign.open_b.id))
    action = f"/campaigns/{campaign.id}/links"

    token = _login(hub, hub.ea_admin.email)
    page = hub.client.get(f"/campaigns/{campaign.id}")
    assert page.status_code == 200 and 'class="decide"' not in page.text
    refused = hub.client.post(action, data={"csrf_token": token, "a": a, "b": b,
                                            "kind": "confirm", "reason": "same URL"})
    assert refused.status_code == 403

    token = _login(hub, hub.cert_analyst.email)
    no_reason = hub.client.post(action, data={"csrf_token": token, "a": a, "b": b,
                                              "kind": "confirm", "reason": "  "})
    assert no_reason.status_code == 422
    assert 'id="campaign-error"' in no_reason.text and "say why" in no_reason.text
    confirmed = hub.client.post(action, data={"csrf_token": token, "a": a, "b": b,
                                               "kind": "confirm",
                                               "reason": "same clip, same hour"},
                                follow_redirects=False)
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == f"/campaigns/{campaign.id}"
    page = hub.client.get(confirmed.headers["location"])
    assert "same clip, same hour" in page.text
    assert page.text.count('<g class="edge edge-confirmed"') == 1

    hidden = sorted((campaign.open_a.id, campaign.secret.id))
    refused = hub.client.post(action, data={"csrf_token": token, "a": hidden[0], "b": hidden[1],
                                            "kind": "reject", "reason": "not related"})
    assert refused.status_code == 404
    assert SECRET not in refused.text


def test_splitting_needs_the_whole_campaign_in_sight(hub: Hub) -> None:
    campaign = _campaign(hub)
    action = f"/campaigns/{campaign.id}/split"

    token = _login(hub, hub.cert_analyst.email)
    refused = hub.client.post(action, data={"csrf_token": token, "reports": campaign.open_b.id,
                                            "reason": "different operation"})
    assert refused.status_code == 403
    assert SECRET not in refused.text

    token = _login(hub, hub.ea_analyst.email)
    nothing = hub.client.post(action, data={"csrf_token": token, "reason": "nothing ticked"})
    assert nothing.status_code == 422
    assert 'id="campaign-error"' in nothing.text
    done = hub.client.post(action, data={"csrf_token": token, "reports": campaign.secret.id,
                                         "reason": "the insider case is a separate matter"},
                           follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/campaigns/{campaign.id}"
    page = hub.client.get(done.headers["location"])
    assert page.text.count('class="tl-dot"') == 2
    assert f'<tr data-report="{campaign.secret.id}">' not in page.text
    secret_page = hub.client.get(f"/reports/{campaign.secret.id}")
    assert "Not linked to any campaign you may see." in secret_page.text


def test_merging_needs_correlate_and_the_whole_of_both_campaigns(hub: Hub) -> None:
    first = _campaign(hub)
    other_a = world.file(hub.bg, hub.ea_analyst, title="Robocalls give the wrong polling date",
                         summary="Automated calls tell voters the election is on Monday.",
                         observables=_url("https://wrong-date.example/"))
    other_b = world.file(hub.bg, hub.cert_analyst, title="Same robocall script on a hotline",
                         summary="A hotline recording repeats the Monday claim word for word.",
                         observables=_url("https://wrong-date.example/"))
    with hub.bg.uow() as uow:
        second = uow.correlation.campaign_of(other_a.id)
        assert second is not None and second != first.id
        assert uow.correlation.campaign_of(other_b.id) == second

    token = _login(hub, hub.ea_admin.email)
    assert hub.client.post(f"/campaigns/{second}/merge", data={
        "csrf_token": token, "other": first.id, "reason": "one operation"}).status_code == 403

    token = _login(hub, hub.cert_analyst.email)
    refused = hub.client.post(f"/campaigns/{second}/merge", data={
        "csrf_token": token, "other": first.id, "reason": "one operation"})
    assert refused.status_code == 403
    assert SECRET not in refused.text

    token = _login(hub, hub.ea_analyst.email)
    unknown = hub.client.post(f"/campaigns/{second}/merge", data={
        "csrf_token": token, "other": "no-such-campaign", "reason": "one operation"})
    assert unknown.status_code == 404
    merged = hub.client.post(f"/campaigns/{second}/merge", data={
        "csrf_token": token, "other": first.id, "reason": "one operation, two fronts"},
        follow_redirects=False)
    assert merged.status_code == 303
    page = hub.client.get(merged.headers["location"])
    assert page.status_code == 200
    assert page.text.count('class="tl-dot"') == 5
    assert "one operation, two fronts" in page.text
    assert page.text.count('<g class="edge edge-confirmed"') >= 1
