"""Links between two reports, each with the reasons it exists.

``link_between`` verifies a candidate pair precisely and returns every reason that holds:

- **observable**: both cite the same URL (canonical form), IP address, e-mail address, social
  handle or file hash;
- **domain**: both cite the same registrable domain (URLs, domains, e-mail addresses), unless it
  is a common platform, mail provider or shortener, and unless a shared observable already
  explains it (the same URL implies the same domain);
- **actor**: both name the same suspected actor (kind and name);
- **techniques**: at least ``MIN_SHARED_TECHNIQUES`` (2) shared DISARM or ATT&CK techniques,
  observed at most ``TECHNIQUE_WINDOW`` (14 days) apart, against a shared target. The target is
  required because the playbook alone says little: the common DISARM techniques (flooding the
  information space, creating inauthentic accounts) appear in most influence reports of an
  election month, and in the campaign benchmark 98 % of technique-only links between unrelated
  reports had no target in common, against 15 % of those within a planted campaign;
- **narrative**: the content words of title and summary have a Jaccard index of at least 0.5
  (``text`` module); the detail names the shared distinctive words.

Two reports attributed to *different* named actors are not linked by techniques or narrative
alone: analysts' attributions outweigh a shared playbook or a shared template of words (the
demo's reports, like real ones, are often written from templates). Shared observables, domains
still link them: shared infrastructure can mean the actors work together.

Evidence that rests only on keys over the cap (``capped``) does not count (see ``facts``).
Narrative similarity is measured on the texts themselves, so a capped band key never removes it.

Strength, in [0, 1]: each reason has a weight, and independent reasons combine as
``1 - prod(1 - weight)``. Weights: observable 0.9; actor 0.7; domain 0.6; techniques 0.3, plus
0.1 per further shared technique up to 0.6; narrative 0.8 x Jaccard index.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from enum import StrEnum

from ballotguard.campaigns.canonical import registrable_domain, url_host
from ballotguard.campaigns.facts import TECHNIQUE_WINDOW, ReportFacts, actor_key, technique_key
from ballotguard.campaigns.text import distinctive, similar

MIN_SHARED_TECHNIQUES = 2
SHOWN_VALUES = 3


class LinkKind(StrEnum):
    OBSERVABLE = "observable"
    DOMAIN = "domain"
    ACTOR = "actor"
    TECHNIQUES = "techniques"
    NARRATIVE = "narrative"


@dataclass(frozen=True, slots=True)
class LinkReason:
    kind: LinkKind
    detail: str
    weight: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.kind, LinkKind):
            object.__setattr__(self, "kind", LinkKind(self.kind))


@dataclass(frozen=True, slots=True)
class Link:
    """An undirected link, ``a < b``; ``keys`` are the shared correlation keys it rests on."""

    a: str
    b: str
    reasons: tuple[LinkReason, ...]
    strength: float
    keys: frozenset[str] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        if self.a == self.b:
            raise ValueError(f"a report cannot link to itself: {self.a}")
        if self.a > self.b:
            a, b = self.b, self.a
            object.__setattr__(self, "a", a)
            object.__setattr__(self, "b", b)

    @property
    def pair(self) -> tuple[str, str]:
        return self.a, self.b

    @property
    def kinds(self) -> frozenset[LinkKind]:
        return frozenset(reason.kind for reason in self.reasons)


def link_between(
    x: ReportFacts,
    y: ReportFacts,
    capped: Set[str] = frozenset(),
    via: Set[str] = frozenset(),
) -> Link | None:
    """The link between two reports with every reason that holds, or None.

    ``capped``: keys over ``KEY_CAP``, whose evidence is ignored. ``via``: the shared keys
    through which the caller found the pair (kept in ``Link.keys``, for when a key later goes
    over the cap).
    """
    reasons: list[LinkReason] = []
    support: set[str] = set()
    shared_obs = (x.observable_keys & y.observable_keys) - capped
    if shared_obs:
        reasons.append(LinkReason(LinkKind.OBSERVABLE, "both cite " + _listing(
            [key.partition(":")[2] for key in sorted(shared_obs)]), 0.9))
        support |= shared_obs
    shared_domains = (x.domain_keys & y.domain_keys) - capped
    explained = {_domain_of(key) for key in shared_obs}
    unexplained = sorted(key for key in shared_domains if key.partition(":")[2] not in explained)
    if unexplained:
        reasons.append(LinkReason(LinkKind.DOMAIN, "both point to the domain " + _listing(
            [key.partition(":")[2] for key in unexplained]), 0.6))
    support |= shared_domains
    if x.actor and x.actor == y.actor and actor_key(x.actor) not in capped:
        kind, _, name = x.actor.partition(":")
        reasons.append(LinkReason(LinkKind.ACTOR,
                                  f"same suspected actor {name} ({kind.replace('_', ' ')})", 0.7))
        support.add(actor_key(x.actor))
    apart = bool(x.actor and y.actor and x.actor != y.actor)
    techniques = None if apart else _techniques(x, y, capped)
    if techniques is not None:
        shown, days, keys, targets = techniques
        when = "on the same day" if days == 0 else f"within {days} day{'s' if days > 1 else ''}"
        weight = min(0.6, 0.3 + 0.1 * (len(shown) - MIN_SHARED_TECHNIQUES))
        reasons.append(LinkReason(
            LinkKind.TECHNIQUES,
            f"shared techniques {', '.join(shown)} {when}, against {_listing(targets)}", weight))
        support |= keys
    index = None if apart else similar(x.words, y.words)
    if index is not None:
        shown_words = ", ".join(f"'{word}'" for word in distinctive(x.words & y.words))
        reasons.append(LinkReason(LinkKind.NARRATIVE,
                                  f"similar summaries (Jaccard {index:.2f}): {shown_words}",
                                  round(0.8 * index, 4)))
    if not reasons:
        return None
    missing = 1.0
    for reason in reasons:
        missing *= 1.0 - reason.weight
    return Link(x.id, y.id, tuple(reasons), round(1.0 - missing, 4),
                frozenset(support) | frozenset(via))


def _techniques(
    x: ReportFacts, y: ReportFacts, capped: Set[str]
) -> tuple[list[str], int, set[str], list[str]] | None:
    shared = x.techniques & y.techniques
    if len(shared) < MIN_SHARED_TECHNIQUES:
        return None
    gap = abs(x.observed_at - y.observed_at)
    if gap > TECHNIQUE_WINDOW:
        return None
    targets = x.target_keys & y.target_keys
    if not targets:
        return None
    buckets = set(x.buckets) & set(y.buckets)
    live: list[str] = []
    keys: set[str] = set()
    for technique in sorted(shared):
        found = {technique_key(technique, bucket) for bucket in buckets} - capped
        if found:
            live.append(technique)
            keys |= found
    if len(live) < MIN_SHARED_TECHNIQUES:
        return None
    return live, gap.days, keys, sorted(targets)


def _domain_of(key: str) -> str:
    kind, _, value = key.partition(":")
    if kind == "url":
        return registrable_domain(url_host(value)) or ""
    if kind == "email":
        return registrable_domain(value.rpartition("@")[2]) or ""
    return ""


def _listing(values: list[str]) -> str:
    shown = ", ".join(values[:SHOWN_VALUES])
    more = len(values) - SHOWN_VALUES
    return shown + (f" and {more} more" if more > 0 else "")
