"""The instance's Ed25519 key: it signs webhooks and derives acknowledgement tokens.

The key comes from the ``webhook_signing_key`` setting (base64 of the 32-byte seed) or, when that
is empty, from ``webhook_key_file``, created with mode 0600 on first use. It is never stored in
the database: a copy of the database neither forges webhooks nor acknowledges notifications.

Acknowledgement tokens are HMAC-SHA256 of the notification id under a key derived from the seed,
so a message resent after a crash carries the same link, and the database keeps only the token's
SHA-256 (set when the first message is sent).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ballotguard.config import Settings
from ballotguard.errors import SigningKeyUnusable

SEED_BYTES = 32


@dataclass(frozen=True)
class Keys:
    seed: bytes

    @property
    def private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def public_base64(self) -> str:
        return base64.b64encode(self.public_bytes()).decode()

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)

    def ack_token(self, notification_id: str) -> str:
        key = hashlib.sha256(b"ballotguard acknowledgement tokens\x00" + self.seed).digest()
        mac = hmac.new(key, notification_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()

    def ack_token_hash(self, notification_id: str) -> str:
        return hashlib.sha256(self.ack_token(notification_id).encode()).hexdigest()


def _decode(text: str, where: str) -> bytes:
    try:
        seed = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SigningKeyUnusable(where, "not base64") from None
    if len(seed) != SEED_BYTES:
        raise SigningKeyUnusable(where, f"{len(seed)} bytes; an Ed25519 seed has {SEED_BYTES}")
    return seed


def load_keys(settings: Settings) -> Keys:
    """The key from the setting, else from the key file (created 0600 if missing)."""
    configured = settings.webhook_signing_key.get_secret_value()
    if configured:
        return Keys(_decode(configured, "BALLOTGUARD_WEBHOOK_SIGNING_KEY"))
    path = Path(settings.webhook_key_file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        seed = os.urandom(SEED_BYTES)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it meanwhile: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.b64encode(seed).decode() + "\n")
    try:
        text = path.read_text()
    except OSError as exc:
        raise SigningKeyUnusable(str(path), exc.strerror or str(exc)) from None
    return Keys(_decode(text, str(path)))
