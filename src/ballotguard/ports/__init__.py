"""The small interfaces the services need from the outside world.

The services speak only to these; ``store`` implements them on SQLAlchemy and ``bootstrap`` wires
one in. A unit of work is one transaction: a use case commits once or not at all, so nothing
half-written stays behind when input is bad or the process dies.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, Self

from ballotguard.auditlog import AuditEntry
from ballotguard.campaigns import Decision, Link
from ballotguard.ports.audits import AuditStore as AuditStore
from ballotguard.ports.notices import NoticeStore as NoticeStore
from ballotguard.ports.notifications import Outbox as Outbox
from ballotguard.ports.notifications import VictimNotifications as VictimNotifications
from ballotguard.ports.panel import PanelStore as PanelStore
from ballotguard.sharing import (
    Audience,
    LoginState,
    Organisation,
    Person,
    PointOfContact,
    ReadScope,
    Report,
    ReportVersion,
    SharingAgreement,
)
from ballotguard.sharing.search import Page, ReportFilter
from ballotguard.vocabulary import Technique, Tlp


class Clock(Protocol):
    def __call__(self) -> datetime: ...


class Organisations(Protocol):
    def add(self, org: Organisation) -> None: ...
    def get(self, org_id: str) -> Organisation: ...
    def list(self) -> builtins.list[Organisation]: ...


class People(Protocol):
    def add(self, person: Person) -> None: ...
    def update(self, person: Person) -> None: ...
    def get(self, person_id: str) -> Person: ...
    def by_email(self, email: str) -> Person | None: ...
    def list(self, org_id: str | None = None) -> builtins.list[Person]: ...


@dataclass(frozen=True, slots=True)
class SessionRecord:
    person_id: str
    csrf_token: str
    expires_at: datetime


class Credentials(Protocol):
    """Password hashes, login state, API tokens and sessions; every secret stored hashed."""

    def set_password_hash(self, person_id: str, password_hash: str) -> None: ...
    def password_hash(self, person_id: str) -> str | None: ...
    def login_state(self, person_id: str) -> LoginState: ...
    def save_login_state(self, person_id: str, state: LoginState) -> None: ...
    def add_token(self, token_hash: str, person_id: str, name: str, at: datetime) -> None: ...
    def token_owner(self, token_hash: str) -> str | None: ...
    def add_session(self, session_hash: str, record: SessionRecord) -> None: ...
    def session(self, session_hash: str) -> SessionRecord | None: ...
    def end_session(self, session_hash: str) -> None: ...


class Contacts(Protocol):
    def add(self, contact: PointOfContact) -> None: ...
    def update(self, contact: PointOfContact) -> None: ...
    def get(self, contact_id: str) -> PointOfContact: ...
    def list(self, org_id: str | None = None) -> builtins.list[PointOfContact]: ...


class Agreements(Protocol):
    def add(self, agreement: SharingAgreement) -> None: ...
    def list(self, from_org: str | None = None) -> builtins.list[SharingAgreement]: ...


class Reports(Protocol):
    def add(self, report: Report, version: ReportVersion) -> None: ...
    def update(self, report: Report, version: ReportVersion) -> None: ...
    def get(self, report_id: str) -> Report: ...
    def history(self, report_id: str) -> builtins.list[ReportVersion]: ...
    def page(
        self, scope: ReadScope, where: ReportFilter, limit: int, cursor: str | None
    ) -> Page: ...
    def count(self, scope: ReadScope, where: ReportFilter, cap: int | None = None) -> int: ...
    def count_by(self, scope: ReadScope, dimension: str) -> dict[str, int]: ...
    def all_ids(self) -> builtins.list[str]: ...


class Blobs(Protocol):
    def put(self, sha256: str, data: bytes) -> None: ...
    def get(self, sha256: str) -> bytes: ...


class AuditLog(Protocol):
    def last(self) -> AuditEntry | None: ...
    def append(self, entry: AuditEntry) -> None: ...
    def entries(self) -> Iterator[AuditEntry]: ...


class Techniques(Protocol):
    def upsert(self, techniques: list[Technique]) -> int: ...
    def list(self) -> builtins.list[Technique]: ...
    def names(self, refs: builtins.list[str]) -> dict[str, str]: ...


@dataclass(frozen=True, slots=True)
class AdoptionRecord:
    """A definition as adopted: its document, who adopted it and why, and the case-library run."""

    definition_id: str
    version: str
    title: str
    document: str
    adopted_by: str
    adopted_at: datetime
    signed_reason: str
    test_run: dict[str, object]


class Definitions(Protocol):
    def add(self, record: AdoptionRecord) -> None: ...
    def get(self, definition_id: str, version: str | None = None) -> AdoptionRecord | None: ...
    def list(self) -> builtins.list[AdoptionRecord]: ...


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    """One assessment as stored: the findings and the verdict live in ``body`` as JSON values."""

    id: str
    subject_kind: str
    subject_id: str
    definition_id: str
    definition_version: str
    verdict: str
    version: int
    author_id: str
    created_at: datetime
    updated_at: datetime
    body: dict[str, object]


@dataclass(frozen=True, slots=True)
class AssessmentChange:
    assessment_id: str
    version: int
    changed_by: str
    changed_at: datetime
    reason: str
    snapshot: AssessmentRecord


class Assessments(Protocol):
    def add(self, record: AssessmentRecord, change: AssessmentChange) -> None: ...
    def update(self, record: AssessmentRecord, change: AssessmentChange) -> None: ...
    def get(self, assessment_id: str) -> AssessmentRecord: ...
    def for_subject(self, kind: str, subject_id: str) -> builtins.list[AssessmentRecord]: ...
    def history(self, assessment_id: str) -> builtins.list[AssessmentChange]: ...


@dataclass(frozen=True, slots=True)
class CampaignRecord:
    id: str
    created_at: datetime
    updated_at: datetime
    members: frozenset[str]


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A correlation key that never links reports, with who decided it and why."""

    key: str
    reason: str
    decided_by: str
    decided_at: datetime


class Correlation(Protocol):
    """The correlation index, links, analyst decisions and campaign membership."""

    def reports_with_key(self, key_hash: str, limit: int) -> builtins.list[str]: ...
    def set_keys(self, report_id: str, key_hashes: frozenset[str]) -> None: ...
    def add_links(self, links: builtins.list[Link], at: datetime) -> None: ...
    def drop_links_of(self, report_id: str) -> None: ...
    def drop_link(self, a: str, b: str) -> None: ...
    def links_among(self, report_ids: frozenset[str]) -> builtins.list[Link]: ...
    def links_of(self, report_id: str) -> builtins.list[Link]: ...
    def decide(self, decision: Decision) -> None: ...
    def decisions_among(self, report_ids: frozenset[str]) -> builtins.list[Decision]: ...
    def decisions_of(self, report_id: str) -> builtins.list[Decision]: ...
    def campaign_of(self, report_id: str) -> str | None: ...
    def campaign(self, campaign_id: str) -> CampaignRecord: ...
    def save_campaign(self, record: CampaignRecord) -> None: ...
    def add_members(self, campaign_id: str, report_ids: frozenset[str], at: datetime) -> None: ...
    def delete_campaign(self, campaign_id: str) -> None: ...
    def visible_campaigns(
        self, scope: ReadScope, min_visible: int
    ) -> builtins.list[tuple[str, int, datetime]]: ...
    def all_campaigns(self) -> dict[str, frozenset[str]]: ...
    def clear_computed(self) -> None: ...
    def exclusions(self) -> builtins.list[Exclusion]: ...
    def exclude(self, exclusion: Exclusion) -> None: ...
    def include(self, key: str) -> None: ...


@dataclass(frozen=True, slots=True)
class StoredObject:
    """One version of one STIX object as the TAXII store holds it, with who may read it.

    ``source`` says where it came from: ``report:<id>`` (materialised from a report, whose
    audience it follows) or ``import:<org id>`` (received from outside by that organisation).
    """

    stix_id: str
    type: str
    spec_version: str
    version: str
    body: str
    audience: Audience
    source: str
    date_added: datetime | None = None
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Shelf:
    """Which rows a TAXII collection holds, as data the store compiles to a query.

    ``tlps``: the levels held. ``party_org`` alone: rows of that organisation or naming it as a
    recipient. ``owner_org`` with ``party_org``: rows of ``owner_org`` naming ``party_org`` (a
    sharing agreement). ``party_person``: rows written by or naming that person (RED).
    """

    tlps: frozenset[Tlp]
    owner_org: str | None = None
    party_org: str | None = None
    party_person: str | None = None


@dataclass(frozen=True, slots=True)
class ObjectQuery:
    """TAXII 2.1 filters; ``versions`` holds "last", "first", "all" or version timestamps."""

    ids: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    spec_versions: frozenset[str] = frozenset()
    versions: frozenset[str] = frozenset({"last"})
    added_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class TaxiiStatus:
    id: str
    person_id: str
    org_id: str
    created_at: datetime
    body: dict[str, object]


class StixObjects(Protocol):
    """The TAXII object store: every object a reader may fetch, each row with its audience."""

    def add(self, objects: builtins.list[StoredObject], now: datetime) -> builtins.list[
        StoredObject
    ]: ...
    def set_audience(self, source: str, audience: Audience) -> None: ...
    def page(
        self,
        shelf: Shelf,
        query: ObjectQuery,
        limit: int,
        after: tuple[datetime, int] | None,
    ) -> builtins.list[StoredObject]: ...
    def latest(self, stix_id: str) -> builtins.list[StoredObject]: ...
    def delete(self, stix_id: str, source: str, versions: frozenset[str]) -> int: ...
    def save_status(self, status: TaxiiStatus) -> None: ...
    def status(self, status_id: str) -> TaxiiStatus | None: ...


class UnitOfWork(Protocol):
    orgs: Organisations
    people: People
    credentials: Credentials
    contacts: Contacts
    agreements: Agreements
    reports: Reports
    blobs: Blobs
    audit_log: AuditLog
    techniques: Techniques
    definitions: Definitions
    assessments: Assessments
    correlation: Correlation
    stix_objects: StixObjects
    peers: Peers
    jobs: Jobs
    panel: PanelStore
    notices: NoticeStore
    victim_notifications: VictimNotifications
    outbox: Outbox
    audits: AuditStore

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


# -- federation and background jobs -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeerRecord:
    """Another TAXII 2.1 server this instance pulls from or pushes to.

    The remote API token is never stored: ``token_env`` names the environment variable holding it.
    ``local_account`` is the e-mail of the local ``federation_peer`` person who stands for the
    peer here. ``pull_cursor`` is the remote's ``X-TAXII-Date-Added-Last`` text of the last page
    imported (sent back verbatim as ``added_after``); ``push_cursor`` the (date_added, seq) of the
    last local object sent. ``tlps``: the levels exchanged with this collection (CLEAR, GREEN or
    both; a Ballotguard collection holds one level).
    """

    name: str
    api_root_url: str
    collection_id: str
    token_env: str
    local_account: str
    direction: str
    interval_minutes: int
    created_at: datetime
    tlps: frozenset[Tlp] = frozenset({Tlp.CLEAR, Tlp.GREEN})
    pull_cursor: str | None = None
    push_cursor: tuple[datetime, int] | None = None
    last_run_at: datetime | None = None
    last_error: str | None = None


class Peers(Protocol):
    def add(self, peer: PeerRecord) -> None: ...
    def get(self, name: str) -> PeerRecord | None: ...
    def update(self, peer: PeerRecord) -> None: ...
    def remove(self, name: str) -> bool: ...
    def list(self) -> builtins.list[PeerRecord]: ...


@dataclass(frozen=True, slots=True)
class JobRecord:
    """Background work as a row: it survives a restart and is run by whichever runner claims it.

    ``key`` is unique (one job per peer and direction, say); ``interval_seconds`` makes the job
    recurring. ``attempts`` counts consecutive failures and sets the back-off; ``last_error``
    stays after a later success so an operator can see what went wrong. ``locked_until`` is the
    lease of the runner executing it. ``state``: scheduled, done (one-shot finished) or failed
    (one-shot that used up its attempts).
    """

    id: str
    kind: str
    key: str
    payload: dict[str, str]
    run_at: datetime
    created_at: datetime
    interval_seconds: int | None = None
    attempts: int = 0
    state: str = "scheduled"
    last_run_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    locked_until: datetime | None = None


class Jobs(Protocol):
    def schedule(self, job: JobRecord) -> None: ...
    def get(self, job_id: str) -> JobRecord | None: ...
    def by_key(self, key: str) -> JobRecord | None: ...
    def due(self, now: datetime, limit: int) -> builtins.list[JobRecord]: ...
    def claim(self, job_id: str, now: datetime, until: datetime) -> bool: ...
    def save(self, job: JobRecord) -> None: ...
    def remove(self, key: str) -> bool: ...
    def list(self) -> builtins.list[JobRecord]: ...
