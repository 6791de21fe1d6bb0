"""TAXII 2.1 media types, content negotiation and the error resource.

TAXII 2.1 (section 1.6.8) names ``application/taxii+json;version=2.1``. A client that sends the
bare ``application/taxii+json``, a wildcard, or no ``Accept`` at all is served the same (medallion
answers the bare type with 406; nothing is gained by refusing it). Anything else is a 406, and a
POST whose body is not ``application/taxii+json`` (with or without ``version=2.1``) a 415.
Errors under ``/taxii2`` are TAXII error resources (section 3.6.1), never ``problem+json``.
"""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.responses import Response

TAXII_MEDIA = "application/taxii+json"
TAXII_21 = f"{TAXII_MEDIA};version=2.1"
VERSION = "2.1"


class TaxiiError(Exception):
    """A protocol-level refusal (media type, size, paging token) with its HTTP status."""

    def __init__(self, status: int, title: str, description: str) -> None:
        super().__init__(f"{title}: {description}")
        self.status = status
        self.title = title
        self.description = description


class TaxiiResponse(Response):
    media_type = TAXII_21


def json_response(
    body: object, status: int = 200, headers: dict[str, str] | None = None
) -> TaxiiResponse:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return TaxiiResponse(text.encode(), status_code=status, headers=headers)


def error_response(
    status: int, title: str, description: str, headers: dict[str, str] | None = None
) -> TaxiiResponse:
    """The TAXII error resource; ``http_status`` is a string, as the specification types it."""
    body = {"title": title, "description": description, "http_status": str(status)}
    return json_response(body, status, headers)


def _parse(item: str) -> tuple[str, dict[str, str]]:
    media, *params = (part.strip() for part in item.split(";"))
    parsed = {}
    for param in params:
        key, _, value = param.partition("=")
        parsed[key.strip().lower()] = value.strip().strip('"')
    return media.lower(), parsed


def _quality(params: dict[str, str]) -> float:
    try:
        return float(params.get("q", "1"))
    except ValueError:
        return 0.0


def is_taxii(media: str, params: dict[str, str]) -> bool:
    return media == TAXII_MEDIA and params.get("version", VERSION) == VERSION


def accepts_taxii(accept: str | None) -> bool:
    """True when ``Accept`` allows TAXII 2.1 JSON: the exact type, the bare type, a wildcard."""
    if accept is None or not accept.strip():
        return True
    for item in accept.split(","):
        media, params = _parse(item)
        if _quality(params) <= 0:
            continue
        if media in ("*/*", "application/*") or is_taxii(media, params):
            return True
    return False


def negotiate(request: Request) -> None:
    """Router dependency: refuse, before any work, a client that cannot read what we send."""
    accept = request.headers.get("accept")
    if not accepts_taxii(accept):
        raise TaxiiError(
            406,
            "Not acceptable",
            f"this server sends '{TAXII_21}'; the Accept header '{accept}' does not allow it "
            f"(send 'Accept: {TAXII_21}')",
        )


def require_taxii_body(request: Request) -> None:
    sent = request.headers.get("content-type", "")
    media, params = _parse(sent)
    if not is_taxii(media, params):
        raise TaxiiError(
            415,
            "Unsupported media type",
            f"a TAXII envelope is sent as 'Content-Type: {TAXII_21}'; got '{sent or 'nothing'}'",
        )
