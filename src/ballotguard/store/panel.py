"""Tables and repository of the panel seats, cases, votes and decisions."""

from __future__ import annotations

from sqlalchemy.orm import Session


class SqlPanelStore:
    def __init__(self, session: Session) -> None:
        self.session = session
