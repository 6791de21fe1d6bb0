"""SQLAlchemy implementations of the ports, one class per repository, sharing one session."""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from ballotguard.auditlog import AuditEntry
from ballotguard.errors import (
    InvalidInput,
    NotFound,
    OrganisationNotFound,
    PersonNotFound,
    ReportNotFound,
)
from ballotguard.ports import SessionRecord
from ballotguard.sharing import (
    ContactTopic,
    LoginState,
    Organisation,
    Person,
    PointOfContact,
    ReadScope,
    Report,
    ReportVersion,
    Role,
    Sector,
    SharingAgreement,
    Status,
)
from ballotguard.sharing.search import Page, ReportFilter
from ballotguard.store.models import (
    AgreementRow,
    ApiTokenRow,
    AuditLogRow,
    BlobRow,
    ContactRow,
    OrganisationRow,
    PersonRow,
    RecipientOrgRow,
    RecipientPersonRow,
    ReportRow,
    ReportVectorRow,
    ReportVersionRow,
    SessionRow,
    TechniqueRow,
)
from ballotguard.vocabulary import Framework, Phase, Technique, Tlp, Vector

_Row = tuple[Any, ...]


class SqlOrganisations:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, org: Organisation) -> None:
        self.session.add(
            OrganisationRow(id=org.id, name=org.name, sector=org.sector.value, country=org.country)
        )

    def get(self, org_id: str) -> Organisation:
        row = self.session.get(OrganisationRow, org_id)
        if row is None:
            raise OrganisationNotFound(org_id)
        return _org(row)

    def list(self) -> builtins.list[Organisation]:
        rows = self.session.scalars(select(OrganisationRow).order_by(OrganisationRow.name))
        return [_org(r) for r in rows]


def _org(row: OrganisationRow) -> Organisation:
    return Organisation(row.id, row.name, Sector(row.sector), row.country)


class SqlPeople:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, person: Person) -> None:
        self.session.add(
            PersonRow(
                id=person.id,
                org_id=person.org_id,
                name=person.name,
                email=person.email,
                roles=_roles_text(person.roles),
                active=person.active,
                failed_attempts=0,
            )
        )
        self.session.flush()

    def update(self, person: Person) -> None:
        row = self._row(person.id)
        row.name, row.email, row.active = person.name, person.email, person.active
        row.roles = _roles_text(person.roles)

    def get(self, person_id: str) -> Person:
        return _person(self._row(person_id))

    def by_email(self, email: str) -> Person | None:
        row = self.session.scalar(select(PersonRow).where(PersonRow.email == email))
        return _person(row) if row else None

    def list(self, org_id: str | None = None) -> builtins.list[Person]:
        query = select(PersonRow).order_by(PersonRow.name)
        if org_id:
            query = query.where(PersonRow.org_id == org_id)
        return [_person(r) for r in self.session.scalars(query)]

    def _row(self, person_id: str) -> PersonRow:
        row = self.session.get(PersonRow, person_id)
        if row is None:
            raise PersonNotFound(person_id)
        return row


def _roles_text(roles: frozenset[Role]) -> str:
    return ",".join(sorted(r.value for r in roles))


def _person(row: PersonRow) -> Person:
    roles = frozenset(Role(r) for r in row.roles.split(",") if r)
    return Person(row.id, row.org_id, row.name, row.email, roles, row.active)


class SqlCredentials:
    def __init__(self, session: Session) -> None:
        self._db = session

    def _person(self, person_id: str) -> PersonRow:
        row = self._db.get(PersonRow, person_id)
        if row is None:
            raise PersonNotFound(person_id)
        return row

    def set_password_hash(self, person_id: str, password_hash: str) -> None:
        self._person(person_id).password_hash = password_hash

    def password_hash(self, person_id: str) -> str | None:
        return self._person(person_id).password_hash

    def login_state(self, person_id: str) -> LoginState:
        row = self._person(person_id)
        return LoginState(row.failed_attempts, row.locked_until)

    def save_login_state(self, person_id: str, state: LoginState) -> None:
        row = self._person(person_id)
        row.failed_attempts, row.locked_until = state.failed_attempts, state.locked_until

    def add_token(self, token_hash: str, person_id: str, name: str, at: datetime) -> None:
        self._db.add(
            ApiTokenRow(token_hash=token_hash, person_id=person_id, name=name, created_at=at)
        )

    def token_owner(self, token_hash: str) -> str | None:
        row = self._db.get(ApiTokenRow, token_hash)
        return row.person_id if row else None

    def add_session(self, session_hash: str, record: SessionRecord) -> None:
        self._db.add(
            SessionRow(
                session_hash=session_hash,
                person_id=record.person_id,
                csrf_token=record.csrf_token,
                expires_at=record.expires_at,
            )
        )

    def session(self, session_hash: str) -> SessionRecord | None:
        row = self._db.get(SessionRow, session_hash)
        return SessionRecord(row.person_id, row.csrf_token, row.expires_at) if row else None

    def end_session(self, session_hash: str) -> None:
        self._db.execute(delete(SessionRow).where(SessionRow.session_hash == session_hash))


class SqlContacts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, contact: PointOfContact) -> None:
        self.session.add(ContactRow(**_contact_fields(contact)))

    def update(self, contact: PointOfContact) -> None:
        row = self.session.get(ContactRow, contact.id)
        if row is None:
            raise NotFound(contact.id)
        for key, value in _contact_fields(contact).items():
            setattr(row, key, value)

    def get(self, contact_id: str) -> PointOfContact:
        row = self.session.get(ContactRow, contact_id)
        if row is None:
            raise NotFound(contact_id)
        return _contact(row)

    def list(self, org_id: str | None = None) -> builtins.list[PointOfContact]:
        query = select(ContactRow).order_by(ContactRow.org_id, ContactRow.topic, ContactRow.name)
        if org_id:
            query = query.where(ContactRow.org_id == org_id)
        return [_contact(r) for r in self.session.scalars(query)]


def _contact_fields(c: PointOfContact) -> dict[str, object]:
    return {
        "id": c.id,
        "org_id": c.org_id,
        "topic": c.topic.value,
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "last_verified": c.last_verified,
        "person_id": c.person_id,
        "is_alternate": c.is_alternate,
    }


def _contact(row: ContactRow) -> PointOfContact:
    return PointOfContact(
        row.id,
        row.org_id,
        ContactTopic(row.topic),
        row.name,
        row.email,
        row.phone,
        row.last_verified,
        row.person_id,
        row.is_alternate,
    )


class SqlAgreements:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, a: SharingAgreement) -> None:
        self.session.add(
            AgreementRow(
                id=a.id,
                from_org=a.from_org,
                to_org=a.to_org,
                max_tlp=a.max_tlp.value,
                vectors=sorted(a.vectors),
                phases=sorted(a.phases),
                active=a.active,
            )
        )

    def list(self, from_org: str | None = None) -> builtins.list[SharingAgreement]:
        query = select(AgreementRow).order_by(AgreementRow.from_org, AgreementRow.to_org)
        if from_org:
            query = query.where(AgreementRow.from_org == from_org)
        return [
            SharingAgreement(
                r.id,
                r.from_org,
                r.to_org,
                Tlp(r.max_tlp),
                frozenset(Vector(v) for v in r.vectors),
                frozenset(Phase(p) for p in r.phases),
                r.active,
            )
            for r in self.session.scalars(query)
        ]


class SqlReports:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, report: Report, version: ReportVersion) -> None:
        self.session.add(ReportRow(id=report.id, **_report_columns(report)))
        self.session.flush()
        self._write_links(report)
        self._add_version(version)

    def update(self, report: Report, version: ReportVersion) -> None:
        row = self.session.get(ReportRow, report.id)
        if row is None:
            raise ReportNotFound(report.id)
        for key, value in _report_columns(report).items():
            setattr(row, key, value)
        for table in (ReportVectorRow, RecipientOrgRow, RecipientPersonRow):
            self.session.execute(delete(table).where(table.report_id == report.id))
        self._write_links(report)
        self._add_version(version)

    def _write_links(self, report: Report) -> None:
        content = report.content
        self.session.add_all(
            [ReportVectorRow(report_id=report.id, vector=v.value) for v in content.vectors]
            + [RecipientOrgRow(report_id=report.id, org_id=o) for o in set(content.recipient_orgs)]
            + [
                RecipientPersonRow(report_id=report.id, person_id=p)
                for p in set(content.recipient_people)
            ]
        )

    def _add_version(self, version: ReportVersion) -> None:
        self.session.add(
            ReportVersionRow(
                report_id=version.report_id,
                version=version.version,
                change=version.change.value,
                changed_by=version.changed_by,
                changed_at=version.changed_at,
                reason=version.reason,
                snapshot=version.snapshot.model_dump_json(),
            )
        )

    def get(self, report_id: str) -> Report:
        row = self.session.get(ReportRow, report_id)
        if row is None:
            raise ReportNotFound(report_id)
        return Report.model_validate_json(row.body)

    def history(self, report_id: str) -> builtins.list[ReportVersion]:
        rows = self.session.scalars(
            select(ReportVersionRow)
            .where(ReportVersionRow.report_id == report_id)
            .order_by(ReportVersionRow.version)
        )
        return [
            ReportVersion(
                report_id=r.report_id,
                version=r.version,
                change=r.change,
                changed_by=r.changed_by,
                changed_at=r.changed_at,
                reason=r.reason,
                snapshot=Report.model_validate_json(r.snapshot),
            )
            for r in rows
        ]

    def page(self, scope: ReadScope, where: ReportFilter, limit: int, cursor: str | None) -> Page:
        query = _filtered(select(ReportRow.body, ReportRow.created_at, ReportRow.id), scope, where)
        if cursor:
            at, last_id = _parse_cursor(cursor)
            query = query.where(
                or_(
                    ReportRow.created_at < at,
                    and_(ReportRow.created_at == at, ReportRow.id < last_id),
                )
            )
        query = query.order_by(ReportRow.created_at.desc(), ReportRow.id.desc()).limit(limit + 1)
        rows = self.session.execute(query).all()
        reports = [Report.model_validate_json(r.body) for r in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_cursor = f"{last.created_at.isoformat()}|{last.id}"
        return Page(reports, next_cursor)

    def count(self, scope: ReadScope, where: ReportFilter, cap: int | None = None) -> int:
        """The number of matching reports; with ``cap``, stop counting after ``cap + 1``."""
        if cap is None:
            query = _filtered(select(func.count()).select_from(ReportRow), scope, where)
            return int(self.session.scalar(query) or 0)
        matches = _filtered(select(ReportRow.id), scope, where).limit(cap + 1).subquery()
        return int(self.session.scalar(select(func.count()).select_from(matches)) or 0)

    def all_ids(self) -> builtins.list[str]:
        """Every report id, oldest first: for operator work such as recomputing correlation."""
        return list(self.session.scalars(select(ReportRow.id).order_by(ReportRow.created_at, ReportRow.id)))

    def count_by(self, scope: ReadScope, dimension: str) -> dict[str, int]:
        if dimension == "vector":
            column = ReportVectorRow.vector
            base = select(column, func.count()).join_from(ReportRow, ReportVectorRow)
        elif dimension in ("phase", "status", "tlp", "outcome"):
            column = getattr(ReportRow, dimension)
            base = select(column, func.count()).select_from(ReportRow)
        else:
            raise InvalidInput("dimension", f"cannot count by '{dimension}'")
        query = _filtered(base, scope, ReportFilter()).group_by(column)
        return {str(key): int(n) for key, n in self.session.execute(query).all()}


def _report_columns(report: Report) -> dict[str, object]:
    c = report.content
    return {
        "version": report.version,
        "org_id": report.org_id,
        "author_id": report.author_id,
        "tlp": c.tlp.value,
        "status": report.status.value,
        "phase": c.phase.value,
        "outcome": c.outcome.value,
        "election": c.election,
        "title": c.title,
        "summary": c.summary,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "body": report.model_dump_json(),
    }


def _parse_cursor(cursor: str) -> tuple[datetime, str]:
    at_text, sep, last_id = cursor.partition("|")
    try:
        at = datetime.fromisoformat(at_text)
        if not sep or not last_id or at.tzinfo is None:
            raise ValueError
        return at, last_id
    except ValueError:
        raise InvalidInput("cursor", "not a cursor this server gave out") from None


def _escape_like(text: str) -> str:
    """The user's text taken literally inside a LIKE pattern: % and _ are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def scope_condition(scope: ReadScope) -> ColumnElement[bool]:
    """The TLP rule of ``sharing.access.ReadScope.admits``, as SQL.

    Recipient membership is a primary-key probe per candidate row (``_has_row``), so that the
    newest-first index walk stops after one page instead of first materialising every report the
    reader's organisation was ever named on (bench/RESULTS.md).
    """
    clauses: list[ColumnElement[bool]] = [ReportRow.tlp.in_([t.value for t in scope.open_levels])]
    if scope.org_id is not None:
        named = _has_row(RecipientOrgRow.report_id, RecipientOrgRow.org_id, scope.org_id)
        clauses.append(
            and_(
                ReportRow.tlp.in_([Tlp.AMBER.value, Tlp.AMBER_STRICT.value]),
                or_(ReportRow.org_id == scope.org_id, named),
            )
        )
    if scope.person_id is not None:
        named = _has_row(
            RecipientPersonRow.report_id, RecipientPersonRow.person_id, scope.person_id
        )
        clauses.append(
            and_(
                ReportRow.tlp == Tlp.RED.value,
                or_(ReportRow.author_id == scope.person_id, named),
            )
        )
    return or_(false(), *clauses)


def _has_row(report_column: Any, key_column: Any, key: str) -> ColumnElement[bool]:
    """Whether a link row (report, key) exists, as a correlated scalar probe.

    Not ``EXISTS``: under ``OR`` PostgreSQL turns a correlated EXISTS into a "hashed SubPlan"
    that reads the whole link table on every query, so the cost grows with the database. A scalar
    sub-select with ``LIMIT 1`` cannot be hashed and stays one index probe per candidate row, on
    PostgreSQL and SQLite alike.
    """
    probe = (
        select(literal(1))
        .where(report_column == ReportRow.id, key_column == key)
        .limit(1)
        .scalar_subquery()
    )
    return probe.is_not(None)


def _filtered(query: Select[*_Row], scope: ReadScope, where: ReportFilter) -> Select[*_Row]:
    query = query.where(scope_condition(scope))
    for column, value in (
        (ReportRow.phase, where.phase),
        (ReportRow.status, where.status),
        (ReportRow.tlp, where.tlp),
        (ReportRow.outcome, where.outcome),
        (ReportRow.org_id, where.org_id),
        (ReportRow.election, where.election),
    ):
        if value is not None:
            query = query.where(column == str(value))
    if not where.include_retracted and where.status is None:
        query = query.where(ReportRow.status != Status.RETRACTED.value)
    if where.vector is not None:
        query = query.where(
            _has_row(ReportVectorRow.report_id, ReportVectorRow.vector, where.vector.value)
        )
    if where.text:
        needle = "%" + _escape_like(where.text.lower()) + "%"
        query = query.where(
            or_(
                func.lower(ReportRow.title).like(needle, escape="\\"),
                func.lower(ReportRow.summary).like(needle, escape="\\"),
            )
        )
    return query


class SqlBlobs:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, sha256: str, data: bytes) -> None:
        if self.session.get(BlobRow, sha256) is None:
            self.session.add(BlobRow(sha256=sha256, data=data))

    def get(self, sha256: str) -> bytes:
        row = self.session.get(BlobRow, sha256)
        if row is None:
            raise NotFound(sha256)
        return row.data


class SqlAuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def last(self) -> AuditEntry | None:
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(select(func.pg_advisory_xact_lock(7_243_901)))
        row = self.session.scalar(select(AuditLogRow).order_by(AuditLogRow.seq.desc()).limit(1))
        return _entry(row) if row else None

    def append(self, entry: AuditEntry) -> None:
        self.session.add(
            AuditLogRow(
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                subject=entry.subject,
                detail=json.dumps(entry.detail, sort_keys=True, default=str),
                prev_hash=entry.prev_hash,
                hash=entry.hash,
            )
        )
        self.session.flush()

    def entries(self) -> Iterator[AuditEntry]:
        rows = self.session.scalars(
            select(AuditLogRow).order_by(AuditLogRow.seq).execution_options(yield_per=1000)
        )
        for row in rows:
            yield _entry(row)


def _entry(row: AuditLogRow) -> AuditEntry:
    return AuditEntry(
        row.seq,
        row.at,
        row.actor,
        row.action,
        row.subject,
        json.loads(row.detail),
        row.prev_hash,
        row.hash,
    )


class SqlTechniques:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, techniques: list[Technique]) -> int:
        for t in techniques:
            self.session.merge(
                TechniqueRow(
                    framework=t.framework.value,
                    technique_id=t.technique_id,
                    name=t.name,
                    tactic=t.tactic,
                )
            )
        return len(techniques)

    def list(self) -> builtins.list[Technique]:
        rows = self.session.scalars(
            select(TechniqueRow).order_by(TechniqueRow.framework, TechniqueRow.technique_id)
        )
        return [Technique(Framework(r.framework), r.technique_id, r.name, r.tactic) for r in rows]

    def names(self, refs: builtins.list[str]) -> dict[str, str]:
        """The catalogue names of ``framework:id`` refs; unknown refs are left out."""
        pairs = [tuple(ref.split(":", 1)) for ref in refs if ":" in ref]
        if not pairs:
            return {}
        rows = self.session.execute(
            select(TechniqueRow.framework, TechniqueRow.technique_id, TechniqueRow.name).where(
                or_(*(and_(TechniqueRow.framework == f, TechniqueRow.technique_id == t)
                      for f, t in pairs))
            )
        )
        return {f"{f}:{t}": name for f, t, name in rows}
