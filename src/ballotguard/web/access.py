"""Every route declares its access rule; a route without one stops the app from starting.

An endpoint is decorated with ``@rule(...)``. ``GuardedRoute`` reads that declaration when the
route is registered, refuses an undeclared one (``RouteWithoutAccessRule``), and adds the
dependency that enforces it on every request. Who the caller is comes from one of: a session
cookie (the UI; unsafe methods then need the CSRF token), ``Authorization: Bearer <token>``
(machines), or, under ``/taxii2`` only, HTTP Basic with the e-mail and the password or an API
token (TAXII clients). ``Authorization: Token ...`` (what some TAXII clients send) is answered
with a clear 401 rather than silently treated as anonymous.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Depends, Request
from fastapi.routing import APIRoute

from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import AuthenticationFailed, PermissionDenied, RouteWithoutAccessRule
from ballotguard.services import auth
from ballotguard.services.actors import ANONYMOUS, Actor, person_actor
from ballotguard.sharing import Permission, Person

SESSION_COOKIE = "bg_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TAXII_PREFIX = "/taxii2"
"""HTTP Basic is taken on TAXII only. A browser that once answered a Basic prompt sends the
credentials with every request, also forged cross-site ones; TAXII is safe from that because its
writes need a JSON media type (a cross-site form cannot send one) or DELETE (needs CORS)."""


@dataclass(frozen=True, slots=True)
class AccessRule:
    """``public``: anyone; ``signed_in``: any person; otherwise a person holding ``permission``."""

    name: str
    permission: Permission | None = None
    public: bool = False


PUBLIC = AccessRule("public", public=True)
SIGNED_IN = AccessRule("signed in")


def needs(permission: Permission) -> AccessRule:
    return AccessRule(f"permission {permission.value}", permission)


F = TypeVar("F", bound=Callable[..., Any])


def rule(access: AccessRule) -> Callable[[F], F]:
    def declare(endpoint: F) -> F:
        endpoint.__access_rule__ = access  # type: ignore[attr-defined]
        return endpoint

    return declare


def declared_rule(endpoint: Callable[..., Any]) -> AccessRule | None:
    return getattr(endpoint, "__access_rule__", None)


@dataclass(frozen=True, slots=True)
class Caller:
    actor: Actor
    csrf_token: str | None
    via_session: bool


def app_of(request: Request) -> Ballotguard:
    bg: Ballotguard = request.app.state.ballotguard
    return bg


def identify(request: Request) -> Caller:
    """Who is calling; cached per request by FastAPI's dependency system."""
    bg = app_of(request)
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if header:
        if scheme.lower() == "basic" and is_taxii(request.url.path):
            return Caller(person_actor(_basic_person(bg, credential)), None, via_session=False)
        if scheme.lower() != "bearer":
            basic = " or HTTP Basic" if is_taxii(request.url.path) else ""
            raise AuthenticationFailed(
                f"the '{scheme}' authorization scheme is not accepted; send "
                f"'Authorization: Bearer <token>'{basic}"
            )
        with bg.uow() as uow:
            person = auth.token_person(uow, credential.strip())
        if person is None:
            raise AuthenticationFailed("the API token is not valid")
        return Caller(person_actor(person), None, via_session=False)
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        with bg.uow() as uow:
            found = auth.session_person(uow, session_id, bg.clock())
        if found is not None:
            person, record = found
            return Caller(person_actor(person), record.csrf_token, via_session=True)
    return Caller(ANONYMOUS, None, via_session=False)


def is_taxii(path: str) -> bool:
    return path == TAXII_PREFIX or path.startswith(TAXII_PREFIX + "/")


def _basic_person(bg: Ballotguard, credential: str) -> Person:
    """HTTP Basic (RFC 7617): the e-mail as user name; as password, the person's password or one
    of their API tokens (TAXII clients such as taxii2-client speak Basic only)."""
    try:
        decoded = base64.b64decode(credential.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise AuthenticationFailed(
            "the Basic credentials are not base64 of 'e-mail:password'"
        ) from None
    email, colon, secret = decoded.partition(":")
    if not colon:
        raise AuthenticationFailed("the Basic credentials are not base64 of 'e-mail:password'")
    with bg.uow() as uow:
        person = auth.token_person(uow, secret) if secret.startswith(auth.TOKEN_PREFIX) else None
        if person is not None and person.email == email.strip().lower():
            return person
        return auth.check_password(uow, email, secret, bg.clock())


def current_actor(caller: Caller = Depends(identify)) -> Actor:
    return caller.actor


def _enforcer(access: AccessRule) -> Callable[..., Any]:
    async def enforce(request: Request, caller: Caller = Depends(identify)) -> None:
        if caller.via_session and request.method not in SAFE_METHODS:
            await _check_csrf(request, caller)
        if access.public:
            return
        if caller.actor.person is None:
            if is_taxii(request.url.path):
                raise AuthenticationFailed(
                    "send HTTP Basic (your e-mail, and your password or an API token) or "
                    "'Authorization: Bearer <API token>'"
                )
            raise AuthenticationFailed("sign in, or send an API token as 'Authorization: Bearer'")
        if access.permission is not None and not caller.actor.person.may(access.permission):
            raise PermissionDenied(request.url.path, f"a role with '{access.permission.value}'")

    return enforce


async def _check_csrf(request: Request, caller: Caller) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or sent != caller.csrf_token:
        raise PermissionDenied("a form submission", "the page's CSRF token (reload the page)")


class GuardedRoute(APIRoute):
    """An APIRoute that will not exist without an access rule, and enforces the one it has."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        access = declared_rule(endpoint)
        if access is None:
            raise RouteWithoutAccessRule(path)
        dependencies = list(kwargs.pop("dependencies", None) or [])
        dependencies.insert(0, Depends(_enforcer(access)))
        super().__init__(path, endpoint, dependencies=dependencies, **kwargs)
        self.access_rule = access
