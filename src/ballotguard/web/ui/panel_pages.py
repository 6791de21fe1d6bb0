"""The panel room: case packet, threshold checklist, votes and the decision."""

from __future__ import annotations

from fastapi import APIRouter

from ballotguard.web.access import GuardedRoute

router = APIRouter(route_class=GuardedRoute)
