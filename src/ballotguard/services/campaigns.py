"""Correlating reports into campaigns, and reading campaigns through the one access rule.

A report is attached when it is filed or corrected: its correlation keys are looked up in the
index, the candidates that share a key are checked pair by pair (``campaigns.link_between``), and
only the campaigns it touches are regrouped. The cost depends on the report's candidates, never on
the size of the corpus. Analysts' decisions (confirm, reject, merge) are pairs kept apart from the
computed links, so recomputing links never undoes them.

Readers see a campaign through ``sharing.can_read`` only: the members they may read, the links
between two such members, and a score and timeline computed over those members alone. A campaign
with fewer than two readable members does not exist for that reader. Merging or splitting acts on
every member, so it is refused unless the actor can read them all.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from ballotguard.campaigns import (
    KEY_CAP,
    CampaignScore,
    Decision,
    DecisionKind,
    Link,
    ReportFacts,
    TimelineEntry,
    canonical_url,
    components,
    correlation_keys,
    cumulative_score,
    effective_decisions,
    facts_from_report,
    link_between,
    merge_decision,
    split_decisions,
    stable_ids,
    timeline,
)
from ballotguard.errors import (
    CampaignNotFound,
    CampaignNotFullyVisible,
    InvalidInput,
    ReportNotFound,
)
from ballotguard.ports import CampaignRecord, Exclusion, UnitOfWork
from ballotguard.services.actors import Actor
from ballotguard.services.audit import record
from ballotguard.sharing import Permission, Report, Status, can_read, read_scope

MIN_VISIBLE = 2
"""A campaign shows to a reader only when they can read at least two of its reports."""


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --- attaching -------------------------------------------------------------------------------


def attach_report(uow: UnitOfWork, report: Report, now: datetime) -> str | None:
    """Index a new or corrected report and fold it into the campaigns it links to.

    Runs inside the caller's transaction (filing and correlation commit together). Returns the
    campaign the report belongs to afterwards, if any.
    """
    if report.status is Status.RETRACTED:
        detach_report(uow, report.id, now)
        return None
    facts = facts_from_report(report)
    hashed = {key_hash(key): key for key in correlation_keys(facts)}
    excluded = {e.key for e in uow.correlation.exclusions()}
    found = _candidates(uow, report.id, hashed, excluded)
    fresh = uow.correlation.campaign_of(report.id) is None and not uow.correlation.links_of(
        report.id
    )
    uow.correlation.drop_links_of(report.id)
    uow.correlation.set_keys(report.id, frozenset(hashed))
    touched = {report.id}
    for key, holders in found.newly_capped:
        touched |= _recheck(uow, key, holders, found.capped, now)
    rejected = _rejected_pairs(uow.correlation.decisions_of(report.id))
    links = [
        link
        for link in _links_to(uow, facts, found.via, found.capped)
        if (link.a, link.b) not in rejected
    ]
    uow.correlation.add_links(links, now)
    neighbours = {other for link in links for other in (link.a, link.b)} - {report.id}
    decided = uow.correlation.decisions_of(report.id)
    if fresh and not decided and not found.newly_capped:
        _join(uow, report.id, neighbours, now)
    else:
        _regroup(uow, touched | neighbours | _decided_partners(decided), now)
    return uow.correlation.campaign_of(report.id)


def _join(uow: UnitOfWork, report_id: str, neighbours: set[str], now: datetime) -> None:
    """A new report with no analyst decision joins its neighbours' campaigns, which become one.

    No component needs recomputing: adding a node and its edges only unites groups. The
    smaller campaigns move into the largest, so the cost is the reports that move, never the
    corpus. When analysts have kept some of those campaigns apart (a rejected link between
    them), the full regrouping decides instead.
    """
    if not neighbours:
        return
    loose: set[str] = set()
    campaigns: dict[str, CampaignRecord] = {}
    for neighbour in sorted(neighbours):
        campaign_id = uow.correlation.campaign_of(neighbour)
        if campaign_id is None:
            loose.add(neighbour)
        elif campaign_id not in campaigns:
            campaigns[campaign_id] = uow.correlation.campaign(campaign_id)
    if len(campaigns) > 1:
        union = frozenset().union(*(c.members for c in campaigns.values()))
        if any(d.kind is DecisionKind.REJECT for d in uow.correlation.decisions_among(union)):
            _regroup(uow, {report_id} | neighbours, now)
            return
    ranked = sorted(campaigns.values(), key=lambda c: (-len(c.members), c.created_at, c.id))
    keep = ranked[0].id if ranked else str(uuid.uuid4())
    moving = {report_id} | loose
    for other in ranked[1:]:
        moving |= other.members
        uow.correlation.delete_campaign(other.id)
    uow.correlation.add_members(keep, frozenset(moving), now)


def detach_report(uow: UnitOfWork, report_id: str, now: datetime) -> None:
    """A retracted report stops linking; the campaign it held together is regrouped."""
    campaign_id = uow.correlation.campaign_of(report_id)
    uow.correlation.drop_links_of(report_id)
    uow.correlation.set_keys(report_id, frozenset())
    if campaign_id is not None:
        members = uow.correlation.campaign(campaign_id).members
        _regroup(uow, set(members), now, dropping=report_id)


def recompute(
    uow: UnitOfWork, now: datetime, progress: Callable[[int, int], None] | None = None
) -> int:
    """Rebuild the whole correlation (keys, links, campaigns) from the reports, oldest first.

    Analysts' decisions and exclusions are kept and applied again, and each rebuilt campaign
    takes the id of the old campaign it overlaps most, so assessments of campaigns still point
    at them. Each report attaches as if newly filed, so the rebuild costs the sum of the
    attachments. The caller commits: the operator's command does it once at the end.
    """
    previous = uow.correlation.all_campaigns()
    created = {cid: uow.correlation.campaign(cid).created_at for cid in previous}
    uow.correlation.clear_computed()
    report_ids = uow.reports.all_ids()
    for done, report_id in enumerate(report_ids, start=1):
        attach_report(uow, uow.reports.get(report_id), now)
        if progress is not None:
            progress(done, len(report_ids))
    rebuilt = uow.correlation.all_campaigns()
    named = stable_ids(previous, list(rebuilt.values()), new_id=lambda: str(uuid.uuid4()))
    current = {members: cid for cid, members in rebuilt.items()}
    for campaign_id, members in named.items():
        if current[members] != campaign_id:
            uow.correlation.delete_campaign(current[members])
            uow.correlation.save_campaign(
                CampaignRecord(campaign_id, created.get(campaign_id, now), now, members)
            )
    return len(report_ids)


@dataclass(slots=True)
class _Found:
    via: dict[str, set[str]]
    """candidate report -> the keys it shares with the new report"""
    capped: set[str]
    """keys over the cap or excluded: their evidence does not count"""
    newly_capped: list[tuple[str, list[str]]]
    """keys this report pushed over the cap, with their earlier holders"""


def _candidates(
    uow: UnitOfWork, report_id: str, hashed: dict[str, str], excluded: set[str]
) -> _Found:
    """Reports sharing a key, skipping keys so common they would link everything (as MISP stops
    correlating a value past its correlation limit) and keys analysts excluded."""
    found = _Found({}, set(hashed.values()) & excluded, [])
    for digest, key in sorted(hashed.items()):
        if key in excluded:
            continue
        holders = [
            rid for rid in uow.correlation.reports_with_key(digest, KEY_CAP + 2) if rid != report_id
        ]
        if len(holders) >= KEY_CAP:
            found.capped.add(key)
            if len(holders) == KEY_CAP:
                found.newly_capped.append((key, holders))
            continue
        for holder in holders:
            found.via.setdefault(holder, set()).add(key)
    return found


def _recheck(
    uow: UnitOfWork, key: str, holders: Iterable[str], capped: set[str], now: datetime
) -> set[str]:
    """Links that rested on a key that no longer counts are checked again without it."""
    touched: set[str] = set()
    facts: dict[str, ReportFacts] = {}

    def facts_of(report_id: str) -> ReportFacts:
        if report_id not in facts:
            facts[report_id] = facts_from_report(uow.reports.get(report_id))
        return facts[report_id]

    for holder in holders:
        for link in uow.correlation.links_of(holder):
            if key not in link.keys:
                continue
            touched |= {link.a, link.b}
            again = link_between(
                facts_of(link.a), facts_of(link.b), capped | {key}, link.keys - capped - {key}
            )
            if again is None:
                uow.correlation.drop_link(link.a, link.b)
            else:
                uow.correlation.add_links([again], now)
    return touched


def _links_to(
    uow: UnitOfWork, facts: ReportFacts, via: dict[str, set[str]], capped: set[str]
) -> list[Link]:
    links: list[Link] = []
    for other_id in sorted(via):
        other = uow.reports.get(other_id)
        if other.status is Status.RETRACTED:
            continue
        link = link_between(facts, facts_from_report(other), capped, frozenset(via[other_id]))
        if link is not None:
            links.append(link)
    return links


def _rejected_pairs(decisions: Iterable[Decision]) -> set[tuple[str, str]]:
    return {(d.a, d.b) for d in decisions if d.kind is DecisionKind.REJECT}


def _decided_partners(decisions: Iterable[Decision]) -> set[str]:
    return {
        other
        for d in decisions
        if d.kind is not DecisionKind.REJECT
        for other in (d.a, d.b)
    }


def _regroup(
    uow: UnitOfWork, touched: set[str], now: datetime, dropping: str | None = None
) -> None:
    """Recompute campaigns over the reports touched and the campaigns they belong to."""
    previous: dict[str, frozenset[str]] = {}
    created_at: dict[str, datetime] = {}
    scope = set(touched)
    for report_id in touched:
        campaign_id = uow.correlation.campaign_of(report_id)
        if campaign_id is not None and campaign_id not in previous:
            campaign = uow.correlation.campaign(campaign_id)
            previous[campaign_id] = campaign.members
            created_at[campaign_id] = campaign.created_at
            scope |= campaign.members
    if dropping is not None:
        scope.discard(dropping)
    members = frozenset(scope)
    groups = components(
        members, uow.correlation.links_among(members), uow.correlation.decisions_among(members)
    )
    named = stable_ids(previous, groups, new_id=lambda: str(uuid.uuid4()))
    for campaign_id in previous.keys() - named.keys():
        uow.correlation.delete_campaign(campaign_id)
    for campaign_id, group in named.items():
        if previous.get(campaign_id) == group:
            continue
        created = created_at.get(campaign_id, now)
        uow.correlation.save_campaign(CampaignRecord(campaign_id, created, now, group))


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    id: str
    reports: int
    updated_at: datetime
    score: CampaignScore


@dataclass(frozen=True, slots=True)
class CampaignView:
    """A campaign as one reader may see it: nothing here derives from a report they cannot read."""

    id: str
    created_at: datetime
    updated_at: datetime
    reports: list[Report]
    links: list[Link]
    decisions: list[Decision]
    score: CampaignScore
    timeline: list[TimelineEntry]
    fully_visible: bool
    targets: list[tuple[str, int]]
    """who or what the readable reports name as targets, with how many reports name each"""
    techniques: list[tuple[str, int]]


def list_campaigns(uow: UnitOfWork, actor: Actor) -> list[CampaignSummary]:
    actor.require(Permission.READ_REPORTS)
    summaries: list[CampaignSummary] = []
    for campaign_id, _count, updated_at in uow.correlation.visible_campaigns(
        read_scope(actor.reader), MIN_VISIBLE
    ):
        visible = _visible_members(uow, actor, uow.correlation.campaign(campaign_id))
        if len(visible) < MIN_VISIBLE:
            continue
        score = cumulative_score([facts_from_report(r) for r in visible])
        summaries.append(CampaignSummary(campaign_id, len(visible), updated_at, score))
    return summaries


def get_campaign(uow: UnitOfWork, actor: Actor, campaign_id: str) -> CampaignView:
    actor.require(Permission.READ_REPORTS)
    return _view(uow, actor, uow.correlation.campaign(campaign_id))


def campaign_of_report(uow: UnitOfWork, actor: Actor, report_id: str) -> CampaignView | None:
    """The campaign a readable report belongs to, as the reader may see it, or None.

    A report the reader may not see answers ``ReportNotFound``, like every other read of it.
    """
    _require_readable(uow, actor, report_id)
    campaign_id = uow.correlation.campaign_of(report_id)
    if campaign_id is None:
        return None
    try:
        return get_campaign(uow, actor, campaign_id)
    except CampaignNotFound:
        return None


def _view(uow: UnitOfWork, actor: Actor, campaign: CampaignRecord) -> CampaignView:
    visible = _visible_members(uow, actor, campaign)
    if len(visible) < MIN_VISIBLE:
        raise CampaignNotFound(campaign.id)
    ids = frozenset(r.id for r in visible)
    facts = [facts_from_report(r) for r in visible]
    return CampaignView(
        id=campaign.id,
        created_at=campaign.created_at,
        updated_at=campaign.updated_at,
        reports=visible,
        links=uow.correlation.links_among(ids),
        decisions=uow.correlation.decisions_among(ids),
        score=cumulative_score(facts),
        timeline=timeline(facts),
        fully_visible=len(visible) == len(campaign.members),
        targets=_target_counts(uow, visible),
        techniques=Counter(t for r in visible for t in set(r.content.techniques)).most_common(),
    )


def _target_counts(uow: UnitOfWork, reports: list[Report]) -> list[tuple[str, int]]:
    names: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for report in reports:
        labels = set()
        for target in report.content.targets:
            if target.organisation_id:
                if target.organisation_id not in names:
                    names[target.organisation_id] = uow.orgs.get(target.organisation_id).name
                labels.add(names[target.organisation_id])
            else:
                labels.add(target.description or target.kind.value)
        counts.update(labels)
    return counts.most_common()


def _visible_members(uow: UnitOfWork, actor: Actor, campaign: CampaignRecord) -> list[Report]:
    reports = [uow.reports.get(report_id) for report_id in sorted(campaign.members)]
    visible = [r for r in reports if can_read(actor.reader, r)]
    return sorted(visible, key=lambda r: (r.content.observed_at, r.id))


def _require_readable(uow: UnitOfWork, actor: Actor, report_id: str) -> None:
    """``services.reports.readable_report``'s rule; that module imports this one, hence here."""
    if not can_read(actor.reader, uow.reports.get(report_id)):
        raise ReportNotFound(report_id)


def _fully_visible(uow: UnitOfWork, actor: Actor, campaign_id: str) -> CampaignRecord:
    campaign = uow.correlation.campaign(campaign_id)
    visible = _visible_members(uow, actor, campaign)
    if len(visible) < MIN_VISIBLE:
        raise CampaignNotFound(campaign_id)
    if len(visible) != len(campaign.members):
        raise CampaignNotFullyVisible(campaign_id)
    return campaign


# --- analysts' decisions ---------------------------------------------------------------------


def decide_link(
    uow: UnitOfWork,
    actor: Actor,
    a: str,
    b: str,
    kind: DecisionKind,
    reason: str,
    now: datetime,
) -> str | None:
    """Confirm or reject the link between two reports the analyst can read; the decision sticks."""
    actor.require(Permission.CORRELATE)
    _require_reason(reason)
    if kind is DecisionKind.MERGE:
        raise InvalidInput("kind", "use merge_campaigns to join two campaigns")
    first, second = sorted((a, b))
    if first == second:
        raise InvalidInput("reports", "a link joins two different reports")
    for report_id in (first, second):
        _require_readable(uow, actor, report_id)
    uow.correlation.decide(Decision(kind, first, second, actor.id, now, reason))
    _regroup(uow, {first, second}, now)
    record(uow, actor, f"campaign.link.{kind.value}", f"{first}~{second}", now, {"reason": reason})
    uow.commit()
    return uow.correlation.campaign_of(first)


def split_campaign(
    uow: UnitOfWork,
    actor: Actor,
    campaign_id: str,
    part: frozenset[str],
    reason: str,
    now: datetime,
) -> list[str]:
    """Cut every link between ``part`` and the rest of the campaign; returns the campaigns left."""
    actor.require(Permission.CORRELATE)
    _require_reason(reason)
    campaign = _fully_visible(uow, actor, campaign_id)
    if not part or not part < campaign.members:
        raise InvalidInput("part", "choose some, not all, of the campaign's reports")
    links = uow.correlation.links_among(campaign.members)
    decided = effective_decisions(uow.correlation.decisions_among(campaign.members))
    for decision in split_decisions(
        campaign.members, part, links, actor.id, now, reason, decisions=decided
    ):
        uow.correlation.decide(decision)
    _regroup(uow, set(campaign.members), now)
    record(uow, actor, "campaign.split", campaign_id, now, {"part": sorted(part), "reason": reason})
    uow.commit()
    return sorted({c for r in campaign.members if (c := uow.correlation.campaign_of(r))})


def merge_campaigns(
    uow: UnitOfWork,
    actor: Actor,
    first_id: str,
    second_id: str,
    reason: str,
    now: datetime,
) -> str:
    """Join two campaigns the analyst can read in full; the merge survives recomputation."""
    actor.require(Permission.CORRELATE)
    _require_reason(reason)
    if first_id == second_id:
        raise InvalidInput("campaigns", "choose two different campaigns")
    first = _fully_visible(uow, actor, first_id)
    second = _fully_visible(uow, actor, second_id)
    decision = merge_decision(min(first.members), min(second.members), actor.id, now, reason)
    uow.correlation.decide(decision)
    for earlier in uow.correlation.decisions_among(first.members | second.members):
        if earlier.kind is DecisionKind.REJECT and _crosses(earlier, first.members):
            # the merge overrides an earlier split between these two campaigns
            uow.correlation.decide(merge_decision(earlier.a, earlier.b, actor.id, now, reason))
    _regroup(uow, set(first.members | second.members), now)
    merged = uow.correlation.campaign_of(decision.a)
    assert merged is not None
    record(
        uow, actor, "campaign.merged", merged, now,
        {"from": sorted([first_id, second_id]), "reason": reason},
    )
    uow.commit()
    return merged


KEY_KINDS = ("url", "domain", "ip", "email", "handle", "hash", "actor")


def exclusions(uow: UnitOfWork, actor: Actor) -> list[Exclusion]:
    actor.require(Permission.READ_REPORTS)
    return uow.correlation.exclusions()


def exclude_key(uow: UnitOfWork, actor: Actor, key: str, reason: str, now: datetime) -> int:
    """Stop a value from linking reports (a platform's domain, a shared resolver); the links
    that rested on it are checked again. Returns how many reports were re-checked."""
    actor.require(Permission.CORRELATE)
    _require_reason(reason)
    key = _checked_key(key)
    uow.correlation.exclude(Exclusion(key, reason.strip(), actor.id, now))
    holders = uow.correlation.reports_with_key(key_hash(key), 1_000_000)
    touched = _recheck(uow, key, holders, {key}, now)
    _regroup(uow, touched | set(holders), now)
    record(uow, actor, "correlation.excluded", key, now, {"reason": reason})
    uow.commit()
    return len(holders)


def include_key(uow: UnitOfWork, actor: Actor, key: str, reason: str, now: datetime) -> int:
    """Let an excluded value link reports again; its holders are attached again."""
    actor.require(Permission.CORRELATE)
    _require_reason(reason)
    key = _checked_key(key)
    uow.correlation.include(key)
    holders = uow.correlation.reports_with_key(key_hash(key), 1_000_000)
    for report_id in holders:
        attach_report(uow, uow.reports.get(report_id), now)
    record(uow, actor, "correlation.included", key, now, {"reason": reason})
    uow.commit()
    return len(holders)


def _checked_key(key: str) -> str:
    kind, sep, value = key.strip().partition(":")
    if not sep or kind not in KEY_KINDS or not value.strip():
        raise InvalidInput(
            "key", f"write kind:value with kind one of {', '.join(KEY_KINDS)}, "
            "e.g. domain:platform.example"
        )
    value = value.strip()
    return f"{kind}:{canonical_url(value) if kind == 'url' else value.lower()}"


def _crosses(decision: Decision, side: frozenset[str]) -> bool:
    return (decision.a in side) != (decision.b in side)


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("reason", "say why: analysts' decisions keep their reason")
