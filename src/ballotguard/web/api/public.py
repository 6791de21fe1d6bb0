"""What anyone may read: the vocabulary, the API's own description, and a health check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ballotguard.ports import UnitOfWork
from ballotguard.services import vocabulary
from ballotguard.web.access import PUBLIC, GuardedRoute, rule
from ballotguard.web.deps import UOW

router = APIRouter(route_class=GuardedRoute)


@router.get("/api/vocabulary", tags=["vocabulary"])
@rule(PUBLIC)
def vocabulary_document(uow: UnitOfWork = UOW) -> dict[str, Any]:
    """The shared language, versioned: every term's id and label, and the loaded techniques."""
    return vocabulary.document(uow)


@router.get("/healthz", include_in_schema=False)
@rule(PUBLIC)
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/openapi.json", include_in_schema=False)
@rule(PUBLIC)
def openapi(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())
