"""TAXII tests run on the web hub (an election authority, a CERT, a platform).

The hub is built once per session, with a cheap argon2 cost, and each test gets its own copy of
that database: a test costs milliseconds of set-up instead of six password hashes and a migration.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from ballotguard.bootstrap import bootstrap
from ballotguard.config import Settings
from ballotguard.services import auth
from ballotguard.web.app import create_app
from support.clock import FakeClock
from support.hub import Hub, build_hub
from taxii.taxii_helpers import DB, Taxii, TaxiiHub, hub_copy


@pytest.fixture(scope="session")
def hub_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Hub]:
    folder = tmp_path_factory.mktemp("taxii-hub")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        bg = bootstrap(Settings(database_url=f"sqlite:///{folder / DB}"), clock=FakeClock())
        base = build_hub(bg)
        bg.close()
    return folder / DB, base


@pytest.fixture
def hub(hub_template: tuple[Path, Hub], tmp_path: Path, clock: FakeClock) -> Iterator[TaxiiHub]:
    found = hub_copy(hub_template, tmp_path, clock)
    try:
        with TestClient(create_app(found.bg)) as client:
            found.client = client
            yield found
    finally:
        found.bg.close()


@pytest.fixture
def taxii(hub: TaxiiHub) -> Taxii:
    return Taxii(hub.client, hub.bg, hub.tokens)
