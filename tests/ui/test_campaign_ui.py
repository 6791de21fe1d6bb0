"""A campaign in a real browser: the timeline and the link graph are drawn as inline SVG with a
dot and a node per report the reader may see, and they link to the reports."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from ballotguard.sharing import Observable, ObservableKind
from ballotguard.vocabulary import Phase, Tlp
from conftest import LiveServer, screenshot, sign_in
from support import world

URL = "https://polls-closed.example/notice"


def test_a_campaign_page_draws_its_timeline_and_link_graph(page: Page, live: LiveServer) -> None:
    hub = live.hub
    shared = [Observable(kind=ObservableKind.URL, value=URL)]
    filed = [
        world.file(hub.bg, hub.ea_analyst, title="Fake notice: polls closed early",
                   summary="A forged notice says polling stations close at noon.",
                   observables=shared, phase=Phase.CAMPAIGN),
        world.file(hub.bg, hub.cert_analyst, title="Notice shared by bot accounts",
                   summary="Hundreds of new accounts repost the closing-time notice.",
                   observables=shared, phase=Phase.VOTING_EARLY,
                   observed_at=world.OBSERVED + timedelta(days=4)),
        world.file(hub.bg, hub.ea_analyst, title="Voters turned away citing the notice",
                   summary="Staff report voters leaving after reading the notice.",
                   observables=shared, phase=Phase.VOTING_IN_PERSON,
                   observed_at=world.OBSERVED + timedelta(days=8)),
    ]
    secret = world.file(hub.bg, hub.ea_analyst, title="Commission-only: notice author traced",
                        summary="Our logs trace the forged notice to a staff laptop.",
                        observables=shared, tlp=Tlp.AMBER, phase=Phase.RESULTS,
                        observed_at=world.OBSERVED + timedelta(days=10))
    with hub.bg.uow() as uow:
        campaign_id = uow.correlation.campaign_of(filed[0].id)
    assert campaign_id is not None

    sign_in(page, live, hub.platform_analyst.email)
    page.get_by_role("link", name="Campaigns").click()
    row = page.locator(f'tr[data-campaign="{campaign_id}"]')
    expect(row.locator("td.reports")).to_have_text("3")
    row.get_by_role("link").click()

    timeline = page.locator("svg#timeline")
    expect(timeline).to_be_visible()
    expect(timeline.locator("circle.tl-dot")).to_have_count(3)
    expect(timeline.locator("text.lane-label")).to_have_count(len(Phase))
    expect(timeline.locator("g.lane-used")).to_have_count(3)
    graph = page.locator("svg#link-graph")
    expect(graph.locator("g.node")).to_have_count(3)
    expect(graph.locator("g.edge")).to_have_count(3)
    expect(graph.locator("g.edge title").first).to_contain_text("observable")
    expect(page.get_by_text(secret.content.title)).to_have_count(0)
    titles = timeline.locator("circle.tl-dot title").all_text_contents()
    assert any("Notice shared by bot accounts" in t for t in titles)
    assert not any("Commission-only" in t for t in titles)
    screenshot(page, "campaign")

    timeline.locator("a.tl-link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(filed[0].content.title)
    expect(page.locator("#campaign-link")).to_be_visible()
