from __future__ import annotations

import pytest

from ballotguard.campaigns import canonical_handle, canonical_url, registrable_domain
from ballotguard.campaigns.canonical import is_common_domain


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        # scheme: lower-case, http folded into https
        ("HTTP://veldra-news.example/fraud", "https://veldra-news.example/fraud"),
        ("https://veldra-news.example/fraud", "https://veldra-news.example/fraud"),
        # www. and host case
        ("https://www.Veldra-News.example/fraud", "https://veldra-news.example/fraud"),
        ("https://news.veldra-news.example/fraud", "https://news.veldra-news.example/fraud"),
        # trailing slash
        ("https://veldra-news.example/fraud/", "https://veldra-news.example/fraud"),
        ("https://veldra-news.example/", "https://veldra-news.example"),
        ("https://veldra-news.example", "https://veldra-news.example"),
        # tracking parameters dropped, the others sorted
        ("https://veldra-news.example/fraud?utm_source=tg&utm_medium=social",
         "https://veldra-news.example/fraud"),
        ("https://veldra-news.example/fraud?fbclid=IwAR0abc", "https://veldra-news.example/fraud"),
        ("https://veldra-news.example/fraud?gclid=x&id=7&UTM_Campaign=y",
         "https://veldra-news.example/fraud?id=7"),
        ("https://veldra-news.example/a?z=1&b=2", "https://veldra-news.example/a?b=2&z=1"),
        # the path keeps its case; fragments and default ports go
        ("https://veldra-news.example/Fraud#top", "https://veldra-news.example/Fraud"),
        ("http://veldra-news.example:80/x", "https://veldra-news.example/x"),
        ("https://veldra-news.example:8443/x", "https://veldra-news.example:8443/x"),
        # shorteners are not expanded: the path is the identity, kept verbatim
        ("http://bit.ly/3AbC", "https://bit.ly/3AbC"),
        ("https://www.bit.ly/3AbC/", "https://bit.ly/3AbC/"),
        ("https://t.co/XyZ12", "https://t.co/XyZ12"),
        ("https://tinyurl.com/Ab-9?utm_source=x", "https://tinyurl.com/Ab-9"),
        # no scheme, IP hosts
        ("veldra-news.example/fraud/", "https://veldra-news.example/fraud"),
        ("http://203.0.113.5/panel/", "https://203.0.113.5/panel"),
    ],
)
def test_canonical_url(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical


def test_shortener_paths_differ_by_case() -> None:
    assert canonical_url("https://bit.ly/3AbC") != canonical_url("https://bit.ly/3abc")


@pytest.mark.parametrize(
    ("host", "registrable"),
    [
        ("veldra-news.example", "veldra-news.example"),
        ("news.veldra-news.example", "veldra-news.example"),
        ("a.b.c.veldra-news.example", "veldra-news.example"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("news.abc.net.au", "abc.net.au"),
        ("co.uk", "co.uk"),
        ("localhost", None),
        ("203.0.113.5", None),
        ("2001:db8::1", None),
    ],
)
def test_registrable_domain(host: str, registrable: str | None) -> None:
    assert registrable_domain(host) == registrable


def test_common_domains_cover_platforms_mail_and_shorteners() -> None:
    for domain in ("facebook.com", "x.com", "t.me", "youtube.com", "gmail.com", "bit.ly"):
        assert is_common_domain(domain)
    assert not is_common_domain("veldra-news.example")


def test_handles_fold_platform_aliases() -> None:
    assert canonical_handle("Twitter:@Veldra_Truth") == "x:veldra_truth"
    assert canonical_handle("x:veldra_truth") == "x:veldra_truth"
    assert canonical_handle("telegram:veldra_truth") == "telegram:veldra_truth"
