"""An in-memory incremental correlator: what the store does, without a database.

``Correlator.add`` attaches one report: it computes the report's keys, looks each up in a
key -> reports index, skips keys carried by more than ``key_cap`` reports, verifies every
candidate with ``link_between`` and joins the groups. Its cost depends on the report's keys and
candidates, never on the size of the corpus.

When a key goes over the cap, the links that rested on it are checked again (at most the
``key_cap`` reports that carried it), and those left without evidence are dropped; the groups
they held together are rebuilt from their remaining links. The result is therefore the same
whatever the order in which reports arrive: a pair is linked if and only if it shares a key
that is under the cap in the final corpus and ``link_between`` finds a reason on the evidence
under the cap. (Analyst decisions are applied as in ``graph.components``; a cannot-link
constraint may make the grouping depend on order.)

Memory: a key held by one report maps to that report's id, by up to ``key_cap`` reports to a
list, and by more to a count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ballotguard.campaigns.decisions import Decision, DecisionKind
from ballotguard.campaigns.facts import KEY_CAP, ReportFacts, correlation_keys
from ballotguard.campaigns.graph import UnionFind, join
from ballotguard.campaigns.links import Link, link_between
from ballotguard.campaigns.text import similar
from ballotguard.errors import Conflict


@dataclass(frozen=True, slots=True)
class AttachResult:
    """What attaching one report did.

    ``campaign`` names the group the report is in (its least report id) when it has company,
    else None; ``dropped`` are older links that lost their evidence because one of this report's
    keys went over the cap.
    """

    report_id: str
    links: tuple[Link, ...]
    campaign: str | None
    size: int
    candidates: int
    dropped: tuple[Link, ...] = ()


def _only_one_technique(via: list[str]) -> bool:
    technique = ""
    for key in via:
        if not key.startswith("tech:"):
            return False
        this = key[5:key.rindex(":")]
        if technique and this != technique:
            return False
        technique = this
    return True


class Correlator:
    def __init__(self, key_cap: int = KEY_CAP, decisions: Iterable[Decision] = ()) -> None:
        self.key_cap = key_cap
        self._facts: dict[str, ReportFacts] = {}
        self._index: dict[str, str | list[str] | int] = {}
        self._capped: set[str] = set()
        self._links: dict[tuple[str, str], Link] = {}
        self._neighbours: dict[str, set[str]] = {}
        self._decided: dict[tuple[str, str], Decision] = {}
        self._uf = UnionFind()
        for decision in decisions:
            self.decide(decision)

    def __len__(self) -> int:
        return len(self._facts)

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._facts

    @property
    def links(self) -> list[Link]:
        return list(self._links.values())

    @property
    def capped_keys(self) -> frozenset[str]:
        return frozenset(self._capped)

    def facts(self, report_id: str) -> ReportFacts:
        return self._facts[report_id]

    def key_count(self, key: str) -> int:
        entry = self._index.get(key)
        if entry is None:
            return 0
        if isinstance(entry, str):
            return 1
        if isinstance(entry, int):
            return entry
        return len(entry)

    def add(self, facts: ReportFacts) -> AttachResult:
        """Attach one new report (module docstring)."""
        report_id = facts.id
        if report_id in self._facts:
            raise Conflict(f"report {report_id} is already correlated")
        index, capped, cap = self._index, self._capped, self.key_cap
        candidates: dict[str, list[str]] = {}
        newly_capped: list[tuple[str, list[str]]] = []
        for key in correlation_keys(facts):
            entry = index.get(key)
            if entry is None:
                index[key] = report_id
                continue
            if isinstance(entry, int):
                index[key] = entry + 1
                continue
            holders = [entry] if isinstance(entry, str) else entry
            if len(holders) + 1 > cap:
                index[key] = len(holders) + 1
                capped.add(key)
                newly_capped.append((key, holders))
                continue
            for holder in holders:
                found = candidates.get(holder)
                if found is None:
                    candidates[holder] = [key]
                else:
                    found.append(key)
            if isinstance(entry, str):
                index[key] = [entry, report_id]
            else:
                entry.append(report_id)
        self._facts[report_id] = facts
        dropped: list[Link] = []
        for key, holders in newly_capped:
            dropped += self._recheck(key, holders)
        new_links: list[Link] = []
        facts_of = self._facts
        for other, via in candidates.items():
            if _only_one_technique(via) and similar(facts.words, facts_of[other].words) is None:
                continue  # only one technique in common: only a narrative reason could hold
            pair = (report_id, other) if report_id < other else (other, report_id)
            decision = self._decided.get(pair)
            if decision is not None and decision.kind is DecisionKind.REJECT:
                continue
            link = link_between(facts, facts_of[other], capped, frozenset(via))
            if link is not None:
                self._store(link)
                new_links.append(link)
        uf = self._uf
        uf.add(report_id)
        for link in sorted(new_links, key=lambda link: (-link.strength, link.a, link.b)):
            uf.union(link.a, link.b)
        size = uf.size(report_id)
        return AttachResult(report_id, tuple(new_links), uf.least(report_id) if size > 1 else None,
                            size, len(candidates), tuple(dropped))

    def decide(self, decision: Decision) -> None:
        """Apply an analyst decision now and on every later attach."""
        pair = decision.pair
        previous = self._decided.get(pair)
        self._decided[pair] = decision
        uf = self._uf
        if decision.kind is DecisionKind.REJECT:
            self._unstore(pair)
            uf.forbid(*pair)
            if uf.together(*pair):
                self._rebuild([pair[0]])
        else:
            self._neighbours.setdefault(pair[0], set()).add(pair[1])
            self._neighbours.setdefault(pair[1], set()).add(pair[0])
            if previous is not None and previous.kind is DecisionKind.REJECT:
                uf.allow(*pair)
                self._rebuild(list(pair))
            uf.union(*pair, force=True)

    def campaigns(self) -> list[frozenset[str]]:
        """Groups of two reports or more, largest first (decisions on reports not attached yet
        wait for them)."""
        known = self._facts
        groups = (frozenset(m for m in g if m in known) for g in self._uf.groups(min_size=2))
        return sorted((g for g in groups if len(g) >= 2), key=lambda g: (-len(g), min(g)))

    def campaign_of(self, report_id: str) -> frozenset[str]:
        return frozenset(self._uf.members(report_id))

    # --- internals ---------------------------------------------------------------------------

    def _store(self, link: Link) -> None:
        self._links[link.pair] = link
        self._neighbours.setdefault(link.a, set()).add(link.b)
        self._neighbours.setdefault(link.b, set()).add(link.a)

    def _unstore(self, pair: tuple[str, str]) -> Link | None:
        link = self._links.pop(pair, None)
        if pair not in self._decided or self._decided[pair].kind is DecisionKind.REJECT:
            for x, y in (pair, pair[::-1]):
                neighbours = self._neighbours.get(x)
                if neighbours is not None:
                    neighbours.discard(y)
        return link

    def _recheck(self, key: str, holders: list[str]) -> list[Link]:
        """``key`` just went over the cap: re-verify the links among its holders that rest on
        it; drop those left without evidence and rebuild the groups they held."""
        holding = set(holders)
        dropped: list[Link] = []
        touched: list[str] = []
        for holder in holders:
            for other in list(self._neighbours.get(holder, ())):
                if other not in holding or other < holder:
                    continue
                pair = (holder, other)
                link = self._links.get(pair)
                if link is None or key not in link.keys:
                    continue
                remaining = link.keys - self._capped
                again = (link_between(self._facts[holder], self._facts[other], self._capped,
                                      remaining) if remaining else None)
                if again is None:
                    self._unstore(pair)
                    dropped.append(link)
                    touched.append(holder)
                else:
                    self._links[pair] = again
        if touched:
            self._rebuild(touched)
        return dropped

    def _rebuild(self, items: list[str]) -> None:
        """Regroup the groups of ``items`` from their links and decisions."""
        uf = self._uf
        members: set[str] = set()
        for item in items:
            if item not in members:
                members.update(uf.members(item))
        uf.reset(members)
        inside: list[Link] = []
        outside: list[Link] = []
        for a in members:
            for b in self._neighbours.get(a, ()):
                link = self._links.get((a, b) if a < b else (b, a))
                if link is None:
                    continue
                if b not in members:
                    outside.append(link)
                elif a < b:
                    inside.append(link)
        decided = {pair: d for pair, d in self._decided.items()
                   if pair[0] in members or pair[1] in members}
        join(uf, members, inside, decided)
        # links and analyst-made pairs to reports outside the rebuilt groups join again too
        for (a, b), decision in sorted(decided.items()):
            if decision.kind is not DecisionKind.REJECT and not (a in members and b in members):
                uf.union(a, b, force=True)
        for link in sorted(outside, key=lambda link: (-link.strength, link.a, link.b)):
            uf.union(link.a, link.b)
