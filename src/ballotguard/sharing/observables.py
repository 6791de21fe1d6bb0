"""Observables normalised on entry, so that the same IP, domain or hash reported by a CERT and by a
platform is recognised as the same thing when reports are correlated.

Rules: domains are lower-case IDNA (A-labels) without a trailing dot; URLs keep their path and query
but get a lower-case scheme and host and lose the fragment; IP addresses take their canonical text
form (compressed IPv6); e-mail domains are lower-cased (the local part is kept as typed, RFC 5321
2.4); social handles are ``platform:handle`` lower-cased without '@'; file hashes are lower-case hex
whose length names the algorithm.
"""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from ballotguard.errors import InvalidObservable


class ObservableKind(StrEnum):
    URL = "url"
    DOMAIN = "domain"
    IP = "ip"
    EMAIL = "email"
    SOCIAL_HANDLE = "social_handle"
    FILE_HASH = "file_hash"


HASH_ALGORITHMS = {32: "MD5", 40: "SHA-1", 64: "SHA-256", 128: "SHA-512"}
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_HANDLE = re.compile(r"^[a-z0-9_.\-]{1,64}$")
_PLATFORM = re.compile(r"^[a-z0-9_.\-]{1,32}$")


def normalise(kind: ObservableKind, value: str, field: str = "observables") -> str:
    """The canonical text of an observable, or ``InvalidObservable`` saying what is wrong."""
    text = value.strip()
    if not text:
        raise InvalidObservable(field, kind.value, value, "it is empty")
    return _NORMALISERS[kind](text, field)


def _domain(text: str, field: str) -> str:
    name = text.rstrip(".").lower()
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidObservable(field, "domain", text, str(exc)) from None
    labels = ascii_name.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise InvalidObservable(field, "domain", text, "expected labels like example.org")
    if len(ascii_name) > 253:
        raise InvalidObservable(field, "domain", text, "longer than 253 characters")
    return ascii_name


def _url(text: str, field: str) -> str:
    try:
        parts = urlsplit(text)
        hostname, port_number = parts.hostname, parts.port
    except ValueError:
        raise InvalidObservable(field, "url", text, "the host or port is not valid") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", "ftp") or not hostname:
        raise InvalidObservable(field, "url", text, "expected http(s)://host/path")
    host = _ip_or_domain(hostname, field, text)
    if ":" in host:
        host = f"[{host}]"
    port = f":{port_number}" if port_number else ""
    return urlunsplit((scheme, host + port, parts.path or "/", parts.query, ""))


def _ip_or_domain(host: str, field: str, original: str) -> str:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        try:
            return _domain(host, field)
        except InvalidObservable:
            raise InvalidObservable(field, "url", original, "the host is not valid") from None


def _ip(text: str, field: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise InvalidObservable(field, "ip", text, "expected an IPv4 or IPv6 address") from None


def _email(text: str, field: str) -> str:
    local, at, domain = text.rpartition("@")
    if not at or not local or len(local) > 64 or any(c.isspace() for c in local):
        raise InvalidObservable(field, "email", text, "expected local-part@domain")
    try:
        return f"{local}@{_domain(domain, field)}"
    except InvalidObservable:
        raise InvalidObservable(field, "email", text, "the domain is not valid") from None


def _social_handle(text: str, field: str) -> str:
    platform, sep, handle = text.lower().partition(":")
    handle = handle.strip().lstrip("@")
    if not sep or not _PLATFORM.match(platform.strip()) or not _HANDLE.match(handle):
        raise InvalidObservable(
            field, "social_handle", text, "expected platform:handle, e.g. x:@example_account"
        )
    return f"{platform.strip()}:{handle}"


def _file_hash(text: str, field: str) -> str:
    digest = text.lower().split(":")[-1]
    if len(digest) not in HASH_ALGORITHMS or not re.fullmatch(r"[0-9a-f]+", digest):
        raise InvalidObservable(
            field, "file_hash", text, "expected hex MD5, SHA-1, SHA-256 or SHA-512"
        )
    return digest


_NORMALISERS = {
    ObservableKind.URL: _url,
    ObservableKind.DOMAIN: _domain,
    ObservableKind.IP: _ip,
    ObservableKind.EMAIL: _email,
    ObservableKind.SOCIAL_HANDLE: _social_handle,
    ObservableKind.FILE_HASH: _file_hash,
}
