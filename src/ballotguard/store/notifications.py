"""Tables and repositories of victim notifications and the transactional outbox."""

from __future__ import annotations

from sqlalchemy.orm import Session


class SqlVictimNotifications:
    def __init__(self, session: Session) -> None:
        self.session = session


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self.session = session
