"""Reports published to the TAXII store as they change, bundles exported as the reader sees them
and imported object by object into a second instance: the round trip keeps the report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.config import Settings
from ballotguard.errors import PermissionDenied
from ballotguard.ports import ObjectQuery, Shelf
from ballotguard.services import reports as rs
from ballotguard.services import stix_exchange as sx
from ballotguard.services.actors import person_actor
from ballotguard.sharing import Observable, ObservableKind, Person, Role, Sector, Status
from ballotguard.sharing.search import ReportFilter
from ballotguard.stix_validator import full_problems
from ballotguard.vocabulary import Tlp
from support import world
from support.clock import FakeClock

from .conftest import People

GREEN_SHELF = Shelf(frozenset({Tlp.GREEN}))
EVERY_VERSION = ObjectQuery(versions=frozenset({"all"}))


@pytest.fixture
def other(tmp_path: Path, clock: FakeClock) -> Iterator[Ballotguard]:
    """A second instance, on its own database."""
    instance = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'other.db'}"), clock=clock)
    try:
        yield instance
    finally:
        instance.close()


def importer(bg: Ballotguard, roles: tuple[Role, ...] = (Role.FEDERATION_PEER,)) -> Person:
    peer_org = world.org(bg, "Instance A", Sector.GOVERNMENT)
    return world.person(bg, peer_org, roles)


def incidents(bg: Ballotguard, shelf: Shelf = GREEN_SHELF) -> list[dict[str, object]]:
    with bg.uow() as uow:
        rows = uow.stix_objects.page(shelf, EVERY_VERSION, 500, None)
    return [json.loads(r.body) for r in rows if r.type == "incident"]


def test_every_change_of_a_report_is_a_new_stix_version(people: People) -> None:
    bg = people.bg
    report = world.file(bg, people.cec_analyst,
                        observables=[Observable(kind=ObservableKind.DOMAIN, value="vote-x.example")])
    with bg.uow() as uow:
        rs.add_note(uow, people.actor(people.cec_analyst), report.id, "seen again", bg.clock())
        rs.retract_report(uow, people.actor(people.cec_analyst), report.id, "duplicate",
                          bg.clock())
    versions = incidents(bg)
    assert [v["id"] for v in versions] == [f"incident--{report.id}"] * 3
    assert [v.get("revoked", False) for v in versions] == [False, False, True]
    with bg.uow() as uow:
        latest = uow.stix_objects.page(GREEN_SHELF, ObjectQuery(types=frozenset({"incident"})),
                                       9, None)
        indicators = uow.stix_objects.page(GREEN_SHELF, ObjectQuery(types=frozenset(
            {"indicator"})), 9, None)
    assert [json.loads(r.body).get("revoked") for r in latest] == [True]
    assert len(indicators) == 1  # unchanged objects are not stored again


def test_narrowing_a_report_takes_its_old_versions_with_it(people: People) -> None:
    bg = people.bg
    report = world.file(bg, people.cec_analyst)
    assert incidents(bg)
    with bg.uow() as uow:
        rs.correct_report(uow, people.actor(people.cec_analyst), report.id,
                          world.content(tlp=Tlp.AMBER), "should not have been GREEN", bg.clock())
    assert incidents(bg) == []
    amber = Shelf(frozenset({Tlp.AMBER}), party_org=people.cec.id)
    assert len(incidents(bg, amber)) == 2


def test_export_then_import_gives_back_an_equal_report(people: People, other: Ballotguard
                                                       ) -> None:
    bg = people.bg
    original = world.file(
        bg, people.cec_analyst, techniques=["disarm:T0002"],
        observables=[Observable(kind=ObservableKind.URL, value="https://vote-x.example/login"),
                     Observable(kind=ObservableKind.IP, value="203.0.113.7")])
    with bg.uow() as uow:
        exported = sx.export_bundle(uow, people.actor(people.cec_analyst), bg.clock(),
                                    [original])
    objects = exported["objects"]
    assert isinstance(objects, list)
    assert all(full_problems(o) == [] for o in objects)
    peer = importer(other)
    with other.uow() as uow:
        result = sx.import_objects(uow, person_actor(peer), objects, other.clock(),
                                   default_tlp=Tlp.AMBER, validate=full_problems)
    assert result.failures == []
    assert result.reports_created == [original.id]
    with other.uow() as uow:
        received = uow.reports.get(original.id)
    assert received.content == original.content
    assert received.org_id == peer.org_id
    with other.uow() as uow:  # importing the same bundle again changes nothing
        again = sx.import_objects(uow, person_actor(peer), objects, other.clock(),
                                  default_tlp=Tlp.AMBER)
        assert again.reports_created == [] and again.reports_updated == []
        assert uow.reports.get(original.id).version == 1
    # the report's own objects are materialised once on the importing side, not stored twice
    with other.uow() as uow:
        rows = uow.stix_objects.page(GREEN_SHELF, EVERY_VERSION, 500, None)
    indicator_rows = [r for r in rows if r.type == "indicator"]
    assert len(indicator_rows) == 2
    assert {r.source for r in indicator_rows} == {f"report:{original.id}"}


def test_a_retraction_received_retracts_and_hides_the_report(people: People, other: Ballotguard
                                                             ) -> None:
    bg, clock = people.bg, people.bg.clock
    report = world.file(bg, people.cec_analyst)
    peer = importer(other)

    def send() -> sx.ImportResult:
        with bg.uow() as uow:
            current = uow.reports.get(report.id)
            objects = sx.export_bundle(uow, people.actor(people.cec_analyst), clock(),
                                       [current])["objects"]
        with other.uow() as uow:
            assert isinstance(objects, list)
            return sx.import_objects(uow, person_actor(peer), objects, other.clock(),
                                     default_tlp=Tlp.GREEN)

    send()
    people.bg.clock.advance(minutes=5)  # type: ignore[attr-defined]
    with bg.uow() as uow:
        rs.retract_report(uow, people.actor(people.cec_analyst), report.id, "false alarm",
                          clock())
    result = send()
    assert result.reports_updated == [report.id]
    with other.uow() as uow:
        received = uow.reports.get(report.id)
        listed = rs.list_reports(uow, person_actor(peer), ReportFilter(include_retracted=False),
                                 50, None, other.clock())
    assert received.status is Status.RETRACTED
    assert report.id not in [r.id for r in listed.reports]


def test_the_per_object_rule_keeps_the_good_and_names_the_bad(people: People) -> None:
    bg = people.bg
    good = {"type": "indicator", "spec_version": "2.1",
            "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "created": "2026-11-01T00:00:00.000Z", "modified": "2026-11-01T00:00:00.000Z",
            "name": "Phishing domain", "pattern": "[domain-name:value = 'vote-x.example']",
            "pattern_type": "stix", "valid_from": "2026-11-01T00:00:00Z",
            "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}
    bad_id = {**good, "id": "indicator--not-a-uuid"}
    amber = {**good, "id": "indicator--0b0e0a8c-54b1-4b9c-9d8e-2f4b9e7c1a11",
             "object_marking_refs": ["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]}
    with bg.uow() as uow:
        result = sx.import_objects(uow, people.actor(people.cert_analyst),
                                   [good, bad_id, "not an object", amber], bg.clock(),
                                   default_tlp=Tlp.GREEN, allowed_tlps=frozenset({Tlp.GREEN}),
                                   validate=full_problems)
    assert result.successes == [(good["id"], good["modified"])]
    assert [f.id for f in result.failures] == ["indicator--not-a-uuid", "", amber["id"]]
    assert "id" in result.failures[0].message
    assert "TLP:AMBER" in result.failures[2].message
    with bg.uow() as uow:
        stored = uow.stix_objects.page(GREEN_SHELF, ObjectQuery(types=frozenset({"indicator"})),
                                       9, None)
    assert [r.stix_id for r in stored] == [good["id"]]
    assert stored[0].source == f"import:{people.cert.id}"


def test_a_report_can_only_be_changed_by_imports_of_its_own_organisation(
    people: People, other: Ballotguard
) -> None:
    bg = people.bg
    report = world.file(bg, people.cec_analyst)
    with bg.uow() as uow:
        objects = sx.export_bundle(uow, people.actor(people.cec_analyst), bg.clock(),
                                   [report])["objects"]
    assert isinstance(objects, list)
    first, second = importer(other), importer(other)
    with other.uow() as uow:
        sx.import_objects(uow, person_actor(first), objects, other.clock(), default_tlp=Tlp.GREEN)
    bg.clock.advance(minutes=1)  # type: ignore[attr-defined]
    with bg.uow() as uow:
        corrected = rs.correct_report(uow, people.actor(people.cec_analyst), report.id,
                                      world.content(title="Corrected title"), "typo", bg.clock())
        objects = sx.export_bundle(uow, people.actor(people.cec_analyst), bg.clock(),
                                   [corrected])["objects"]
    assert isinstance(objects, list)
    with other.uow() as uow:
        result = sx.import_objects(uow, person_actor(second), objects, other.clock(),
                                   default_tlp=Tlp.GREEN)
    assert [f.id for f in result.failures] == [f"incident--{report.id}"]
    with other.uow() as uow:
        assert uow.reports.get(report.id).content.title != "Corrected title"


def test_only_exchange_roles_import(people: People) -> None:
    with people.bg.uow() as uow, pytest.raises(PermissionDenied):
        sx.import_objects(uow, people.actor(people.cec_reporter), [], people.bg.clock(),
                          default_tlp=Tlp.GREEN)


def test_a_federated_peer_is_sent_clear_and_green_only(people: People) -> None:
    bg = people.bg
    for tlp in (Tlp.GREEN, Tlp.AMBER_STRICT, Tlp.CLEAR):
        world.file(bg, people.cec_analyst, tlp=tlp, recipient_orgs=[people.cert.id]
                   if tlp is Tlp.AMBER_STRICT else [])
    peer = world.person(bg, people.cert, [Role.FEDERATION_PEER])  # even inside a recipient org
    sent: list[str] = []
    after = None
    with bg.uow() as uow:
        while True:
            rows, after = sx.outbound_page(uow, person_actor(peer), after, 7)
            if not rows:
                break
            sent += [r.audience.tlp.value for r in rows]
    assert set(sent) == {"GREEN", "CLEAR"}


def test_an_assessment_goes_out_as_a_note_that_follows_its_report(people: People) -> None:
    from ballotguard.assessment import Answer, Finding
    from ballotguard.services import assessments as assessment_service
    from ballotguard.services.assessments import SubjectKind
    from ballotguard.vocabulary import Confidence

    bg = people.bg
    report = world.file(bg, people.cec_analyst)
    with bg.uow() as uow:
        definition = assessment_service.get_definition(uow, "ballotguard-baseline")
    unknown = [Finding(criterion=c, answer=Answer.UNKNOWN, confidence=Confidence.LOW)
               for c in definition.criteria]
    with bg.uow() as uow:
        view = assessment_service.assess(uow, people.actor(people.cert_analyst),
                                         SubjectKind.REPORT, report.id, definition.id, unknown,
                                         bg.clock())
    with bg.uow() as uow:
        notes = uow.stix_objects.page(GREEN_SHELF, ObjectQuery(types=frozenset({"note"})), 9,
                                      None)
        bundle = sx.export_bundle(uow, people.actor(people.cert_analyst), bg.clock(), [report])
    assert len(notes) == 1
    note = json.loads(notes[0].body)
    assert note["object_refs"] == [f"incident--{report.id}"]
    assert view.record.id in note["abstract"] and "insufficient" in note["abstract"]
    assert full_problems(note) == []
    objects = bundle["objects"]
    assert isinstance(objects, list)
    assert note["id"] in {o["id"] for o in objects}
    with bg.uow() as uow:  # narrowing the report narrows its assessment too
        rs.correct_report(uow, people.actor(people.cec_analyst), report.id,
                          world.content(tlp=Tlp.AMBER), "restricted", bg.clock())
        assert uow.stix_objects.page(GREEN_SHELF, ObjectQuery(types=frozenset({"note"})), 9,
                                     None) == []
