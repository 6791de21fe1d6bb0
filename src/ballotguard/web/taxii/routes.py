"""The TAXII 2.1 endpoints under ``/taxii2/``: discovery, the one API root ``ballotguard``, its
collections, objects, manifest, versions and status (OASIS TAXII 2.1 CS01, sections 4 and 5).

Envelopes are written by joining the stored JSON text of each object: objects are never parsed and
re-serialised on the read path, so a page costs one indexed query and one string join.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ballotguard import stix_validator
from ballotguard.bootstrap import Ballotguard
from ballotguard.ports import ObjectQuery, StoredObject, UnitOfWork
from ballotguard.services import taxii
from ballotguard.services.actors import Actor
from ballotguard.sharing import Permission
from ballotguard.web.access import GuardedRoute, app_of, current_actor, needs, rule
from ballotguard.web.deps import NOW, UOW
from ballotguard.web.taxii import paging
from ballotguard.web.taxii.media import (
    TAXII_21,
    TaxiiError,
    TaxiiResponse,
    json_response,
    negotiate,
    require_taxii_body,
)
from ballotguard.web.taxii.params import (
    OBJECT_FILTERS,
    OBJECTS_FILTERS,
    VERSIONS_FILTERS,
    limit_of,
    object_query,
)

API_ROOT = "ballotguard"
ROOT = f"/{API_ROOT}"
COLLECTION = ROOT + "/collections/{collection_id}"
router = APIRouter(
    prefix="/taxii2",
    tags=["taxii"],
    route_class=GuardedRoute,
    dependencies=[Depends(negotiate)],
    default_response_class=TaxiiResponse,
)
ACTOR = Depends(current_actor)
READ = needs(Permission.READ_REPORTS)
WRITE = needs(Permission.EXCHANGE_STIX)


@router.get("/")
@rule(READ)
def discovery(request: Request) -> Response:
    settings = app_of(request).settings
    root = f"{request.base_url}taxii2{ROOT}/"
    return json_response(
        {
            "title": settings.taxii_title,
            "description": "Ballotguard: reports of election interference as STIX 2.1, under "
            "TLP 2.0. You see the collections and objects your organisation and role allow.",
            "default": root,
            "api_roots": [root],
        }
    )


@router.get(ROOT + "/")
@rule(READ)
def api_root(request: Request) -> Response:
    settings = app_of(request).settings
    return json_response(
        {
            "title": f"{settings.taxii_title}: shared intelligence",
            "description": "Collections derived from TLP 2.0 and the sharing agreements.",
            "versions": [TAXII_21],
            "max_content_length": settings.taxii_max_content_length,
        }
    )


@router.get(ROOT + "/collections/")
@rule(READ)
def collections(uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> Response:
    found = taxii.list_collections(uow, actor)
    return json_response({"collections": [c.resource() for c in found]})


@router.get(COLLECTION + "/")
@rule(READ)
def collection(collection_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> Response:
    return json_response(taxii.get_collection(uow, actor, collection_id).resource())


@router.get(COLLECTION + "/objects/")
@rule(READ)
def get_objects(
    collection_id: str,
    request: Request,
    uow: UnitOfWork = UOW,
    actor: Actor = ACTOR,
    now: datetime = NOW,
) -> Response:
    query = object_query(request.query_params, OBJECTS_FILTERS)
    limit, filters, after = _paging(request, f"objects|{collection_id}", query, now)
    _, page = taxii.get_objects(uow, actor, collection_id, query, limit, after, now)
    return _envelope(page, filters, now, "objects", lambda row: row.body)


@router.post(COLLECTION + "/objects/", status_code=202)
@rule(WRITE)
async def add_objects(collection_id: str, request: Request, actor: Actor = ACTOR) -> Response:
    """Synchronous: the 202 carries a complete status resource, also kept for GET status/."""
    require_taxii_body(request)
    bg = app_of(request)
    await run_in_threadpool(_writable, bg, actor, collection_id)
    raw = await _read_body(request, bg.settings.taxii_max_content_length)
    objects = _envelope_objects(raw, bg.settings.taxii_max_objects_per_request)
    body = await run_in_threadpool(_import, bg, actor, collection_id, objects)
    return json_response(body, 202)


@router.get(COLLECTION + "/objects/{object_id}/")
@rule(READ)
def get_object(
    collection_id: str,
    object_id: str,
    request: Request,
    uow: UnitOfWork = UOW,
    actor: Actor = ACTOR,
    now: datetime = NOW,
) -> Response:
    query = object_query(request.query_params, OBJECT_FILTERS)
    limit, filters, after = _paging(request, f"object|{collection_id}|{object_id}", query, now)
    _, page = taxii.get_object(uow, actor, collection_id, object_id, query, limit, after, now)
    return _envelope(page, filters, now, "objects", lambda row: row.body)


@router.delete(COLLECTION + "/objects/{object_id}/")
@rule(WRITE)
def delete_object(
    collection_id: str,
    object_id: str,
    request: Request,
    uow: UnitOfWork = UOW,
    actor: Actor = ACTOR,
    now: datetime = NOW,
) -> Response:
    """Without ``match[version]`` every version goes, so no older one resurfaces as the latest."""
    query = object_query(request.query_params, OBJECT_FILTERS, default_versions="all")
    taxii.delete_object(uow, actor, collection_id, object_id, query, now)
    return TaxiiResponse(b"", status_code=200)


@router.get(COLLECTION + "/objects/{object_id}/versions/")
@rule(READ)
def object_versions(
    collection_id: str,
    object_id: str,
    request: Request,
    uow: UnitOfWork = UOW,
    actor: Actor = ACTOR,
    now: datetime = NOW,
) -> Response:
    query = object_query(request.query_params, VERSIONS_FILTERS, default_versions="all")
    limit, filters, after = _paging(request, f"versions|{collection_id}|{object_id}", query, now)
    _, page = taxii.object_versions(uow, actor, collection_id, object_id, query, limit, after)
    return _envelope(page, filters, now, "versions", lambda row: json.dumps(row.version))


@router.get(COLLECTION + "/manifest/")
@rule(READ)
def manifest(
    collection_id: str,
    request: Request,
    uow: UnitOfWork = UOW,
    actor: Actor = ACTOR,
    now: datetime = NOW,
) -> Response:
    query = object_query(request.query_params, OBJECTS_FILTERS)
    limit, filters, after = _paging(request, f"manifest|{collection_id}", query, now)
    _, page = taxii.get_manifest(uow, actor, collection_id, query, limit, after)
    return _envelope(page, filters, now, "objects", _manifest_record)


@router.get(ROOT + "/status/{status_id}/")
@rule(READ)
def status(status_id: str, uow: UnitOfWork = UOW, actor: Actor = ACTOR) -> Response:
    return json_response(taxii.get_status(uow, actor, status_id))


# ---- helpers -----------------------------------------------------------------------------------


def _paging(
    request: Request, endpoint: str, query: ObjectQuery, now: datetime
) -> tuple[int, str, paging.Position | None]:
    settings = app_of(request).settings
    limit = limit_of(request.query_params, settings.taxii_page_size, settings.taxii_max_page_size)
    filters = paging.fingerprint(endpoint, query)
    token = request.query_params.get("next")
    if not token:
        return limit, filters, None
    max_age = timedelta(minutes=settings.taxii_next_token_minutes)
    return limit, filters, paging.redeem(token, filters, now, max_age)


def _envelope(
    page: taxii.ObjectPage,
    filters: str,
    now: datetime,
    key: str,
    text: Callable[[StoredObject], str],
) -> TaxiiResponse:
    """``{"more", "next"?, key?}`` assembled from stored JSON texts; dates in the headers."""
    parts = ['{"more":', "true" if page.more else "false"]
    position = page.last_position
    if page.more and position is not None:
        parts.append(',"next":' + json.dumps(paging.issue(position, filters, now)))
    if page.rows:
        parts.append(f',"{key}":[' + ",".join(text(row) for row in page.rows) + "]")
    parts.append("}")
    headers = {}
    if page.rows:
        headers["X-TAXII-Date-Added-First"] = _date_added(page.rows[0])
        headers["X-TAXII-Date-Added-Last"] = _date_added(page.rows[-1])
    return TaxiiResponse("".join(parts).encode(), headers=headers)


def _date_added(row: StoredObject) -> str:
    return taxii.stix_timestamp(taxii.position(row)[0])


def _manifest_record(row: StoredObject) -> str:
    return json.dumps(
        {
            "id": row.stix_id,
            "date_added": _date_added(row),
            "version": row.version,
            "media_type": f"application/stix+json;version={row.spec_version}",
        },
        separators=(",", ":"),
    )


def _writable(bg: Ballotguard, actor: Actor, collection_id: str) -> None:
    """Refuse a collection the caller cannot write before reading a large body."""
    with bg.uow() as uow:
        taxii.writable_collection(uow, actor, collection_id)


def _import(
    bg: Ballotguard, actor: Actor, collection_id: str, objects: list[object]
) -> dict[str, object]:
    with bg.uow() as uow:
        return taxii.add_objects(
            uow, actor, collection_id, objects, bg.clock(), stix_validator.full_problems
        )


async def _read_body(request: Request, limit: int) -> bytes:
    """At most ``limit`` bytes are held; a larger body is refused before it is all read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, limit: int) -> TaxiiError:
    return TaxiiError(
        413,
        "Request too large",
        f"the body is {size} bytes or more; this API root takes at most {limit} bytes "
        "(max_content_length): split the envelope into smaller ones. Nothing was stored.",
    )


def _envelope_objects(raw: bytes, max_objects: int) -> list[object]:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise TaxiiError(400, "Invalid JSON", f"the body is not valid JSON: {exc}") from None
    objects = body.get("objects") if isinstance(body, dict) else None
    if not isinstance(objects, list):
        raise TaxiiError(
            400,
            "Not an envelope",
            "the body must be a TAXII envelope: a JSON object with an 'objects' list",
        )
    if len(objects) > max_objects:
        raise TaxiiError(
            413,
            "Too many objects",
            f"the envelope holds {len(objects)} objects; this server takes at most {max_objects} "
            f"per request: split it into envelopes of {max_objects} objects or fewer. "
            "Nothing was stored.",
        )
    return objects
