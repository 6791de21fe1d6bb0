from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from ballotguard.campaigns import (
    KEY_CAP,
    Correlator,
    Decision,
    DecisionKind,
    ReportFacts,
    components,
    correlation_keys,
    merge_decision,
    split_decisions,
)
from ballotguard.errors import Conflict

MakeFacts = Callable[..., ReportFacts]
AT = datetime(2026, 11, 1, tzinfo=UTC)

STORIES = [
    "Video claims ballots were shredded in district 4 by election officials before the count",
    "Fake text messages tell diaspora voters in Aster that postal voting closed on Friday",
    "Cloned results website publishes invented turnout figures for the northern province",
]


def planted(make_facts: MakeFacts) -> tuple[list[ReportFacts], list[frozenset[str]]]:
    """Three small campaigns (shared IP, paraphrased story, actor plus techniques) and noise."""
    rng = random.Random(7)
    reports: list[ReportFacts] = []
    truth: list[frozenset[str]] = []
    infra = [make_facts(id=f"infra{i}", days=i * 3,
                        observables=(("ip", "203.0.113.66"),
                                     ("url", f"http://www.veldra-news.example/p{i}/")))
             for i in range(4)]
    story = [make_facts(id=f"story{i}", days=i,
                        title="Shredded ballots", summary=" ".join(
                            w for w in STORIES[0].split() if rng.random() < 0.9) + " again")
             for i in range(5)]
    actor = [make_facts(id=f"actor{i}", days=i * 2, actor="foreign_state:grey harbour",
                        techniques=("disarm:T0049", "disarm:T0019"), targets=("org:ec",))
             for i in range(3)]
    for group in (infra, story, actor):
        reports += group
        truth.append(frozenset(f.id for f in group))
    noise = [make_facts(id=f"noise{i}", days=rng.uniform(0, 60),
                        observables=(("ip", f"198.51.100.{i}"),
                                     ("url", f"https://www.facebook.com/page{i}/posts/1")),
                        techniques=("disarm:T0049",), targets=("org:ec",),
                        summary=f"{STORIES[1 + i % 2]} {i}" if i < 2 else None)
             for i in range(40)]
    reports += noise
    rng.shuffle(reports)
    return reports, truth


def test_recovers_planted_campaigns(make_facts: MakeFacts) -> None:
    reports, truth = planted(make_facts)
    correlator = Correlator()
    for facts in reports:
        correlator.add(facts)
    assert sorted(correlator.campaigns(), key=min) == sorted(truth, key=min)
    assert len(correlator) == len(reports) and "story0" in correlator


def test_attach_reports_the_links_and_the_campaign(make_facts: MakeFacts) -> None:
    correlator = Correlator()
    first = correlator.add(make_facts(id="r2", observables=(("ip", "203.0.113.66"),)))
    assert (first.links, first.campaign, first.size, first.candidates) == ((), None, 1, 0)
    second = correlator.add(make_facts(id="r1", observables=(("ip", "203.0.113.66"),)))
    assert [link.pair for link in second.links] == [("r1", "r2")]
    assert second.links[0].reasons[0].detail == "both cite 203.0.113.66"
    assert (second.campaign, second.size, second.candidates) == ("r1", 2, 1)
    third = correlator.add(make_facts(id="r3", actor="domestic:someone"))
    assert third.campaign is None
    assert correlator.campaign_of("r2") == {"r1", "r2"}
    with pytest.raises(Conflict):
        correlator.add(make_facts(id="r3"))


def test_incremental_equals_batch_in_any_order(make_facts: MakeFacts) -> None:
    reports, _ = planted(make_facts)
    results = set()
    for seed in range(5):
        order = list(reports)
        random.Random(seed).shuffle(order)
        correlator = Correlator(key_cap=6)  # low, so keys go over the cap along the way
        for facts in order:
            correlator.add(facts)
        ids = [f.id for f in reports]
        assert correlator.campaigns() == components(ids, correlator.links, [])
        results.add((tuple(correlator.campaigns()),
                     frozenset((link.pair, link.reasons) for link in correlator.links)))
    assert len(results) == 1


def test_key_cap_stops_links_and_drops_the_old_ones(make_facts: MakeFacts) -> None:
    correlator = Correlator()
    popular = ("ip", "8.8.8.8")
    for i in range(KEY_CAP):
        result = correlator.add(make_facts(id=f"p{i:02d}", observables=(popular,)))
        assert result.dropped == ()
    assert len(correlator.campaigns()) == 1 and correlator.key_count("ip:8.8.8.8") == KEY_CAP
    # two of them also share a rare observable
    rare = correlator.add(make_facts(id="q0", observables=(popular, ("ip", "203.0.113.1"))))
    assert len(rare.dropped) == KEY_CAP * (KEY_CAP - 1) // 2 and rare.links == ()
    assert "ip:8.8.8.8" in correlator.capped_keys and correlator.links == []
    assert correlator.campaigns() == []
    last = correlator.add(make_facts(id="q1", observables=(popular, ("ip", "203.0.113.1"))))
    assert [link.reasons[0].detail for link in last.links] == ["both cite 203.0.113.1"]
    assert correlator.campaigns() == [frozenset({"q0", "q1"})]


def test_a_link_survives_the_cap_on_other_evidence(make_facts: MakeFacts) -> None:
    correlator = Correlator(key_cap=3)
    a = make_facts(id="a", observables=(("ip", "8.8.8.8"), ("ip", "203.0.113.1")))
    b = make_facts(id="b", observables=(("ip", "8.8.8.8"), ("ip", "203.0.113.1")))
    correlator.add(a)
    correlator.add(b)
    correlator.add(make_facts(id="c", observables=(("ip", "8.8.8.8"),)))
    dropped = correlator.add(make_facts(id="d", observables=(("ip", "8.8.8.8"),))).dropped
    assert {link.pair for link in dropped} == {("a", "c"), ("b", "c")}
    (kept,) = correlator.links
    assert kept.pair == ("a", "b") and kept.reasons[0].detail == "both cite 203.0.113.1"
    assert correlator.campaigns() == [frozenset({"a", "b"})]


def test_attach_cost_does_not_grow_with_unrelated_reports(make_facts: MakeFacts) -> None:
    correlator = Correlator()
    for i in range(300):
        correlator.add(make_facts(id=f"n{i:03d}", observables=(("ip", f"198.51.100.{i % 250}"),
                                                                ("file_hash", f"{i:032x}"))))
    probe = correlator.add(make_facts(id="z", observables=(("ip", "203.0.113.200"),)))
    assert probe.candidates == 0
    assert all(correlator.key_count(key) <= 1 for key in correlation_keys(correlator.facts("z"))
               if key != "ip:203.0.113.200")


def test_decisions_stick_in_the_correlator(make_facts: MakeFacts) -> None:
    reject = Decision(DecisionKind.REJECT, "b", "c", "analyst", AT)
    correlator = Correlator(decisions=[reject])
    shared = ("ip", "203.0.113.66")
    for name in "abcd":
        correlator.add(make_facts(id=name, observables=(shared,)))
    # c cannot join a and b, so it stays out of their group; d joins the strongest first
    groups = correlator.campaigns()
    assert frozenset("ab") <= groups[0] and not any({"b", "c"} <= g for g in groups)
    assert ("b", "c") not in {link.pair for link in correlator.links}
    correlator.decide(merge_decision("b", "c", "analyst", AT))
    assert correlator.campaigns() == [frozenset("abcd")]


def test_split_in_the_correlator_then_new_reports_keep_it_split(make_facts: MakeFacts) -> None:
    correlator = Correlator()
    for name in "abcd":
        correlator.add(make_facts(id=name, observables=(("ip", "203.0.113.66"),)))
    (campaign,) = correlator.campaigns()
    for decision in split_decisions(campaign, {"c", "d"}, correlator.links, "analyst", AT):
        correlator.decide(decision)
    assert correlator.campaigns() == [frozenset("ab"), frozenset("cd")]
    correlator.add(make_facts(id="e", observables=(("ip", "203.0.113.66"),)))
    groups = correlator.campaigns()
    assert len(groups) == 2 and frozenset("ab") <= groups[0] | groups[1]
    assert not any({"a", "c"} <= g for g in groups)


def test_a_merge_waits_for_its_reports(make_facts: MakeFacts) -> None:
    correlator = Correlator(decisions=[merge_decision("m1", "m2", "analyst", AT)])
    assert correlator.campaigns() == []
    correlator.add(make_facts(id="m1"))
    assert correlator.campaigns() == []
    result = correlator.add(make_facts(id="m2"))
    assert result.links == () and correlator.campaigns() == [frozenset({"m1", "m2"})]
