"""The public portal (no login): notices and their versions, the methodology, voting information."""

from __future__ import annotations

from fastapi import APIRouter

from ballotguard.web.access import GuardedRoute

router = APIRouter(route_class=GuardedRoute)
