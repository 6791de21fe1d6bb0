"""The notices demo on its own: parties configured, voting information in both languages."""

from __future__ import annotations

from ballotguard.services import notices
from ballotguard.services.demo_notices import PAGES, load_notices_demo
from ballotguard.sharing import Role, Sector
from services.conftest import People
from support import world


def test_the_demo_configures_parties_and_voting_information(people: People) -> None:
    bg = people.bg
    gov = world.org(bg, "Office of the Prime Minister", Sector.GOVERNMENT)
    official = world.person(bg, people.cec, [Role.ELECTION_OFFICIAL], name="Lucia Brandvold")
    cast = {"gov_admin": world.person(bg, gov, [Role.ORG_ADMIN]), "vec_admin": people.cec_admin,
            "vec_official": official}
    load_notices_demo(bg.uow, cast, bg.clock())
    with bg.uow() as uow:
        required = notices.required_parties(uow)
        pages = notices.voting_pages(uow)
    assert (required.head_of_government, required.election_authority) == (gov.id, people.cec.id)
    assert {(p.slug, p.lang) for p in pages} == {(slug, lang) for slug, lang, _, _ in PAGES}
    assert {p.edited_by for p in pages} == {official.id}
