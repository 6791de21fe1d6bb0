"""Fixtures: A and B, two real Ballotguard servers on loopback (``federation_helpers``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from federation_helpers import Instance, instance


@pytest.fixture
def a(tmp_path: Path) -> Iterator[Instance]:
    with instance(tmp_path, "a", "B") as found:
        yield found


@pytest.fixture
def b(tmp_path: Path) -> Iterator[Instance]:
    with instance(tmp_path, "b", "A") as found:
        yield found
