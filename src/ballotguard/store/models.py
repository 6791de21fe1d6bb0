"""Tables. Reports keep their full content as JSON plus the columns that lists filter and sort on;
vectors and recipients are join tables so that the TLP scope and filters are indexed queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

ID = String(64)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database; SQLite would otherwise hand back naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime()}


class OrganisationRow(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2))


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    roles: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class SessionRow(Base):
    __tablename__ = "sessions"
    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]


class ContactRow(Base):
    __tablename__ = "contacts"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str] = mapped_column(String(40))
    last_verified: Mapped[date] = mapped_column(Date)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    is_alternate: Mapped[bool] = mapped_column(Boolean, default=False)


class AgreementRow(Base):
    __tablename__ = "agreements"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    from_org: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    to_org: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    max_tlp: Mapped[str] = mapped_column(String(20))
    vectors: Mapped[list[str]] = mapped_column(JSON)
    phases: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ReportRow(Base):
    __tablename__ = "reports"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    tlp: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    phase: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[str] = mapped_column(String(20))
    election: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_reports_newest", "created_at", "id"),
        Index("ix_reports_org_tlp", "org_id", "tlp"),
        Index("ix_reports_author", "author_id"),
        Index("ix_reports_phase_newest", "phase", "created_at"),
    )


class ReportVectorRow(Base):
    __tablename__ = "report_vectors"
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    vector: Mapped[str] = mapped_column(String(60), primary_key=True)
    __table_args__ = (Index("ix_report_vectors_vector", "vector", "report_id"),)


class RecipientOrgRow(Base):
    __tablename__ = "report_recipient_orgs"
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    __table_args__ = (Index("ix_recipient_orgs_org", "org_id", "report_id"),)


class RecipientPersonRow(Base):
    __tablename__ = "report_recipient_people"
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), primary_key=True)
    __table_args__ = (Index("ix_recipient_people_person", "person_id", "report_id"),)


class ReportVersionRow(Base):
    __tablename__ = "report_versions"
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    change: Mapped[str] = mapped_column(String(20))
    changed_by: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[str] = mapped_column(Text)


class BlobRow(Base):
    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AuditLogRow(Base):
    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class TechniqueRow(Base):
    __tablename__ = "techniques"
    framework: Mapped[str] = mapped_column(String(10), primary_key=True)
    technique_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    tactic: Mapped[str] = mapped_column(String(20))


class AdoptedDefinitionRow(Base):
    """A definition of interference as adopted: the document, who adopted it, why, and its test run."""

    __tablename__ = "adopted_definitions"
    definition_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    document: Mapped[str] = mapped_column(Text)
    adopted_by: Mapped[str] = mapped_column(String(320))
    adopted_at: Mapped[datetime]
    signed_reason: Mapped[str] = mapped_column(Text)
    test_run: Mapped[str] = mapped_column(Text)


class AssessmentRow(Base):
    __tablename__ = "assessments"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(ID)
    definition_id: Mapped[str] = mapped_column(String(80))
    definition_version: Mapped[str] = mapped_column(String(40))
    verdict: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    body: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_assessments_subject", "subject_kind", "subject_id"),)


class AssessmentVersionRow(Base):
    __tablename__ = "assessment_versions"
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    changed_by: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[str] = mapped_column(Text)


class CorrelationKeyRow(Base):
    """What a report can be correlated on, hashed; new reports find candidates by this index alone."""

    __tablename__ = "correlation_keys"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    __table_args__ = (Index("ix_correlation_keys_report", "report_id"),)


class ReportLinkRow(Base):
    __tablename__ = "report_links"
    a_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    b_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    reasons: Mapped[str] = mapped_column(Text)
    strength: Mapped[float]
    keys: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    __table_args__ = (Index("ix_report_links_b", "b_id"),)


class CorrelationExclusionRow(Base):
    """A value analysts decided says nothing (a platform's domain): it never links reports."""

    __tablename__ = "correlation_exclusions"
    key: Mapped[str] = mapped_column(String(2100), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(320))
    decided_at: Mapped[datetime]


class LinkDecisionRow(Base):
    """An analyst's word on a pair of reports; it outlives every recomputation."""

    __tablename__ = "link_decisions"
    a_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    b_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(320))
    decided_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_link_decisions_b", "b_id"),)


class CampaignRow(Base):
    __tablename__ = "campaigns"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CampaignMemberRow(Base):
    __tablename__ = "campaign_members"
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"))
    __table_args__ = (Index("ix_campaign_members_campaign", "campaign_id", "report_id"),)


class StixObjectRow(Base):
    """One version of a STIX object in the TAXII store, with the audience that may read it.

    ``seq`` orders insertion; ``date_added`` is strictly increasing (TAXII pages and the
    ``added_after`` filter walk it). ``is_latest``/``is_first`` are kept per (object, source) so
    that "the last version" of an object received from two sources is right for each reader.
    """

    __tablename__ = "stix_objects"
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    stix_id: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(100))
    spec_version: Mapped[str] = mapped_column(String(10))
    version: Mapped[str] = mapped_column(String(40))
    date_added: Mapped[datetime]
    body: Mapped[str] = mapped_column(Text)
    tlp: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[str] = mapped_column(ID)
    author_id: Mapped[str] = mapped_column(String(320))
    recipient_orgs: Mapped[list[str]] = mapped_column(JSON)
    recipient_people: Mapped[list[str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(100))
    is_latest: Mapped[bool] = mapped_column(Boolean)
    is_first: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (
        UniqueConstraint("stix_id", "version", "source", name="uq_stix_objects_version"),
        Index("ix_stix_objects_shelf", "tlp", "date_added", "seq"),
        Index("ix_stix_objects_added", "date_added", "seq"),
        Index("ix_stix_objects_source", "source"),
    )


class StixObjectPartyRow(Base):
    """The organisations and people named on a row (AMBER recipients, RED names), for queries."""

    __tablename__ = "stix_object_parties"
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("stix_objects.seq", ondelete="CASCADE"),
        primary_key=True,
    )
    kind: Mapped[str] = mapped_column(String(6), primary_key=True)
    party: Mapped[str] = mapped_column(String(320), primary_key=True)


class TaxiiStatusRow(Base):
    __tablename__ = "taxii_statuses"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ID)
    org_id: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime]
    body: Mapped[str] = mapped_column(Text)
