"""The one place where domain errors become HTTP: ``application/problem+json`` (RFC 9457) for
the API, the TAXII error resource (``application/taxii+json;version=2.1``) under ``/taxii2``, a
readable page for people, and a redirect to the login page for a browser that is not signed in.
Bad input is always a 4xx naming the field; never a 500."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from ballotguard.errors import (
    AccountLocked,
    AuthenticationFailed,
    BallotguardError,
    Conflict,
    DeliveryFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
    SigningKeyUnusable,
)
from ballotguard.web.access import CSRF_FIELD, is_taxii
from ballotguard.web.taxii.media import TaxiiError, error_response
from ballotguard.web.ui.viewer import viewer_of

PROBLEM = "application/problem+json"
TAXII_CHALLENGE = 'Basic realm="ballotguard", Bearer realm="ballotguard"'
_STATUS: list[tuple[type[BallotguardError], int, str]] = [
    (InvalidInput, 422, "The input is not valid"),
    (NotFound, 404, "Not found"),
    (Conflict, 409, "Conflict"),
    (AccountLocked, 429, "Account locked"),
    (AuthenticationFailed, 401, "Not signed in"),
    (PermissionDenied, 403, "Not allowed"),
    (SigningKeyUnusable, 503, "Webhook signing key unavailable"),
    (DeliveryFailed, 502, "Delivery failed"),
]


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(("/api", "/taxii2")) or path == "/openapi.json"


def problem(
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _classify(exc: BallotguardError) -> tuple[int, str]:
    for kind, status, title in _STATUS:
        if isinstance(exc, kind):
            return status, title
    return 500, "Internal error"


def _page(request: Request, status: int, title: str, detail: str) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(  # type: ignore[no-any-return]
        request,
        "error.html",
        {"title": title, "detail": detail, "status": status, "viewer": viewer_of(request),
         "csrf_field": CSRF_FIELD},
        status_code=status,
    )


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BallotguardError)
    status, title = _classify(exc)
    headers: dict[str, str] = {}
    if isinstance(exc, AccountLocked):
        seconds = max(1, int((exc.until - request.app.state.ballotguard.clock()).total_seconds()))
        headers["Retry-After"] = str(seconds)
    elif status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="ballotguard"'
    if is_taxii(request.url.path):
        return _taxii_error(status, title, exc, headers)
    if wants_json(request):
        errors = (
            [{"field": exc.field, "message": exc.reason}] if isinstance(exc, InvalidInput) else None
        )
        return problem(status, title, str(exc), errors, headers)
    if status == 401 and request.method == "GET" and not isinstance(exc, AccountLocked):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return _page(request, status, title, str(exc))


def _taxii_error(
    status: int, title: str, exc: BallotguardError, headers: dict[str, str]
) -> Response:
    """TAXII speaks 400 for bad input (section 3.6); a 401 offers both schemes it takes."""
    if isinstance(exc, InvalidInput):
        status, title = 400, "Bad request"
    if status == 401:
        headers["WWW-Authenticate"] = TAXII_CHALLENGE
    return error_response(status, title, str(exc), headers)


async def on_taxii_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TaxiiError)
    return error_response(exc.status, exc.title, exc.description)


def _field(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "body"


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _error_field(e), "message": _message(e)} for e in exc.errors()]
    if is_taxii(request.url.path):
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return error_response(400, "Bad request", detail)
    if any(e.get("type") == "json_invalid" for e in exc.errors()):
        detail = "the request body is not valid JSON: " + "; ".join(
            str(e.get("ctx", {}).get("error", "")) for e in exc.errors()
        )
        return problem(400, "Malformed JSON", detail, errors)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    if wants_json(request):
        return problem(422, "The input is not valid", detail, errors)
    return _page(request, 422, "The input is not valid", detail)


def _error_field(error: Any) -> str:
    """The field's path; a whole-object rule that names its own field (``InvalidInput``) wins."""
    field = _field(tuple(error.get("loc", ())))
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, InvalidInput) and field == "body":
        return cause.field
    return field


def _message(error: Any) -> str:
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if is_taxii(request.url.path):
        description = _http_description(request, exc)
        return error_response(exc.status_code, str(exc.detail), description, dict(exc.headers or {}))
    if wants_json(request):
        return problem(
            exc.status_code, str(exc.detail), str(exc.detail), headers=dict(exc.headers or {})
        )
    return _page(request, exc.status_code, str(exc.detail), str(exc.detail))


def _http_description(request: Request, exc: HTTPException) -> str:
    if exc.status_code == 404:
        return f"{request.url.path} is not a TAXII resource of this server; start at /taxii2/"
    if exc.status_code == 405:
        return f"{request.method} is not allowed on {request.url.path}"
    return str(exc.detail)


def install(app: FastAPI) -> None:
    app.add_exception_handler(BallotguardError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(TaxiiError, on_taxii_error)
