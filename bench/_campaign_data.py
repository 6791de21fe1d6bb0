"""Synthetic reports with planted campaigns of known membership, for the campaign benchmarks.

``stream(n, seed)`` yields ``n`` reports as ``Planted`` items, in arrival order: the facts that
correlation reads (``campaigns.ReportFacts``), the planted campaign (or -1 for background
noise) and the observables as the sharing layer stores them. It is a generator and needs only
the planted campaigns' state in memory, so a store-backed benchmark can turn each item into a
``ReportContent`` and file it without holding the corpus. The same ``(n, seed)`` always gives the
same corpus.

**Planted campaigns** take ``CAMPAIGN_SHARE`` (15 %) of the reports, 3 to 30 reports each, spread
over 5 to 90 days. Each is one of three styles:

- *infrastructure* (30 %): a pool of 4 to 10 observables of its own (URLs on its own domain, IP
  addresses, file hashes, social handles); each report cites one to three of them, the first URL
  with probability 1/2, and URLs come in the variants people paste (``http``/``https``, ``www.``,
  a trailing slash, ``utm_*`` and ``fbclid`` parameters); the texts are unrelated;
- *narrative* (35 %): one story of 14 words (10 rare, 4 common election words); each report
  keeps each word with probability 0.85 and adds up to four words of its own; no observables;
- *mixed* (35 %): both.

40 % of campaigns name their suspected actor; every campaign uses 3 or 4 techniques out of 200
and each report 2 or 3 of them; each report targets one or two of the campaign's one to three
targets, in one of its phases.

**Background noise** (85 %) is made to trip naive correlation: texts from a 60,000-word
vocabulary with 30 % common election words; 0 to 3 observables (random IP addresses and hashes,
posts on the big platforms, 3 % cite one of 8 popular URLs such as the results page of the
election authority, 2 % one of 5 popular IP addresses); 0 to 3 techniques from the 30 most used,
Zipf-weighted; 8 % name one of 6 notorious actors; targets from a pool of 40.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ballotguard.campaigns import ReportFacts
from ballotguard.sharing import ObservableKind, normalise
from ballotguard.vocabulary import ActorKind, Phase, TargetKind, Vector

START = datetime(2022, 10, 1, tzinfo=UTC)
HISTORY_SECONDS = 4 * 365 * 86_400
CAMPAIGN_SHARE = 0.15
NOISE = -1

_SYLLABLES = ["ka", "ri", "to", "ven", "dal", "mor", "sel", "pra", "lin", "gus", "tor", "bel", "nai", "vo", "zer", "quen", "ash", "pol", "dun", "mir", "ter", "sa", "fu", "lo", "ne", "ri", "ko", "ba", "vi", "cha", "gre", "thi", "um", "or", "an", "ek", "is", "ul", "ro", "de", "ma", "ti", "su", "pe", "ga", "no", "hu", "ji", "lya", "sko", "brin"]
COMMON_WORDS = ["election", "ballots", "ballot", "vote", "votes", "voters", "voting", "polling", "station", "count", "counting", "results", "fraud", "rigged", "candidate", "candidates", "party", "parties", "campaign", "district", "officials", "commission", "registration", "register", "roll", "turnout", "machines", "machine", "tabulation", "audit", "recount", "certify", "certified", "observers", "observer", "mail", "postal", "envelopes", "signature", "deadline", "queue", "queues", "lines", "booth", "booths", "ink", "id", "identity", "verification", "website", "portal", "leak", "leaked", "documents", "emails", "hack", "hacked", "breach", "outage", "attack", "attackers", "foreign", "interference", "disinformation", "rumour", "claim", "claims", "video", "footage", "photo", "photos", "post", "posts", "accounts", "bots", "network", "channel", "group", "groups", "telegram", "message", "messages", "share", "shared", "viral", "trending", "hashtag", "minister", "government", "parliament", "mayor", "council", "court", "judge", "law", "police", "army", "protest", "protesters", "crowd", "rally", "media", "journalist", "journalists", "newspaper", "tv", "radio", "broadcast", "fake", "false", "fabricated", "deepfake", "audio", "statement", "press", "conference", "announcement", "north", "south", "east", "west", "capital", "region", "province", "city", "village"]
PLATFORM_HOSTS = ("www.facebook.com", "x.com", "twitter.com", "t.me", "www.youtube.com",
                  "www.tiktok.com", "www.instagram.com", "vk.com")
POPULAR_URLS = tuple(normalise(ObservableKind.URL, url) for url in (
    "https://www.veldra-elections.example/results", "https://www.veldra-elections.example/",
    "https://veldra-elections.example/register", "https://news.veldra-tv.example/live",
    "https://www.google.com/", "https://www.facebook.com/", "https://x.com/home",
    "https://www.veldra-gov.example/press"))
POPULAR_IPS = ("8.8.8.8", "1.1.1.1", "9.9.9.9", "208.67.222.222", "198.51.100.53")
NOTORIOUS_ACTORS = tuple(f"{ActorKind.FOREIGN_STATE.value}:{name}" for name in (
    "ursa collective", "grey harbour", "storm-0917", "red lantern", "iron choir", "pale fox"))
PHASES = tuple(Phase)
VECTORS = tuple(Vector)
TARGET_POOL = tuple(
    [f"org:org-{n:02d}" for n in range(25)]
    + [f"{kind.value}:{label}" for kind, label in (
        (TargetKind.VOTERS, "voters"), (TargetKind.VOTERS, "first-time voters"),
        (TargetKind.DIASPORA_COMMUNITY, "veldran diaspora in aster"),
        (TargetKind.CANDIDATE, "the opposition leader"), (TargetKind.CANDIDATE, "the mayor"),
        (TargetKind.MEDIA, "regional newspapers"), (TargetKind.CIVIL_SOCIETY, "observers"),
        (TargetKind.POLITICAL_PARTY, "green alliance"), (TargetKind.POLITICAL_PARTY, "unity"),
        (TargetKind.ELECTION_INFRASTRUCTURE, "results website"),
        (TargetKind.VOTER_REGISTRATION_SYSTEM, "voter roll"),
        (TargetKind.GOVERNMENT, "ministry of interior"), (TargetKind.PLATFORM, "veldragram"),
        (TargetKind.CAMPAIGN, "unity campaign hq"), (TargetKind.MEDIA, "public broadcaster"))])
_TECHNIQUES = tuple([f"disarm:T{n:04d}" for n in range(2, 140)]
                    + [f"attack:T{1000 + 7 * n}" for n in range(62)])
POPULAR_TECHNIQUES = tuple(["disarm:T0049", "disarm:T0085", "disarm:T0019", "disarm:T0086",
                            "disarm:T0087", "disarm:T0007", "disarm:T0043", "disarm:T0118",
                            "disarm:T0119", "disarm:T0097", "attack:T1566", "attack:T1190",
                            "attack:T1498", "attack:T1078", "attack:T1583", "attack:T1585",
                            "disarm:T0010", "disarm:T0013", "disarm:T0015", "disarm:T0016",
                            "disarm:T0017", "disarm:T0018", "disarm:T0020", "disarm:T0023",
                            "disarm:T0029", "disarm:T0039", "disarm:T0044", "disarm:T0046",
                            "disarm:T0047", "disarm:T0048"])
_TECHNIQUE_WEIGHTS = list(accumulate(1 / (rank + 1) for rank in range(len(POPULAR_TECHNIQUES))))
_COMMON_WEIGHTS = list(accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(COMMON_WORDS))))


@dataclass(frozen=True, slots=True)
class Planted:
    facts: ReportFacts
    campaign: int
    observables: tuple[tuple[str, str], ...]


@dataclass
class _Campaign:
    number: int
    style: str
    start: float
    duration: float
    pool: list[tuple[str, str]] = field(default_factory=list)
    url_paths: list[str] = field(default_factory=list)
    domain: str = ""
    story: list[str] = field(default_factory=list)
    actor: str | None = None
    techniques: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    vectors: list[Vector] = field(default_factory=list)


def vocabulary(rng: random.Random, size: int = 60_000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(_SYLLABLES, k=rng.choice((2, 3, 3, 4)))))
    return sorted(words)


class _Generator:
    def __init__(self, n: int, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        self.words = vocabulary(rng)
        self.common_table = rng.choices(COMMON_WORDS, cum_weights=_COMMON_WEIGHTS, k=10_000)
        in_campaigns = int(n * CAMPAIGN_SHARE)
        sizes: list[int] = []
        while sum(sizes) < in_campaigns:
            sizes.append(rng.randint(3, 30))
        if sizes and sum(sizes) > in_campaigns:
            sizes[-1] -= sum(sizes) - in_campaigns
            if sizes[-1] < 3:
                sizes.pop()
        self.campaigns = [self._campaign(number) for number in range(len(sizes))]
        slots = [number for number, size in enumerate(sizes) for _ in range(size)]
        slots += [NOISE] * (n - len(slots))
        rng.shuffle(slots)
        self.slots = slots

    # --- planted campaigns --------------------------------------------------------------------

    def _campaign(self, number: int) -> _Campaign:
        rng, words = self.rng, self.words
        style = rng.choices(("infrastructure", "narrative", "mixed"), (30, 35, 35))[0]
        campaign = _Campaign(number, style, rng.uniform(0, HISTORY_SECONDS - 90 * 86_400),
                             rng.uniform(5, 90) * 86_400)
        if style != "narrative":
            campaign.domain = f"{rng.choice(words)}-{rng.choice(words)}-{number}.example"
            campaign.url_paths = [f"/{rng.choice(words)}/{rng.choice(words)}-{rng.randint(1, 999)}"
                                  for _ in range(rng.randint(2, 4))]
            pool: list[tuple[str, str]] = [("ip", _ip(rng)) for _ in range(rng.randint(1, 2))]
            pool += [("file_hash", f"{rng.getrandbits(256):064x}")
                     for _ in range(rng.randint(0, 2))]
            pool += [("social_handle", f"{rng.choice(('x', 'telegram', 'tiktok'))}:"
                                       f"{rng.choice(words)}_{number}")
                     for _ in range(rng.randint(1, 2))]
            campaign.pool = pool
        if style != "infrastructure":
            campaign.story = rng.sample(words, 10) + rng.sample(COMMON_WORDS, 4)
        if rng.random() < 0.4:
            kind = rng.choice((ActorKind.FOREIGN_STATE, ActorKind.STATE_AFFILIATED_PROXY,
                               ActorKind.DOMESTIC))
            campaign.actor = f"{kind.value}:{rng.choice(words)} {rng.choice(words)} {number}"
        campaign.techniques = rng.sample(_TECHNIQUES, rng.randint(3, 4))
        campaign.targets = rng.sample(TARGET_POOL, rng.randint(1, 3))
        campaign.phases = rng.sample(PHASES, rng.randint(1, 3))
        campaign.vectors = rng.sample(VECTORS, rng.randint(1, 3))
        return campaign

    def _member(self, index: int, campaign: _Campaign) -> Planted:
        rng = self.rng
        observables: list[tuple[str, str]] = []
        if campaign.style != "narrative":
            if rng.random() < 0.5:
                observables.append(("url", self._campaign_url(campaign, 0)))
            for _ in range(rng.randint(1, 2)):
                pick = rng.randrange(len(campaign.pool) + len(campaign.url_paths))
                if pick < len(campaign.url_paths):
                    observables.append(("url", self._campaign_url(campaign, pick)))
                else:
                    observables.append(campaign.pool[pick - len(campaign.url_paths)])
        if campaign.story:
            kept = [word for word in campaign.story if rng.random() < 0.85]
            kept += rng.sample(self.words, rng.randint(0, 2))
            kept += rng.choices(COMMON_WORDS, k=rng.randint(0, 2))
            rng.shuffle(kept)
            title, summary = " ".join(kept[:5]).capitalize(), _prose(kept[5:])
        else:
            title, summary = self._noise_text()
        observed = START + timedelta(seconds=campaign.start + rng.uniform(0, campaign.duration))
        facts = ReportFacts(
            id=_report_id(index), observed_at=observed, phase=rng.choice(campaign.phases),
            vectors=frozenset(rng.sample(campaign.vectors, rng.randint(1, len(campaign.vectors)))),
            target_keys=frozenset(rng.sample(campaign.targets,
                                             min(len(campaign.targets), rng.randint(1, 2)))),
            techniques=frozenset(rng.sample(campaign.techniques, rng.randint(2, 3))),
            observables=frozenset(observables), actor=campaign.actor,
            summary=summary, title=title)
        return Planted(facts, campaign.number, tuple(observables))

    def _campaign_url(self, campaign: _Campaign, which: int) -> str:
        rng = self.rng
        scheme = rng.choice(("http", "https", "https"))
        host = ("www." if rng.random() < 0.3 else "") + campaign.domain
        path = campaign.url_paths[which] + ("/" if rng.random() < 0.3 else "")
        query = rng.choice(("", "", "?utm_source=telegram&utm_medium=social",
                            f"?fbclid=IwAR{rng.getrandbits(48):x}", "?utm_campaign=share"))
        return normalise(ObservableKind.URL, f"{scheme}://{host}{path}{query}")

    # --- background noise ---------------------------------------------------------------------

    def _noise_text(self) -> tuple[str, str]:
        rng, words, common = self.rng, self.words, self.common_table
        draw = rng.random
        n_words, n_common = len(words), len(common)
        n_title = 5 + int(draw() * 4)
        chosen = [common[int(draw() * n_common)] if draw() < 0.3
                  else words[int(draw() * n_words)]
                  for _ in range(n_title + 15 + int(draw() * 16))]
        return " ".join(chosen[:n_title]).capitalize(), _prose(chosen[n_title:])

    def _noise(self, index: int) -> Planted:
        rng = self.rng
        observables: list[tuple[str, str]] = []
        for _ in range(rng.choices((0, 1, 2, 3), (30, 35, 25, 10))[0]):
            roll = rng.random()
            if roll < 0.03:
                observables.append(("url", rng.choice(POPULAR_URLS)))
            elif roll < 0.05:
                observables.append(("ip", rng.choice(POPULAR_IPS)))
            elif roll < 0.35:
                observables.append(("ip", _ip(rng)))
            elif roll < 0.55:
                observables.append(("file_hash", f"{rng.getrandbits(256):064x}"))
            elif roll < 0.85:
                host = rng.choice(PLATFORM_HOSTS)
                observables.append(("url", f"https://{host}/{rng.choice(self.words)}/posts/"
                                           f"{rng.getrandbits(40)}"))
            else:
                observables.append(("social_handle",
                                    f"{rng.choice(('x', 'telegram', 'tiktok'))}:"
                                    f"{rng.choice(self.words)}{rng.randint(1, 10**6)}"))
        count = rng.choices((0, 1, 2, 3), (45, 30, 18, 7))[0]
        techniques = frozenset(rng.choices(POPULAR_TECHNIQUES, cum_weights=_TECHNIQUE_WEIGHTS,
                                           k=count))
        title, summary = self._noise_text()
        facts = ReportFacts(
            id=_report_id(index),
            observed_at=START + timedelta(seconds=rng.uniform(0, HISTORY_SECONDS)),
            phase=rng.choice(PHASES),
            vectors=frozenset(rng.sample(VECTORS, rng.choice((1, 1, 2)))),
            target_keys=frozenset(rng.sample(TARGET_POOL, rng.choice((0, 1, 1, 2)))),
            techniques=techniques, observables=frozenset(observables),
            actor=rng.choice(NOTORIOUS_ACTORS) if rng.random() < 0.08 else None,
            summary=summary, title=title)
        return Planted(facts, NOISE, tuple(observables))

    def __iter__(self) -> Iterator[Planted]:
        campaigns = self.campaigns
        for index, slot in enumerate(self.slots):
            yield self._noise(index) if slot == NOISE else self._member(index, campaigns[slot])


def _ip(rng: random.Random) -> str:
    value = rng.getrandbits(32)
    return f"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}"


def _prose(words: list[str]) -> str:
    """Words with a stop word after every third, as sentences are."""
    for position in range(len(words) - 1 - (len(words) - 1) % 3, 0, -3):
        words.insert(position, _FILLERS[position % len(_FILLERS)])
    return " ".join(words).capitalize() + "."


_FILLERS = ("the", "of", "in", "and", "that", "was", "to", "by")


def _report_id(index: int) -> str:
    return f"r{index:07d}"


def report_index(report_id: str) -> int:
    return int(report_id[1:])


def stream(n: int, seed: int = 2026) -> Iterator[Planted]:
    """``n`` reports in arrival order (module docstring); deterministic for ``(n, seed)``."""
    return iter(_Generator(n, seed))


def campaign_sizes(truth: list[int]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for campaign in truth:
        if campaign != NOISE:
            sizes[campaign] = sizes.get(campaign, 0) + 1
    return sizes
