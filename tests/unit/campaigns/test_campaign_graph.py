from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from ballotguard.campaigns import (
    Decision,
    DecisionKind,
    Link,
    LinkKind,
    LinkReason,
    UnionFind,
    components,
    confirm_decision,
    effective_decisions,
    merge_decision,
    reject_decision,
    split_decisions,
    stable_ids,
)
from ballotguard.errors import InvalidDecision

AT = datetime(2026, 11, 1, tzinfo=UTC)
REASON = (LinkReason(LinkKind.OBSERVABLE, "both cite 203.0.113.7", 0.9),)


def link(a: str, b: str, strength: float = 0.9) -> Link:
    return Link(a, b, REASON, strength)


IDS = ["a", "b", "c", "d", "e", "f"]
CHAIN = [link("a", "b"), link("b", "c"), link("c", "d"), link("e", "f")]


def test_components_are_groups_of_two_or_more() -> None:
    assert components([*IDS, "lonely"], CHAIN, []) == [frozenset("abcd"), frozenset("ef")]


def test_links_outside_the_universe_are_ignored() -> None:
    assert components(["a", "b"], [link("a", "b"), link("b", "zz")], []) == [frozenset("ab")]


def test_reject_cuts_and_sticks_when_the_same_links_come_back() -> None:
    reject = reject_decision(link("b", "c"), "analyst", AT, "different operators")
    assert components(IDS, CHAIN, [reject]) == [frozenset("ab"), frozenset("cd"),
                                                 frozenset("ef")]
    # recomputation produces the same links again, plus a new report bridging both sides
    again = [*CHAIN, link("b", "c"), link("x", "a", 0.95), link("x", "d", 0.5)]
    groups = components([*IDS, "x"], again, [reject])
    assert frozenset("abx") in groups and frozenset("cd") in groups


def test_merge_joins_and_confirm_keeps_a_link_that_is_gone() -> None:
    merge = merge_decision("d", "e", "analyst", AT, "same infrastructure seen offline")
    assert components(IDS, CHAIN, [merge]) == [frozenset("abcdef")]
    confirm = confirm_decision(link("a", "f"), "analyst", AT)
    assert components(["a", "f"], [], [confirm]) == [frozenset("af")]


def test_latest_decision_on_a_pair_counts() -> None:
    reject = Decision(DecisionKind.REJECT, "e", "f", "analyst", AT)
    merge = Decision(DecisionKind.MERGE, "f", "e", "analyst", AT + timedelta(hours=1))
    assert effective_decisions([merge, reject])[("e", "f")] is merge
    assert frozenset("ef") in components(IDS, CHAIN, [merge, reject])
    assert frozenset("ef") not in components(IDS, CHAIN, [reject])


def test_decision_validation() -> None:
    with pytest.raises(InvalidDecision, match="two different reports"):
        Decision(DecisionKind.MERGE, "a", "a", "analyst", AT)
    with pytest.raises(InvalidDecision, match="time zone"):
        Decision(DecisionKind.MERGE, "a", "b", "analyst", datetime(2026, 1, 1))
    assert Decision(DecisionKind.REJECT, "z", "a", "analyst", AT).pair == ("a", "z")


def test_split_rejects_every_crossing_link() -> None:
    members = frozenset("abcd")
    links = [*CHAIN, link("a", "c"), link("b", "d")]
    decisions = split_decisions(members, {"c", "d"}, links, "analyst", AT, "two operations")
    assert [(d.kind, d.pair) for d in decisions] == [
        (DecisionKind.REJECT, ("a", "c")), (DecisionKind.REJECT, ("b", "c")),
        (DecisionKind.REJECT, ("b", "d"))]
    assert all(d.by == "analyst" and d.reason == "two operations" for d in decisions)
    groups = components(IDS, links, decisions)
    assert frozenset("ab") in groups and frozenset("cd") in groups


def test_split_also_rejects_crossing_merges() -> None:
    merge = merge_decision("a", "d", "analyst", AT)
    decisions = split_decisions("abcd", "cd", CHAIN, "analyst", AT + timedelta(minutes=1),
                                decisions=effective_decisions([merge]))
    assert ("a", "d") in [d.pair for d in decisions]
    assert frozenset("ab") in components(IDS, CHAIN, [merge, *decisions])


@pytest.mark.parametrize(("part", "message"), [((), "at least one"),
                                               (("a", "b", "c", "d"), "whole campaign"),
                                               (("a", "zz"), "not in the campaign: zz")])
def test_split_refuses_a_split_that_splits_nothing(part: tuple[str, ...], message: str) -> None:
    with pytest.raises(InvalidDecision, match=message):
        split_decisions("abcd", part, CHAIN, "analyst", AT)


def test_components_do_not_depend_on_input_order() -> None:
    links = [*CHAIN, link("a", "e", 0.4), link("d", "f", 0.6)]
    reject = reject_decision(link("c", "d"), "analyst", AT)
    reject_ef = Decision(DecisionKind.REJECT, "a", "f", "analyst", AT)
    results = {tuple(components(IDS, list(order), [reject, reject_ef]))
               for order in itertools.permutations(links)}
    assert len(results) == 1


def test_union_find() -> None:
    uf = UnionFind(["a", "b", "c", "d"])
    assert uf.union("a", "b") and uf.together("a", "b") and not uf.together("a", "c")
    assert uf.size("b") == 2 and uf.least("b") == "a"
    uf.forbid("b", "c")
    assert uf.blocked("a", "c") and not uf.union("a", "c")
    assert uf.union("a", "c", force=True) and uf.together("b", "c")
    uf.reset(uf.members("a"))
    assert not uf.together("a", "b") and uf.union("a", "b") and not uf.union("a", "c")
    uf.allow("b", "c")
    uf.reset(uf.members("a"))
    assert uf.union("a", "b") and uf.union("b", "c")
    assert uf.groups() == [frozenset("abc")]
    assert uf.groups(min_size=1) == [frozenset("abc"), frozenset("d")]
    assert "zz" not in uf and uf.find("zz") == "zz" and "zz" in uf


def test_stable_ids_follow_the_largest_overlap() -> None:
    previous = {"c-1": frozenset("abc"), "c-2": frozenset("def"), "c-3": frozenset("xy")}
    fresh = iter(["n-1", "n-2"])
    named = stable_ids(previous, [frozenset("abcdef"), frozenset("gh"), frozenset("ab")],
                       new_id=lambda: next(fresh))
    # abcdef overlaps c-1 and c-2 by three each: the smaller id wins; the other old id goes
    # nowhere since no other component overlaps it; ab keeps nothing (c-1 is taken)
    assert named == {"c-1": frozenset("abcdef"), "n-1": frozenset("ab"), "n-2": frozenset("gh")}


def test_stable_ids_after_a_split_and_each_old_id_once() -> None:
    previous = {"c-1": frozenset("abcdef")}
    named = stable_ids(previous, [frozenset("ab"), frozenset("cdef")], new_id=lambda: "n-1")
    assert named == {"c-1": frozenset("cdef"), "n-1": frozenset("ab")}
    assert stable_ids(previous, [], new_id=lambda: "never") == {}
