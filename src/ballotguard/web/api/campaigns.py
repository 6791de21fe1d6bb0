"""Campaigns over JSON: the reports a reader may see, why they are linked, and analysts' decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from ballotguard.campaigns import CampaignScore, DecisionKind
from ballotguard.ports import UnitOfWork
from ballotguard.services import campaigns
from ballotguard.services.actors import Actor
from ballotguard.sharing import Permission
from ballotguard.web.access import GuardedRoute, current_actor, needs, rule
from ballotguard.web.deps import NOW, UOW

router = APIRouter(prefix="/api", tags=["campaigns"], route_class=GuardedRoute)
ACTOR = Depends(current_actor)
READ = needs(Permission.READ_REPORTS)
CORRELATE = needs(Permission.CORRELATE)
Reason = Annotated[str, Field(min_length=1, max_length=2000)]
ReportId = Annotated[str, Field(min_length=1, max_length=64)]


class ScoreOut(BaseModel):
    value: float
    phases: int
    targets: int
    vectors: int
    techniques: int
    span_days: float
    active_weeks: int
    formula: str


class ReasonOut(BaseModel):
    kind: str
    detail: str


class LinkOut(BaseModel):
    a: str
    b: str
    strength: float
    reasons: list[ReasonOut]


class DecisionOut(BaseModel):
    kind: str
    a: str
    b: str
    by: str
    at: datetime
    reason: str


class MemberOut(BaseModel):
    id: str
    title: str
    observed_at: datetime
    phase: str
    vectors: list[str]
    tlp: str


class CampaignSummaryOut(BaseModel):
    id: str
    reports: int = Field(description="reports in the campaign that the caller may read")
    updated_at: datetime
    score: ScoreOut


class CampaignOut(BaseModel):
    id: str
    created_at: datetime
    updated_at: datetime
    reports: list[MemberOut]
    links: list[LinkOut]
    decisions: list[DecisionOut]
    score: ScoreOut
    fully_visible: bool = Field(description="whether the caller may read every report in it")
    targets: dict[str, int] = Field(description="targets named by the readable reports, with counts")
    techniques: dict[str, int]


class LinkDecisionIn(BaseModel):
    a: ReportId
    b: ReportId
    kind: DecisionKind = Field(description="confirm or reject")
    reason: Reason


class SplitIn(BaseModel):
    reports: Annotated[list[ReportId], Field(min_length=1, max_length=10_000)]
    reason: Reason


class MergeIn(BaseModel):
    first: ReportId
    second: ReportId
    reason: Reason


def score_out(score: CampaignScore) -> ScoreOut:
    return ScoreOut(
        value=score.value, phases=score.phases, targets=score.targets, vectors=score.vectors,
        techniques=score.techniques, span_days=score.span_days, active_weeks=score.active_weeks,
        formula=score.formula,
    )


def campaign_out(view: campaigns.CampaignView) -> CampaignOut:
    return CampaignOut(
        id=view.id,
        created_at=view.created_at,
        updated_at=view.updated_at,
        reports=[
            MemberOut(
                id=r.id, title=r.content.title, observed_at=r.content.observed_at,
                phase=r.content.phase.value, vectors=[v.value for v in r.content.vectors],
                tlp=r.content.tlp.value,
            )
            for r in view.reports
        ],
        links=[
            LinkOut(
                a=link.a, b=link.b, strength=link.strength,
                reasons=[ReasonOut(kind=r.kind, detail=r.detail) for r in link.reasons],
            )
            for link in view.links
        ],
        decisions=[
            DecisionOut(kind=d.kind.value, a=d.a, b=d.b, by=d.by, at=d.at, reason=d.reason)
            for d in view.decisions
        ],
        score=score_out(view.score),
        fully_visible=view.fully_visible,
        targets=dict(view.targets),
        techniques=dict(view.techniques),
    )


@router.get("/campaigns", response_model=list[CampaignSummaryOut])
@rule(READ)
def list_campaigns(uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> list[CampaignSummaryOut]:
    """Campaigns in which the caller may read at least two reports; counts are of those alone."""
    return [
        CampaignSummaryOut(id=s.id, reports=s.reports, updated_at=s.updated_at,
                           score=score_out(s.score))
        for s in campaigns.list_campaigns(uow, actor)
    ]


@router.get("/campaigns/{campaign_id}", response_model=CampaignOut)
@rule(READ)
def get_campaign(campaign_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> CampaignOut:
    return campaign_out(campaigns.get_campaign(uow, actor, campaign_id))


@router.get("/reports/{report_id}/campaign", response_model=CampaignOut | None)
@rule(READ)
def campaign_of_report(
    report_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR
) -> CampaignOut | None:
    view = campaigns.campaign_of_report(uow, actor, report_id)
    return None if view is None else campaign_out(view)


@router.post("/links/decisions", response_model=dict[str, str | None])
@rule(CORRELATE)
def decide_link(
    body: LinkDecisionIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> dict[str, str | None]:
    """Confirm or reject the link between two reports; the decision survives recomputation."""
    campaign = campaigns.decide_link(uow, actor, body.a, body.b, body.kind, body.reason, now)
    return {"campaign": campaign}


@router.post("/campaigns/{campaign_id}/split", response_model=list[str])
@rule(CORRELATE)
def split(
    campaign_id: str, body: SplitIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR,
    now: datetime = NOW,
) -> list[str]:
    """Split the chosen reports off; refused unless the caller may read the whole campaign."""
    return campaigns.split_campaign(
        uow, actor, campaign_id, frozenset(body.reports), body.reason, now
    )


@router.post("/campaigns/merge", response_model=dict[str, str])
@rule(CORRELATE)
def merge(
    body: MergeIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> dict[str, str]:
    """Merge two campaigns; refused unless the caller may read every report in both."""
    return {"campaign": campaigns.merge_campaigns(
        uow, actor, body.first, body.second, body.reason, now
    )}


class ExclusionIn(BaseModel):
    key: Annotated[str, Field(min_length=3, max_length=2100, examples=["domain:platform.example"])]
    reason: Reason


class ExclusionOut(BaseModel):
    key: str
    reason: str
    decided_by: str
    decided_at: datetime


@router.get("/correlation/exclusions", response_model=list[ExclusionOut])
@rule(READ)
def list_exclusions(uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> list[ExclusionOut]:
    """Values that never link reports (MISP calls these correlation exclusions)."""
    return [ExclusionOut(key=e.key, reason=e.reason, decided_by=e.decided_by,
                         decided_at=e.decided_at) for e in campaigns.exclusions(uow, actor)]


@router.post("/correlation/exclusions", response_model=dict[str, int], status_code=201)
@rule(CORRELATE)
def exclude(
    body: ExclusionIn, uow: UnitOfWork = UOW, actor: Actor = ACTOR, now: datetime = NOW
) -> dict[str, int]:
    """Exclude a value from correlation; links that rested on it are checked again."""
    return {"rechecked": campaigns.exclude_key(uow, actor, body.key, body.reason, now)}
