"""Observables are normalised on entry so the same thing reported twice is recognised as one."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ballotguard.errors import InvalidObservable
from ballotguard.sharing import Observable, ObservableKind, normalise

K = ObservableKind
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

GOOD = [
    # domains: lower-case A-labels, no trailing dot
    (K.DOMAIN, "Example.ORG", "example.org"),
    (K.DOMAIN, "news.example.org.", "news.example.org"),
    (K.DOMAIN, "  sub-domain.example.co.uk  ", "sub-domain.example.co.uk"),
    (K.DOMAIN, "Bücher.example", "xn--bcher-kva.example"),
    (K.DOMAIN, "xn--bcher-kva.example", "xn--bcher-kva.example"),
    # URLs: scheme and host lower-case, path and query kept, fragment dropped
    (K.URL, "HTTPS://Example.ORG/Path/To?Q=1#frag", "https://example.org/Path/To?Q=1"),
    (K.URL, "http://example.org", "http://example.org/"),
    (K.URL, "http://Bücher.example:8080/a", "http://xn--bcher-kva.example:8080/a"),
    (K.URL, "http://192.0.2.10/login", "http://192.0.2.10/login"),
    (K.URL, "https://[2001:DB8::0001]/x", "https://[2001:db8::1]/x"),
    (K.URL, "ftp://files.example.org/leak.zip", "ftp://files.example.org/leak.zip"),
    # IP addresses: canonical text
    (K.IP, "192.0.2.1", "192.0.2.1"),
    (K.IP, " 2001:0DB8:0000:0000:0000:0000:0000:0001 ", "2001:db8::1"),
    (K.IP, "::ffff:192.0.2.1", "::ffff:c000:201"),
    # e-mail: the domain lower-cased, the local part kept as typed
    (K.EMAIL, "Payroll.Office@Example.ORG", "Payroll.Office@example.org"),
    (K.EMAIL, "x@Bücher.example", "x@xn--bcher-kva.example"),
    # social handles: platform:handle, lower-case, no '@'
    (K.SOCIAL_HANDLE, "telegram:@Polling_News", "telegram:polling_news"),
    (K.SOCIAL_HANDLE, "TikTok:Some.One", "tiktok:some.one"),
    (K.SOCIAL_HANDLE, "mastodon: @voter-info", "mastodon:voter-info"),
    # file hashes: lower-case hex; the length names the algorithm; a prefix is dropped
    (K.FILE_HASH, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"),
    (K.FILE_HASH, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
     "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    (K.FILE_HASH, "sha256:" + SHA256.upper(), SHA256),
    (K.FILE_HASH, "ab" * 64, "ab" * 64),
]

BAD = [
    (K.DOMAIN, "", "it is empty"),
    (K.DOMAIN, "   ", "it is empty"),
    (K.DOMAIN, "localhost", "expected labels like example.org"),
    (K.DOMAIN, "-bad.example.org", "expected labels like example.org"),
    (K.DOMAIN, "bad-.example.org", "expected labels like example.org"),
    (K.DOMAIN, "under_score.example.org", "expected labels like example.org"),
    (K.DOMAIN, "a..example.org", "not a valid domain"),
    (K.DOMAIN, ("a" * 63 + ".") * 4 + "org", "longer than 253 characters"),
    (K.URL, "example.org/path", "expected http(s)://host/path"),
    (K.URL, "javascript:alert(1)", "expected http(s)://host/path"),
    (K.URL, "mailto:someone@example.org", "expected http(s)://host/path"),
    (K.URL, "https:///no-host", "expected http(s)://host/path"),
    (K.URL, "https://exa mple.org/", "the host is not valid"),
    (K.IP, "999.1.1.1", "expected an IPv4 or IPv6 address"),
    (K.IP, "192.0.2", "expected an IPv4 or IPv6 address"),
    (K.IP, "2001:db8:::1", "expected an IPv4 or IPv6 address"),
    (K.IP, "example.org", "expected an IPv4 or IPv6 address"),
    (K.EMAIL, "no-at-sign.example.org", "expected local-part@domain"),
    (K.EMAIL, "@example.org", "expected local-part@domain"),
    (K.EMAIL, "two words@example.org", "expected local-part@domain"),
    (K.EMAIL, "x" * 65 + "@example.org", "expected local-part@domain"),
    (K.EMAIL, "someone@localhost", "the domain is not valid"),
    (K.SOCIAL_HANDLE, "@handle_without_platform", "expected platform:handle"),
    (K.SOCIAL_HANDLE, "telegram:", "expected platform:handle"),
    (K.SOCIAL_HANDLE, "telegram:has space", "expected platform:handle"),
    (K.SOCIAL_HANDLE, "telegram:" + "a" * 65, "expected platform:handle"),
    (K.FILE_HASH, "abc123", "expected hex MD5, SHA-1, SHA-256 or SHA-512"),
    (K.FILE_HASH, "g" * 64, "expected hex MD5, SHA-1, SHA-256 or SHA-512"),
    (K.FILE_HASH, SHA256 + "0", "expected hex MD5, SHA-1, SHA-256 or SHA-512"),
]


@pytest.mark.parametrize(("kind", "value", "canonical"), GOOD)
def test_good_observables_take_their_canonical_form(
    kind: ObservableKind, value: str, canonical: str
) -> None:
    assert normalise(kind, value) == canonical
    assert normalise(kind, canonical) == canonical  # normalising twice changes nothing


@pytest.mark.parametrize(("kind", "value", "reason"), BAD)
def test_bad_observables_say_what_is_wrong(kind: ObservableKind, value: str, reason: str) -> None:
    with pytest.raises(InvalidObservable, match=re.escape(reason)) as caught:
        normalise(kind, value, field="observables.2.value")
    assert caught.value.field == "observables.2.value"
    assert caught.value.kind == kind.value
    assert caught.value.value == value


def test_the_observable_model_normalises_on_entry() -> None:
    observable = Observable(kind=K.DOMAIN, value="  Example.ORG. ")
    assert observable.value == "example.org"
    assert Observable.model_validate_json(observable.model_dump_json()) == observable


def test_the_observable_model_refuses_what_does_not_parse() -> None:
    with pytest.raises(ValidationError, match="is not a valid ip"):
        Observable(kind=K.IP, value="300.0.0.1")
    with pytest.raises(ValidationError):
        Observable(kind="phone_number", value="+1 555 0100")  # type: ignore[arg-type]


@given(st.ip_addresses())
def test_every_ip_address_normalises_to_one_form(address: object) -> None:
    text = str(address)
    assert normalise(K.IP, text) == text
    assert normalise(K.IP, text.upper()) == text


@given(st.sampled_from([32, 40, 64, 128]).flatmap(
    lambda n: st.text(alphabet="0123456789abcdefABCDEF", min_size=n, max_size=n)))
def test_every_hex_digest_of_a_known_length_is_a_file_hash(digest: str) -> None:
    assert normalise(K.FILE_HASH, digest) == digest.lower()
