"""Who may read a report: the one rule, TLP 2.0 as Ballotguard applies it (DESIGN.md).

    CLEAR         anyone, the public included
    GREEN         every member organisation of this instance
    AMBER         the reporting organisation and the named recipient organisations, their staff
    AMBER+STRICT  the same organisations; never forwarded beyond them
    RED           the named people only (and the author, who named them)

A federated peer (the account that stands for another instance) reads CLEAR and GREEN only, even
where it is named: what it reads leaves this instance, and AMBER, AMBER+STRICT and RED name
organisations and people of this instance, whom the peer cannot honour.

``read_scope`` turns a reader into the set of reports they may see; ``ReadScope.admits`` is the
rule itself, and ``can_read`` is its only entry point for a single report. The store translates
the same scope into a query so that a list of a million reports is filtered by the database, and
the services still pass every row through ``can_read`` before it leaves; a property test checks
that the query and the rule never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from ballotguard.sharing.reports import Report
from ballotguard.vocabulary import Tlp


@dataclass(frozen=True, slots=True)
class Reader:
    """A person reading, or the public (no person, no organisation)."""

    person_id: str | None
    org_id: str | None
    federated: bool = False

    @property
    def is_public(self) -> bool:
        return self.person_id is None


PUBLIC = Reader(None, None)


@dataclass(frozen=True, slots=True)
class Audience:
    """The facts about a report that decide who may read it."""

    tlp: Tlp
    org_id: str
    author_id: str
    recipient_orgs: frozenset[str]
    recipient_people: frozenset[str]

    @classmethod
    def of(cls, report: Report) -> Audience:
        content = report.content
        return cls(
            content.tlp,
            report.org_id,
            report.author_id,
            frozenset(content.recipient_orgs),
            frozenset(content.recipient_people),
        )


@dataclass(frozen=True, slots=True)
class ReadScope:
    """The reports one reader may see, as data a query can be built from."""

    open_levels: frozenset[Tlp]
    org_id: str | None
    person_id: str | None

    def admits(self, audience: Audience) -> bool:
        if audience.tlp in self.open_levels:
            return True
        if audience.tlp in (Tlp.AMBER, Tlp.AMBER_STRICT):
            return self.org_id is not None and (
                audience.org_id == self.org_id or self.org_id in audience.recipient_orgs
            )
        if audience.tlp is Tlp.RED:
            return self.person_id is not None and (
                audience.author_id == self.person_id or self.person_id in audience.recipient_people
            )
        return False


def read_scope(reader: Reader) -> ReadScope:
    if reader.is_public or reader.org_id is None:
        return ReadScope(frozenset({Tlp.CLEAR}), None, None)
    if reader.federated:
        return ReadScope(frozenset({Tlp.CLEAR, Tlp.GREEN}), None, None)
    return ReadScope(frozenset({Tlp.CLEAR, Tlp.GREEN}), reader.org_id, reader.person_id)


def can_read(reader: Reader, report: Report) -> bool:
    return read_scope(reader).admits(Audience.of(report))


def readable(reader: Reader, reports: list[Report]) -> list[Report]:
    """Keep the reports the reader may see, in order."""
    scope = read_scope(reader)
    return [r for r in reports if scope.admits(Audience.of(r))]
