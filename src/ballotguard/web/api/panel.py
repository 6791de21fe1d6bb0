"""The expert panel over JSON: seats, cases, votes, decisions and their export."""

from __future__ import annotations

from fastapi import APIRouter

from ballotguard.web.access import GuardedRoute

router = APIRouter(route_class=GuardedRoute)
