"""Every route declares its access rule, and the app refuses to start when one does not."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from starlette.routing import Mount

from ballotguard.errors import RouteWithoutAccessRule
from ballotguard.web.access import PUBLIC, AccessRule, GuardedRoute, rule
from ballotguard.web.app import all_routes, check_access_rules, create_app
from conftest import Hub


def test_every_route_of_the_app_carries_a_declared_rule(hub: Hub) -> None:
    app = hub.client.app
    assert isinstance(app, FastAPI)
    routes = list(all_routes(app.routes))
    assert len(routes) > 30
    for route in routes:
        if isinstance(route, Mount):
            assert route.path in app.state.mount_rules
            continue
        assert isinstance(route, GuardedRoute), route
        assert isinstance(route.access_rule, AccessRule)


def test_only_the_intended_routes_are_public(hub: Hub) -> None:
    public = {route.path for route in all_routes(hub.client.app.routes)  # type: ignore[attr-defined]
              if isinstance(route, GuardedRoute) and route.access_rule.public}
    published_method = {  # definitions and the case library are the published methodology
        "/api/criteria", "/api/definitions", "/api/definitions/{definition_id}",
        "/api/definitions/{definition_id}/test", "/api/definitions/{first}/diff/{second}",
        "/api/cases", "/definitions", "/definitions/diff", "/definitions/{definition_id}",
    }
    published_format = {"/api/stix/extension-definition"}  # what our STIX incidents carry
    # a victim confirms through the link's token; receivers verify webhooks with the public key
    victim_notifications = {"/notifications/ack/{token}", "/api/notifications/webhook-key"}
    # the public portal (no login): published notices, methodology, voting information
    portal = {"/portal", "/portal/{lang}", "/portal/{lang}/notices/{notice_id}",
              "/portal/{lang}/methodology", "/portal/{lang}/voting-info",
              "/portal/{lang}/voting-info/{slug}", "/api/portal/notices",
              "/api/portal/notices/{notice_id}", "/api/portal/voting-info"}
    assert public == {"/api/vocabulary", "/healthz", "/openapi.json", "/login", *published_method,
                      *published_format, *victim_notifications, *portal}


def test_a_guarded_router_refuses_an_undeclared_endpoint() -> None:
    router = APIRouter(route_class=GuardedRoute)
    with pytest.raises(RouteWithoutAccessRule, match="/leak"):
        @router.get("/leak")
        def leak() -> dict[str, str]:
            return {}


def test_the_app_refuses_to_start_with_a_route_added_around_the_guard(hub: Hub) -> None:
    app = create_app(hub.bg)
    app.add_api_route("/api/sneaky", lambda: {"all": "reports"})
    with pytest.raises(RouteWithoutAccessRule, match="/api/sneaky"):
        check_access_rules(app)
    app2 = create_app(hub.bg)
    app2.router.routes.append(Mount("/files", routes=[]))
    with pytest.raises(RouteWithoutAccessRule, match="/files"):
        check_access_rules(app2)


def test_the_declared_rule_is_enforced(hub: Hub) -> None:
    router = APIRouter(route_class=GuardedRoute)

    @router.get("/api/open")
    @rule(PUBLIC)
    def open_route() -> dict[str, str]:
        return {"ok": "yes"}

    app = create_app(hub.bg)
    app.include_router(router)
    check_access_rules(app)
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        assert client.get("/api/open").json() == {"ok": "yes"}
        assert client.get("/api/stats").status_code == 401
