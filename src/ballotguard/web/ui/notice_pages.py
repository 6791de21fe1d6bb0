"""Pages for drafting, checking and publishing a public notice, and for voting information."""

from __future__ import annotations

from fastapi import APIRouter

from ballotguard.web.access import GuardedRoute

router = APIRouter(route_class=GuardedRoute)
