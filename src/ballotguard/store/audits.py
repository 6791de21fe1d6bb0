"""Tables and repository of the risk-limiting audits.

An audit is a row with its contests, jurisdictions and the people assigned to each in their own
tables; uploaded files keep their text verbatim with its SHA-256 (``audit_manifests`` and
``audit_cvrs``, the latter holding CVR files and batch tallies). Draws and board entries are
inserted, never updated: the repository has no method that changes them.
"""

from __future__ import annotations

import builtins
import json
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    Index,
    Integer,
    String,
    Text,
    delete,
    distinct,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from ballotguard.audit.workflow import (
    Audit,
    AuditContest,
    AuditFile,
    AuditStatus,
    ContestStatus,
    Decision,
    Entry,
    Jurisdiction,
    Method,
    Reading,
    Round,
    SampledUnit,
)
from ballotguard.errors import Conflict
from ballotguard.store.models import ID, Base


class AuditRow(Base):
    __tablename__ = "audits"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(20))
    risk_limit: Mapped[float] = mapped_column(Float)
    seed: Mapped[str] = mapped_column(String(200))
    stopping_probability: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    round: Mapped[int] = mapped_column(Integer)
    next_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    report_id: Mapped[str | None] = mapped_column(ID, nullable=True)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AuditContestRow(Base):
    __tablename__ = "audit_contests"
    audit_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    tally: Mapped[str] = mapped_column(Text)  # JSON object, candidate -> votes, in order
    ballots: Mapped[int] = mapped_column(Integer)
    winners: Mapped[str] = mapped_column(Text)  # JSON list
    jurisdictions: Mapped[str] = mapped_column(Text)  # JSON list; empty: all
    supermajority: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(20))


class AuditJurisdictionRow(Base):
    __tablename__ = "audit_jurisdictions"
    audit_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    ballots: Mapped[int] = mapped_column(Integer)


class AuditAssignmentRow(Base):
    __tablename__ = "audit_assignments"
    audit_id: Mapped[str] = mapped_column(ID, primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(200), primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, primary_key=True)


class AuditManifestRow(Base):
    __tablename__ = "audit_manifests"
    audit_id: Mapped[str] = mapped_column(ID, primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(200), primary_key=True)
    filename: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(320))
    uploaded_at: Mapped[datetime]


class AuditCvrRow(Base):
    """CVR files (``kind`` cvrs) and batch tallies (``kind`` tallies), one per jurisdiction."""

    __tablename__ = "audit_cvrs"
    audit_id: Mapped[str] = mapped_column(ID, primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(320))
    uploaded_at: Mapped[datetime]


class AuditRoundRow(Base):
    __tablename__ = "audit_rounds"
    audit_id: Mapped[str] = mapped_column(ID, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    start: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    drawn_at: Mapped[datetime]
    drawn_by: Mapped[str] = mapped_column(String(320))
    measured_at: Mapped[datetime | None] = mapped_column(nullable=True)
    risks: Mapped[str] = mapped_column(Text)  # JSON object, contest -> risk
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True)
    next_size: Mapped[int | None] = mapped_column(Integer, nullable=True)


class AuditDrawRow(Base):
    __tablename__ = "audit_sampled_ballots"
    audit_id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    round: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[str] = mapped_column(String(700))
    jurisdiction: Mapped[str] = mapped_column(String(200))
    container: Mapped[str] = mapped_column(String(200))
    tabulator: Mapped[str] = mapped_column(String(200))
    batch: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    ticket: Mapped[str] = mapped_column(String(100))
    phantom: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (Index("ix_audit_sampled_ballots_round", "audit_id", "round"),)


class AuditEntryRow(Base):
    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    audit_id: Mapped[str] = mapped_column(ID)
    round: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[str] = mapped_column(String(700))
    person_id: Mapped[str] = mapped_column(String(320))
    reading: Mapped[str] = mapped_column(Text)  # JSON
    at: Mapped[datetime]
    __table_args__ = (Index("ix_audit_entries_unit", "audit_id", "unit_id"),)


class SqlAuditStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- audits ------------------------------------------------------------------------------

    def add(self, audit: Audit) -> None:
        if self.session.get(AuditRow, audit.id) is not None:
            raise Conflict(f"audit {audit.id} exists already")
        row = AuditRow(id=audit.id)
        self.session.add(row)
        self._save(row, audit)

    def update(self, audit: Audit) -> None:
        row = self.session.get(AuditRow, audit.id)
        if row is None:
            raise Conflict(f"audit {audit.id} does not exist")
        self._save(row, audit)

    def _save(self, row: AuditRow, audit: Audit) -> None:
        row.name = audit.name
        row.method = audit.method.value
        row.risk_limit = audit.risk_limit
        row.seed = audit.seed
        row.stopping_probability = audit.stopping_probability
        row.status = audit.status.value
        row.round = audit.round
        row.next_size = audit.next_size
        row.report_id = audit.report_id
        row.created_by = audit.created_by
        row.created_at = audit.created_at
        row.updated_at = audit.updated_at
        for table in (AuditContestRow, AuditJurisdictionRow, AuditAssignmentRow):
            self.session.execute(delete(table).where(table.audit_id == audit.id))
        for i, c in enumerate(audit.contests):
            self.session.add(AuditContestRow(
                audit_id=audit.id, name=c.name, position=i, tally=json.dumps(dict(c.tally)),
                ballots=c.ballots, winners=json.dumps(list(c.winners)),
                jurisdictions=json.dumps(list(c.jurisdictions)), supermajority=c.supermajority,
                status=c.status.value,
            ))
        for i, j in enumerate(audit.jurisdictions):
            self.session.add(AuditJurisdictionRow(audit_id=audit.id, name=j.name, position=i,
                                                  ballots=j.ballots))
            for person in sorted(j.people):
                self.session.add(AuditAssignmentRow(audit_id=audit.id, jurisdiction=j.name,
                                                    person_id=person))
        self.session.flush()

    def get(self, audit_id: str) -> Audit | None:
        row = self.session.get(AuditRow, audit_id)
        return None if row is None else self._audit(row)

    def list(self) -> builtins.list[Audit]:
        rows = self.session.scalars(select(AuditRow).order_by(AuditRow.created_at, AuditRow.id))
        return [self._audit(r) for r in rows]

    def _audit(self, row: AuditRow) -> Audit:
        contests = self.session.scalars(select(AuditContestRow).where(
            AuditContestRow.audit_id == row.id).order_by(AuditContestRow.position))
        jurisdictions = self.session.scalars(select(AuditJurisdictionRow).where(
            AuditJurisdictionRow.audit_id == row.id).order_by(AuditJurisdictionRow.position))
        people: dict[str, set[str]] = {}
        for a in self.session.scalars(select(AuditAssignmentRow).where(
                AuditAssignmentRow.audit_id == row.id)):
            people.setdefault(a.jurisdiction, set()).add(a.person_id)
        return Audit(
            id=row.id, name=row.name, method=Method(row.method), risk_limit=row.risk_limit,
            seed=row.seed,
            contests=tuple(AuditContest(
                c.name, json.loads(c.tally), c.ballots, tuple(json.loads(c.winners)),
                tuple(json.loads(c.jurisdictions)), c.supermajority, ContestStatus(c.status),
            ) for c in contests),
            jurisdictions=tuple(Jurisdiction(j.name, j.ballots, frozenset(people.get(j.name, ())))
                                for j in jurisdictions),
            created_by=row.created_by, created_at=row.created_at, updated_at=row.updated_at,
            status=AuditStatus(row.status), round=row.round,
            stopping_probability=row.stopping_probability, next_size=row.next_size,
            report_id=row.report_id,
        )

    # -- files -------------------------------------------------------------------------------

    def save_file(self, file: AuditFile) -> None:
        row: AuditManifestRow | AuditCvrRow | None
        if file.kind == "manifest":
            row = self.session.get(AuditManifestRow, (file.audit_id, file.jurisdiction))
            if row is None:
                row = AuditManifestRow(audit_id=file.audit_id, jurisdiction=file.jurisdiction)
                self.session.add(row)
        else:
            cvr = self.session.get(AuditCvrRow, (file.audit_id, file.jurisdiction))
            if cvr is None:
                cvr = AuditCvrRow(audit_id=file.audit_id, jurisdiction=file.jurisdiction)
                self.session.add(cvr)
            cvr.kind = file.kind
            row = cvr
        row.filename = file.filename
        row.text = file.text
        row.sha256 = file.sha256
        row.count = file.count
        row.uploaded_by = file.uploaded_by
        row.uploaded_at = file.uploaded_at
        self.session.flush()

    def files(self, audit_id: str, kind: str | None = None) -> builtins.list[AuditFile]:
        out: builtins.list[AuditFile] = []
        if kind in (None, "manifest"):
            for m in self.session.scalars(select(AuditManifestRow).where(
                    AuditManifestRow.audit_id == audit_id).order_by(AuditManifestRow.jurisdiction)):
                out.append(AuditFile(m.audit_id, m.jurisdiction, "manifest", m.filename, m.text,
                                     m.sha256, m.count, m.uploaded_by, m.uploaded_at))
        if kind != "manifest":
            query = select(AuditCvrRow).where(AuditCvrRow.audit_id == audit_id)
            if kind is not None:
                query = query.where(AuditCvrRow.kind == kind)
            for c in self.session.scalars(query.order_by(AuditCvrRow.jurisdiction)):
                out.append(AuditFile(c.audit_id, c.jurisdiction, c.kind, c.filename, c.text,
                                     c.sha256, c.count, c.uploaded_by, c.uploaded_at))
        return out

    # -- rounds ------------------------------------------------------------------------------

    def add_round(self, round_: Round) -> None:
        if self.session.get(AuditRoundRow, (round_.audit_id, round_.number)) is not None:
            raise Conflict(f"round {round_.number} of audit {round_.audit_id} exists already")
        row = AuditRoundRow(audit_id=round_.audit_id, number=round_.number)
        self.session.add(row)
        self._save_round(row, round_)

    def update_round(self, round_: Round) -> None:
        row = self.session.get(AuditRoundRow, (round_.audit_id, round_.number))
        if row is None:
            raise Conflict(f"round {round_.number} of audit {round_.audit_id} does not exist")
        self._save_round(row, round_)

    def _save_round(self, row: AuditRoundRow, round_: Round) -> None:
        row.start = round_.start
        row.size = round_.size
        row.drawn_at = round_.drawn_at
        row.drawn_by = round_.drawn_by
        row.measured_at = round_.measured_at
        row.risks = json.dumps(dict(round_.risks))
        row.decision = None if round_.decision is None else round_.decision.value
        row.next_size = round_.next_size
        self.session.flush()

    def rounds(self, audit_id: str) -> builtins.list[Round]:
        rows = self.session.scalars(select(AuditRoundRow).where(
            AuditRoundRow.audit_id == audit_id).order_by(AuditRoundRow.number))
        return [Round(r.audit_id, r.number, r.start, r.size, r.drawn_at, r.drawn_by,
                      r.measured_at, json.loads(r.risks),
                      None if r.decision is None else Decision(r.decision), r.next_size)
                for r in rows]

    # -- draws and entries -------------------------------------------------------------------

    def add_draws(self, draws: builtins.list[SampledUnit]) -> None:
        self.session.add_all([AuditDrawRow(
            audit_id=d.audit_id, seq=d.seq, round=d.round, unit_id=d.unit_id,
            jurisdiction=d.jurisdiction, container=d.container, tabulator=d.tabulator,
            batch=d.batch, position=d.position, ticket=d.ticket, phantom=d.phantom,
        ) for d in draws])
        self.session.flush()

    def draws(self, audit_id: str, round_: int | None = None) -> builtins.list[SampledUnit]:
        query = select(AuditDrawRow).where(AuditDrawRow.audit_id == audit_id)
        if round_ is not None:
            query = query.where(AuditDrawRow.round == round_)
        return [SampledUnit(d.audit_id, d.round, d.seq, d.unit_id, d.jurisdiction, d.container,
                            d.tabulator, d.batch, d.position, d.ticket, d.phantom)
                for d in self.session.scalars(query.order_by(AuditDrawRow.seq))]

    def unit(self, audit_id: str, unit_id: str) -> SampledUnit | None:
        row = self.session.scalars(select(AuditDrawRow).where(
            AuditDrawRow.audit_id == audit_id, AuditDrawRow.unit_id == unit_id,
        ).order_by(AuditDrawRow.seq).limit(1)).first()
        if row is None:
            return None
        return SampledUnit(row.audit_id, row.round, row.seq, row.unit_id, row.jurisdiction,
                           row.container, row.tabulator, row.batch, row.position, row.ticket,
                           row.phantom)

    def reading_counts(self, audit_id: str) -> tuple[int, int]:
        units = self.session.scalar(select(func.count(distinct(AuditDrawRow.unit_id))).where(
            AuditDrawRow.audit_id == audit_id, AuditDrawRow.phantom.is_(False)))
        people = (select(AuditEntryRow.unit_id)
                  .where(AuditEntryRow.audit_id == audit_id)
                  .group_by(AuditEntryRow.unit_id)
                  .having(func.count(distinct(AuditEntryRow.person_id)) >= 2)
                  .subquery())
        read = self.session.scalar(select(func.count()).select_from(people))
        return int(units or 0), int(read or 0)

    def add_entry(self, entry: Entry) -> None:
        self.session.add(AuditEntryRow(
            audit_id=entry.audit_id, round=entry.round, unit_id=entry.unit_id,
            person_id=entry.person_id, reading=json.dumps(entry.reading.as_json(), sort_keys=True),
            at=entry.at,
        ))
        self.session.flush()

    def entries(self, audit_id: str, unit_id: str | None = None) -> builtins.list[Entry]:
        query = select(AuditEntryRow).where(AuditEntryRow.audit_id == audit_id)
        if unit_id is not None:
            query = query.where(AuditEntryRow.unit_id == unit_id)
        return [Entry(e.audit_id, e.round, e.unit_id, e.person_id,
                      Reading.from_json(json.loads(e.reading)), e.at)
                for e in self.session.scalars(query.order_by(AuditEntryRow.id))]
