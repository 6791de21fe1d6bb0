"""SQLAlchemy implementations of the assessment and correlation ports.

Links are stored with ``a_id < b_id`` so a pair has one row whichever report came first. The
correlation index holds SHA-256 hashes of the correlation keys: a URL can be 2 KiB, a hash is a
fixed 64-character primary-key prefix, and the index answers "who else has this key" alone.
"""

from __future__ import annotations

import builtins
import json
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from ballotguard.campaigns import Decision, DecisionKind, Link, LinkReason
from ballotguard.errors import AssessmentNotFound, CampaignNotFound
from ballotguard.ports import (
    AdoptionRecord,
    AssessmentChange,
    AssessmentRecord,
    CampaignRecord,
    Exclusion,
)
from ballotguard.sharing import ReadScope
from ballotguard.store.models import (
    AdoptedDefinitionRow,
    AssessmentRow,
    AssessmentVersionRow,
    CampaignMemberRow,
    CampaignRow,
    CorrelationExclusionRow,
    CorrelationKeyRow,
    LinkDecisionRow,
    ReportLinkRow,
    ReportRow,
)
from ballotguard.store.repositories import scope_condition


class SqlDefinitions:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: AdoptionRecord) -> None:
        self.session.add(
            AdoptedDefinitionRow(
                definition_id=record.definition_id,
                version=record.version,
                title=record.title,
                document=record.document,
                adopted_by=record.adopted_by,
                adopted_at=record.adopted_at,
                signed_reason=record.signed_reason,
                test_run=json.dumps(record.test_run),
            )
        )
        self.session.flush()

    def get(self, definition_id: str, version: str | None = None) -> AdoptionRecord | None:
        query = select(AdoptedDefinitionRow).where(
            AdoptedDefinitionRow.definition_id == definition_id
        )
        if version is not None:
            query = query.where(AdoptedDefinitionRow.version == version)
        rows = self.session.scalars(query).all()
        if not rows:
            return None
        return _adoption(max(rows, key=lambda row: row.adopted_at))

    def list(self) -> builtins.list[AdoptionRecord]:
        rows = self.session.scalars(
            select(AdoptedDefinitionRow).order_by(
                AdoptedDefinitionRow.definition_id, AdoptedDefinitionRow.adopted_at
            )
        )
        return [_adoption(row) for row in rows]


def _adoption(row: AdoptedDefinitionRow) -> AdoptionRecord:
    return AdoptionRecord(
        definition_id=row.definition_id,
        version=row.version,
        title=row.title,
        document=row.document,
        adopted_by=row.adopted_by,
        adopted_at=row.adopted_at,
        signed_reason=row.signed_reason,
        test_run=json.loads(row.test_run),
    )


class SqlAssessments:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: AssessmentRecord, change: AssessmentChange) -> None:
        self.session.add(AssessmentRow(**_assessment_columns(record)))
        self.session.flush()
        self._add_change(change)

    def update(self, record: AssessmentRecord, change: AssessmentChange) -> None:
        row = self._row(record.id)
        for name, value in _assessment_columns(record).items():
            setattr(row, name, value)
        self._add_change(change)

    def _add_change(self, change: AssessmentChange) -> None:
        self.session.add(
            AssessmentVersionRow(
                assessment_id=change.assessment_id,
                version=change.version,
                changed_by=change.changed_by,
                changed_at=change.changed_at,
                reason=change.reason,
                snapshot=json.dumps(_record_json(change.snapshot)),
            )
        )
        self.session.flush()

    def _row(self, assessment_id: str) -> AssessmentRow:
        row = self.session.get(AssessmentRow, assessment_id)
        if row is None:
            raise AssessmentNotFound(assessment_id)
        return row

    def get(self, assessment_id: str) -> AssessmentRecord:
        return _assessment(self._row(assessment_id))

    def for_subject(self, kind: str, subject_id: str) -> builtins.list[AssessmentRecord]:
        rows = self.session.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.subject_kind == kind, AssessmentRow.subject_id == subject_id)
            .order_by(AssessmentRow.created_at, AssessmentRow.id)
        )
        return [_assessment(row) for row in rows]

    def history(self, assessment_id: str) -> builtins.list[AssessmentChange]:
        self._row(assessment_id)
        rows = self.session.scalars(
            select(AssessmentVersionRow)
            .where(AssessmentVersionRow.assessment_id == assessment_id)
            .order_by(AssessmentVersionRow.version)
        )
        return [
            AssessmentChange(
                assessment_id=row.assessment_id,
                version=row.version,
                changed_by=row.changed_by,
                changed_at=row.changed_at,
                reason=row.reason,
                snapshot=_record_from_json(json.loads(row.snapshot)),
            )
            for row in rows
        ]


def _assessment_columns(record: AssessmentRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "subject_kind": record.subject_kind,
        "subject_id": record.subject_id,
        "definition_id": record.definition_id,
        "definition_version": record.definition_version,
        "verdict": record.verdict,
        "version": record.version,
        "author_id": record.author_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "body": json.dumps(record.body),
    }


def _assessment(row: AssessmentRow) -> AssessmentRecord:
    return AssessmentRecord(
        id=row.id,
        subject_kind=row.subject_kind,
        subject_id=row.subject_id,
        definition_id=row.definition_id,
        definition_version=row.definition_version,
        verdict=row.verdict,
        version=row.version,
        author_id=row.author_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        body=json.loads(row.body),
    )


def _record_json(record: AssessmentRecord) -> dict[str, object]:
    data = _assessment_columns(record)
    data["created_at"] = record.created_at.isoformat()
    data["updated_at"] = record.updated_at.isoformat()
    data["body"] = record.body
    return data


def _record_from_json(data: dict[str, object]) -> AssessmentRecord:
    fields = dict(data)
    fields["created_at"] = datetime.fromisoformat(str(data["created_at"]))
    fields["updated_at"] = datetime.fromisoformat(str(data["updated_at"]))
    return AssessmentRecord(**fields)  # type: ignore[arg-type]


class SqlCorrelation:
    def __init__(self, session: Session) -> None:
        self.session = session

    def reports_with_key(self, key_hash: str, limit: int) -> builtins.list[str]:
        return list(
            self.session.scalars(
                select(CorrelationKeyRow.report_id)
                .where(CorrelationKeyRow.key_hash == key_hash)
                .limit(limit)
            )
        )

    def set_keys(self, report_id: str, key_hashes: frozenset[str]) -> None:
        self.session.execute(
            delete(CorrelationKeyRow).where(CorrelationKeyRow.report_id == report_id)
        )
        self.session.add_all(
            CorrelationKeyRow(key_hash=key, report_id=report_id) for key in sorted(key_hashes)
        )
        self.session.flush()

    def add_links(self, links: builtins.list[Link], at: datetime) -> None:
        for link in links:
            row = self.session.get(ReportLinkRow, (link.a, link.b))
            if row is None:
                row = ReportLinkRow(a_id=link.a, b_id=link.b, created_at=at)
                self.session.add(row)
            row.reasons = json.dumps([[r.kind, r.detail, r.weight] for r in link.reasons])
            row.strength = link.strength
            row.keys = json.dumps(sorted(link.keys))
        self.session.flush()

    def drop_links_of(self, report_id: str) -> None:
        self.session.execute(
            delete(ReportLinkRow).where(
                or_(ReportLinkRow.a_id == report_id, ReportLinkRow.b_id == report_id)
            )
        )

    def drop_link(self, a: str, b: str) -> None:
        first, second = sorted((a, b))
        self.session.execute(
            delete(ReportLinkRow).where(ReportLinkRow.a_id == first, ReportLinkRow.b_id == second)
        )

    def links_among(self, report_ids: frozenset[str]) -> builtins.list[Link]:
        if not report_ids:
            return []
        ids = sorted(report_ids)
        rows = self.session.scalars(
            select(ReportLinkRow).where(ReportLinkRow.a_id.in_(ids), ReportLinkRow.b_id.in_(ids))
        )
        return [_link(row) for row in rows]

    def links_of(self, report_id: str) -> builtins.list[Link]:
        rows = self.session.scalars(
            select(ReportLinkRow).where(
                or_(ReportLinkRow.a_id == report_id, ReportLinkRow.b_id == report_id)
            )
        )
        return [_link(row) for row in rows]

    def decide(self, decision: Decision) -> None:
        row = self.session.get(LinkDecisionRow, (decision.a, decision.b))
        if row is None:
            row = LinkDecisionRow(a_id=decision.a, b_id=decision.b)
            self.session.add(row)
        row.kind = decision.kind.value
        row.decided_by = decision.by
        row.decided_at = decision.at
        row.reason = decision.reason
        self.session.flush()

    def decisions_among(self, report_ids: frozenset[str]) -> builtins.list[Decision]:
        if not report_ids:
            return []
        ids = sorted(report_ids)
        rows = self.session.scalars(
            select(LinkDecisionRow).where(
                LinkDecisionRow.a_id.in_(ids), LinkDecisionRow.b_id.in_(ids)
            )
        )
        return [_decision(row) for row in rows]

    def decisions_of(self, report_id: str) -> builtins.list[Decision]:
        rows = self.session.scalars(
            select(LinkDecisionRow).where(
                or_(LinkDecisionRow.a_id == report_id, LinkDecisionRow.b_id == report_id)
            )
        )
        return [_decision(row) for row in rows]

    def campaign_of(self, report_id: str) -> str | None:
        row = self.session.get(CampaignMemberRow, report_id)
        return None if row is None else row.campaign_id

    def campaign(self, campaign_id: str) -> CampaignRecord:
        row = self.session.get(CampaignRow, campaign_id)
        if row is None:
            raise CampaignNotFound(campaign_id)
        members = self.session.scalars(
            select(CampaignMemberRow.report_id).where(
                CampaignMemberRow.campaign_id == campaign_id
            )
        )
        return CampaignRecord(row.id, row.created_at, row.updated_at, frozenset(members))

    def save_campaign(self, record: CampaignRecord) -> None:
        row = self.session.get(CampaignRow, record.id)
        if row is None:
            row = CampaignRow(id=record.id, created_at=record.created_at)
            self.session.add(row)
        row.updated_at = record.updated_at
        self.session.flush()
        self.session.execute(
            delete(CampaignMemberRow).where(
                or_(
                    CampaignMemberRow.campaign_id == record.id,
                    CampaignMemberRow.report_id.in_(sorted(record.members)),
                )
            )
        )
        self.session.add_all(
            CampaignMemberRow(report_id=report_id, campaign_id=record.id)
            for report_id in sorted(record.members)
        )
        self.session.flush()

    def add_members(self, campaign_id: str, report_ids: frozenset[str], at: datetime) -> None:
        """Move reports into a campaign (creating it if need be) without rewriting its members."""
        row = self.session.get(CampaignRow, campaign_id)
        if row is None:
            row = CampaignRow(id=campaign_id, created_at=at)
            self.session.add(row)
        row.updated_at = at
        self.session.flush()
        ids = sorted(report_ids)
        self.session.execute(delete(CampaignMemberRow).where(CampaignMemberRow.report_id.in_(ids)))
        self.session.add_all(
            CampaignMemberRow(report_id=report_id, campaign_id=campaign_id) for report_id in ids
        )
        self.session.flush()

    def delete_campaign(self, campaign_id: str) -> None:
        self.session.execute(
            delete(CampaignMemberRow).where(CampaignMemberRow.campaign_id == campaign_id)
        )
        self.session.execute(delete(CampaignRow).where(CampaignRow.id == campaign_id))

    def visible_campaigns(
        self, scope: ReadScope, min_visible: int
    ) -> builtins.list[tuple[str, int, datetime]]:
        visible = func.count(CampaignMemberRow.report_id)
        rows = self.session.execute(
            select(CampaignRow.id, visible, CampaignRow.updated_at)
            .join(CampaignMemberRow, CampaignMemberRow.campaign_id == CampaignRow.id)
            .join(ReportRow, ReportRow.id == CampaignMemberRow.report_id)
            .where(scope_condition(scope))
            .group_by(CampaignRow.id, CampaignRow.updated_at)
            .having(visible >= min_visible)
            .order_by(CampaignRow.updated_at.desc(), CampaignRow.id)
        )
        return [(row[0], int(row[1]), row[2]) for row in rows]

    def exclusions(self) -> builtins.list[Exclusion]:
        rows = self.session.scalars(
            select(CorrelationExclusionRow).order_by(CorrelationExclusionRow.key)
        )
        return [Exclusion(r.key, r.reason, r.decided_by, r.decided_at) for r in rows]

    def exclude(self, exclusion: Exclusion) -> None:
        row = self.session.get(CorrelationExclusionRow, exclusion.key)
        if row is None:
            row = CorrelationExclusionRow(key=exclusion.key)
            self.session.add(row)
        row.reason = exclusion.reason
        row.decided_by = exclusion.decided_by
        row.decided_at = exclusion.decided_at
        self.session.flush()

    def include(self, key: str) -> None:
        self.session.execute(
            delete(CorrelationExclusionRow).where(CorrelationExclusionRow.key == key)
        )

    def clear_computed(self) -> None:
        """Forget keys, links and campaigns (not decisions nor exclusions), to rebuild them."""
        for table in (CampaignMemberRow, CampaignRow, ReportLinkRow, CorrelationKeyRow):
            self.session.execute(delete(table))

    def all_campaigns(self) -> dict[str, frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for report_id, campaign_id in self.session.execute(
            select(CampaignMemberRow.report_id, CampaignMemberRow.campaign_id)
        ):
            groups.setdefault(campaign_id, set()).add(report_id)
        return {campaign_id: frozenset(ids) for campaign_id, ids in groups.items()}


def _link(row: ReportLinkRow) -> Link:
    reasons = tuple(LinkReason(*reason) for reason in json.loads(row.reasons))
    keys = frozenset(json.loads(row.keys))
    return Link(a=row.a_id, b=row.b_id, reasons=reasons, strength=row.strength, keys=keys)


def _decision(row: LinkDecisionRow) -> Decision:
    return Decision(
        kind=DecisionKind(row.kind),
        a=row.a_id,
        b=row.b_id,
        by=row.decided_by,
        at=row.decided_at,
        reason=row.reason,
    )
