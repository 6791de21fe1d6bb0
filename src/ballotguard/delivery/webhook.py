"""Signed webhooks after the Standard Webhooks specification (standardwebhooks.com), with its
asymmetric scheme: Ed25519 signatures, ``v1a``.

Headers: ``webhook-id`` (the outbox id: the idempotency key, also sent as ``Idempotency-Key``),
``webhook-timestamp`` (Unix seconds) and ``webhook-signature: v1a,<base64 signature>`` over the
bytes ``{webhook-id}.{webhook-timestamp}.{body}``. The receiver verifies with the public key this
instance serves at ``GET /api/notifications/webhook-key``, rejects timestamps far from its clock,
and drops a repeated ``webhook-id``. 2xx is delivered; 4xx (except 408, 425 and 429) is permanent;
anything else is tried again later.

An organisation admin chooses the URL, so the poster calls public addresses only: a host that
resolves to a loopback, private, link-local or reserved address (this server, its network, a
cloud metadata service) fails for good, unless the operator allows it
(``webhook_allow_private_addresses``). Redirects are not followed, for the same reason.
"""

from __future__ import annotations

import base64
import ipaddress
import socket

import httpx

from ballotguard.delivery.keys import Keys
from ballotguard.errors import DeliveryFailed

RETRYABLE_4XX = frozenset({408, 425, 429})


def signature(keys: Keys, webhook_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1a," + base64.b64encode(keys.sign(signed)).decode()


def headers(keys: Keys, webhook_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(keys, webhook_id, timestamp, body),
        "idempotency-key": webhook_id,
        "user-agent": "Ballotguard-Webhooks/1",
    }


def check_public(url: str) -> None:
    """Refuse (for good) a URL whose host resolves to an address that is not public."""
    host = httpx.URL(url).host
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise DeliveryFailed("webhook", url, f"cannot resolve {host}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise DeliveryFailed(
                "webhook", url, f"{host} resolves to {address}, which is not a public address "
                "(set BALLOTGUARD_WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true to allow it)",
                permanent=True)


class WebhookPoster:
    def __init__(self, keys: Keys, timeout: float, allow_private: bool = False) -> None:
        self.keys = keys
        self.allow_private = allow_private
        self._client = httpx.Client(timeout=timeout, follow_redirects=False)

    def post(self, url: str, webhook_id: str, timestamp: int, body: bytes) -> None:
        if not self.allow_private:
            check_public(url)
        try:
            response = self._client.post(
                url, content=body, headers=headers(self.keys, webhook_id, timestamp, body))
        except httpx.HTTPError as exc:
            raise DeliveryFailed("webhook", url, f"{type(exc).__name__}: {exc}") from None
        if response.is_success:
            return
        code = response.status_code
        permanent = 400 <= code < 500 and code not in RETRYABLE_4XX
        raise DeliveryFailed("webhook", url, f"answered {code}", permanent=permanent)

    def close(self) -> None:
        self._client.close()
