"""Notification tracking (sent, acknowledged, overdue) and the acknowledgement page."""

from __future__ import annotations

from fastapi import APIRouter

from ballotguard.web.access import GuardedRoute

router = APIRouter(route_class=GuardedRoute)
