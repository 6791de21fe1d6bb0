"""Correlation of separate reports into campaigns: separate activities can add up to interference.

Reports are linked by shared observables (canonical URLs, domains, IP addresses, e-mail
addresses, handles, hashes), a shared named suspected actor, overlapping techniques within 14
days, and similar narratives; every link says why it exists. Campaigns are the connected groups
of the link graph after the analysts' decisions (confirm, reject, merge), which recomputation
honours. A campaign has a timeline across election phases and a cumulative score whose formula
is documented in ``score``. Plain Python: no I/O and no clock; the store and the services adapt it.

Modules: ``canonical`` (URL and domain canonical forms), ``text`` (narrative words, MinHash LSH),
``facts`` (``ReportFacts``, ``correlation_keys``, ``KEY_CAP``), ``links`` (``link_between``),
``decisions``, ``graph`` (``UnionFind``, ``components``, ``stable_ids``), ``score``
(``cumulative_score``, ``timeline``) and ``correlator`` (the in-memory incremental correlator).
"""

from ballotguard.campaigns.canonical import (
    COMMON_DOMAINS,
    SHORTENERS,
    TRACKING_PARAMS,
    canonical_handle,
    canonical_url,
    is_common_domain,
    registrable_domain,
)
from ballotguard.campaigns.correlator import AttachResult, Correlator
from ballotguard.campaigns.decisions import (
    Decision,
    DecisionKind,
    confirm_decision,
    effective_decisions,
    merge_decision,
    reject_decision,
    split_decisions,
)
from ballotguard.campaigns.facts import (
    KEY_CAP,
    TECHNIQUE_WINDOW,
    ReportFacts,
    correlation_keys,
    facts_from_report,
)
from ballotguard.campaigns.graph import UnionFind, components, stable_ids
from ballotguard.campaigns.links import Link, LinkKind, LinkReason, link_between
from ballotguard.campaigns.score import (
    FORMULA,
    CampaignScore,
    TimelineEntry,
    cumulative_score,
    timeline,
)
from ballotguard.campaigns.text import NARRATIVE_THRESHOLD

__all__ = [
    "COMMON_DOMAINS",
    "FORMULA",
    "KEY_CAP",
    "NARRATIVE_THRESHOLD",
    "SHORTENERS",
    "TECHNIQUE_WINDOW",
    "TRACKING_PARAMS",
    "AttachResult",
    "CampaignScore",
    "Correlator",
    "Decision",
    "DecisionKind",
    "Link",
    "LinkKind",
    "LinkReason",
    "ReportFacts",
    "TimelineEntry",
    "UnionFind",
    "canonical_handle",
    "canonical_url",
    "components",
    "confirm_decision",
    "correlation_keys",
    "cumulative_score",
    "effective_decisions",
    "facts_from_report",
    "is_common_domain",
    "link_between",
    "merge_decision",
    "registrable_domain",
    "reject_decision",
    "split_decisions",
    "stable_ids",
    "timeline",
]
