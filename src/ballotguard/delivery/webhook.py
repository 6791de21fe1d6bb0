"""Signed webhooks after the Standard Webhooks specification (standardwebhooks.com), with its
asymmetric scheme: Ed25519 signatures, ``v1a``.

Headers: ``webhook-id`` (the outbox id: the idempotency key, also sent as ``Idempotency-Key``),
``webhook-timestamp`` (Unix seconds) and ``webhook-signature: v1a,<base64 signature>`` over the
bytes ``{webhook-id}.{webhook-timestamp}.{body}``. The receiver verifies with the public key this
instance serves at ``GET /api/notifications/webhook-key``, rejects timestamps far from its clock,
and drops a repeated ``webhook-id``. 2xx is delivered; 4xx (except 408, 425 and 429) is permanent;
anything else is tried again later.
"""

from __future__ import annotations

import base64

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


class WebhookPoster:
    def __init__(self, keys: Keys, timeout: float) -> None:
        self.keys = keys
        self._client = httpx.Client(timeout=timeout, follow_redirects=False)

    def post(self, url: str, webhook_id: str, timestamp: int, body: bytes) -> None:
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
