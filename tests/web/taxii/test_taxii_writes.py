"""Adding and deleting over TAXII: the per-object rule, statuses, limits, TLP of a collection."""

from __future__ import annotations

import json
import uuid

import pytest

from ballotguard.services import reports as report_service
from ballotguard.services import stakeholders
from ballotguard.services.actors import person_actor
from ballotguard.stix_validator import full_problems
from ballotguard.vocabulary import Tlp
from support import world
from taxii.taxii_helpers import (
    ROOT,
    TLP_MARKING,
    V1,
    V2,
    V3,
    Taxii,
    TaxiiHub,
    assert_taxii_error,
    audience,
    collection_path,
    indicator,
    objects_path,
    put,
    served_ids,
    stix_id,
    stored,
)

GREEN = objects_path("community")


def post(taxii: Taxii, hub: TaxiiHub, objects: list[object], path: str = GREEN) -> dict[str, object]:
    response = taxii.post(path, hub.ea_analyst, {"objects": objects})
    assert response.status_code == 202, response.text
    body: dict[str, object] = response.json()
    return body


def test_good_objects_are_kept_and_each_bad_one_is_a_failure_with_its_reason(
    hub: TaxiiHub, taxii: Taxii
) -> None:
    good = [indicator(1), indicator(2)]
    bad_id = indicator(3, id="indicator--not-a-uuid")
    bad_time = indicator(4, modified="last tuesday")
    status = post(taxii, hub, [good[0], bad_id, "not an object", bad_time, good[1]])
    assert status["status"] == "complete" and status["pending_count"] == 0
    assert (status["total_count"], status["success_count"], status["failure_count"]) == (5, 2, 3)
    assert status["successes"] == [{"id": o["id"], "version": V1} for o in good]
    failures = {f["id"]: f for f in status["failures"]}  # type: ignore[union-attr]
    assert "id" in failures["indicator--not-a-uuid"]["message"]
    assert "modified" in failures[bad_time["id"]]["message"]
    assert failures[""]["message"]
    assert served_ids(taxii.get(GREEN, hub.ea_analyst)) == [o["id"] for o in good]


def test_the_status_stays_retrievable_by_the_posting_organisation_only(
    hub: TaxiiHub, taxii: Taxii
) -> None:
    status = post(taxii, hub, [indicator(1), indicator(2, id="indicator--bad")])
    path = f"{ROOT}/status/{status['id']}/"
    assert taxii.get(path, hub.ea_analyst).json() == status
    assert taxii.get(path, hub.ea_admin).json() == status  # same organisation
    assert_taxii_error(taxii.get(path, hub.cert_analyst), 404, "status")


def test_reposting_an_identical_object_is_a_success_and_stores_it_once(
    hub: TaxiiHub, taxii: Taxii
) -> None:
    first = post(taxii, hub, [indicator(1)])
    again = post(taxii, hub, [indicator(1)])
    assert first["successes"] == again["successes"] == [{"id": indicator(1)["id"], "version": V1}]
    everything = taxii.get(GREEN, hub.ea_analyst, {"match[version]": "all"})
    assert served_ids(everything) == [indicator(1)["id"]]


def test_a_new_version_is_served_as_the_latest(hub: TaxiiHub, taxii: Taxii) -> None:
    for version in (V1, V3, V2):
        post(taxii, hub, [indicator(1, modified=version)])
    latest = taxii.get(GREEN, hub.ea_analyst).json()["objects"]
    assert [o["modified"] for o in latest] == [V3]


def test_an_envelope_of_100k_objects_is_refused_whole_and_the_collection_stays_readable(
    hub: TaxiiHub, taxii: Taxii
) -> None:
    post(taxii, hub, [indicator(1)])
    huge = [{"type": "indicator", "id": f"indicator--{uuid.UUID(int=n)}"} for n in range(100_000)]
    body = assert_taxii_error(taxii.post(GREEN, hub.ea_analyst, {"objects": huge}), 413, "split")
    assert "100000" in body["description"] and "10000" in body["description"]
    assert served_ids(taxii.get(GREEN, hub.ea_analyst)) == [indicator(1)["id"]]
    manifest = taxii.get(f"{collection_path('community')}manifest/", hub.ea_analyst)
    assert len(manifest.json()["objects"]) == 1


def test_a_body_over_max_content_length_is_a_413(hub: TaxiiHub, taxii: Taxii) -> None:
    hub.bg.settings.taxii_max_content_length = 2000
    objects = [indicator(n) for n in range(20)]
    body = assert_taxii_error(taxii.post(GREEN, hub.ea_analyst, {"objects": objects}), 413)
    assert "2000" in body["description"] and "split" in body["description"]
    assert served_ids(taxii.get(GREEN, hub.ea_analyst)) == []


def test_a_collection_refuses_objects_marked_above_its_level(hub: TaxiiHub, taxii: Taxii) -> None:
    clear = objects_path("clear")
    status = post(taxii, hub, [indicator(1, Tlp.CLEAR), indicator(2, Tlp.GREEN), indicator(3)], clear)
    assert status["success_count"] == 2
    [failure] = status["failures"]  # type: ignore[misc]
    assert failure["id"] == indicator(2)["id"] and "TLP:GREEN" in failure["message"]
    assert served_ids(taxii.get(clear, hub.platform_analyst)) == [indicator(1)["id"], indicator(3)["id"]]


def test_unmarked_objects_posted_to_the_organisation_collection_stay_in_it(
    hub: TaxiiHub, taxii: Taxii
) -> None:
    own = objects_path(f"org|{hub.ea.id}")
    post(taxii, hub, [indicator(1)], own)
    assert served_ids(taxii.get(own, hub.ea_admin)) == [indicator(1)["id"]]
    for person in (hub.cert_analyst, hub.platform_analyst):
        for name in ("clear", "community", f"org|{person.org_id}", "red"):
            assert served_ids(taxii.get(objects_path(name), person)) == []


def test_objects_posted_to_an_agreement_collection_reach_the_partner(
    hub: TaxiiHub, taxii: Taxii
) -> None:
    with hub.bg.uow() as uow:
        made = stakeholders.add_agreement(
            uow, person_actor(hub.admin), hub.ea.id, hub.cert.id, Tlp.AMBER, frozenset(),
            frozenset(), hub.bg.clock(),
        )
    path = objects_path(f"agreement|{made.id}")
    status = post(taxii, hub, [indicator(1), indicator(2, Tlp.AMBER_STRICT)], path)
    assert status["success_count"] == 1  # this agreement goes up to AMBER
    assert served_ids(taxii.get(path, hub.cert_analyst)) == [indicator(1)["id"]]
    assert served_ids(taxii.get(objects_path(f"org|{hub.cert.id}"), hub.panel_member)) == [
        indicator(1)["id"]
    ]
    assert_taxii_error(taxii.post(path, hub.cert_analyst, {"objects": [indicator(5)]}), 403)
    assert_taxii_error(taxii.get(path, hub.platform_analyst), 404)


def test_writing_needs_exchange_stix_and_a_writable_collection(hub: TaxiiHub, taxii: Taxii) -> None:
    envelope = {"objects": [indicator(1)]}
    assert_taxii_error(taxii.post(GREEN, hub.panel_member, envelope), 403, "exchange_stix")
    assert_taxii_error(taxii.post(objects_path("red"), hub.ea_analyst, envelope), 403)
    other = objects_path(f"org|{hub.cert.id}")
    assert_taxii_error(taxii.post(other, hub.ea_analyst, envelope), 404)
    assert served_ids(taxii.get(GREEN, hub.ea_analyst)) == []


# ---- delete ------------------------------------------------------------------------------------


def test_deleting_an_object_your_organisation_imported(hub: TaxiiHub, taxii: Taxii) -> None:
    for version in (V1, V2, V3):
        post(taxii, hub, [indicator(1, modified=version)])
    post(taxii, hub, [indicator(2)])
    one = indicator(1)["id"]
    dropped = taxii.delete(f"{GREEN}{one}/", hub.ea_analyst, {"match[version]": V3})
    assert dropped.status_code == 200, dropped.text
    assert [o["modified"] for o in taxii.get(f"{GREEN}{one}/", hub.ea_analyst).json()["objects"]] == [V2]
    assert taxii.delete(f"{GREEN}{one}/", hub.ea_analyst).status_code == 200
    assert_taxii_error(taxii.get(f"{GREEN}{one}/", hub.ea_analyst), 404)
    assert served_ids(taxii.get(GREEN, hub.ea_analyst)) == [indicator(2)["id"]]
    with hub.bg.uow() as uow:
        deleted = [e for e in uow.audit_log.entries() if e.action == "taxii.deleted"]
    assert [e.detail["versions"] for e in deleted] == [[V3], [V1, V2]]


def test_another_organisations_objects_are_not_yours_to_delete(hub: TaxiiHub, taxii: Taxii) -> None:
    post(taxii, hub, [indicator(1)])
    path = f"{GREEN}{indicator(1)['id']}/"
    assert_taxii_error(taxii.delete(path, hub.cert_analyst), 403, "your organisation")
    assert_taxii_error(taxii.delete(path, hub.panel_member), 403)
    assert_taxii_error(taxii.delete(f"{GREEN}{stix_id('indicator', 'nope')}/", hub.ea_analyst), 404)
    assert served_ids(taxii.get(GREEN, hub.ea_analyst)) == [indicator(1)["id"]]


def test_objects_of_a_report_are_corrected_through_the_report_not_deleted(
    hub: TaxiiHub, taxii: Taxii
) -> None:
    report = world.file(hub.bg, hub.ea_analyst, tlp=Tlp.GREEN)
    incident = f"incident--{report.id}"
    assert incident in served_ids(taxii.get(GREEN, hub.ea_analyst))
    body = assert_taxii_error(taxii.delete(f"{GREEN}{incident}/", hub.ea_analyst), 403)
    assert "retract or correct the report" in body["description"]
    with hub.bg.uow() as uow:
        report_service.retract_report(uow, person_actor(hub.ea_analyst), report.id, "a hoax", hub.clock.advance(minutes=1))
    latest = taxii.get(f"{GREEN}{incident}/", hub.cert_analyst).json()["objects"]
    assert len(latest) == 1 and latest[0]["revoked"] is True


def test_every_object_served_passes_the_oasis_validator(hub: TaxiiHub, taxii: Taxii) -> None:
    world.file(hub.bg, hub.ea_analyst, tlp=Tlp.GREEN)
    world.file(hub.bg, hub.ea_analyst, tlp=Tlp.CLEAR)
    post(taxii, hub, [indicator(1, Tlp.GREEN)])
    for name in ("clear", "community", f"org|{hub.ea.id}", "red"):
        page = taxii.get(objects_path(name), hub.ea_analyst, {"match[version]": "all"}).json()
        for obj in page.get("objects", []):
            assert full_problems(obj) == [], obj["id"]


def test_stored_rows_keep_their_marking_refs(hub: TaxiiHub, taxii: Taxii) -> None:
    put(hub.bg, [stored(indicator(1, Tlp.GREEN), audience(Tlp.GREEN, hub.ea_analyst), f"import:{hub.ea.id}")])
    [obj] = taxii.get(GREEN, hub.ea_analyst).json()["objects"]
    assert obj["object_marking_refs"] == [TLP_MARKING[Tlp.GREEN]]
    assert json.loads(json.dumps(obj)) == indicator(1, Tlp.GREEN)


@pytest.mark.parametrize("version", ["yesterday", "2026-02-30T00:00:00Z"])
def test_delete_refuses_a_malformed_version(hub: TaxiiHub, taxii: Taxii, version: str) -> None:
    post(taxii, hub, [indicator(1)])
    response = taxii.delete(f"{GREEN}{indicator(1)['id']}/", hub.ea_analyst, {"match[version]": version})
    assert_taxii_error(response, 400, "match[version]")
