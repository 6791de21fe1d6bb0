"""What correlation needs to know about a report, and the keys under which it is indexed.

``ReportFacts`` is the part of a report that correlation reads, as plain values, so that the
store can build it from its rows and the tests and benchmarks without a database.
``correlation_keys`` turns the facts into text keys ``kind:value``; two reports that share a key
are *candidates*, which ``link_between`` then verifies precisely. The store indexes the keys, so
a new report meets its candidates through an index lookup, whatever the size of the corpus.

Keys:

- ``url:<canonical url>``, ``ip:<address>``, ``email:<address lower-case>``,
  ``handle:<platform:handle>``, ``hash:<hex>``: shared observables (``canonical`` module);
- ``domain:<registrable domain>`` of every URL, domain and e-mail observable, except the common
  platforms, mail providers and shorteners;
- ``actor:<kind>:<name lower-case>`` when the suspected actor is named;
- ``tech:<technique>:<bucket start>``: the technique in the 14-day bucket of the observation and
  in the next one (buckets start on Mondays, counted from 1970-01-05). Two observations at most
  ``TECHNIQUE_WINDOW`` (14 days) apart are at most one bucket apart, so they always share a key;
- ``narr:<band>:<hex>``: MinHash LSH bands of the narrative (``text`` module).

Over-correlation guard: a key carried by more than ``KEY_CAP`` reports stops producing links, as
MISP stops correlating a value once it exceeds its correlation limit (the ``MISP.correlation_limit``
server setting; such values are listed as "over-correlating"). A value that half the corpus cites
(a platform's home page, a public DNS resolver, a technique every operation uses in an election
month) says nothing about who is behind a report. ``link_between`` is told which keys are over
the cap and then ignores the evidence that rests only on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from ballotguard.campaigns.canonical import (
    canonical_handle,
    canonical_url,
    is_common_domain,
    is_ip,
    registrable_domain,
    url_host,
)
from ballotguard.campaigns.text import narrative_keys, words
from ballotguard.errors import InvalidInput
from ballotguard.sharing.reports import Report
from ballotguard.vocabulary import Phase, Vector

KEY_CAP = 50
TECHNIQUE_WINDOW = timedelta(days=14)
BUCKET_DAYS = 14
_EPOCH_DAY = 4  # 1970-01-05, a Monday, as days since 1970-01-01
_DAY_SECONDS = 86_400


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """The facts of one report that correlation reads.

    ``target_keys`` are ``org:<id>`` for an organisation of the hub, else
    ``<target kind>:<description lower-case>``; ``observables`` are ``(kind, value)`` pairs with
    the values as ``sharing.observables`` normalised them; ``actor`` is
    ``<actor kind>:<name lower-case>`` when the suspected actor is named, else None.

    The fields after ``title`` are derived once, on construction: the observable keys, the
    domain keys, the narrative's content words and the observation day (UTC).
    """

    id: str
    observed_at: datetime
    phase: Phase
    vectors: frozenset[Vector]
    target_keys: frozenset[str]
    techniques: frozenset[str]
    observables: frozenset[tuple[str, str]]
    actor: str | None = None
    summary: str = ""
    title: str = ""
    observable_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    domain_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    words: frozenset[str] = field(init=False, repr=False, compare=False)
    day: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.observed_at.tzinfo is None:
            raise InvalidInput("observed_at", "give a time zone, e.g. 2026-11-20T14:00:00Z")
        if not isinstance(self.phase, Phase):
            object.__setattr__(self, "phase", Phase(self.phase))
        if not all(isinstance(v, Vector) for v in self.vectors):
            object.__setattr__(self, "vectors", frozenset(Vector(v) for v in self.vectors))
        observable_keys, domain_keys = _observable_keys(self.observables)
        object.__setattr__(self, "observable_keys", observable_keys)
        object.__setattr__(self, "domain_keys", domain_keys)
        object.__setattr__(self, "words", words(f"{self.title}\n{self.summary}"))
        object.__setattr__(self, "day", int(self.observed_at.timestamp() // _DAY_SECONDS))

    @property
    def buckets(self) -> tuple[int, int]:
        """The two 14-day buckets whose technique keys this report carries."""
        bucket = (self.day - _EPOCH_DAY) // BUCKET_DAYS
        return bucket, bucket + 1


def facts_from_report(report: Report) -> ReportFacts:
    content = report.content
    targets = frozenset(
        f"org:{t.organisation_id}" if t.organisation_id
        else f"{t.kind.value}:{t.description.strip().lower()}"
        for t in content.targets
    )
    actor = content.suspected_actor
    actor_key = (f"{actor.kind.value}:{actor.name.strip().lower()}"
                 if actor is not None and actor.name.strip() else None)
    return ReportFacts(
        id=report.id,
        observed_at=content.observed_at,
        phase=content.phase,
        vectors=frozenset(content.vectors),
        target_keys=targets,
        techniques=frozenset(content.techniques),
        observables=frozenset((o.kind.value, o.value) for o in content.observables),
        actor=actor_key,
        summary=content.summary,
        title=content.title,
    )


def observable_key(kind: str, value: str) -> str | None:
    """The correlation key of one observable; None for domains (they give domain keys)."""
    if kind == "url":
        return f"url:{canonical_url(value)}"
    if kind == "ip":
        return f"ip:{value}"
    if kind == "email":
        return f"email:{value.lower()}"
    if kind == "social_handle":
        return f"handle:{canonical_handle(value)}"
    if kind == "file_hash":
        return f"hash:{value.lower()}"
    return None


def domain_key(kind: str, value: str) -> str | None:
    """``domain:<registrable>`` for URL, domain and e-mail observables, unless common."""
    if kind == "url":
        host = url_host(value)
    elif kind == "domain":
        host = value
    elif kind == "email":
        host = value.rpartition("@")[2]
    else:
        return None
    registrable = registrable_domain(host)
    if registrable is None or is_common_domain(registrable):
        return None
    return f"domain:{registrable}"


def _observable_keys(
    observables: frozenset[tuple[str, str]],
) -> tuple[frozenset[str], frozenset[str]]:
    keys: set[str] = set()
    domains: set[str] = set()
    for kind, value in observables:
        key = observable_key(kind, value)
        if key is not None:
            keys.add(key)
        domain = domain_key(kind, value)
        if domain is not None:
            domains.add(domain)
        if kind == "url":
            host = url_host(value).strip("[]")
            if is_ip(host):
                keys.add(f"ip:{host}")
    return frozenset(keys), frozenset(domains)


@lru_cache(maxsize=4096)
def bucket_label(bucket: int) -> str:
    """The first day of a 14-day bucket, ISO format."""
    return date.fromordinal(date(1970, 1, 1).toordinal() + _EPOCH_DAY
                            + bucket * BUCKET_DAYS).isoformat()


def technique_key(technique: str, bucket: int) -> str:
    return f"tech:{technique}:{bucket_label(bucket)}"


def actor_key(actor: str) -> str:
    return f"actor:{actor}"


def correlation_keys(facts: ReportFacts) -> frozenset[str]:
    """Every key of a report (see the module docstring); the store indexes these."""
    keys = set(facts.observable_keys)
    keys |= facts.domain_keys
    if facts.actor:
        keys.add(actor_key(facts.actor))
    if facts.techniques:
        labels = [bucket_label(bucket) for bucket in facts.buckets]
        keys.update(f"tech:{technique}:{label}"
                    for technique in facts.techniques for label in labels)
    keys.update(narrative_keys(facts.words))
    return frozenset(keys)


def day_of(moment: datetime) -> int:
    """Days since 1970-01-01 in UTC, as ``ReportFacts.day``."""
    return int(moment.astimezone(UTC).timestamp() // _DAY_SECONDS)
