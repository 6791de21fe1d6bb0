"""Ports of the expert panel: seats, cases, votes, decisions (owned by the panel work)."""

from __future__ import annotations

from typing import Protocol


class PanelStore(Protocol):
    """Seats, cases, notes, recusals, votes and decisions; decisions are never updated."""
