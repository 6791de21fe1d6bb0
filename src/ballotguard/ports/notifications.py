"""Ports of victim notifications and the transactional outbox that delivers them."""

from __future__ import annotations

from typing import Protocol


class VictimNotifications(Protocol):
    """Notifications owed to victims of breaches and attempted breaches, and their acknowledgement."""


class Outbox(Protocol):
    """Messages written in the same transaction as their cause, delivered by a background job."""
