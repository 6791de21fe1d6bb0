"""Campaigns as connected components of the link graph, with the analysts' decisions applied.

``components`` works in three steps, so that the result does not depend on the order of the
input: (1) every pair whose latest decision is *reject* becomes a cannot-link constraint;
(2) pairs whose latest decision is *merge* or *confirm* are joined unconditionally; (3) the
remaining links, strongest first (ties by the pair's ids), join their two groups unless that
would put a rejected pair in one group. Only components of two reports or more are campaigns.

``stable_ids`` keeps a campaign's id across recomputations: each new component takes the id of
the previous campaign it overlaps most (each old id at most once; on equal overlap the smaller,
that is older, id wins for time-ordered ids); components that overlap none get a new id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from ballotguard.campaigns.decisions import Decision, DecisionKind, effective_decisions
from ballotguard.campaigns.links import Link


class UnionFind:
    """Disjoint sets of report ids with union by size, path halving, member lists, the least id
    of each group, and cannot-link constraints (``forbid``) that ``union`` respects unless
    forced."""

    def __init__(self, items: Iterable[str] = ()) -> None:
        self._parent: dict[str, str] = {}
        self._size: dict[str, int] = {}
        self._members: dict[str, list[str]] = {}
        self._least: dict[str, str] = {}
        self._cannot: dict[str, set[str]] = {}
        self._apart: dict[str, set[str]] = {}
        for item in items:
            self.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._parent

    def __len__(self) -> int:
        return len(self._parent)

    def add(self, item: str) -> None:
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1
            self._least[item] = item
            partners = self._cannot.get(item)
            if partners:
                self._apart[item] = set(partners)

    def find(self, item: str) -> str:
        parent = self._parent
        if item not in parent:
            self.add(item)
            return item
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def together(self, a: str, b: str) -> bool:
        return self.find(a) == self.find(b)

    def size(self, item: str) -> int:
        return self._size[self.find(item)]

    def least(self, item: str) -> str:
        """The smallest id in the item's group: a deterministic name for the group."""
        return self._least[self.find(item)]

    def members(self, item: str) -> list[str]:
        root = self.find(item)
        return list(self._members.get(root, (root,)))

    def blocked(self, a: str, b: str) -> bool:
        """Whether joining the groups of a and b would put a forbidden pair together."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        apart_a, apart_b = self._apart.get(root_a), self._apart.get(root_b)
        if not apart_a or not apart_b:
            return False
        if len(apart_a) > len(apart_b):
            apart_a, root_b = apart_b, root_a
        return any(self.find(other) == root_b for other in apart_a)

    def union(self, a: str, b: str, force: bool = False) -> bool:
        """Join the groups of a and b; False when a cannot-link forbids it (unless ``force``)."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        if not force and self.blocked(root_a, root_b):
            return False
        if self._size[root_a] < self._size[root_b]:
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        self._size[root_a] += self._size.pop(root_b)
        members = self._members.setdefault(root_a, [root_a])
        members.extend(self._members.pop(root_b, (root_b,)))
        self._least[root_a] = min(self._least[root_a], self._least.pop(root_b))
        apart_b = self._apart.pop(root_b, None)
        if apart_b:
            self._apart.setdefault(root_a, set()).update(apart_b)
        return True

    def forbid(self, a: str, b: str) -> None:
        """A cannot-link constraint; groups that already hold both are not split here."""
        self.add(a)
        self.add(b)
        self._cannot.setdefault(a, set()).add(b)
        self._cannot.setdefault(b, set()).add(a)
        self._apart.setdefault(self.find(a), set()).add(b)
        self._apart.setdefault(self.find(b), set()).add(a)

    def allow(self, a: str, b: str) -> None:
        """Drop a cannot-link constraint; it stops counting once the groups are rebuilt
        (``reset`` then ``join``)."""
        for x, y in ((a, b), (b, a)):
            partners = self._cannot.get(x)
            if partners is not None:
                partners.discard(y)
                if not partners:
                    del self._cannot[x]

    def reset(self, items: Iterable[str]) -> None:
        """Make each item a group of its own again; pass whole groups (``members``)."""
        items = list(items)
        for item in items:
            self._parent.pop(item, None)
            self._size.pop(item, None)
            self._members.pop(item, None)
            self._least.pop(item, None)
            self._apart.pop(item, None)
        for item in items:
            self.add(item)

    def groups(self, min_size: int = 2) -> list[frozenset[str]]:
        """Groups of at least ``min_size`` items, largest first, then by least id."""
        found = [frozenset(members) for members in self._members.values()
                 if len(members) >= min_size]
        if min_size <= 1:
            found += [frozenset((item,)) for item, parent in self._parent.items()
                      if parent == item and item not in self._members]
        return sorted(found, key=lambda group: (-len(group), min(group)))


def join(
    uf: UnionFind,
    items: Iterable[str],
    links: Iterable[Link],
    decided: Mapping[tuple[str, str], Decision],
) -> None:
    """Steps (1) to (3) of ``components`` on ``uf`` for ``items`` and the links among them."""
    universe = set(items)
    for item in universe:
        uf.add(item)
    forced: list[tuple[str, str]] = []
    for (a, b), decision in decided.items():
        if a in universe and b in universe:
            if decision.kind is DecisionKind.REJECT:
                uf.forbid(a, b)
            else:
                forced.append((a, b))
    for a, b in sorted(forced):
        uf.union(a, b, force=True)
    ordered = sorted(
        (link for link in links if link.a in universe and link.b in universe),
        key=lambda link: (-link.strength, link.a, link.b),
    )
    for link in ordered:
        verdict = decided.get(link.pair)
        if verdict is None or verdict.kind is not DecisionKind.REJECT:
            uf.union(link.a, link.b)


def components(
    report_ids: Iterable[str],
    links: Iterable[Link],
    decisions: Iterable[Decision],
) -> list[frozenset[str]]:
    """The campaigns: components of two reports or more (see the module docstring)."""
    uf = UnionFind()
    join(uf, report_ids, links, effective_decisions(decisions))
    return uf.groups(min_size=2)


def stable_ids(
    previous: Mapping[str, frozenset[str]],
    components: Sequence[frozenset[str]],
    new_id: Callable[[], str],
) -> dict[str, frozenset[str]]:
    """Name each component after the previous campaign it overlaps most (module docstring)."""
    owner: dict[str, list[str]] = {}
    for campaign_id, members in previous.items():
        for member in members:
            owner.setdefault(member, []).append(campaign_id)
    ordered = sorted(components, key=lambda group: (min(group), len(group)) if group else ("", 0))
    candidates: list[tuple[int, str, int]] = []
    for position, group in enumerate(ordered):
        overlap = Counter(cid for member in group for cid in owner.get(member, ()))
        candidates += [(-count, cid, position) for cid, count in overlap.items()]
    candidates.sort()
    named: dict[str, frozenset[str]] = {}
    taken: set[int] = set()
    for _count, campaign_id, position in candidates:
        if position in taken or campaign_id in named:
            continue
        named[campaign_id] = ordered[position]
        taken.add(position)
    for position, group in enumerate(ordered):
        if position not in taken:
            named[new_id()] = group
    return named
