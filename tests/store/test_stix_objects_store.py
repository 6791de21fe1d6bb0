"""Contract tests for the TAXII object store, on SQLite and PostgreSQL: versions and their flags,
the shelves collections are made of, the TAXII filters, paging positions, audiences, statuses."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

from ballotguard.bootstrap import Ballotguard
from ballotguard.ports import ObjectQuery, Shelf, StoredObject, TaxiiStatus
from ballotguard.sharing import Audience
from ballotguard.vocabulary import Tlp

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
GREEN = Audience(Tlp.GREEN, "org-a", "p-a", frozenset(), frozenset())
AMBER_TO_B = Audience(Tlp.AMBER, "org-a", "p-a", frozenset({"org-b"}), frozenset())
AMBER_OF_C = Audience(Tlp.AMBER, "org-c", "p-c", frozenset(), frozenset())
RED_TO_X = Audience(Tlp.RED, "org-a", "p-a", frozenset(), frozenset({"p-x"}))
ALL = ObjectQuery(versions=frozenset({"all"}))


def obj(stix_id: str, version: str, audience: Audience = GREEN, source: str = "import:org-a",
        kind: str = "indicator") -> StoredObject:
    body = json.dumps({"id": stix_id, "type": kind, "modified": version})
    return StoredObject(stix_id, kind, "2.1", version, body, audience, source)


def ids(rows: list[StoredObject]) -> list[tuple[str, str]]:
    return [(r.stix_id, r.version) for r in rows]


def v(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_versions_are_stored_once_with_first_and_last_flags(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        stored = uow.stix_objects.add([obj("indicator--1", v(1)), obj("indicator--1", v(3))], T0)
        again = uow.stix_objects.add([obj("indicator--1", v(3))], T0)
        older = uow.stix_objects.add([obj("indicator--1", v(0))], T0)  # arrives late
        uow.commit()
    assert [s.seq is not None and s.date_added is not None for s in stored] == [True, True]
    assert again == []
    assert len(older) == 1
    shelf = Shelf(frozenset({Tlp.GREEN}))
    with bg.uow() as uow:
        last = uow.stix_objects.page(shelf, ObjectQuery(), 10, None)
        first = uow.stix_objects.page(shelf, ObjectQuery(versions=frozenset({"first"})), 10, None)
        every = uow.stix_objects.page(shelf, ALL, 10, None)
        exact = uow.stix_objects.page(shelf, ObjectQuery(versions=frozenset({v(1)})), 10, None)
    assert ids(last) == [("indicator--1", v(3))]
    assert ids(first) == [("indicator--1", v(0))]
    assert ids(every) == [("indicator--1", v(1)), ("indicator--1", v(3)), ("indicator--1", v(0))]
    assert ids(exact) == [("indicator--1", v(1))]


def test_date_added_strictly_increases_and_pages_resume_after_a_position(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.stix_objects.add([obj(f"indicator--{i}", v(0)) for i in range(5)], T0)
        uow.stix_objects.add([obj(f"indicator--{i}", v(0)) for i in range(5, 8)], T0)  # same now
        uow.commit()
    shelf = Shelf(frozenset({Tlp.GREEN}))
    seen: list[StoredObject] = []
    after = None
    with bg.uow() as uow:
        while True:
            page = uow.stix_objects.page(shelf, ObjectQuery(), 3, after)
            if not page:
                break
            seen += page
            last = page[-1]
            assert last.date_added is not None and last.seq is not None
            after = (last.date_added, last.seq)
    added = [s.date_added for s in seen]
    assert [s.stix_id for s in seen] == [f"indicator--{i}" for i in range(8)]
    assert all(a is not None and b is not None and a < b for a, b in itertools.pairwise(added))
    with bg.uow() as uow:
        cut = added[4]
        assert cut is not None
        later = uow.stix_objects.page(shelf, ObjectQuery(added_after=cut), 10, None)
    assert [s.stix_id for s in later] == [f"indicator--{i}" for i in range(5, 8)]


def test_unversioned_objects_are_stored_once_per_source(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        first = uow.stix_objects.add([obj("url--1", "", kind="url")], T0)
        again = uow.stix_objects.add([obj("url--1", "", kind="url")], T0 + timedelta(hours=1))
        other = uow.stix_objects.add([obj("url--1", "", source="report:r2", kind="url")], T0)
        uow.commit()
    assert len(first) == 1 and again == [] and len(other) == 1
    assert first[0].version.startswith("2026-11-02T09:00:00")


def test_shelves_hold_their_audiences(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.stix_objects.add([
            obj("indicator--green", v(0)),
            obj("indicator--amber-b", v(0), AMBER_TO_B),
            obj("indicator--amber-c", v(0), AMBER_OF_C, "import:org-c"),
            obj("indicator--red", v(0), RED_TO_X),
        ], T0)
        uow.commit()
    amber = frozenset({Tlp.AMBER, Tlp.AMBER_STRICT})

    def shelf_ids(shelf: Shelf) -> set[str]:
        with bg.uow() as uow:
            return {s.stix_id for s in uow.stix_objects.page(shelf, ObjectQuery(), 50, None)}

    assert shelf_ids(Shelf(frozenset({Tlp.GREEN}))) == {"indicator--green"}
    assert shelf_ids(Shelf(amber, party_org="org-b")) == {"indicator--amber-b"}
    assert shelf_ids(Shelf(amber, party_org="org-a")) == {"indicator--amber-b"}
    assert shelf_ids(Shelf(amber, party_org="org-c")) == {"indicator--amber-c"}
    assert shelf_ids(Shelf(amber, owner_org="org-a", party_org="org-b")) == {"indicator--amber-b"}
    assert shelf_ids(Shelf(amber, owner_org="org-c", party_org="org-b")) == set()
    assert shelf_ids(Shelf(frozenset({Tlp.RED}), party_person="p-x")) == {"indicator--red"}
    assert shelf_ids(Shelf(frozenset({Tlp.RED}), party_person="p-a")) == {"indicator--red"}
    assert shelf_ids(Shelf(frozenset({Tlp.RED}), party_person="p-y")) == set()


def test_filters_by_id_type_and_spec_version(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.stix_objects.add([obj("indicator--1", v(0)), obj("identity--1", v(0), kind="identity"),
                              obj("indicator--2", v(0))], T0)
        uow.commit()
    shelf = Shelf(frozenset({Tlp.GREEN}))
    with bg.uow() as uow:
        by_type = uow.stix_objects.page(shelf, ObjectQuery(types=frozenset({"identity"})), 9, None)
        by_id = uow.stix_objects.page(
            shelf, ObjectQuery(ids=frozenset({"indicator--2", "identity--1"})), 9, None)
        by_spec = uow.stix_objects.page(shelf, ObjectQuery(spec_versions=frozenset({"2.0"})), 9,
                                        None)
    assert [s.stix_id for s in by_type] == ["identity--1"]
    assert [s.stix_id for s in by_id] == ["identity--1", "indicator--2"]
    assert by_spec == []


def test_set_audience_moves_every_version_of_a_source(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.stix_objects.add([obj("incident--1", v(0), source="report:r1"),
                              obj("incident--1", v(1), source="report:r1")], T0)
        uow.stix_objects.set_audience("report:r1", AMBER_TO_B)
        uow.commit()
    with bg.uow() as uow:
        green = uow.stix_objects.page(Shelf(frozenset({Tlp.GREEN})), ALL, 9, None)
        amber = uow.stix_objects.page(Shelf(frozenset({Tlp.AMBER}), party_org="org-b"), ALL, 9,
                                      None)
    assert green == []
    assert len(amber) == 2
    assert {s.audience for s in amber} == {AMBER_TO_B}


def test_delete_removes_versions_and_keeps_the_flags_right(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        uow.stix_objects.add([obj("indicator--1", v(0)), obj("indicator--1", v(1))], T0)
        assert uow.stix_objects.delete("indicator--1", "import:org-b", frozenset({"all"})) == 0
        assert uow.stix_objects.delete("indicator--1", "import:org-a",
                                       frozenset({"last"})) == 1
        uow.commit()
    with bg.uow() as uow:
        rows = uow.stix_objects.page(Shelf(frozenset({Tlp.GREEN})), ObjectQuery(), 9, None)
        assert ids(rows) == [("indicator--1", v(0))]
        assert [r.version for r in uow.stix_objects.latest("indicator--1")] == [v(0)]


def test_statuses_are_kept(bg: Ballotguard) -> None:
    status = TaxiiStatus("s-1", "p-a", "org-a", T0, {"status": "complete", "total_count": 2})
    with bg.uow() as uow:
        uow.stix_objects.save_status(status)
        uow.commit()
    with bg.uow() as uow:
        assert uow.stix_objects.status("s-1") == status
        assert uow.stix_objects.status("s-2") is None
