"""The demo's showcase case on its own: escalated by the CERT analyst, decided by the panel with a
recusal, briefed, and published as a public notice in English and French."""

from __future__ import annotations

from ballotguard.panel.decisions import NoticeKind
from ballotguard.services import notices, panel
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.services.demo_panel import DEMO_SEATS, load_panel_demo
from ballotguard.services.demo_showcase import CASE_TITLE, EN, FR, load_showcase_demo
from ballotguard.sharing import Person, Role, Sector
from ballotguard.vocabulary import Tlp, Vector
from services.conftest import People
from support import world


def _cast(people: People) -> dict[str, Person]:
    bg = people.bg
    cast = {key: world.person(bg, people.ngo, [Role.PANEL_MEMBER], name=key)
            for key, _ in DEMO_SEATS}
    cast["cert_analyst"] = people.cert_analyst
    load_panel_demo(bg.uow, cast, bg.clock())
    government = world.org(bg, "Office of the Prime Minister", Sector.GOVERNMENT)
    world.org(bg, "Progressive Alliance", Sector.POLITICAL_PARTY)
    with bg.uow() as uow:
        notices.configure_parties(uow, OPERATOR, government.id, people.cec.id, bg.clock())
    return cast


def test_the_showcase_publishes_a_bilingual_public_notice(people: People) -> None:
    bg = people.bg
    cast = _cast(people)
    world.file(bg, people.platform_analyst, tlp=Tlp.GREEN, vectors=[Vector.DISINFORMATION],
               title="Coordinated network amplifies the 'polling stations closed' claim")

    notice_id = load_showcase_demo(bg.uow, cast, bg.clock())

    assert notice_id is not None
    with bg.uow() as uow:
        [notice] = notices.public_notices(uow)
        [case] = panel.list_cases(uow, person_actor(cast["pau_panel"]))
        view = panel.get_case(uow, person_actor(cast["pau_panel"]), case.case.id)
    assert notice.notice.id == notice_id
    assert notice.latest is not None and notice.latest.number == 1
    assert notice.latest.content.texts["en"].title == EN.title
    assert notice.latest.content.texts["fr"].title == FR.title
    assert notice.latest.acknowledged == ()  # no flag needed acknowledging
    assert view.title == CASE_TITLE
    assert view.current_decision is not None
    assert view.current_decision.outcome is NoticeKind.PUBLIC
    assert [r.reason for r in view.recusals] == [
        "My organisation's elections desk reported on these posts."]
    assert {v.choice.value for v in view.votes} == {"public_notice"}


def test_without_a_report_of_the_claim_nothing_is_written(people: People) -> None:
    bg = people.bg
    cast = _cast(people)
    assert load_showcase_demo(bg.uow, cast, bg.clock()) is None
    with bg.uow() as uow:
        assert notices.public_notices(uow) == []
        assert panel.list_cases(uow, person_actor(cast["pau_panel"])) == []
