"""Observables as STIX cyber-observables (SCOs) and as STIX patterns.

The mapping is the standard one, so that MISP and OpenCTI file the same thing under the same id:
URL -> ``url``, domain -> ``domain-name``, IP -> ``ipv4-addr`` or ``ipv6-addr``, e-mail ->
``email-addr``, file hash -> ``file`` with ``hashes`` keyed by the algorithm its length names,
social handle ``platform:handle`` -> ``user-account`` with ``account_type`` the platform (``x``
is written ``twitter``, the name in STIX's account-type vocabulary) and ``account_login`` the
handle. A URL is written as an RFC 3986 URI (percent-encoded where needed). Ids follow STIX 2.1 §2.9 (see ``ids.sco_id``). Values are already canonical (see
``sharing.observables``), so the same observable always gives the same SCO.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ballotguard.sharing import Observable, ObservableKind
from ballotguard.sharing.observables import HASH_ALGORITHMS
from ballotguard.stix.ids import sco_id

ACCOUNT_TYPES = {"x": "twitter", "twitter": "twitter"}
# RFC 3986 reserved and unreserved characters, and '%' so that existing escapes stay as they are.
_URI_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


def uri_text(url: str) -> str:
    """A URL as an RFC 3986 URI, which STIX requires of ``url:value``: characters a URI may not
    hold (spaces, backslashes, non-ASCII letters) are percent-encoded as UTF-8."""
    return quote(url, safe=_URI_SAFE)


def _sco_type_and_properties(observable: Observable) -> tuple[str, dict[str, Any]]:
    kind, value = observable.kind, observable.value
    if kind is ObservableKind.URL:
        return "url", {"value": uri_text(value)}
    if kind is ObservableKind.DOMAIN:
        return "domain-name", {"value": value}
    if kind is ObservableKind.IP:
        return ("ipv6-addr" if ":" in value else "ipv4-addr"), {"value": value}
    if kind is ObservableKind.EMAIL:
        return "email-addr", {"value": value}
    if kind is ObservableKind.FILE_HASH:
        return "file", {"hashes": {HASH_ALGORITHMS[len(value)]: value}}
    platform, _, handle = value.partition(":")
    return "user-account", {
        "account_type": ACCOUNT_TYPES.get(platform, platform),
        "account_login": handle,
    }


def sco_of(observable: Observable, marking: str) -> dict[str, Any]:
    """The SCO for an observable, marked; its id is the one every STIX 2.1 tool computes."""
    stix_type, properties = _sco_type_and_properties(observable)
    return {
        "type": stix_type,
        "spec_version": "2.1",
        "id": sco_id(stix_type, properties),
        **properties,
        "object_marking_refs": [marking],
    }


def _literal(text: str) -> str:
    """A STIX patterning string literal: quotes and backslashes escaped."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def pattern_of(observable: Observable) -> str:
    """A STIX 2.1 pattern that matches the observable, e.g. ``[url:value = 'https://…']``."""
    stix_type, properties = _sco_type_and_properties(observable)
    if stix_type == "file":
        ((algorithm, digest),) = properties["hashes"].items()
        return f"[file:hashes.{_literal(algorithm)} = {_literal(digest)}]"
    comparisons = [f"{stix_type}:{name} = {_literal(v)}" for name, v in properties.items()]
    return "[" + " AND ".join(comparisons) + "]"
