"""Public notices over JSON: briefings of the required parties, drafts, checks, publication."""

from __future__ import annotations

from fastapi import APIRouter

from ballotguard.web.access import GuardedRoute

router = APIRouter(route_class=GuardedRoute)
