"""A small hub for web and UI tests: an election authority, the national CERT and a platform,
each with people holding passwords and API tokens, built through the services."""

from __future__ import annotations

from dataclasses import dataclass

from ballotguard.bootstrap import Ballotguard
from ballotguard.services import auth
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import Organisation, Person, Role, Sector
from support import world

PASSWORD = "correct horse battery staple"


@dataclass
class Hub:
    bg: Ballotguard
    ea: Organisation
    cert: Organisation
    platform: Organisation
    ea_analyst: Person
    cert_analyst: Person
    platform_analyst: Person
    ea_admin: Person
    panel_member: Person
    admin: Person
    tokens: dict[str, str]

    def headers(self, person: Person) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[person.email]}"}


def _person(bg: Ballotguard, org: Organisation, email: str, *roles: Role) -> Person:
    person = world.person(bg, org, roles, email=email, name=email.split("@")[0])
    with bg.uow() as uow:
        auth.set_password(uow, OPERATOR, person, PASSWORD, bg.clock())
    return person


def build_hub(bg: Ballotguard) -> Hub:
    ea = world.org(bg, "Electoral Commission", Sector.ELECTION_AUTHORITY)
    cert = world.org(bg, "National CERT", Sector.SECURITY_AGENCY)
    platform = world.org(bg, "Chirp Social", Sector.PLATFORM)
    people = {
        "ea_analyst": _person(bg, ea, "analyst@ec.example", Role.ANALYST),
        "cert_analyst": _person(bg, cert, "analyst@cert.example", Role.ANALYST),
        "platform_analyst": _person(bg, platform, "tns@chirp.example", Role.ANALYST),
        "ea_admin": _person(bg, ea, "admin@ec.example", Role.ORG_ADMIN),
        "panel_member": _person(bg, cert, "panel@cert.example", Role.PANEL_MEMBER),
        "admin": _person(bg, ea, "root@hub.example", Role.INSTANCE_ADMIN),
    }
    tokens = {}
    for person in people.values():
        with bg.uow() as uow:
            tokens[person.email] = auth.create_token(uow, OPERATOR, person, "test", bg.clock())
    return Hub(bg, ea, cert, platform, tokens=tokens, **people)
