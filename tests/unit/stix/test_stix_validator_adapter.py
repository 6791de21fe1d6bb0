"""The OASIS validator really runs: its schemas are there, bad objects are rejected, and the
adapter's cached validators give the library's own errors."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from stix_samples import MISP_OBJECT, OPENCTI_NARRATIVE, golden_bundle

from ballotguard import stix_validator
from ballotguard.stix_validator import MISSING_SCHEMAS, full_problems
from support.data import DISARM_BUNDLE

BAD: dict[str, Any] = {
    "type": "indicator",
    "spec_version": "2.1",
    "id": "indicator--1",
    "created": "2026-10-20T08:00:00Z",
    "modified": "2026-10-19T08:00:00.000Z",
    "pattern": "[url:value = 'https://a.example/'",
    "pattern_type": "stix",
    "valid_from": "2026-10-20T08:00:00Z",
}


def test_a_known_bad_object_is_rejected_so_the_schemas_are_there() -> None:
    found = full_problems(BAD)
    assert any("does not match the id format" in p for p in found), found
    assert any("created" in p and "must be precise to the millisecond" in p for p in found), found
    assert any("'modified'" in p and "must be later than or equal to 'created'" in p
               for p in found), found
    assert any("Pattern failed to validate" in p for p in found), found


def test_schema_rules_are_checked() -> None:
    no_name = {k: v for k, v in MISP_OBJECT.items()}
    no_name["type"] = "identity"
    no_name["id"] = "identity--695e7924-2518-4054-9cea-f82853d37410"
    assert any("'name' is a required property" in p for p in full_problems(no_name))
    empty_list = {**OPENCTI_NARRATIVE, "aliases": []}
    assert full_problems(empty_list) != []


def test_something_that_is_not_an_object() -> None:
    assert full_problems({"type": "indicator"}) == ["object: a STIX object needs a type and an id"]


@pytest.fixture
def slow_path() -> Iterator[None]:
    stix_validator._load()
    stix_validator._set_fast_path(False)
    try:
        yield
    finally:
        stix_validator._set_fast_path(True)


def corpus() -> list[dict[str, Any]]:
    disarm: list[dict[str, Any]] = json.loads(DISARM_BUNDLE.read_text())["objects"]
    broken = [{**o, "created": "2026-01-01"} for o in disarm[:3]]
    return [*disarm[::7], *golden_bundle()["objects"], MISP_OBJECT, OPENCTI_NARRATIVE, BAD,
            *broken]


def test_the_cached_validators_give_the_librarys_errors(slow_path: None) -> None:
    objects = corpus()
    library = [full_problems(o) for o in objects]
    stix_validator._set_fast_path(True)
    cached = [full_problems(o) for o in objects]
    assert cached == library
    assert sum(1 for p in cached if p) == 4


def test_the_cached_validators_are_faster(slow_path: None) -> None:
    objects = corpus()
    full_problems(objects[0])
    started = time.perf_counter()
    for obj in objects:
        full_problems(obj)
    library = time.perf_counter() - started
    stix_validator._set_fast_path(True)
    full_problems(objects[0])
    started = time.perf_counter()
    for obj in objects:
        full_problems(obj)
    cached = time.perf_counter() - started
    assert cached < library


def test_missing_schemas_are_named_at_first_use(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    import stix2validator  # type: ignore[import-untyped]

    stix_validator._load()
    monkeypatch.setattr(stix_validator, "_state", {})
    monkeypatch.setattr(stix2validator, "__file__", str(tmp_path / "__init__.py"))
    with pytest.raises(RuntimeError) as caught:
        full_problems(BAD)
    assert str(caught.value) == MISSING_SCHEMAS
    assert "`make test`/`make run` installs them" in str(caught.value)
