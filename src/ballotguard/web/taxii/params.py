"""The URL parameters of TAXII 2.1 (section 3.4): ``added_after``, ``limit``, ``next`` and the
``match[...]`` filters, where a comma means OR. Anything malformed is a 400 naming the parameter.
A ``match[...]`` field this endpoint does not support is refused rather than ignored: ignoring it
would send the client more than it asked for."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from starlette.datastructures import QueryParams

from ballotguard.ports import ObjectQuery
from ballotguard.web.taxii.media import TaxiiError

OBJECTS_FILTERS = frozenset({"id", "type", "version", "spec_version"})
OBJECT_FILTERS = frozenset({"version", "spec_version"})
VERSIONS_FILTERS = frozenset({"spec_version"})
MAX_VALUES = 1000
VERSION_KEYWORDS = frozenset({"first", "last", "all"})
_TIMESTAMP = re.compile(
    r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)
_TYPE = re.compile(r"^[a-z0-9][a-z0-9-]{0,249}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,249}--[0-9a-fA-F-]{36}$")
_SPEC_VERSION = re.compile(r"^\d+\.\d+$")


def bad(parameter: str, reason: str) -> TaxiiError:
    return TaxiiError(400, "Invalid parameter", f"{parameter}: {reason}")


def parse_timestamp(parameter: str, text: str) -> datetime:
    """An RFC 3339 timestamp (``2026-11-02T09:00:00.000Z``); more than microseconds is cut."""
    match = _TIMESTAMP.match(text.strip())
    if match is None:
        raise bad(parameter, f"'{text}' is not a timestamp like 2026-11-02T09:00:00.000Z")
    whole, fraction, zone = match.groups()
    iso = whole + (f".{(fraction or '0')[:6]:0<6}") + ("+00:00" if zone.upper() == "Z" else zone)
    try:
        return datetime.fromisoformat(iso).astimezone(UTC)
    except ValueError:
        raise bad(parameter, f"'{text}' is not a real date and time") from None


def limit_of(params: QueryParams, default: int, maximum: int) -> int:
    """1 or more; above the server's maximum it is lowered to it (the spec lets a server send
    fewer), and the client pages on with ``next``."""
    text = params.get("limit")
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise bad("limit", f"'{text}' is not a whole number; send 1 to {maximum}") from None
    if value < 1:
        raise bad("limit", f"{value} asks for no objects; send 1 to {maximum}")
    return min(value, maximum)


def object_query(
    params: QueryParams, supported: frozenset[str], default_versions: str = "last"
) -> ObjectQuery:
    """The filters of one request; ``supported`` names the match fields this endpoint takes."""
    for key in params:
        if key.startswith("match[") and key.endswith("]") and key[6:-1] not in supported:
            shown = ", ".join(f"match[{f}]" for f in sorted(supported)) or "none"
            raise bad(key, f"this endpoint does not filter on it; supported: {shown}")
    return ObjectQuery(
        ids=_values(params, "id", _ID, "a STIX id like indicator--<uuid>"),
        types=_values(params, "type", _TYPE, "a STIX type like indicator"),
        spec_versions=_values(params, "spec_version", _SPEC_VERSION, "a version like 2.1"),
        versions=_versions(params, default_versions),
        added_after=_added_after(params),
    )


def _split(params: QueryParams, field: str) -> list[str]:
    values = [
        part.strip()
        for raw in params.getlist(f"match[{field}]")
        for part in raw.split(",")
        if part.strip()
    ]
    if len(values) > MAX_VALUES:
        raise bad(f"match[{field}]", f"{len(values)} values; send at most {MAX_VALUES} per request")
    return values


def _values(params: QueryParams, field: str, pattern: re.Pattern[str], what: str) -> frozenset[str]:
    values = _split(params, field)
    for value in values:
        if not pattern.match(value):
            raise bad(f"match[{field}]", f"'{value}' is not {what}")
    return frozenset(values)


def _versions(params: QueryParams, default: str) -> frozenset[str]:
    values = _split(params, "version")
    if not values:
        return frozenset({default})
    for value in values:
        if value not in VERSION_KEYWORDS:
            parse_timestamp("match[version]", value)
    return frozenset(values)


def _added_after(params: QueryParams) -> datetime | None:
    values = params.getlist("added_after")
    if not values or values == [""]:
        return None
    if len(values) > 1:
        raise bad("added_after", "give it once")
    return parse_timestamp("added_after", values[0])
