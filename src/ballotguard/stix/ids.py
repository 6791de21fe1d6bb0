"""STIX identifiers: deterministic, so that exporting a report again never duplicates an object.

A report's incident is ``incident--<report id>`` (report ids are UUIDv4 already, so the same report
keeps the same id on every instance). Everything else Ballotguard derives is a UUIDv5 in
``BALLOTGUARD_NAMESPACE`` over ``"<type>|<part>|<part>…"``. Cyber-observables (SCOs) use the STIX
2.1 rule (STIX 2.1 §2.9): a UUIDv5 in the namespace ``00abedb4-aa42-466c-9c01-fed23315a9b7`` over
the JSON Canonicalization Scheme (RFC 8785) text of the object's ID contributing properties, so
that Ballotguard, MISP and OpenCTI name the same URL with the same id.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Mapping

from ballotguard.errors import InvalidInput

BALLOTGUARD_NAMESPACE = uuid.UUID("5b1e8f3a-3c53-4b8e-9a51-0f1d2c3b4a59")
SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")

TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
UUID_PATTERN = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)
_INCIDENT_PREFIX = "incident--"


def is_valid_type(text: str) -> bool:
    """A STIX type name: 3 to 250 lower-case letters, digits and single hyphens."""
    return 3 <= len(text) <= 250 and TYPE_PATTERN.match(text) is not None


def is_valid_id(text: object) -> bool:
    """``<type>--<RFC 4122 UUID>``, the only id form STIX 2.1 allows."""
    if not isinstance(text, str):
        return False
    stix_type, sep, value = text.partition("--")
    return bool(sep) and is_valid_type(stix_type) and UUID_PATTERN.match(value) is not None


def type_of_id(stix_id: str) -> str:
    """The type part of an id (``url`` for ``url--…``)."""
    return stix_id.partition("--")[0]


def incident_id(report_id: str) -> str:
    """The incident that carries a report: the report's own UUID, the same on every instance."""
    try:
        value = uuid.UUID(report_id)
    except (ValueError, AttributeError, TypeError):
        raise InvalidInput("report_id", f"'{report_id}' is not a UUID") from None
    return f"{_INCIDENT_PREFIX}{value}"


def report_id_of(stix_id: str) -> str:
    """The report id inside ``incident--<report id>``."""
    if not stix_id.startswith(_INCIDENT_PREFIX) or not is_valid_id(stix_id):
        raise InvalidInput("id", f"'{stix_id}' is not an incident id (incident--<uuid>)")
    return str(uuid.UUID(stix_id[len(_INCIDENT_PREFIX) :]))


def uuid5_text(namespace: uuid.UUID, name: str) -> str:
    """``str(uuid.uuid5(namespace, name))`` without building UUID objects (twice as fast; ids
    are derived for every object of every report version exported)."""
    digest = bytearray(hashlib.sha1(namespace.bytes + name.encode(), usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def derived_id(stix_type: str, *parts: str) -> str:
    """``<type>--uuid5(BALLOTGUARD_NAMESPACE, "<type>|<part>|…")``: the same parts, the same id."""
    name = "|".join((stix_type, *parts))
    return f"{stix_type}--{uuid5_text(BALLOTGUARD_NAMESPACE, name)}"


def canonical_json(value: object) -> str:
    """RFC 8785 (JCS) text for strings, integers, booleans, null, lists and objects.

    Python's ``json`` with sorted keys, no spaces and literal non-ASCII matches JCS for these
    types; floats are refused because ECMAScript number formatting differs from Python's.
    """
    _refuse_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _refuse_floats(value: object) -> None:
    if isinstance(value, float):
        raise TypeError("canonical_json does not format floats")
    if isinstance(value, Mapping):
        for item in value.values():
            _refuse_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_floats(item)


def sco_id(stix_type: str, contributing: Mapping[str, object]) -> str:
    """The STIX 2.1 deterministic id of a cyber-observable from its ID contributing properties.

    ``contributing`` holds only the properties the spec lists for the type (``value`` for a URL;
    ``hashes`` with one algorithm, ``name``… for a file; ``account_type``, ``user_id``,
    ``account_login`` for a user account), and only those that are present.
    """
    if not contributing:
        raise ValueError(f"{stix_type}: no ID contributing properties; use a UUIDv4")
    return f"{stix_type}--{uuid5_text(SCO_NAMESPACE, canonical_json(dict(contributing)))}"
