"""Importing the DISARM framework into an instance, on SQLite and PostgreSQL; the product works
without it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import InvalidInput, PermissionDenied
from ballotguard.services import vocabulary as vs
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.sharing import Role
from ballotguard.vocabulary import Framework
from support import world
from support.data import DISARM_BUNDLE


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    assert DISARM_BUNDLE.is_file(), f"the DISARM test data is expected at {DISARM_BUNDLE}"
    data: dict[str, Any] = json.loads(DISARM_BUNDLE.read_text())
    return data


def test_the_vocabulary_works_with_no_techniques_loaded(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        document = vs.document(uow)
    assert document["techniques"] == {"disarm": [], "attack": []}
    assert len(document["phases"]) == 11


def test_importing_disarm_loads_391_techniques(bg: Ballotguard, bundle: dict[str, Any]) -> None:
    with bg.uow() as uow:
        found = vs.import_disarm(uow, OPERATOR, bundle, bg.clock())
    assert (len(found.tactics), len(found.techniques)) == (16, 391)
    with bg.uow() as uow:
        document = vs.document(uow)
        stored = uow.techniques.list()
        (entry,) = [e for e in uow.audit_log.entries() if e.action == "vocabulary.disarm_imported"]
    assert len(stored) == 391
    assert all(t.framework is Framework.DISARM for t in stored)
    assert len(document["techniques"]["disarm"]) == 391
    assert entry.detail == {"tactics": 16, "techniques": 391}
    # importing again updates in place
    with bg.uow() as uow:
        vs.import_disarm(uow, OPERATOR, bundle, bg.clock())
    with bg.uow() as uow:
        assert len(uow.techniques.list()) == 391


def test_a_malformed_bundle_changes_nothing(bg: Ballotguard) -> None:
    with bg.uow() as uow, pytest.raises(InvalidInput):
        vs.import_disarm(uow, OPERATOR, {"type": "bundle", "objects": []}, bg.clock())
    with bg.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM techniques")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0


def test_only_instance_admins_import(bg: Ballotguard, bundle: dict[str, Any]) -> None:
    analyst = world.person(bg, world.org(bg), [Role.ANALYST, Role.ORG_ADMIN])
    with bg.uow() as uow, pytest.raises(PermissionDenied):
        vs.import_disarm(uow, person_actor(analyst), bundle, bg.clock())
