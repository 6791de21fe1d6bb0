"""TAXII 2.1 collections, reads and writes, computed per reader from the sharing data.

TAXII (OASIS, TAXII Version 2.1, Committee Specification 01) serves STIX objects from
*collections*. Ballotguard does not keep collections as rows: each is a view of the one object
store, derived from TLP 2.0 and the sharing agreements, and computed for the reader at hand:

    clear        TLP:CLEAR objects                                  every reader
    community    TLP:GREEN objects                                  every reader (peers too)
    org|<id>     AMBER and AMBER+STRICT of, or naming, the reader's organisation
    agreement|<id>  AMBER(+STRICT) objects the agreement's source shares with its partner
    red          TLP:RED objects the reader wrote or is named on

A federated peer (``federation_peer``) sees ``clear`` and ``community`` only. A collection a
reader may not see answers like one that does not exist. The store compiles a collection's
``Shelf`` into a query; every row it returns still passes ``ReadScope.admits`` here, the one
access rule, before it leaves the server. Objects served are written to the audit log (who was
sent which ids and versions), so that a source can learn where its information went.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ballotguard.errors import (
    CollectionNotFound,
    InvalidInput,
    ObjectFromReport,
    ObjectNotFound,
    PermissionDenied,
    StatusNotFound,
)
from ballotguard.ports import ObjectQuery, Shelf, StoredObject, TaxiiStatus, UnitOfWork
from ballotguard.services import stix_exchange
from ballotguard.services.actors import Actor
from ballotguard.services.audit import record
from ballotguard.sharing import Permission, Person, SharingAgreement, read_scope
from ballotguard.stix.ids import BALLOTGUARD_NAMESPACE
from ballotguard.vocabulary import Tlp

AMBERS = (Tlp.AMBER, Tlp.AMBER_STRICT)
AUDIT_SERVED_CAP = 1000
"""An audit entry lists at most this many (id, version) pairs and says when it left some out."""
SCAN_PAGE = 1000
"""Rows read per store call when a use case needs every version of one object (DELETE)."""
STIX_21 = "application/stix+json;version=2.1"


@dataclass(frozen=True, slots=True)
class Collection:
    """One collection as one reader sees it."""

    name: str
    title: str
    description: str
    shelf: Shelf
    levels: frozenset[Tlp]
    can_write: bool
    alias: str | None = None
    recipient_orgs: frozenset[str] = frozenset()
    id: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", collection_id(self.name))

    @property
    def default_tlp(self) -> Tlp:
        """The level an unmarked object posted here gets: the widest the collection holds."""
        return min(self.levels, key=lambda t: t.rank)

    def resource(self) -> dict[str, object]:
        """The TAXII collection resource."""
        body: dict[str, object] = {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "can_read": True,
            "can_write": self.can_write,
            "media_types": [STIX_21],
        }
        if self.alias:
            body["alias"] = self.alias
        return body


def collection_id(name: str) -> str:
    """Stable across restarts and instances: the same collection keeps the same id."""
    return str(uuid.uuid5(BALLOTGUARD_NAMESPACE, f"collection|{name}"))


@dataclass(frozen=True, slots=True)
class ObjectPage:
    """Rows of one page, oldest ``date_added`` first, and whether more follow."""

    rows: list[StoredObject]
    more: bool

    @property
    def last_position(self) -> tuple[datetime, int] | None:
        if not self.rows:
            return None
        return position(self.rows[-1])


def position(row: StoredObject) -> tuple[datetime, int]:
    if row.date_added is None or row.seq is None:
        raise AssertionError(f"the store returned {row.stix_id} without date_added and seq")
    return row.date_added, row.seq


# ---- collections -------------------------------------------------------------------------------


def list_collections(uow: UnitOfWork, actor: Actor) -> list[Collection]:
    """The collections this reader may read, in a stable order."""
    person = _person(actor)
    clear, community, red = _fixed_collections(person)
    if person.is_federation_peer:
        return [clear, community]
    writer = person.may(Permission.EXCHANGE_STIX)
    return [
        clear,
        community,
        _org_collection(uow, person, writer),
        *_agreement_collections(uow, person, writer),
        red,
    ]


def get_collection(uow: UnitOfWork, actor: Actor, key: str) -> Collection:
    """By id or alias; one the reader may not see is the same 404 as a missing one. The fixed
    collections are found without a query: they are what most requests ask for."""
    person = _person(actor)
    fixed = _fixed_collections(person)
    visible = fixed[:2] if person.is_federation_peer else fixed
    for collection in visible:
        if key in (collection.id, collection.alias):
            return collection
    for collection in list_collections(uow, actor):
        if key == collection.id:
            return collection
    raise CollectionNotFound(key)


def _fixed_collections(person: Person) -> tuple[Collection, Collection, Collection]:
    writer = person.may(Permission.EXCHANGE_STIX)
    return (
        Collection(
            "clear",
            "TLP:CLEAR",
            "Objects anyone may read (TLP:CLEAR).",
            Shelf(frozenset({Tlp.CLEAR})),
            frozenset({Tlp.CLEAR}),
            writer,
            alias="clear",
        ),
        Collection(
            "community",
            "TLP:GREEN: the community",
            "Objects every member organisation of this instance may read (TLP:GREEN).",
            Shelf(frozenset({Tlp.GREEN})),
            frozenset({Tlp.GREEN}),
            writer,
            alias="community",
        ),
        Collection(
            "red",
            "TLP:RED: named to you",
            "Objects you wrote or that name you personally (TLP:RED). Read-only over TAXII.",
            Shelf(frozenset({Tlp.RED}), party_person=person.id),
            frozenset({Tlp.RED}),
            False,
            alias="red",
        ),
    )


def writable_collection(uow: UnitOfWork, actor: Actor, key: str) -> Collection:
    """A collection the actor may add to (and delete their organisation's imports from)."""
    actor.require(Permission.EXCHANGE_STIX)
    collection = get_collection(uow, actor, key)
    if not collection.can_write:
        raise PermissionDenied(f"writing to collection {collection.id}", "write access to it")
    return collection


def _org_collection(uow: UnitOfWork, person: Person, writer: bool) -> Collection:
    org = uow.orgs.get(person.org_id)
    return Collection(
        f"org|{org.id}",
        f"{org.name}: TLP:AMBER and AMBER+STRICT",
        f"AMBER and AMBER+STRICT objects of {org.name}, or naming it as a recipient.",
        Shelf(frozenset(AMBERS), party_org=org.id),
        frozenset(AMBERS),
        writer,
    )


def _agreement_collections(uow: UnitOfWork, person: Person, writer: bool) -> list[Collection]:
    names = {o.id: o.name for o in uow.orgs.list()}
    found = []
    for agreement in sorted(uow.agreements.list(), key=lambda a: a.id):
        levels = _agreement_levels(agreement)
        party = person.org_id in (agreement.from_org, agreement.to_org)
        if not (agreement.active and party and levels):
            continue
        source = names.get(agreement.from_org, agreement.from_org)
        partner = names.get(agreement.to_org, agreement.to_org)
        shown = " and ".join(t.value for t in sorted(levels, key=lambda t: t.rank))
        found.append(
            Collection(
                f"agreement|{agreement.id}",
                f"Agreement: {source} shares with {partner}",
                f"TLP:{shown} objects {source} shares with {partner} under sharing agreement "
                f"{agreement.id}. Objects posted here name {partner} as recipient.",
                Shelf(levels, owner_org=agreement.from_org, party_org=agreement.to_org),
                levels,
                writer and person.org_id == agreement.from_org,
                recipient_orgs=frozenset({agreement.to_org}),
            )
        )
    return found


def _agreement_levels(agreement: SharingAgreement) -> frozenset[Tlp]:
    """Agreements apply to AMBER and AMBER+STRICT only (``sharing.agreements``), up to their cap."""
    return frozenset(t for t in AMBERS if t.rank <= agreement.max_tlp.rank)


def _person(actor: Actor) -> Person:
    if actor.person is None:
        raise PermissionDenied("TAXII", "a signed-in person")
    return actor.person


# ---- reading -----------------------------------------------------------------------------------


def read_page(
    uow: UnitOfWork,
    actor: Actor,
    collection: Collection,
    query: ObjectQuery,
    limit: int,
    after: tuple[datetime, int] | None,
) -> ObjectPage:
    """One page of the collection; every row re-checked by the one access rule."""
    if limit < 1:
        raise InvalidInput("limit", "must be at least 1")
    rows = uow.stix_objects.page(collection.shelf, query, limit + 1, after)
    scope = read_scope(actor.reader)
    if not all(scope.admits(row.audience) for row in rows):
        raise AssertionError("the store returned a STIX object the access rule refuses")
    return ObjectPage(rows[:limit], len(rows) > limit)


def get_objects(
    uow: UnitOfWork,
    actor: Actor,
    collection_key: str,
    query: ObjectQuery,
    limit: int,
    after: tuple[datetime, int] | None,
    now: datetime,
) -> tuple[Collection, ObjectPage]:
    """GET objects/: a page of objects; what was served is audit-logged."""
    collection = get_collection(uow, actor, collection_key)
    page = read_page(uow, actor, collection, query, limit, after)
    _record_served(uow, actor, collection, page.rows, now)
    return collection, page


def get_object(
    uow: UnitOfWork,
    actor: Actor,
    collection_key: str,
    object_id: str,
    query: ObjectQuery,
    limit: int,
    after: tuple[datetime, int] | None,
    now: datetime,
) -> tuple[Collection, ObjectPage]:
    """GET objects/{id}/: the object's versions that match; 404 when the reader has none of it."""
    collection = get_collection(uow, actor, collection_key)
    page = read_page(uow, actor, collection, _for_object(query, object_id), limit, after)
    if not page.rows and after is None:
        _require_object(uow, actor, collection, object_id)
    _record_served(uow, actor, collection, page.rows, now)
    return collection, page


def object_versions(
    uow: UnitOfWork,
    actor: Actor,
    collection_key: str,
    object_id: str,
    query: ObjectQuery,
    limit: int,
    after: tuple[datetime, int] | None,
) -> tuple[Collection, ObjectPage]:
    """GET objects/{id}/versions/: every version's timestamp (no content, so not audit-logged)."""
    collection = get_collection(uow, actor, collection_key)
    wanted = ObjectQuery(
        ids=frozenset({object_id}),
        spec_versions=query.spec_versions,
        versions=frozenset({"all"}),
        added_after=query.added_after,
    )
    page = read_page(uow, actor, collection, wanted, limit, after)
    if not page.rows and after is None:
        _require_object(uow, actor, collection, object_id)
    return collection, page


def get_manifest(
    uow: UnitOfWork,
    actor: Actor,
    collection_key: str,
    query: ObjectQuery,
    limit: int,
    after: tuple[datetime, int] | None,
) -> tuple[Collection, ObjectPage]:
    """GET manifest/: ids, versions and dates only (no content, so not audit-logged)."""
    collection = get_collection(uow, actor, collection_key)
    return collection, read_page(uow, actor, collection, query, limit, after)


def _for_object(query: ObjectQuery, object_id: str) -> ObjectQuery:
    return ObjectQuery(
        ids=frozenset({object_id}),
        spec_versions=query.spec_versions,
        versions=query.versions,
        added_after=query.added_after,
    )


def _require_object(uow: UnitOfWork, actor: Actor, collection: Collection, object_id: str) -> None:
    """Filters may match nothing; an object the reader has no version of at all is a 404."""
    anything = ObjectQuery(ids=frozenset({object_id}), versions=frozenset({"all"}))
    if not read_page(uow, actor, collection, anything, 1, None).rows:
        raise ObjectNotFound(object_id)


def _record_served(
    uow: UnitOfWork, actor: Actor, collection: Collection, rows: list[StoredObject], now: datetime
) -> None:
    if not rows:
        return
    served = [[row.stix_id, row.version] for row in rows[:AUDIT_SERVED_CAP]]
    detail: dict[str, object] = {
        "collection": collection.name,
        "count": len(rows),
        "served": served,
        "truncated": len(rows) > AUDIT_SERVED_CAP,
    }
    record(uow, actor, "taxii.served", collection.id, now, detail)
    uow.commit()


# ---- writing -----------------------------------------------------------------------------------

Validator = Callable[[dict[str, object]], list[str]]


def add_objects(
    uow: UnitOfWork,
    actor: Actor,
    collection_key: str,
    objects: list[object],
    now: datetime,
    validate: Validator | None,
) -> dict[str, object]:
    """POST objects/: each object stored or refused with its reason; returns the status resource.

    The per-object rule: good objects are kept, each bad one is listed with its reason, and
    nothing else is applied. Re-posting an object already stored is a success. The status is
    stored so that ``GET status/{id}/`` answers later, to the poster's organisation.
    """
    person = _person(actor)
    collection = writable_collection(uow, actor, collection_key)
    result = stix_exchange.import_objects(
        uow,
        actor,
        objects,
        now,
        default_tlp=collection.default_tlp,
        allowed_tlps=collection.levels,
        recipient_orgs=collection.recipient_orgs,
        validate=validate,
    )
    body = status_body(str(uuid.uuid4()), now, len(objects), result)
    uow.stix_objects.save_status(TaxiiStatus(str(body["id"]), person.id, person.org_id, now, body))
    record(
        uow,
        actor,
        "taxii.added",
        collection.id,
        now,
        {
            "collection": collection.name,
            "status": body["id"],
            "success_count": body["success_count"],
            "failure_count": body["failure_count"],
        },
    )
    uow.commit()
    return body


def status_body(
    status_id: str, now: datetime, total: int, result: stix_exchange.ImportResult
) -> dict[str, object]:
    """The TAXII status resource; synchronous import, so it is complete when it is returned."""
    body: dict[str, object] = {
        "id": status_id,
        "status": "complete",
        "request_timestamp": stix_timestamp(now),
        "total_count": total,
        "success_count": len(result.successes),
        "failure_count": len(result.failures),
        "pending_count": 0,
    }
    if result.successes:
        body["successes"] = [{"id": i, "version": v} for i, v in result.successes]
    if result.failures:
        body["failures"] = [_failure(f) for f in result.failures]
    return body


def _failure(failure: stix_exchange.ObjectFailure) -> dict[str, str]:
    """A failure without a readable version leaves ``version`` out rather than invent one."""
    detail = {"id": failure.id, "message": failure.message}
    if failure.version:
        detail["version"] = failure.version
    return detail


def get_status(uow: UnitOfWork, actor: Actor, status_id: str) -> dict[str, object]:
    """A status resource, to the organisation that posted; to anyone else it does not exist."""
    person = _person(actor)
    found = uow.stix_objects.status(status_id)
    if found is None or found.org_id != person.org_id:
        raise StatusNotFound(status_id)
    return found.body


def delete_object(
    uow: UnitOfWork,
    actor: Actor,
    collection_key: str,
    object_id: str,
    query: ObjectQuery,
    now: datetime,
) -> int:
    """DELETE objects/{id}/: only versions the reader's organisation imported, in this collection.

    Objects published from a report are refused: a report changes by correction or retraction,
    which publishes a new STIX version that consumers polling for the latest version receive.
    """
    person = _person(actor)
    collection = writable_collection(uow, actor, collection_key)
    rows = list(_every_row(uow, actor, collection, _for_object(query, object_id)))
    if not rows:
        raise ObjectNotFound(object_id)
    own = f"import:{person.org_id}"
    for row in rows:
        if row.source.startswith("report:"):
            raise ObjectFromReport(object_id, row.source.removeprefix("report:"))
        if row.source != own:
            raise PermissionDenied(
                f"deleting {object_id}", "that your organisation imported it (another did)"
            )
    versions = sorted({row.version for row in rows})
    deleted = uow.stix_objects.delete(object_id, own, frozenset(versions))
    record(
        uow,
        actor,
        "taxii.deleted",
        object_id,
        now,
        {"collection": collection.name, "versions": versions, "rows": deleted},
    )
    uow.commit()
    return deleted


def _every_row(
    uow: UnitOfWork, actor: Actor, collection: Collection, query: ObjectQuery
) -> Iterator[StoredObject]:
    after = None
    while True:
        page = read_page(uow, actor, collection, query, SCAN_PAGE, after)
        yield from page.rows
        if not page.more:
            return
        after = page.last_position


def stix_timestamp(at: datetime) -> str:
    """RFC 3339 in UTC with microseconds, as TAXII dates are written."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
