"""STIX 2.1 bundles over the JSON API: import a bundle, export reports or a campaign, and read the
published extension that carries the election fields."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from ballotguard import stix_validator
from ballotguard.errors import InvalidInput
from ballotguard.ports import UnitOfWork
from ballotguard.services import stix_exchange
from ballotguard.services.actors import Actor
from ballotguard.sharing import Permission
from ballotguard.stix import EXTENSION_SCHEMA, ballotguard_identity, extension_definition
from ballotguard.vocabulary import Tlp
from ballotguard.web.access import PUBLIC, GuardedRoute, app_of, current_actor, needs, rule
from ballotguard.web.deps import NOW, UOW

router = APIRouter(prefix="/api/stix", tags=["stix"], route_class=GuardedRoute)
ACTOR = Depends(current_actor)
ReportIds = Annotated[list[str], Query(max_length=500, description="report ids to export")]


class FailureOut(BaseModel):
    id: str
    version: str | None
    message: str


class ImportOut(BaseModel):
    stored: int
    failed: int
    successes: list[tuple[str, str]]
    failures: list[FailureOut]
    reports_created: list[str]
    reports_updated: list[str]


@router.get("/extension-definition")
@rule(PUBLIC)
def published_extension() -> dict[str, Any]:
    """The extension-definition object our incidents carry, its author and its JSON schema."""
    return {
        "extension_definition": extension_definition(),
        "identity": ballotguard_identity(),
        "schema": EXTENSION_SCHEMA,
    }


@router.post("/bundles", response_model=ImportOut)
@rule(needs(Permission.EXCHANGE_STIX))
async def import_bundle(
    request: Request,
    tlp: Annotated[Tlp, Query(description="TLP for objects that carry no TLP marking")] = Tlp.AMBER,
    actor: Actor = ACTOR,
) -> ImportOut:
    """Import a STIX 2.1 bundle object by object: good objects are kept, each bad one is named.

    Objects without a TLP marking take ``tlp`` (AMBER unless said otherwise: nothing is shared
    wider than its sender meant by accident)."""
    objects = await _bundle_objects(request)
    bg = app_of(request)
    with bg.uow() as uow:
        result = stix_exchange.import_objects(
            uow, actor, objects, bg.clock(), default_tlp=tlp,
            validate=stix_validator.full_problems,
        )
    return ImportOut(
        stored=len(result.successes),
        failed=len(result.failures),
        successes=result.successes,
        failures=[FailureOut(id=f.id, version=f.version, message=f.message)
                  for f in result.failures],
        reports_created=result.reports_created,
        reports_updated=result.reports_updated,
    )


@router.get("/bundle")
@rule(needs(Permission.READ_REPORTS))
def export_bundle(
    report_id: ReportIds = [],  # noqa: B006 (FastAPI reads the default, never mutates it)
    campaign_id: Annotated[str | None, Query(max_length=64)] = None,
    uow: UnitOfWork = UOW,
    actor: Actor = ACTOR,
    now: Any = NOW,
) -> dict[str, object]:
    """A bundle of the reports (and the campaign) the caller may read, as STIX 2.1."""
    if not report_id and campaign_id is None:
        raise InvalidInput("report_id", "name at least one report_id or a campaign_id")
    return stix_exchange.export_reports(uow, actor, now, report_id, campaign_id)


async def _bundle_objects(request: Request) -> list[object]:
    settings = app_of(request).settings
    body = await request.body()
    if len(body) > settings.taxii_max_content_length:
        raise InvalidInput("body", f"larger than {settings.taxii_max_content_length} bytes; "
                           "split the bundle")
    try:
        bundle = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput("body", f"not valid JSON: {exc}") from None
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        raise InvalidInput("type", "expected a STIX bundle: {\"type\": \"bundle\", ...}")
    objects = bundle.get("objects", [])
    if not isinstance(objects, list):
        raise InvalidInput("objects", "expected a list of STIX objects")
    if len(objects) > settings.taxii_max_objects_per_request:
        raise InvalidInput("objects", f"{len(objects)} objects; at most "
                           f"{settings.taxii_max_objects_per_request} per request, split it")
    return objects
