"""Deterministic STIX ids: ours, and the STIX 2.1 SCO ids every tool computes the same way."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import stix2
from hypothesis import given
from hypothesis import strategies as st

from ballotguard.errors import InvalidInput
from ballotguard.stix import (
    BALLOTGUARD_NAMESPACE,
    derived_id,
    incident_id,
    is_valid_id,
    report_id_of,
    sco_id,
)
from ballotguard.stix.ids import SCO_NAMESPACE, canonical_json, uuid5_text


@given(st.sampled_from([BALLOTGUARD_NAMESPACE, SCO_NAMESPACE]), st.text())
def test_uuid5_text_is_uuid5(namespace: uuid.UUID, name: str) -> None:
    assert uuid5_text(namespace, name) == str(uuid.uuid5(namespace, name))


@given(st.uuids(version=4))
def test_an_incident_id_is_the_report_id(report_uuid: uuid.UUID) -> None:
    stix_id = incident_id(str(report_uuid))
    assert stix_id == f"incident--{report_uuid}"
    assert is_valid_id(stix_id)
    assert report_id_of(stix_id) == str(report_uuid)


@pytest.mark.parametrize("bad", ["", "report-1", "incident--", "3f8e2a4c"])
def test_an_incident_needs_a_uuid_report_id(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        incident_id(bad)
    assert caught.value.field == "report_id"


@pytest.mark.parametrize("bad", ["campaign--3f8e2a4c-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
                                 "incident--not-a-uuid", "incident3f8e2a4c"])
def test_report_id_of_refuses_what_is_not_an_incident(bad: str) -> None:
    with pytest.raises(InvalidInput, match="not an incident id"):
        report_id_of(bad)


def test_derived_ids_are_uuid5_over_the_type_and_parts() -> None:
    expected = uuid.uuid5(BALLOTGUARD_NAMESPACE, "identity|org|org-1")
    assert derived_id("identity", "org", "org-1") == f"identity--{expected}"
    assert derived_id("identity", "org", "org-1") == derived_id("identity", "org", "org-1")
    assert derived_id("identity", "org", "org-1") != derived_id("identity", "org", "org-2")
    assert derived_id("identity", "ballotguard") == (
        f"identity--{uuid.uuid5(BALLOTGUARD_NAMESPACE, 'identity|ballotguard')}"
    )


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("url--25bafed9-c0ee-5dc3-a302-2679727d24c5", True),
        ("x-misp-object--695e7924-2518-4054-9cea-f82853d37410", True),
        ("INDICATOR--695e7924-2518-4054-9cea-f82853d37410", False),
        ("indicator--695e7924-2518-4054-9cea-f82853d3741", False),
        ("indicator--695e7924-2518-6054-9cea-f82853d37410", False),  # no UUID version 6
        ("indicator--695e7924-2518-4054-1cea-f82853d37410", False),  # not the RFC 4122 variant
        ("indicator-695e7924-2518-4054-9cea-f82853d37410", False),
        ("in--695e7924-2518-4054-9cea-f82853d37410", False),
        (42, False),
    ],
)
def test_valid_ids(text: Any, valid: bool) -> None:
    assert is_valid_id(text) is valid


@pytest.mark.parametrize(
    ("stix_object", "contributing"),
    [
        (stix2.URL(value="https://results-commission.example/live"),
         {"value": "https://results-commission.example/live"}),
        (stix2.DomainName(value="xn--bcher-kva.example"), {"value": "xn--bcher-kva.example"}),
        (stix2.IPv4Address(value="203.0.113.7"), {"value": "203.0.113.7"}),
        (stix2.IPv6Address(value="2001:db8::7"), {"value": "2001:db8::7"}),
        (stix2.EmailAddress(value="élise@commission.example"),
         {"value": "élise@commission.example"}),
        (stix2.UserAccount(account_type="twitter", account_login="storm_falcon"),
         {"account_type": "twitter", "account_login": "storm_falcon"}),
        (stix2.File(hashes={"SHA-256": "a" * 64}), {"hashes": {"SHA-256": "a" * 64}}),
        (stix2.File(hashes={"MD5": "b" * 32}), {"hashes": {"MD5": "b" * 32}}),
        (stix2.File(hashes={"SHA-512": "c" * 128}), {"hashes": {"SHA-512": "c" * 128}}),
    ],
)
def test_sco_ids_equal_the_stix2_librarys(stix_object: Any, contributing: dict[str, Any]) -> None:
    assert sco_id(stix_object["type"], contributing) == stix_object["id"]


@given(st.text(min_size=1, max_size=40))
def test_sco_ids_equal_the_stix2_librarys_for_any_text(value: str) -> None:
    assert sco_id("email-addr", {"value": value}) == stix2.EmailAddress(value=value)["id"]


def test_canonical_json_sorts_keys_and_keeps_unicode() -> None:
    assert canonical_json({"b": 1, "a": ["é", True, None]}) == '{"a":["é",true,null],"b":1}'
    with pytest.raises(TypeError):
        canonical_json({"a": 1.5})
