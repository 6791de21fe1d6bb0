"""Fast structural checks: each problem names the property and the reason."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from ballotguard.stix import problems, version_of
from ballotguard.stix_validator import full_problems

INDICATOR: dict[str, Any] = {
    "type": "indicator",
    "spec_version": "2.1",
    "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
    "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
    "created": "2026-10-20T08:00:00.000Z",
    "modified": "2026-10-21T08:00:00.000Z",
    "pattern": "[domain-name:value = 'results-commission.example']",
    "pattern_type": "stix",
    "valid_from": "2026-10-20T08:00:00Z",
    "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"],
}


def changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    obj = copy.deepcopy(base)
    for key, value in changes.items():
        if value is ...:
            obj.pop(key)
        else:
            obj[key] = value
    return obj


def test_a_valid_indicator_has_no_problems() -> None:
    assert problems(INDICATOR) == []
    assert full_problems(INDICATOR) == []


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ([1, 2], "object: not a JSON object"),
        ({"id": "x"}, "type: missing"),
        (changed(INDICATOR, type="Indicator"), "type: 'Indicator' is not a STIX type"),
        (changed(INDICATOR, type="bundle"), "type: a bundle is a wrapper"),
        (changed(INDICATOR, id=...), "id: missing"),
        (changed(INDICATOR, id="indicator--1"), "id: 'indicator--1' is not <type>--<RFC 4122 UUID>"),
        (changed(INDICATOR, id="malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"),
         "id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' does not start with the object's type"),
        (changed(INDICATOR, spec_version=...), "spec_version: missing"),
        (changed(INDICATOR, spec_version="2.0"), "spec_version: '2.0' is not '2.1'"),
        (changed(INDICATOR, created="2026-10-20T08:00:00Z"),
         "created: '2026-10-20T08:00:00Z' must be precise to the millisecond"),
        (changed(INDICATOR, created="2026-10-20 08:00"), "created: '2026-10-20 08:00' is not a STIX timestamp"),
        (changed(INDICATOR, modified="2026-10-19T08:00:00.000Z"),
         "modified: '2026-10-19T08:00:00.000Z' is earlier than created '2026-10-20T08:00:00.000Z'"),
        (changed(INDICATOR, modified=...), "modified: missing"),
        (changed(INDICATOR, valid_from="soon"), "valid_from: 'soon' is not a STIX timestamp"),
        (changed(INDICATOR, valid_until="2026-10-01T00:00:00Z"),
         "valid_until: '2026-10-01T00:00:00Z' is earlier than valid_from"),
        (changed(INDICATOR, pattern=...), "pattern: required for indicator"),
        (changed(INDICATOR, labels=[]), "labels: an empty list"),
        (changed(INDICATOR, name=None), "name: null"),
        (changed(INDICATOR, created_by_ref="someone"), "created_by_ref: 'someone' is not a STIX id"),
        (changed(INDICATOR, created_by_ref="tool--f431f809-377b-45e0-aa1c-6a4751cae5ff"),
         "created_by_ref: 'tool--f431f809-377b-45e0-aa1c-6a4751cae5ff' is not an identity"),
        (changed(INDICATOR, object_marking_refs=["TLP:GREEN"]),
         "object_marking_refs: 'TLP:GREEN' is not a STIX id"),
        (changed(INDICATOR, object_marking_refs=["identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"]),
         "object_marking_refs: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff' is not a marking-definition"),
        (changed(INDICATOR, extensions={}), "extensions: must be a non-empty object"),
        (changed(INDICATOR, extensions={"extension-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f": {}}),
         "extension_type must be one of"),
        (changed(INDICATOR, extensions={"my-extension": {"a": 1}}), "extensions.my-extension: neither"),
        ({"type": "relationship", "spec_version": "2.1",
          "id": "relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
          "created": "2026-10-20T08:00:00.000Z", "modified": "2026-10-20T08:00:00.000Z",
          "source_ref": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"},
         "relationship_type: required for relationship"),
        ({"type": "url", "id": "url--25bafed9-c0ee-5dc3-a302-2679727d24c5"}, "value: required for url"),
        ({"type": "file", "id": "file--25bafed9-c0ee-5dc3-a302-2679727d24c5", "size": 3},
         "hashes: a file needs hashes or a name"),
        ({"type": "marking-definition", "spec_version": "2.1",
          "id": "marking-definition--25bafed9-c0ee-5dc3-a302-2679727d24c5",
          "created": "2026-10-20T08:00:00.000Z"}, "definition: a marking-definition needs"),
        ({"type": "language-content", "spec_version": "2.1",
          "id": "language-content--25bafed9-c0ee-5dc3-a302-2679727d24c5",
          "created": "2026-10-20T08:00:00.000Z", "modified": "2026-10-20T08:00:00.000Z",
          "object_ref": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"},
         "contents: required for language-content"),
        ({"type": "extension-definition", "spec_version": "2.1",
          "id": "extension-definition--25bafed9-c0ee-5dc3-a302-2679727d24c5",
          "created": "2026-10-20T08:00:00.000Z", "modified": "2026-10-20T08:00:00.000Z",
          "name": "x", "schema": "x", "version": "1", "extension_types": ["new-sdo"]},
         "created_by_ref: required for extension-definition"),
        ({"type": "observed-data", "spec_version": "2.1",
          "id": "observed-data--25bafed9-c0ee-5dc3-a302-2679727d24c5",
          "created": "2026-10-20T08:00:00.000Z", "modified": "2026-10-20T08:00:00.000Z",
          "first_observed": "2026-10-20T08:00:00Z", "last_observed": "2026-10-19T08:00:00Z",
          "number_observed": 0, "object_refs": ["url--25bafed9-c0ee-5dc3-a302-2679727d24c5"]},
         "last_observed: '2026-10-19T08:00:00Z' is earlier than first_observed"),
        ({"type": "narrative", "spec_version": "2.1",
          "id": "narrative--25bafed9-c0ee-5dc3-a302-2679727d24c5",
          "created": "2026-10-20T08:00:00.000Z", "modified": "2026-10-20T08:00:00.000Z",
          "name": "A narrative"},
         "type: 'narrative' is not a STIX 2.1 type; a custom type needs the x- prefix"),
    ],
)
def test_each_problem_names_the_property(obj: Any, expected: str) -> None:
    found = problems(obj)
    assert any(expected in p for p in found), found


def test_number_observed_must_be_in_range() -> None:
    obj = {"type": "observed-data", "spec_version": "2.1",
           "id": "observed-data--25bafed9-c0ee-5dc3-a302-2679727d24c5",
           "created": "2026-10-20T08:00:00.000Z", "modified": "2026-10-20T08:00:00.000Z",
           "first_observed": "2026-10-20T08:00:00Z", "last_observed": "2026-10-20T08:00:00Z",
           "number_observed": 0, "object_refs": ["url--25bafed9-c0ee-5dc3-a302-2679727d24c5"]}
    assert problems(obj) == ["number_observed: 0 is not an integer from 1 to 999999999"]


@pytest.mark.parametrize(
    "obj",
    [
        {"type": "x-acme-widget", "spec_version": "2.1",
         "id": "x-acme-widget--25bafed9-c0ee-5dc3-a302-2679727d24c5",
         "created": "2026-10-20T08:00:00.000Z", "modified": "2026-10-20T08:00:00.000Z"},
        {"type": "x-acme-sco", "id": "x-acme-sco--25bafed9-c0ee-5dc3-a302-2679727d24c5",
         "value": "x"},
        {"type": "acme-thing", "spec_version": "2.1",
         "id": "acme-thing--25bafed9-c0ee-5dc3-a302-2679727d24c5",
         "created": "2026-10-20T08:00:00.000Z", "modified": "2026-10-20T08:00:00.000Z",
         "extensions": {"extension-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f":
                        {"extension_type": "new-sdo"}}},
        {"type": "acme-observable", "id": "acme-observable--25bafed9-c0ee-5dc3-a302-2679727d24c5",
         "value": "x",
         "extensions": {"extension-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f":
                        {"extension_type": "new-sco"}}},
    ],
)
def test_custom_objects_stix_allows(obj: dict[str, Any]) -> None:
    assert problems(obj) == []


def test_a_custom_sdo_follows_the_sdo_rules() -> None:
    obj = {"type": "x-acme-widget", "id": "x-acme-widget--25bafed9-c0ee-5dc3-a302-2679727d24c5",
           "created": "2026-10-20T08:00:00.000Z"}
    assert problems(obj) == ["spec_version: missing; must be '2.1'",
                             "modified: missing; required for x-acme-widget"]


def test_version_of() -> None:
    added = datetime(2026, 11, 1, tzinfo=UTC)
    assert version_of(INDICATOR, added) == datetime(2026, 10, 21, 8, tzinfo=UTC)
    assert version_of(changed(INDICATOR, modified=...), added) == datetime(2026, 10, 20, 8, tzinfo=UTC)
    sco = {"type": "url", "id": "url--25bafed9-c0ee-5dc3-a302-2679727d24c5", "value": "https://a/"}
    assert version_of(sco, added) == added
