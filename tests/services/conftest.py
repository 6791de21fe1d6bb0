"""A small world for the use-case tests: an election authority, the CERT, a platform and a
civil-society group, with one person per role that matters."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ballotguard.bootstrap import Ballotguard
from ballotguard.services.actors import Actor, person_actor
from ballotguard.sharing import Organisation, Person, Role, Sector
from support import world


@dataclass
class People:
    bg: Ballotguard
    cec: Organisation
    cert: Organisation
    platform: Organisation
    ngo: Organisation
    cec_reporter: Person
    cec_analyst: Person
    cec_admin: Person
    cert_analyst: Person
    platform_analyst: Person
    ngo_panel: Person
    instance_admin: Person

    def actor(self, person: Person) -> Actor:
        return person_actor(person)


def build(bg: Ballotguard) -> People:
    cec = world.org(bg, "Central Election Commission", Sector.ELECTION_AUTHORITY)
    cert = world.org(bg, "National CERT", Sector.SECURITY_AGENCY)
    platform = world.org(bg, "Agora Social", Sector.PLATFORM)
    ngo = world.org(bg, "Open Ballot Watch", Sector.CIVIL_SOCIETY)
    return People(
        bg, cec, cert, platform, ngo,
        cec_reporter=world.person(bg, cec, [Role.REPORTER], "reporter@cec.example"),
        cec_analyst=world.person(bg, cec, [Role.ANALYST], "analyst@cec.example"),
        cec_admin=world.person(bg, cec, [Role.ORG_ADMIN], "admin@cec.example"),
        cert_analyst=world.person(bg, cert, [Role.ANALYST], "analyst@cert.example"),
        platform_analyst=world.person(bg, platform, [Role.ANALYST], "tns@agora.example"),
        ngo_panel=world.person(bg, ngo, [Role.PANEL_MEMBER], "panel@watch.example"),
        instance_admin=world.person(bg, cert, [Role.INSTANCE_ADMIN], "root@hub.example"),
    )


@pytest.fixture
def people(sqlite_bg: Ballotguard) -> People:
    return build(sqlite_bg)
