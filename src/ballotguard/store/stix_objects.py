"""The TAXII object store on SQLAlchemy: versions of STIX objects with their audience.

A page is one walk of ``ix_stix_objects_shelf`` (tlp, date_added, seq) from the caller's position;
recipients are probed per candidate row through ``stix_object_parties``'s primary key, the same
shape as the report list (``store.repositories.scope_condition``), so a page costs the same at a
million objects as at ten thousand.
"""

from __future__ import annotations

import builtins
import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, false, func, literal, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ballotguard.errors import InvalidInput
from ballotguard.ports import ObjectQuery, Shelf, StoredObject, TaxiiStatus
from ballotguard.sharing import Audience
from ballotguard.stix.timestamps import format_timestamp, parse_timestamp
from ballotguard.store.models import StixObjectPartyRow, StixObjectRow, TaxiiStatusRow
from ballotguard.vocabulary import Tlp

TICK = timedelta(microseconds=1)
ORG, PERSON = "org", "person"


class SqlStixObjects:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, objects: builtins.list[StoredObject], now: datetime) -> builtins.list[StoredObject]:
        """Store the versions not yet stored; ``version == ""`` means "unversioned" (an SCO):
        stored once per source, its version then being its date_added."""
        keys = {(o.stix_id, o.source) for o in objects}
        known = self._known_versions(keys)
        fresh = keys - set(known)  # no version stored yet
        clock = self._next_date_added(now)
        inserted: builtins.list[tuple[StixObjectRow, StoredObject]] = []
        per_key: defaultdict[tuple[str, str], builtins.list[StixObjectRow]] = defaultdict(list)
        for obj in objects:
            versions = known[(obj.stix_id, obj.source)]
            if (obj.version == "" and versions) or obj.version in versions:
                continue
            version = obj.version or format_timestamp(clock)
            row = _row(obj, version, clock)
            versions.add(version)
            per_key[(obj.stix_id, obj.source)].append(row)
            inserted.append((row, obj))
            clock += TICK
        changed: set[tuple[str, str]] = set()
        for key, rows in per_key.items():
            if key in fresh and len(rows) == 1:  # the common case: a first version, flagged now
                rows[0].is_first = rows[0].is_latest = True
            else:
                changed.add(key)
        self.session.add_all(row for row, _ in inserted)
        self.session.flush()
        stored = [self._stored(row, obj) for row, obj in inserted]
        self._add_parties(stored)
        self._refresh_flags(changed)
        return stored

    def _stored(self, row: StixObjectRow, obj: StoredObject) -> StoredObject:
        return StoredObject(
            obj.stix_id, obj.type, obj.spec_version, row.version, obj.body, obj.audience,
            obj.source, row.date_added, row.seq,
        )

    def _known_versions(self, keys: set[tuple[str, str]]) -> defaultdict[tuple[str, str], set[str]]:
        known: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
        ids = sorted({stix_id for stix_id, _ in keys})
        for start in range(0, len(ids), 500):
            rows = self.session.execute(
                select(StixObjectRow.stix_id, StixObjectRow.source, StixObjectRow.version).where(
                    StixObjectRow.stix_id.in_(ids[start : start + 500])
                )
            )
            for stix_id, source, version in rows:
                known[(stix_id, source)].add(version)
        return known

    def _next_date_added(self, now: datetime) -> datetime:
        """Strictly after every stored row, so ``added_after`` never hides a later insert."""
        last = self.session.scalar(select(func.max(StixObjectRow.date_added)))
        return max(now, last + TICK) if last is not None else now

    def _add_parties(self, stored: builtins.list[StoredObject]) -> None:
        rows = [
            StixObjectPartyRow(seq=obj.seq, kind=kind, party=party)
            for obj in stored
            for kind, party in _parties(obj.audience)
        ]
        self.session.add_all(rows)

    def _refresh_flags(self, keys: set[tuple[str, str]]) -> None:
        """Re-mark the first and latest version of each (object, source) touched."""
        for stix_id, source in keys:
            rows = self.session.execute(
                select(StixObjectRow.seq, StixObjectRow.version).where(
                    StixObjectRow.stix_id == stix_id, StixObjectRow.source == source
                )
            ).all()
            if not rows:
                continue
            ordered = sorted(rows, key=lambda r: (_parse_version(r.version), r.seq))
            first, latest = ordered[0].seq, ordered[-1].seq
            seqs = [r.seq for r in rows]
            self.session.execute(
                update(StixObjectRow)
                .where(StixObjectRow.seq.in_(seqs))
                .values(is_first=StixObjectRow.seq == first, is_latest=StixObjectRow.seq == latest)
                .execution_options(synchronize_session=False)
            )

    def set_audience(self, source: str, audience: Audience) -> None:
        seqs = list(self.session.scalars(select(StixObjectRow.seq).where(StixObjectRow.source == source)))
        if not seqs:
            return
        self.session.execute(
            update(StixObjectRow)
            .where(StixObjectRow.source == source)
            .values(**_audience_columns(audience))
            .execution_options(synchronize_session=False)
        )
        self.session.execute(delete(StixObjectPartyRow).where(StixObjectPartyRow.seq.in_(seqs)))
        self.session.add_all(
            StixObjectPartyRow(seq=seq, kind=kind, party=party)
            for seq in seqs
            for kind, party in _parties(audience)
        )

    def page(
        self,
        shelf: Shelf,
        query: ObjectQuery,
        limit: int,
        after: tuple[datetime, int] | None,
    ) -> builtins.list[StoredObject]:
        statement = (
            select(StixObjectRow)
            .where(shelf_condition(shelf), *query_conditions(query))
            .order_by(StixObjectRow.date_added, StixObjectRow.seq)
            .limit(limit)
        )
        if after is not None:
            added, seq = after
            # ">=" first gives the planner a range on the index; a bare OR made SQLite and
            # PostgreSQL read every row before the position (bench/RESULTS.md, TAXII).
            statement = statement.where(
                StixObjectRow.date_added >= added,
                or_(StixObjectRow.date_added > added, StixObjectRow.seq > seq),
            )
        return [_object(row) for row in self.session.scalars(statement)]

    def latest(self, stix_id: str) -> builtins.list[StoredObject]:
        rows = self.session.scalars(
            select(StixObjectRow)
            .where(StixObjectRow.stix_id == stix_id, StixObjectRow.is_latest.is_(True))
            .order_by(StixObjectRow.seq)
        )
        return [_object(row) for row in rows]

    def delete(self, stix_id: str, source: str, versions: frozenset[str]) -> int:
        statement = select(StixObjectRow.seq).where(
            StixObjectRow.stix_id == stix_id,
            StixObjectRow.source == source,
            _version_condition(versions),
        )
        seqs = list(self.session.scalars(statement))
        if not seqs:
            return 0
        self.session.execute(delete(StixObjectPartyRow).where(StixObjectPartyRow.seq.in_(seqs)))
        self.session.execute(delete(StixObjectRow).where(StixObjectRow.seq.in_(seqs)))
        self._refresh_flags({(stix_id, source)})
        return len(seqs)

    def save_status(self, status: TaxiiStatus) -> None:
        self.session.merge(
            TaxiiStatusRow(
                id=status.id,
                person_id=status.person_id,
                org_id=status.org_id,
                created_at=status.created_at,
                body=json.dumps(status.body),
            )
        )

    def status(self, status_id: str) -> TaxiiStatus | None:
        row = self.session.get(TaxiiStatusRow, status_id)
        if row is None:
            return None
        return TaxiiStatus(row.id, row.person_id, row.org_id, row.created_at, json.loads(row.body))


def shelf_condition(shelf: Shelf) -> ColumnElement[bool]:
    """The rows a collection holds; the services still pass each through the access rule."""
    condition: ColumnElement[bool] = StixObjectRow.tlp.in_(sorted(t.value for t in shelf.tlps))
    if shelf.owner_org is not None and shelf.party_org is not None:
        return and_(condition, StixObjectRow.org_id == shelf.owner_org, _named(ORG, shelf.party_org))
    if shelf.party_org is not None:
        return and_(
            condition,
            or_(StixObjectRow.org_id == shelf.party_org, _named(ORG, shelf.party_org)),
        )
    if shelf.party_person is not None:
        return and_(
            condition,
            or_(StixObjectRow.author_id == shelf.party_person, _named(PERSON, shelf.party_person)),
        )
    if shelf.owner_org is not None:
        return and_(condition, StixObjectRow.org_id == shelf.owner_org)
    return condition


def query_conditions(query: ObjectQuery) -> builtins.list[ColumnElement[bool]]:
    conditions = [_version_condition(query.versions)]
    if query.ids:
        conditions.append(StixObjectRow.stix_id.in_(sorted(query.ids)))
    if query.types:
        conditions.append(StixObjectRow.type.in_(sorted(query.types)))
    if query.spec_versions:
        conditions.append(StixObjectRow.spec_version.in_(sorted(query.spec_versions)))
    if query.added_after is not None:
        conditions.append(StixObjectRow.date_added > query.added_after)
    return conditions


def _version_condition(versions: frozenset[str]) -> ColumnElement[bool]:
    if not versions or "all" in versions:
        return literal(True).is_(True)
    clauses: builtins.list[ColumnElement[bool]] = []
    if "last" in versions:
        clauses.append(StixObjectRow.is_latest.is_(True))
    if "first" in versions:
        clauses.append(StixObjectRow.is_first.is_(True))
    exact = sorted(versions - {"last", "first"})
    if exact:
        clauses.append(StixObjectRow.version.in_(exact))
    return or_(false(), *clauses)


def _named(kind: str, party: str) -> ColumnElement[bool]:
    """A primary-key probe per candidate row; see ``store.repositories._has_row`` for why."""
    probe = (
        select(literal(1))
        .where(
            StixObjectPartyRow.seq == StixObjectRow.seq,
            StixObjectPartyRow.kind == kind,
            StixObjectPartyRow.party == party,
        )
        .limit(1)
        .scalar_subquery()
    )
    return probe.is_not(None)


def _parties(audience: Audience) -> builtins.list[tuple[str, str]]:
    return [(ORG, o) for o in sorted(audience.recipient_orgs)] + [
        (PERSON, p) for p in sorted(audience.recipient_people)
    ]


def _audience_columns(audience: Audience) -> dict[str, object]:
    return {
        "tlp": audience.tlp.value,
        "org_id": audience.org_id,
        "author_id": audience.author_id,
        "recipient_orgs": sorted(audience.recipient_orgs),
        "recipient_people": sorted(audience.recipient_people),
    }


def _row(obj: StoredObject, version: str, date_added: datetime) -> StixObjectRow:
    return StixObjectRow(
        stix_id=obj.stix_id,
        type=obj.type,
        spec_version=obj.spec_version,
        version=version,
        date_added=date_added,
        body=obj.body,
        source=obj.source,
        is_latest=False,
        is_first=False,
        **_audience_columns(obj.audience),
    )


def _object(row: StixObjectRow) -> StoredObject:
    audience = Audience(
        Tlp(row.tlp),
        row.org_id,
        row.author_id,
        frozenset(row.recipient_orgs),
        frozenset(row.recipient_people),
    )
    return StoredObject(
        row.stix_id, row.type, row.spec_version, row.version, row.body, audience, row.source,
        row.date_added, row.seq,
    )


def _parse_version(text: str) -> datetime:
    """Stored versions passed validation; a garbled one sorts first rather than failing."""
    try:
        return parse_timestamp(text, "version")
    except InvalidInput:
        return datetime.min.replace(tzinfo=UTC)
