"""Ports of public notices, briefings of the required parties, and the public portal's pages."""

from __future__ import annotations

from typing import Protocol


class NoticeStore(Protocol):
    """Briefings, notice drafts and published notice versions, voting information pages."""
