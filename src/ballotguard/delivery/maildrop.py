"""E-mail written as ``.eml`` files into a folder instead of sent over SMTP.

For demos and trials where no mail server exists (``serve --demo`` uses ``var/mail`` when no
SMTP server is configured), and for operators who hand the files to another system. A file is
named after the message's idempotency key and written under a temporary name, then renamed: a
message sent again after a crash replaces its own file instead of adding a second one.
"""

from __future__ import annotations

import os
from email.message import Message
from pathlib import Path

from ballotguard.errors import DeliveryFailed


class MailDrop:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_of(self, mail: Message) -> Path:
        key = str(mail["Idempotency-Key"])
        return self.folder / f"{key}.eml"

    def send(self, mail: Message, recipient: str) -> None:
        target = self.path_of(mail)
        partial = target.with_suffix(".eml.partial")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(mail.as_bytes())
            os.replace(partial, target)
        except OSError as exc:
            raise DeliveryFailed("email", recipient, f"cannot write {target}: {exc}") from None

    def close(self) -> None:
        """Nothing to close; here so that the dispatcher treats both mailers alike."""
