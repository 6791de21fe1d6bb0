"""Tables and repository of the briefings, public notices and voting information pages."""

from __future__ import annotations

from sqlalchemy.orm import Session


class SqlNoticeStore:
    def __init__(self, session: Session) -> None:
        self.session = session
