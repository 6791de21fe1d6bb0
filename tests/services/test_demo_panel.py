"""The demo panel: five named seats held by the demo's members, the academic seat in the chair."""

from __future__ import annotations

from ballotguard.services import panel
from ballotguard.services.demo_panel import DEMO_SEATS, load_panel_demo
from ballotguard.sharing import Role
from services.conftest import People
from support import world


def test_demo_panel_seats_five_members_with_a_chair(people: People) -> None:
    bg = people.bg
    demo = {key: world.person(bg, people.ngo, [Role.PANEL_MEMBER], name=key)
            for key, _ in DEMO_SEATS}
    load_panel_demo(bg.uow, demo, bg.clock())
    with bg.uow() as uow:
        seats = panel.seats(uow)
        assert [s.name for s in seats] == [name for _, name in DEMO_SEATS]
        assert [s.holder for s in seats] == [demo[key].id for key, _ in DEMO_SEATS]
        assert panel.is_chair(uow, demo["pau_panel"].id)
        assert not panel.is_chair(uow, demo["vf_panel"].id)
