"""The demo's expert panel: five seats held by the demo's panel members, Prof. Nadia Eriksen in
the chair. Loaded through the services, as the operator, like the rest of the demo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ballotguard.ports import UnitOfWork
from ballotguard.services import panel
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import Person

DEMO_SEATS = (
    ("gov_panel1", "Judiciary seat"),
    ("gov_panel2", "Public service seat"),
    ("vpb_panel", "Broadcasting seat"),
    ("vf_panel", "Civil society seat"),
    ("pau_panel", "Academic seat"),
)
DEMO_CHAIR = "pau_panel"


def load_panel_demo(
    uow_factory: Callable[[], UnitOfWork], people: dict[str, Person], now: datetime
) -> None:
    """Name the five seats, seat the demo's panel members and make the academic seat the chair."""
    with uow_factory() as uow:
        rules = panel.panel_rules(uow)
        if rules.seats != len(DEMO_SEATS):
            panel.configure_panel(uow, OPERATOR, now, seats_count=len(DEMO_SEATS))
        for n, (key, name) in enumerate(DEMO_SEATS, start=1):
            seat_id = f"seat-{n}"
            panel.rename_seat(uow, OPERATOR, seat_id, name, now)
            panel.assign_seat(uow, OPERATOR, seat_id, people[key].id, now)
            if key == DEMO_CHAIR:
                panel.set_chair(uow, OPERATOR, seat_id, now)
