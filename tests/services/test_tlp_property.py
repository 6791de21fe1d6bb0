"""TLP 2.0 on every read path, as a property (hypothesis).

Hypothesis generates a world: organisations, people with roles, sharing agreements, and reports of
every TLP level with recipient organisations and (for RED) named people, filed through the
services, some of them retracted. Then, for every person and for the public, every read path —
``list_reports`` (all pages, with and without filters), ``get_report`` (every report id),
``count_reports`` and ``dashboard_counts`` — must return exactly what may be read: nothing the rule
forbids, and everything it allows.

What "may be read" means is written here a second time, straight from the table in DESIGN.md and
independently of ``ballotguard.sharing``:

    CLEAR         anyone, the public included
    GREEN         every member organisation (every signed-in person)
    AMBER         the reporting organisation and the recipient organisations
    AMBER+STRICT  the same
    RED           the named people and the author

and agreements add their partner as a recipient organisation to AMBER and AMBER+STRICT reports
only, when the agreement's vectors and phases (empty = all) match and its maximum level allows.
The test checks that ``sharing.can_read`` agrees with this oracle, and that the services agree
with both.

The run on SQLite uses a fresh database file per example; the smaller run on PostgreSQL a fresh
schema per example on the session's throwaway server.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import false, true

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.config import Settings
from ballotguard.errors import PermissionDenied, ReportNotFound
from ballotguard.services import reports as rs
from ballotguard.services import stakeholders as sh
from ballotguard.services.actors import ANONYMOUS, OPERATOR, Actor, person_actor
from ballotguard.sharing import (
    Audience,
    Organisation,
    Person,
    Reader,
    Report,
    Role,
    Sector,
    SharingAgreement,
    Status,
    agreement_recipients,
    can_read,
)
from ballotguard.sharing.search import ReportFilter
from ballotguard.vocabulary import Outcome, Phase, Tlp, Vector
from support import world
from support.clock import FakeClock
from support.postgres import PostgresServer

SQLITE_EXAMPLES = 100
POSTGRES_EXAMPLES = 20

# The TLP table of DESIGN.md, by name, so that nothing of the product decides the oracle.
NARROWING = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
PHASES = [Phase.CAMPAIGN, Phase.VOTING_EARLY, Phase.COUNTING]
VECTORS = [Vector.CYBER_INTRUSION, Vector.DISINFORMATION, Vector.HACK_AND_LEAK]
ROLES = [Role.REPORTER, Role.ANALYST, Role.PANEL_MEMBER, Role.ORG_ADMIN]
WORDS = ["Phishing", "Leak", "Bots", "Flood"]
ELECTIONS = ["General election 2026", "Municipal by-election"]


# -- the plan hypothesis draws ------------------------------------------------------------------

@dataclass(frozen=True)
class AgreementPlan:
    from_org: int
    to_org: int
    max_tlp: Tlp
    vectors: frozenset[Vector]
    phases: frozenset[Phase]


@dataclass(frozen=True)
class ReportPlan:
    author: int
    tlp: Tlp
    recipient_orgs: tuple[int, ...]
    recipient_people: tuple[int, ...]
    phase: Phase
    vectors: tuple[Vector, ...]
    outcome: Outcome
    election: str
    word: str
    retract: bool
    seconds_later: int


@dataclass(frozen=True)
class Plan:
    orgs: int
    people: tuple[tuple[int, frozenset[Role]], ...]
    agreements: tuple[AgreementPlan, ...]
    reports: tuple[ReportPlan, ...]
    filters: tuple[tuple[str, object], ...]
    page_size: int


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    orgs = draw(st.integers(1, 4))
    people = tuple(draw(st.lists(
        st.tuples(st.integers(0, orgs - 1), st.frozensets(st.sampled_from(ROLES), min_size=1,
                                                          max_size=2)),
        min_size=1, max_size=6)))
    agreements: list[AgreementPlan] = []
    if orgs > 1:
        for _ in range(draw(st.integers(0, 3))):
            source = draw(st.integers(0, orgs - 1))
            partner = draw(st.sampled_from([o for o in range(orgs) if o != source]))
            agreements.append(AgreementPlan(
                source, partner, draw(st.sampled_from([Tlp.AMBER, Tlp.AMBER_STRICT])),
                draw(st.frozensets(st.sampled_from(VECTORS), max_size=2)),
                draw(st.frozensets(st.sampled_from(PHASES), max_size=2))))
    reports = []
    for _ in range(draw(st.integers(0, 9))):
        tlp = draw(st.sampled_from(list(Tlp)))
        named = draw(st.lists(st.integers(0, len(people) - 1), max_size=2, unique=True))
        if tlp is Tlp.RED and not named:
            named = [draw(st.integers(0, len(people) - 1))]
        reports.append(ReportPlan(
            author=draw(st.integers(0, len(people) - 1)),
            tlp=tlp,
            recipient_orgs=tuple(draw(st.lists(st.integers(0, orgs - 1), max_size=2,
                                               unique=True))),
            recipient_people=tuple(named),
            phase=draw(st.sampled_from(PHASES)),
            vectors=tuple(draw(st.lists(st.sampled_from(VECTORS), min_size=1, max_size=2,
                                        unique=True))),
            outcome=draw(st.sampled_from(list(Outcome))),
            election=draw(st.sampled_from(ELECTIONS)),
            word=draw(st.sampled_from(WORDS)),
            retract=draw(st.booleans()),
            seconds_later=draw(st.integers(0, 2)),  # 0: the same time as the last, a tie
        ))
    filters = tuple(draw(st.lists(st.one_of(
        st.tuples(st.just("phase"), st.sampled_from(PHASES)),
        st.tuples(st.just("vector"), st.sampled_from(VECTORS)),
        st.tuples(st.just("status"), st.sampled_from([Status.NEW, Status.RETRACTED])),
        st.tuples(st.just("tlp"), st.sampled_from(list(Tlp))),
        st.tuples(st.just("outcome"), st.sampled_from(list(Outcome))),
        st.tuples(st.just("org"), st.integers(0, orgs - 1)),
        st.tuples(st.just("election"), st.sampled_from(ELECTIONS)),
        st.tuples(st.just("text"), st.sampled_from([w.upper() for w in WORDS] + ["zzz"])),
        st.tuples(st.just("include_retracted"), st.just(False)),
    ), min_size=1, max_size=2)))
    return Plan(orgs, people, tuple(agreements), tuple(reports), filters,
                draw(st.integers(1, 4)))


# -- the oracle, from DESIGN.md -----------------------------------------------------------------

@dataclass
class Filed:
    """What the test knows about a filed report, from the plan alone."""

    id: str
    plan: ReportPlan
    title: str
    org_id: str
    author_id: str
    recipient_orgs: set[str]
    recipient_people: set[str]
    status: Status
    order: tuple[object, str] = field(default=("", ""))


def may_read(reader: Person | None, report: Filed) -> bool:
    level = report.plan.tlp.value
    if level == "CLEAR":
        return True
    if reader is None:  # the public
        return False
    if level == "GREEN":
        return True
    if level in ("AMBER", "AMBER+STRICT"):
        return reader.org_id == report.org_id or reader.org_id in report.recipient_orgs
    assert level == "RED"
    return reader.id == report.author_id or reader.id in report.recipient_people


def agreement_adds(a: AgreementPlan, org_ids: list[str], source: str, r: ReportPlan) -> bool:
    return (
        org_ids[a.from_org] == source
        and r.tlp.value in ("AMBER", "AMBER+STRICT")
        and NARROWING.index(r.tlp.value) <= NARROWING.index(a.max_tlp.value)
        and (not a.vectors or bool(a.vectors & set(r.vectors)))
        and (not a.phases or r.phase in a.phases)
    )


def matches(report: Filed, key: str, value: object, org_ids: list[str]) -> bool:
    plan = report.plan
    return {
        "phase": lambda: plan.phase is value,
        "vector": lambda: value in plan.vectors,
        "status": lambda: report.status is value,
        "tlp": lambda: plan.tlp is value,
        "outcome": lambda: plan.outcome is value,
        "org": lambda: report.org_id == org_ids[value],  # type: ignore[index]
        "election": lambda: plan.election == value,
        "text": lambda: str(value).lower() in report.title.lower(),
        "include_retracted": lambda: report.status is not Status.RETRACTED,
    }[key]()


def report_filter(key: str, value: object, org_ids: list[str]) -> ReportFilter:
    if key == "org":
        return ReportFilter(org_id=org_ids[value])  # type: ignore[index]
    return ReportFilter(**{key: value})  # type: ignore[arg-type]


# -- building the world through the services ----------------------------------------------------

def build(bg: Ballotguard, clock: FakeClock, plan: Plan
          ) -> tuple[list[str], list[Person], list[Filed]]:
    with bg.uow() as uow:
        orgs: list[Organisation] = [
            sh.create_org(uow, OPERATOR, f"Org {n}", Sector.ELECTION_AUTHORITY, "XA", clock.now)
            for n in range(plan.orgs)]
    org_ids = [o.id for o in orgs]
    people = []
    for n, (org, roles) in enumerate(plan.people):
        with bg.uow() as uow:
            people.append(sh.create_person(uow, OPERATOR, org_ids[org], f"P{n}",
                                           f"p{n}@example.org", roles, clock.now))
    for a in plan.agreements:
        with bg.uow() as uow:
            sh.add_agreement(uow, OPERATOR, org_ids[a.from_org], org_ids[a.to_org], a.max_tlp,
                             a.vectors, a.phases, clock.now)
    filed = []
    for n, r in enumerate(plan.reports):
        clock.advance(seconds=r.seconds_later)
        author = people[r.author]
        given_orgs = [org_ids[o] for o in r.recipient_orgs]
        named = [people[p].id for p in r.recipient_people]
        content = world.content(
            title=f"{r.word} report {n}", tlp=r.tlp, phase=r.phase, vectors=list(r.vectors),
            outcome=r.outcome, election=r.election, recipient_orgs=given_orgs,
            recipient_people=named)
        with bg.uow() as uow:
            if Role.REPORTER not in author.roles and Role.ANALYST not in author.roles:
                with pytest.raises(PermissionDenied):
                    rs.file_report(uow, person_actor(author), content, clock.now)
                continue
            report = rs.file_report(uow, person_actor(author), content, clock.now)
        # the agreements' partners, worked out from the plan, must be exactly what was added
        added = {org_ids[a.to_org] for a in plan.agreements
                 if agreement_adds(a, org_ids, author.org_id, r)} - {author.org_id}
        assert set(report.content.recipient_orgs) == set(given_orgs) | added
        assert report.content.recipient_orgs[:len(given_orgs)] == given_orgs
        status = Status.NEW
        if r.retract:
            with bg.uow() as uow:
                rs.retract_report(uow, person_actor(author), report.id, "withdrawn", clock.now)
            status = Status.RETRACTED
        filed.append(Filed(report.id, r, content.title, author.org_id, author.id,
                           set(given_orgs) | added, set(named), status,
                           (report.created_at, report.id)))
    return org_ids, people, filed


def walk(bg: Ballotguard, actor: Actor, where: ReportFilter, limit: int) -> list[Report]:
    seen: list[Report] = []
    cursor = None
    while True:
        with bg.uow() as uow:
            page = rs.list_reports(uow, actor, where, limit, cursor, bg.clock())
        seen.extend(page.reports)
        if page.next_cursor is None:
            return seen
        assert len(page.reports) == limit
        cursor = page.next_cursor


def check_world(bg: Ballotguard, clock: FakeClock, plan: Plan) -> None:
    org_ids, people, filed = build(bg, clock, plan)
    with bg.uow() as uow:
        stored = {f.id: uow.reports.get(f.id) for f in filed}
    newest_first = sorted(filed, key=lambda f: f.order, reverse=True)
    readers: list[Person | None] = [*people, None]
    for reader in readers:
        actor = ANONYMOUS if reader is None else person_actor(reader)
        who = PUBLIC_READER if reader is None else Reader(reader.id, reader.org_id)
        allowed = [f for f in newest_first if may_read(reader, f)]
        allowed_ids = {f.id for f in allowed}

        # the domain rule agrees with the table
        for f in filed:
            assert can_read(who, stored[f.id]) is (f.id in allowed_ids), (reader, f)

        # list, every page: exactly the allowed reports, newest first, none twice
        listed = walk(bg, actor, ReportFilter(), plan.page_size)
        assert [r.id for r in listed] == [f.id for f in allowed]
        with bg.uow() as uow:
            assert rs.count_reports(uow, actor, ReportFilter()) == len(allowed)

        # filtered lists and counts
        for key, value in plan.filters:
            where = report_filter(key, value, org_ids)
            want = [f.id for f in allowed if matches(f, key, value, org_ids)]
            assert [r.id for r in walk(bg, actor, where, plan.page_size)] == want, (key, value)
            with bg.uow() as uow:
                assert rs.count_reports(uow, actor, where) == len(want)

        # every report id, one by one
        for f in filed:
            with bg.uow() as uow:
                if f.id in allowed_ids:
                    assert rs.get_report(uow, actor, f.id, clock.now).id == f.id
                else:
                    with pytest.raises(ReportNotFound):
                        rs.get_report(uow, actor, f.id, clock.now)

        # the dashboard counts only what may be read
        with bg.uow() as uow:
            dashboard = rs.dashboard_counts(uow, actor)
        assert dashboard == {
            "phase": dict(Counter(f.plan.phase.value for f in allowed)),
            "vector": dict(Counter(v.value for f in allowed for v in f.plan.vectors)),
            "status": dict(Counter(f.status.value for f in allowed)),
            "tlp": dict(Counter(f.plan.tlp.value for f in allowed)),
        }


PUBLIC_READER = Reader(None, None)

# A world that reaches every branch whatever hypothesis draws: all five levels, an agreement
# that applies and one that does not, RED to a person of another organisation, a retraction.
_BY_ANALYST = [
    ReportPlan(author=0, tlp=tlp, recipient_orgs=(), recipient_people=(2,),
               phase=Phase.CAMPAIGN, vectors=(Vector.CYBER_INTRUSION,),
               outcome=Outcome.ATTEMPTED, election=ELECTIONS[0], word="Leak",
               retract=tlp is Tlp.GREEN, seconds_later=0)
    for tlp in Tlp
]
EVERY_LEVEL = Plan(
    orgs=3,
    people=((0, frozenset({Role.ANALYST})), (1, frozenset({Role.REPORTER})),
            (2, frozenset({Role.PANEL_MEMBER})), (0, frozenset({Role.ORG_ADMIN}))),
    agreements=(AgreementPlan(0, 1, Tlp.AMBER_STRICT, frozenset({Vector.CYBER_INTRUSION}),
                              frozenset()),
                AgreementPlan(0, 2, Tlp.AMBER, frozenset(), frozenset({Phase.COUNTING}))),
    reports=(
        *_BY_ANALYST,
        ReportPlan(author=1, tlp=Tlp.AMBER, recipient_orgs=(2,), recipient_people=(),
                   phase=Phase.COUNTING, vectors=(Vector.DISINFORMATION,),
                   outcome=Outcome.SUCCESSFUL, election=ELECTIONS[1], word="Bots",
                   retract=False, seconds_later=1),
        ReportPlan(author=2, tlp=Tlp.CLEAR, recipient_orgs=(), recipient_people=(),
                   phase=Phase.COUNTING, vectors=(Vector.DISINFORMATION,),
                   outcome=Outcome.SUCCESSFUL, election=ELECTIONS[1], word="Bots",
                   retract=False, seconds_later=1),
    ),
    filters=(("tlp", Tlp.AMBER), ("text", "leak")),
    page_size=2,
)

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=SQLITE_EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(plan=plans())
@example(plan=EVERY_LEVEL)
def test_every_read_path_returns_exactly_what_tlp_allows_on_sqlite(plan: Plan) -> None:
    with tempfile.TemporaryDirectory(prefix="bg-tlp-") as directory:
        clock = FakeClock()
        bg = bootstrap(Settings(database_url=f"sqlite:///{directory}/bg.db"), clock=clock)
        try:
            check_world(bg, clock, plan)
        finally:
            bg.close()


@pytest.mark.postgres
@settings(max_examples=POSTGRES_EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(plan=plans())
@example(plan=EVERY_LEVEL)
def test_every_read_path_returns_exactly_what_tlp_allows_on_postgresql(
    postgres_server: PostgresServer, postgres_database: str, plan: Plan
) -> None:
    schema = postgres_server.create_schema(postgres_database)
    clock = FakeClock()
    bg = bootstrap(Settings(database_url=postgres_server.url(postgres_database, schema)),
                   clock=clock)
    try:
        check_world(bg, clock, plan)
    finally:
        bg.close()
        postgres_server.drop_schema(postgres_database, schema)


# -- the rule itself, without a database: many more examples, in milliseconds -------------------

ORG_POOL = ["org-a", "org-b", "org-c"]
PERSON_POOL = ["p-1", "p-2", "p-3", "p-4"]


@st.composite
def audiences(draw: st.DrawFn) -> Audience:
    tlp = draw(st.sampled_from(list(Tlp)))
    return Audience(
        tlp, draw(st.sampled_from(ORG_POOL)), draw(st.sampled_from(PERSON_POOL)),
        draw(st.frozensets(st.sampled_from(ORG_POOL), max_size=2)),
        draw(st.frozensets(st.sampled_from(PERSON_POOL), min_size=int(tlp is Tlp.RED),
                           max_size=2)))


readers = st.one_of(st.just(PUBLIC_READER), st.builds(
    Reader, st.sampled_from(PERSON_POOL), st.sampled_from(ORG_POOL)))


@settings(max_examples=400)
@given(reader=readers, audience=audiences())
def test_the_rule_is_the_table(reader: Reader, audience: Audience) -> None:
    level = audience.tlp.value
    if level == "CLEAR":
        allowed = True
    elif reader.person_id is None:
        allowed = False
    elif level == "GREEN":
        allowed = True
    elif level in ("AMBER", "AMBER+STRICT"):
        allowed = reader.org_id == audience.org_id or reader.org_id in audience.recipient_orgs
    else:
        allowed = (reader.person_id == audience.author_id
                   or reader.person_id in audience.recipient_people)
    report = Report(
        id="r", version=1, org_id=audience.org_id, author_id=audience.author_id,
        status=Status.NEW, created_at=world.OBSERVED, updated_at=world.OBSERVED,
        content=world.content(tlp=audience.tlp, recipient_orgs=sorted(audience.recipient_orgs),
                              recipient_people=sorted(audience.recipient_people)))
    assert Audience.of(report) == audience
    assert can_read(reader, report) is allowed


@settings(max_examples=300)
@given(
    agreements=st.lists(st.builds(
        SharingAgreement, st.just("a"), st.sampled_from(ORG_POOL), st.sampled_from(ORG_POOL),
        st.sampled_from(list(Tlp)), st.frozensets(st.sampled_from(VECTORS), max_size=2),
        st.frozensets(st.sampled_from(PHASES), max_size=2), st.booleans()), max_size=4),
    source=st.sampled_from(ORG_POOL),
    tlp=st.sampled_from(list(Tlp)),
    vectors=st.frozensets(st.sampled_from(VECTORS), min_size=1),
    phase=st.sampled_from(PHASES),
)
def test_agreements_widen_amber_only_and_only_where_they_match(
    agreements: list[SharingAgreement], source: str, tlp: Tlp, vectors: frozenset[Vector],
    phase: Phase,
) -> None:
    want = {
        a.to_org for a in agreements
        if a.active and a.from_org == source and a.to_org != source
        and tlp.value in ("AMBER", "AMBER+STRICT")
        and NARROWING.index(tlp.value) <= NARROWING.index(a.max_tlp.value)
        and (not a.vectors or bool(a.vectors & vectors))
        and (not a.phases or phase in a.phases)
    }
    assert agreement_recipients(agreements, source, tlp, vectors, phase) == want


# -- the check has teeth: a store or service that leaks or hides is caught ----------------------

@pytest.mark.parametrize(
    ("target", "broken"),
    [
        ("ballotguard.store.repositories.scope_condition", lambda scope: true()),  # leaks
        ("ballotguard.store.repositories.scope_condition", lambda scope: false()),  # hides
        ("ballotguard.services.reports.can_read", lambda reader, report: True),  # leaks by id
        ("ballotguard.services.reports.can_read",
         lambda reader, report: report.content.tlp is Tlp.CLEAR),  # hides by id
    ],
    ids=["store leaks", "store hides", "service leaks", "service hides"],
)
def test_a_broken_read_path_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, broken: object
) -> None:
    clock = FakeClock()
    bg = bootstrap(Settings(database_url=f"sqlite:///{tmp_path}/bg.db"), clock=clock)
    monkeypatch.setattr(target, broken)
    try:
        with pytest.raises((AssertionError, pytest.fail.Exception, ReportNotFound)):
            check_world(bg, clock, EVERY_LEVEL)
    finally:
        bg.close()
