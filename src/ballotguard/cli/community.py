"""``ballotguard orgs|people|contacts|agreements``: the community of this instance."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from ballotguard.cli.common import JSON_OPTION, instance, print_json, print_table
from ballotguard.services import auth, stakeholders
from ballotguard.services.actors import OPERATOR
from ballotguard.sharing import ContactTopic, Role, Sector
from ballotguard.vocabulary import Phase, Tlp, Vector

orgs = typer.Typer(help="Member organisations.", no_args_is_help=True)
people = typer.Typer(help="People and their roles (least privilege).", no_args_is_help=True)
contacts = typer.Typer(help="Points of contact per organisation and topic.", no_args_is_help=True)
agreements = typer.Typer(help="Sharing agreements between organisations.", no_args_is_help=True)


@orgs.command("list")
def list_orgs(as_json: bool = JSON_OPTION) -> None:
    """Every member organisation."""
    with instance() as bg, bg.uow() as uow:
        found = uow.orgs.list()
    if as_json:
        print_json(found)
    else:
        print_table(
            "Organisations",
            ["id", "name", "sector", "country"],
            [[o.id, o.name, o.sector, o.country] for o in found],
        )


@orgs.command("create")
def create_org(
    name: str,
    sector: Sector,
    country: Annotated[str, typer.Argument(help="ISO 3166-1 alpha-2 code, e.g. CA")],
) -> None:
    """Add a member organisation (operator)."""
    with instance() as bg, bg.uow() as uow:
        org = stakeholders.create_org(uow, OPERATOR, name, sector, country.upper(), bg.clock())
    typer.echo(org.id)


@people.command("list")
def list_people(
    org: Annotated[str | None, typer.Option(help="Organisation id.")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """People, optionally of one organisation."""
    with instance() as bg, bg.uow() as uow:
        found = uow.people.list(org)
    if as_json:
        print_json(found)
    else:
        print_table(
            "People",
            ["id", "name", "email", "roles", "org"],
            [[p.id, p.name, p.email, ", ".join(sorted(p.roles)), p.org_id] for p in found],
        )


@people.command("create")
def create_person(
    org: Annotated[str, typer.Option(help="Organisation id.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    email: Annotated[str, typer.Option(help="E-mail, used to sign in.")],
    role: Annotated[list[Role], typer.Option(help="A role; repeat for several.")],
    password: Annotated[
        str | None,
        typer.Option(help="Initial password (12+ characters); prompted for when omitted."),
    ] = None,
) -> None:
    """Add a person (operator) and set their password."""
    secret = password or typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with instance() as bg:
        with bg.uow() as uow:
            person = stakeholders.create_person(
                uow, OPERATOR, org, name, email, frozenset(role), bg.clock()
            )
        with bg.uow() as uow:
            auth.set_password(uow, OPERATOR, person, secret, bg.clock())
    typer.echo(person.id)


@people.command("token")
def create_token(
    email: str, name: Annotated[str, typer.Option(help="What it is for.")] = "cli"
) -> None:
    """Create an API token acting as the person; printed once, stored hashed."""
    with instance() as bg, bg.uow() as uow:
        person = uow.people.by_email(email.lower())
        if person is None:
            raise typer.BadParameter(f"nobody with e-mail {email}")
        typer.echo(auth.create_token(uow, OPERATOR, person, name, bg.clock()))


@contacts.command("list")
def list_contacts(
    stale: Annotated[
        bool,
        typer.Option(
            "--stale", help="Only those not verified within the configured age (90 days)."
        ),
    ] = False,
    as_json: bool = JSON_OPTION,
) -> None:
    """Points of contact; ``--stale`` lists who to call now."""
    with instance() as bg, bg.uow() as uow:
        found = (
            stakeholders.stale(uow, bg.clock().date(), bg.settings.contact_max_age_days)
            if stale
            else uow.contacts.list()
        )
    if as_json:
        print_json(found)
    else:
        print_table(
            "Stale points of contact" if stale else "Points of contact",
            ["id", "org", "topic", "name", "email", "phone", "last verified"],
            [[c.id, c.org_id, c.topic, c.name, c.email, c.phone, c.last_verified] for c in found],
        )


@contacts.command("add")
def add_contact(
    org: Annotated[str, typer.Option(help="Organisation id.")],
    topic: Annotated[ContactTopic, typer.Option(help="What to call them about.")],
    name: Annotated[str, typer.Option()],
    email: Annotated[str, typer.Option()],
    phone: Annotated[str, typer.Option()] = "",
    verified: Annotated[str | None, typer.Option(help="Date last verified (YYYY-MM-DD).")] = None,
) -> None:
    """Add a point of contact (operator)."""
    with instance() as bg, bg.uow() as uow:
        when = date.fromisoformat(verified) if verified else bg.clock().date()
        contact = stakeholders.add_contact(
            uow, OPERATOR, org, topic, name, email, phone, when, bg.clock()
        )
    typer.echo(contact.id)


@contacts.command("verify")
def verify_contact(contact_id: str) -> None:
    """Record that the contact's details were checked today."""
    with instance() as bg, bg.uow() as uow:
        stakeholders.verify_contact(uow, OPERATOR, contact_id, bg.clock())
    typer.echo("verified")


@agreements.command("list")
def list_agreements(as_json: bool = JSON_OPTION) -> None:
    """Every sharing agreement."""
    with instance() as bg, bg.uow() as uow:
        found = uow.agreements.list()
    if as_json:
        print_json(found)
    else:
        print_table(
            "Sharing agreements",
            ["id", "from", "to", "up to", "vectors", "phases"],
            [
                [
                    a.id,
                    a.from_org,
                    a.to_org,
                    a.max_tlp,
                    ", ".join(sorted(a.vectors)) or "all",
                    ", ".join(sorted(a.phases)) or "all",
                ]
                for a in found
            ],
        )


@agreements.command("add")
def add_agreement(
    from_org: Annotated[str, typer.Option("--from", help="Sharing organisation id.")],
    to_org: Annotated[str, typer.Option("--to", help="Receiving organisation id.")],
    max_tlp: Annotated[Tlp, typer.Option(help="AMBER or AMBER+STRICT.")] = Tlp.AMBER,
    vector: Annotated[list[Vector] | None, typer.Option(help="Repeat; none means all.")] = None,
    phase: Annotated[list[Phase] | None, typer.Option(help="Repeat; none means all.")] = None,
) -> None:
    """Agree that one organisation shares kinds of report with another (operator)."""
    with instance() as bg, bg.uow() as uow:
        agreement = stakeholders.add_agreement(
            uow,
            OPERATOR,
            from_org,
            to_org,
            max_tlp,
            frozenset(vector or []),
            frozenset(phase or []),
            bg.clock(),
        )
    typer.echo(agreement.id)
