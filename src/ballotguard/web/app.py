"""The FastAPI application: JSON API, TAXII 2.1, analyst UI, static files; refuses to start with
an undeclared route."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.routing import BaseRoute, Mount

from ballotguard import __version__
from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import RouteWithoutAccessRule
from ballotguard.web import errors, portal
from ballotguard.web.access import PUBLIC, AccessRule, GuardedRoute
from ballotguard.web.api import (
    assessment,
    campaigns,
    community,
    notices,
    notifications,
    panel,
    public,
    reports,
    stix,
)
from ballotguard.web.taxii import router as taxii_router
from ballotguard.web.ui import (
    assessment_pages,
    audit_pages,
    campaign_pages,
    filters,
    notice_pages,
    notification_pages,
    pages,
    panel_pages,
)

HERE = Path(__file__).parent
STATIC_RULE: AccessRule = PUBLIC
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def create_app(bg: Ballotguard) -> FastAPI:
    app = FastAPI(
        title="Ballotguard",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        description="Share, assess and counter interference in elections. "
        "Every route declares its access rule; TLP 2.0 applies to every read.",
    )
    app.state.ballotguard = bg
    templates = Jinja2Templates(directory=HERE / "templates")
    filters.install(templates)
    app.state.templates = templates
    for router in (
        public.router,
        reports.router,
        community.router,
        assessment.router,
        campaigns.router,
        stix.router,
        pages.router,
        assessment_pages.router,
        campaign_pages.router,
        panel.router,
        panel_pages.router,
        notices.router,
        notice_pages.router,
        notifications.router,
        notification_pages.router,
        audit_pages.router,
        portal.router,
        taxii_router,
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.mount_rules = {"/static": STATIC_RULE}
    errors.install(app)
    app.middleware("http")(_security_headers)
    check_access_rules(app)
    return app


def check_access_rules(app: FastAPI) -> None:
    """Every route must carry a declared rule; a route added any other way stops start-up."""
    mount_rules: dict[str, AccessRule] = app.state.mount_rules
    for route in all_routes(app.routes):
        if isinstance(route, GuardedRoute):
            continue
        if isinstance(route, Mount) and route.path in mount_rules:
            continue
        raise RouteWithoutAccessRule(getattr(route, "path", type(route).__name__))


def all_routes(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, also inside included routers (newer FastAPI keeps them as one node)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from all_routes(included.routes)
        else:
            yield route


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.url.path.startswith("/static"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response
