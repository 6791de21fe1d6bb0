from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from ballotguard.campaigns import (
    Link,
    LinkKind,
    ReportFacts,
    correlation_keys,
    facts_from_report,
    link_between,
)
from ballotguard.errors import InvalidInput
from ballotguard.sharing import (
    Observable,
    ObservableKind,
    Report,
    ReportContent,
    Status,
    SuspectedActor,
    Target,
)
from ballotguard.vocabulary import ActorKind, Outcome, Phase, TargetKind, Tlp, Vector

MakeFacts = Callable[..., ReportFacts]

STORY = ("Video claims ballots were shredded in district 4 by election officials before the "
         "count; the commission hid the evidence")
PARAPHRASE = ("Ballots shredded in district 4: officials destroyed them before the count, the "
              "commission hid evidence, video shows")


def _reason(link: Link | None, kind: LinkKind) -> str:
    assert link is not None
    details = [r.detail for r in link.reasons if r.kind is kind]
    assert details, f"no {kind} reason in {link.reasons}"
    return details[0]


def test_shared_url_after_canonicalisation(make_facts: MakeFacts) -> None:
    x = make_facts(observables=(("url", "http://www.veldra-news.example/fraud/"),))
    y = make_facts(observables=(("url", "https://veldra-news.example/fraud?utm_source=tg"),))
    link = link_between(x, y)
    assert _reason(link, LinkKind.OBSERVABLE) == "both cite https://veldra-news.example/fraud"
    assert link is not None and link.kinds == {LinkKind.OBSERVABLE}  # the domain is explained
    assert 0.0 < link.strength <= 1.0


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("ip", "203.0.113.7", "203.0.113.7"),
        ("email", "Press@Veldra-News.example", "press@veldra-news.example"),
        ("social_handle", "twitter:veldra_truth", "x:veldra_truth"),
        ("file_hash", "d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e"),
    ],
)
def test_shared_observables_of_every_kind(
    make_facts: MakeFacts, kind: str, value: str, shown: str
) -> None:
    other = "x:veldra_truth" if kind == "social_handle" else value.lower()
    x = make_facts(observables=((kind, value),))
    y = make_facts(observables=((kind, other),))
    assert _reason(link_between(x, y), LinkKind.OBSERVABLE) == f"both cite {shown}"


def test_url_with_ip_host_meets_the_ip(make_facts: MakeFacts) -> None:
    x = make_facts(observables=(("url", "http://203.0.113.9/panel"),))
    y = make_facts(observables=(("ip", "203.0.113.9"),))
    assert _reason(link_between(x, y), LinkKind.OBSERVABLE) == "both cite 203.0.113.9"


def test_shared_domain(make_facts: MakeFacts) -> None:
    x = make_facts(observables=(("url", "https://veldra-news.example/a"),))
    y = make_facts(observables=(("domain", "cdn.veldra-news.example"),))
    z = make_facts(observables=(("email", "editor@veldra-news.example"),))
    assert _reason(link_between(x, y), LinkKind.DOMAIN) == \
        "both point to the domain veldra-news.example"
    assert link_between(x, z) is not None and link_between(y, z) is not None


def test_platform_domain_alone_links_nothing(make_facts: MakeFacts) -> None:
    x = make_facts(observables=(("url", "https://www.facebook.com/veldra.truth/posts/1"),))
    y = make_facts(observables=(("url", "https://www.facebook.com/other.page/posts/2"),))
    m1 = make_facts(observables=(("email", "a.troll@gmail.com"),))
    m2 = make_facts(observables=(("email", "b.troll@gmail.com"),))
    s1 = make_facts(observables=(("url", "https://bit.ly/3AbC"),))
    s2 = make_facts(observables=(("url", "https://bit.ly/9XyZ"),))
    assert link_between(x, y) is None
    assert link_between(m1, m2) is None
    assert link_between(s1, s2) is None
    assert not any(key.startswith("domain:") for key in correlation_keys(x))


def test_same_post_on_a_platform_still_links(make_facts: MakeFacts) -> None:
    x = make_facts(observables=(("url", "https://www.facebook.com/veldra.truth/posts/1"),))
    y = make_facts(observables=(("url", "https://facebook.com/veldra.truth/posts/1/"),))
    assert _reason(link_between(x, y), LinkKind.OBSERVABLE) == \
        "both cite https://facebook.com/veldra.truth/posts/1"


def test_same_named_actor(make_facts: MakeFacts) -> None:
    x = make_facts(actor="foreign_state:ursa collective")
    y = make_facts(actor="foreign_state:ursa collective")
    other_kind = make_facts(actor="domestic:ursa collective")
    assert _reason(link_between(x, y), LinkKind.ACTOR) == \
        "same suspected actor ursa collective (foreign state)"
    assert link_between(x, other_kind) is None


TECHS = ("disarm:T0049", "disarm:T0019", "attack:T1566.001")


def test_techniques_within_the_window(make_facts: MakeFacts) -> None:
    x = make_facts(days=0, techniques=TECHS, targets=("org:election-authority",))
    y = make_facts(days=9, techniques=TECHS[:2], targets=("org:election-authority",))
    assert _reason(link_between(x, y), LinkKind.TECHNIQUES) == (
        "shared techniques disarm:T0019, disarm:T0049 within 9 days, "
        "against org:election-authority")


@pytest.mark.parametrize(("days", "linked"), [(0, True), (13, True), (14, True), (15, False),
                                              (-13, True), (-15, False)])
def test_technique_window_edges(make_facts: MakeFacts, days: float, linked: bool) -> None:
    x = make_facts(days=0, techniques=TECHS[:2], targets=("org:a",))
    y = make_facts(days=days, techniques=TECHS[:2], targets=("org:a",))
    assert (link_between(x, y) is not None) is linked
    if linked:  # the keys make them candidates whenever the rule can hold
        assert any(k.startswith("tech:") for k in correlation_keys(x) & correlation_keys(y))


def test_one_shared_technique_or_no_shared_target_is_not_enough(make_facts: MakeFacts) -> None:
    x = make_facts(techniques=TECHS[:2], targets=("org:a",))
    one = make_facts(days=1, techniques=TECHS[1:], targets=("org:a",))
    elsewhere = make_facts(days=1, techniques=TECHS[:2], targets=("org:b",))
    assert link_between(x, one) is None
    assert link_between(x, elsewhere) is None


def test_similar_narratives(make_facts: MakeFacts) -> None:
    x = make_facts(title="Shredded ballots", summary=STORY)
    y = make_facts(title="Ballots destroyed", summary=PARAPHRASE)
    detail = _reason(link_between(x, y), LinkKind.NARRATIVE)
    assert detail.startswith("similar summaries (Jaccard 0.")
    for word in ("'commission'", "'officials'", "'shredded'", "'district'", "'evidence'"):
        assert word in detail
    assert set(correlation_keys(x)) & set(correlation_keys(y))  # LSH makes them candidates


def test_different_attributions_outweigh_wording_and_playbook(make_facts: MakeFacts) -> None:
    shared = {"targets": ("org:a",), "techniques": ("disarm:T0049", "disarm:T0019")}
    x = make_facts(title="Shredded ballots", summary=STORY, actor="foreign_state:ostrava",
                   **shared)
    y = make_facts(title="Ballots destroyed", summary=PARAPHRASE, days=2,
                   actor="domestic:patriots", **shared)
    assert link_between(x, y) is None
    unattributed = make_facts(title="Ballots destroyed", summary=PARAPHRASE, days=2, **shared)
    assert _reason(link_between(x, unattributed), LinkKind.NARRATIVE)
    same_site = make_facts(title="Ballots destroyed", summary=PARAPHRASE, days=2,
                           actor="domestic:patriots", observables=(("url", "https://a.example/x"),))
    x_site = make_facts(title="Shredded ballots", summary=STORY, actor="foreign_state:ostrava",
                        observables=(("url", "https://a.example/x"),))
    link = link_between(x_site, same_site)
    assert link is not None
    assert link.kinds == {LinkKind.OBSERVABLE}


def test_unrelated_reports_do_not_link(make_facts: MakeFacts) -> None:
    x = make_facts(title="Phishing wave", summary="Spear phishing e-mails to party treasurers "
                   "asking for bank credentials", techniques=("attack:T1566",),
                   observables=(("ip", "198.51.100.1"),), targets=("org:a",))
    y = make_facts(days=3, title="Queue rumours", summary="Rumours of four hour queues at "
                   "polling stations in the north spread on messaging apps",
                   techniques=("disarm:T0049",), observables=(("ip", "198.51.100.2"),),
                   targets=("org:a",), actor="unknown:someone")
    assert link_between(x, y) is None
    assert not correlation_keys(x) & correlation_keys(y)


def test_every_reason_that_holds_is_returned(make_facts: MakeFacts) -> None:
    common = {"techniques": TECHS, "targets": ("org:a",), "actor": "foreign_state:grey harbour",
              "title": "Shredded ballots"}
    x = make_facts(observables=(("ip", "203.0.113.7"), ("domain", "veldra-news.example")),
                   summary=STORY, **common)
    y = make_facts(days=2, observables=(("ip", "203.0.113.7"),
                                        ("url", "https://veldra-news.example/x")),
                   summary=PARAPHRASE, **common)
    link = link_between(x, y)
    assert link is not None
    assert [r.kind for r in link.reasons] == list(LinkKind)
    single = link_between(make_facts(observables=(("ip", "203.0.113.7"),)),
                          make_facts(observables=(("ip", "203.0.113.7"),)))
    assert single is not None and link.strength > single.strength


def test_capped_keys_carry_no_evidence(make_facts: MakeFacts) -> None:
    x = make_facts(observables=(("ip", "8.8.8.8"), ("ip", "203.0.113.7")))
    y = make_facts(observables=(("ip", "8.8.8.8"), ("ip", "203.0.113.7")))
    assert _reason(link_between(x, y, capped={"ip:8.8.8.8"}), LinkKind.OBSERVABLE) == \
        "both cite 203.0.113.7"
    assert link_between(x, y, capped={"ip:8.8.8.8", "ip:203.0.113.7"}) is None
    a = make_facts(actor="foreign_state:ursa")
    b = make_facts(actor="foreign_state:ursa")
    assert link_between(a, b, capped={"actor:foreign_state:ursa"}) is None


def test_link_orders_its_pair_and_refuses_a_loop(make_facts: MakeFacts) -> None:
    x = make_facts(id="r9", observables=(("ip", "203.0.113.7"),))
    y = make_facts(id="r1", observables=(("ip", "203.0.113.7"),))
    link = link_between(x, y)
    assert link is not None and (link.a, link.b) == ("r1", "r9")
    with pytest.raises(ValueError, match="itself"):
        Link("r1", "r1", (), 0.5)


def test_facts_from_a_report() -> None:
    at = datetime(2026, 10, 1, tzinfo=UTC)
    content = ReportContent(
        title="Fake results site", summary="A copy of the results site", observed_at=at,
        election="Veldra 2026", phase=Phase.RESULTS, vectors=[Vector.DISINFORMATION],
        targets=[Target(kind=TargetKind.ELECTION_AUTHORITY, organisation_id="org-7"),
                 Target(kind=TargetKind.VOTERS, description="First-time Voters")],
        outcome=Outcome.ATTEMPTED, techniques=["disarm:T0049"],
        observables=[Observable(kind=ObservableKind.URL, value="HTTP://Results-Veldra.example/")],
        suspected_actor=SuspectedActor(kind=ActorKind.FOREIGN_STATE, name="Ursa Collective"),
        tlp=Tlp.GREEN)
    report = Report(id="rep-1", version=1, org_id="o", author_id="p", status=Status.NEW,
                    created_at=at, updated_at=at, content=content)
    facts = facts_from_report(report)
    assert facts.target_keys == {"org:org-7", "voters:first-time voters"}
    assert facts.actor == "foreign_state:ursa collective"
    assert facts.observables == {("url", "http://results-veldra.example/")}
    assert facts.techniques == {"disarm:T0049"}
    keys = correlation_keys(facts)
    assert {"url:https://results-veldra.example", "domain:results-veldra.example",
            "actor:foreign_state:ursa collective", "tech:disarm:T0049:2026-09-28",
            "tech:disarm:T0049:2026-10-12"} <= keys
    unnamed = report.model_copy(update={"content": content.model_copy(update={
        "suspected_actor": SuspectedActor(kind=ActorKind.UNKNOWN)})})
    assert facts_from_report(unnamed).actor is None


def test_naive_timestamps_are_refused(make_facts: MakeFacts) -> None:
    facts = make_facts()
    with pytest.raises(InvalidInput, match="time zone"):
        type(facts)(id="x", observed_at=datetime(2026, 1, 1), phase=Phase.CAMPAIGN,
                    vectors=frozenset(), target_keys=frozenset(), techniques=frozenset(),
                    observables=frozenset())
