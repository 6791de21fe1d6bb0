"""Canonical forms of observables for correlation, on top of ``sharing.observables``.

The sharing layer stores what the reporter gave, cleaned (lower-case scheme and host, no
fragment). Correlation needs more: two reports that cite ``http://www.veldra-news.example/fraud/``
and ``https://veldra-news.example/fraud?utm_source=tg`` cite the same page.

URL rules (``canonical_url``):

- the scheme is lower-cased and ``http`` is folded into ``https``; default ports are dropped;
- the host is lower-cased, loses a trailing dot and a leading ``www.``;
- the path loses its trailing slashes (``/`` becomes the empty path);
- tracking parameters are dropped (``utm_*`` and the click ids in ``TRACKING_PARAMS``:
  ``fbclid``, ``gclid``, ``msclkid``, …); the remaining parameters are sorted;
- links of known URL shorteners (``SHORTENERS``: bit.ly, t.co, tinyurl.com, …) are *not*
  expanded (that would need the network): their path is the identity, so it is kept verbatim,
  trailing slash and case included.

Registrable domain (``registrable_domain``): the last two labels of the host, or the last three
when the last two form a known second-level public suffix (``SECOND_LEVEL_SUFFIXES``: co.uk,
com.au, …). This is a deliberate simplification of the Public Suffix List: no download, no
network, and a wrong guess only merges or splits a domain key, which ``link_between`` verifies.
Domains of big platforms, mail providers and shorteners (``COMMON_DOMAINS``) never produce a
domain key or a domain link: everybody cites facebook.com.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "mkt_tok", "ref_src", "s_cid", "oly_anon_id",
    "oly_enc_id", "vero_id", "spm",
})

SHORTENERS = frozenset({
    "bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "buff.ly", "is.gd", "v.gd", "t.ly",
    "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "bl.ink", "lnkd.in", "dlvr.it",
    "trib.al", "s.id", "shorte.st", "adf.ly", "youtu.be", "fb.me", "amzn.to",
})

COMMON_DOMAINS = frozenset({
    # social platforms and messaging
    "facebook.com", "fb.com", "fb.me", "x.com", "twitter.com", "youtube.com", "youtu.be",
    "t.me", "telegram.org", "telegram.me", "tiktok.com", "instagram.com", "whatsapp.com",
    "wa.me", "vk.com", "ok.ru", "reddit.com", "linkedin.com", "lnkd.in", "threads.net",
    "bsky.app", "truthsocial.com", "gab.com", "rumble.com", "discord.com", "discord.gg",
    "snapchat.com", "pinterest.com", "twitch.tv", "medium.com", "substack.com",
    # search, hosting, publishing and storage
    "google.com", "goo.gl", "bing.com", "yahoo.com", "wikipedia.org", "github.com",
    "wordpress.com", "blogspot.com", "blogger.com", "amazonaws.com", "cloudfront.net",
    "googleusercontent.com", "dropbox.com", "archive.org", "archive.ph", "pastebin.com",
    # mail providers
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yandex.ru",
    "mail.ru", "proton.me", "protonmail.com", "icloud.com", "aol.com", "gmx.com",
}) | SHORTENERS

SECOND_LEVEL_SUFFIXES = frozenset({
    "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "net.uk", "ltd.uk", "plc.uk",
    "com.au", "net.au", "org.au", "gov.au", "edu.au", "co.nz", "org.nz", "govt.nz",
    "co.jp", "ne.jp", "or.jp", "go.jp", "co.kr", "or.kr", "go.kr", "com.cn", "net.cn", "org.cn",
    "gov.cn", "com.hk", "com.tw", "com.sg", "com.my", "co.in", "gov.in", "co.id", "co.il",
    "co.za", "gov.za", "com.br", "gov.br", "com.ar", "com.mx", "gob.mx", "com.co", "com.pe",
    "com.tr", "gov.tr", "com.ua", "gov.ua", "com.ru", "com.pl", "com.eg", "com.sa", "com.pk",
    "com.ng", "co.ke",
})

HANDLE_PLATFORM_ALIASES = {"twitter": "x", "fb": "facebook", "tg": "telegram", "ig": "instagram"}

_DEFAULT_PORTS = {"https": (80, 443), "ftp": (21,)}


@lru_cache(maxsize=65_536)
def canonical_url(url: str) -> str:
    """The form of a URL under which two reports citing the same page meet (rules above)."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"
    host = (parts.hostname or "").rstrip(".")
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    port_text = f":{port}" if port and port not in _DEFAULT_PORTS.get(scheme, ()) else ""
    shortener = host in SHORTENERS
    path = parts.path if shortener else parts.path.rstrip("/")
    if ":" in host:
        host = f"[{host}]"
    query = ""
    if parts.query:
        kept = sorted((name, value)
                      for name, value in parse_qsl(parts.query, keep_blank_values=True)
                      if not _is_tracker(name))
        query = urlencode(kept)
    return f"{scheme}://{host}{port_text}{path}" + (f"?{query}" if query else "")


def _is_tracker(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMS


def url_host(url: str) -> str:
    """The host of a URL as ``canonical_url`` sees it (no ``www.``, no brackets)."""
    text = url.strip()
    host = urlsplit(text if "://" in text else f"https://{text}").hostname or ""
    return host.rstrip(".").removeprefix("www.")


def is_ip(host: str) -> bool:
    if not host or not (host[0].isdigit() or ":" in host):
        return False  # a cheap test first: most hosts are names
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65_536)
def registrable_domain(host: str) -> str | None:
    """``news.veldra-news.example`` -> ``veldra-news.example``; ``a.b.co.uk`` -> ``b.co.uk``.

    None for IP addresses and single labels. See the module docstring for the rule.
    """
    name = host.strip().rstrip(".").lower()
    if not name or is_ip(name.strip("[]")):
        return None
    labels = name.split(".")
    if len(labels) < 2:
        return None
    if len(labels) >= 3 and ".".join(labels[-2:]) in SECOND_LEVEL_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_common_domain(domain: str) -> bool:
    """A platform, mail provider or shortener: citing it says nothing about who is behind a
    report."""
    return domain in COMMON_DOMAINS


def canonical_handle(value: str) -> str:
    """``platform:handle`` lower-case, with platform aliases folded (``twitter`` -> ``x``)."""
    platform, _, handle = value.strip().lower().partition(":")
    platform = HANDLE_PLATFORM_ALIASES.get(platform, platform)
    return f"{platform}:{handle.lstrip('@')}"
