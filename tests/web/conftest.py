"""Web tests run the real app in process on a fresh SQLite database with a small hub."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from ballotguard.bootstrap import Ballotguard
from ballotguard.web.app import create_app
from support import world
from support.hub import PASSWORD, build_hub
from support.hub import Hub as BaseHub

__all__ = ["PASSWORD", "Hub", "report_body"]


@dataclass
class Hub(BaseHub):
    client: TestClient = None  # type: ignore[assignment]


@pytest.fixture
def hub(sqlite_bg: Ballotguard) -> Iterator[Hub]:
    base = build_hub(sqlite_bg)
    with TestClient(create_app(sqlite_bg)) as client:
        yield Hub(**vars(base), client=client)


def report_body(**changes: object) -> dict[str, object]:
    """A valid report as JSON, as a client would send it."""
    return world.content(**changes).model_dump(mode="json")
