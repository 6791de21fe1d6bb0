"""Contract tests for the reports repository on SQLite and PostgreSQL: round trips, versions,
keyset pagination, filters, the TLP scope as a query, and counts."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import InvalidInput, ReportNotFound
from ballotguard.sharing import (
    Attachment,
    ChangeKind,
    Note,
    Observable,
    ObservableKind,
    Organisation,
    Person,
    ReadScope,
    Report,
    ReportContent,
    ReportVersion,
    Role,
    Sector,
    Status,
    SuspectedActor,
    Target,
)
from ballotguard.sharing.search import ReportFilter
from ballotguard.vocabulary import (
    ActorKind,
    Confidence,
    Impact,
    Outcome,
    Phase,
    SourceReliability,
    TargetKind,
    Tlp,
    Vector,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ORGS = [Organisation(f"org-{n}", f"Organisation {n}", Sector.ELECTION_AUTHORITY, "XA")
        for n in range(3)]
PEOPLE = [Person(f"p-{n}", ORGS[n % 3].id, f"Person {n}", f"p{n}@example.org",
                 frozenset({Role.ANALYST})) for n in range(4)]
EVERYTHING = ReadScope(frozenset(Tlp), None, None)


def seed(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        for org in ORGS:
            uow.orgs.add(org)
        for person in PEOPLE:
            uow.people.add(person)
        uow.commit()


def content(**changes: object) -> ReportContent:
    fields: dict[str, object] = {
        "title": "Phishing against polling staff",
        "summary": "Lure e-mails imitating the commission's payroll.",
        "observed_at": T0 - timedelta(days=1),
        "election": "General election 2026",
        "phase": Phase.CAMPAIGN,
        "vectors": [Vector.CYBER_INTRUSION],
        "outcome": Outcome.ATTEMPTED,
        "tlp": Tlp.GREEN,
    }
    fields.update(changes)
    return ReportContent(**fields)  # type: ignore[arg-type]


def report(report_id: str, at: datetime, author: Person = PEOPLE[0], version: int = 1,
           status: Status = Status.NEW, **changes: object) -> Report:
    return Report(id=report_id, version=version, org_id=author.org_id, author_id=author.id,
                  status=status, created_at=at, updated_at=at, content=content(**changes))


def version_of(r: Report, change: ChangeKind = ChangeKind.CREATED, reason: str = "") -> ReportVersion:
    return ReportVersion(report_id=r.id, version=r.version, change=change,
                         changed_by=r.author_id, changed_at=r.updated_at, reason=reason,
                         snapshot=r)


def add(bg: Ballotguard, *reports: Report) -> None:
    with bg.uow() as uow:
        for r in reports:
            uow.reports.add(r, version_of(r))
        uow.commit()


def walk(bg: Ballotguard, scope: ReadScope, where: ReportFilter, limit: int) -> list[Report]:
    """Every page, following the cursor; checks that only the last page has no cursor."""
    seen: list[Report] = []
    cursor = None
    with bg.uow() as uow:
        for _ in range(1000):
            page = uow.reports.page(scope, where, limit, cursor)
            assert len(page.reports) <= limit
            seen.extend(page.reports)
            if page.next_cursor is None:
                return seen
            assert len(page.reports) == limit
            cursor = page.next_cursor
    raise AssertionError("pagination did not end")


def newest_first(reports: list[Report]) -> list[str]:
    return [r.id for r in sorted(reports, key=lambda r: (r.created_at, r.id), reverse=True)]


# -- round trips and versions -------------------------------------------------------------------

def test_a_report_round_trips_with_everything_in_it(bg: Ballotguard) -> None:
    seed(bg)
    full = Report(
        id="r-full", version=3, org_id=ORGS[0].id, author_id=PEOPLE[0].id, status=Status.TRIAGED,
        created_at=T0, updated_at=T0 + timedelta(hours=2),
        content=content(
            tlp=Tlp.RED, recipient_people=[PEOPLE[1].id, PEOPLE[3].id],
            recipient_orgs=[ORGS[1].id],
            vectors=[Vector.HACK_AND_LEAK, Vector.DATA_THEFT],
            targets=[Target(kind=TargetKind.POLITICAL_PARTY, organisation_id=ORGS[2].id),
                     Target(kind=TargetKind.DIASPORA_COMMUNITY, description="Newspaper staff",
                            is_victim=False)],
            outcome=Outcome.SUCCESSFUL, impact=Impact.SEVERE,
            techniques=["attack:T1566.001", "disarm:T0049"],
            observables=[Observable(kind=ObservableKind.URL, value="https://Bücher.example/x?q=1"),
                         Observable(kind=ObservableKind.IP, value="2001:db8::1"),
                         Observable(kind=ObservableKind.EMAIL, value="Payroll@Example.ORG")],
            suspected_actor=SuspectedActor(kind=ActorKind.FOREIGN_STATE, name="Unit 000",
                                           confidence=Confidence.MODERATE),
            source_reliability=SourceReliability.B,
            summary="Ünïcode ✓ and a 'quote'",
        ),
        notes=[Note(author_id=PEOPLE[1].id, at=T0 + timedelta(hours=1), text="Seen at CERT too")],
        attachments=[Attachment(filename="mail.eml", media_type="message/rfc822", size=3,
                                sha256="a" * 64, added_by=PEOPLE[0].id, added_at=T0)],
    )
    add(bg, full)
    with bg.uow() as uow:
        stored = uow.reports.get("r-full")
        assert stored == full
        assert stored.created_at.utcoffset() == timedelta(0)
        assert [v.version for v in uow.reports.history("r-full")] == [3]
        with pytest.raises(ReportNotFound):
            uow.reports.get("r-missing")
        assert uow.reports.history("r-missing") == []


def test_update_replaces_the_report_and_keeps_every_version(bg: Ballotguard) -> None:
    seed(bg)
    first = report("r-1", T0, title="First wording", vectors=[Vector.DISINFORMATION],
                   tlp=Tlp.AMBER, recipient_orgs=[ORGS[1].id])
    add(bg, first)
    corrected = first.model_copy(update={
        "version": 2, "updated_at": T0 + timedelta(hours=1),
        "content": first.content.model_copy(update={
            "title": "Corrected wording", "vectors": [Vector.INAUTHENTIC_AMPLIFICATION],
            "recipient_orgs": [ORGS[2].id]}),
    })
    with bg.uow() as uow:
        uow.reports.update(corrected, version_of(corrected, ChangeKind.CORRECTED, "typo"))
        uow.commit()
    with bg.uow() as uow:
        assert uow.reports.get("r-1") == corrected
        history = uow.reports.history("r-1")
        missing = first.model_copy(update={"id": "r-missing"})
        with pytest.raises(ReportNotFound):
            uow.reports.update(missing, version_of(missing))
    assert [(v.version, v.change, v.reason) for v in history] == [
        (1, ChangeKind.CREATED, ""), (2, ChangeKind.CORRECTED, "typo")]
    assert history[0].snapshot.content.title == "First wording"
    assert history[1].snapshot == corrected
    # the filter and scope columns follow the new content, the old links are gone
    only_new_vector = ReportFilter(vector=Vector.INAUTHENTIC_AMPLIFICATION)
    assert [r.id for r in walk(bg, EVERYTHING, only_new_vector, 10)] == ["r-1"]
    assert walk(bg, EVERYTHING, ReportFilter(vector=Vector.DISINFORMATION), 10) == []
    assert walk(bg, ReadScope(frozenset(), ORGS[1].id, None), ReportFilter(), 10) == []
    assert [r.id for r in walk(bg, ReadScope(frozenset(), ORGS[2].id, None), ReportFilter(), 10)
            ] == ["r-1"]
    assert walk(bg, EVERYTHING, ReportFilter(text="first"), 10) == []


# -- keyset pagination --------------------------------------------------------------------------

@pytest.fixture
def many(bg: Ballotguard) -> list[Report]:
    """23 reports; groups of them share a creation time, so the id must break ties."""
    seed(bg)
    rng = random.Random(7)
    reports = []
    for n in range(23):
        at = T0 + timedelta(seconds=(n // 5) * 90, microseconds=(n % 2) * 500)
        reports.append(report(f"r-{rng.randrange(16**8):08x}", at))
    add(bg, *reports)
    return reports


@pytest.mark.parametrize("limit", [1, 4, 5, 7, 22, 23, 24, 100])
def test_pages_walk_every_report_once_newest_first(
    bg: Ballotguard, many: list[Report], limit: int
) -> None:
    seen = walk(bg, EVERYTHING, ReportFilter(), limit)
    ids = [r.id for r in seen]
    assert len(ids) == len(set(ids))
    assert ids == newest_first(many)


def test_a_page_that_ends_exactly_at_the_last_report_has_no_cursor(
    bg: Ballotguard, many: list[Report]
) -> None:
    with bg.uow() as uow:
        page = uow.reports.page(EVERYTHING, ReportFilter(), 23, None)
    assert len(page.reports) == 23
    assert page.next_cursor is None


def test_reports_added_after_a_cursor_was_given_do_not_shift_later_pages(
    bg: Ballotguard, many: list[Report]
) -> None:
    with bg.uow() as uow:
        first = uow.reports.page(EVERYTHING, ReportFilter(), 10, None)
    add(bg, report("r-newer", T0 + timedelta(days=1)))
    rest = []
    cursor = first.next_cursor
    with bg.uow() as uow:
        while cursor:
            page = uow.reports.page(EVERYTHING, ReportFilter(), 10, cursor)
            rest.extend(page.reports)
            cursor = page.next_cursor
    assert [r.id for r in first.reports + rest] == newest_first(many)


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "|r-1", "2026-11-02T09:00:00+00:00|", "not-a-date|r-1",
     "2026-11-02T09:00:00|r-1"],  # the last has no time zone: no cursor this server gives out
)
def test_a_cursor_the_server_did_not_give_is_refused(bg: Ballotguard, cursor: str) -> None:
    with bg.uow() as uow, pytest.raises(InvalidInput) as caught:
        uow.reports.page(EVERYTHING, ReportFilter(), 10, cursor)
    assert caught.value.field == "cursor"


# -- filters ------------------------------------------------------------------------------------

TITLES = ["Phishing wave against polling staff", "Fake 'polling stations closed' posts",
          "DDoS on results site", "Diaspora newspaper pressured", "Leak of party e-mails"]


@pytest.fixture
def varied(bg: Ballotguard) -> list[Report]:
    seed(bg)
    rng = random.Random(11)
    reports = []
    for n in range(40):
        author = PEOPLE[rng.randrange(len(PEOPLE))]
        reports.append(report(
            f"r-{n:03d}", T0 + timedelta(minutes=rng.randrange(30)), author=author,
            status=rng.choice(list(Status)),
            title=rng.choice(TITLES) + f" #{n}",
            summary=rng.choice(["", "Seen by the CERT", "Reported by a FACT-checker"]),
            election=rng.choice(["General election 2026", "Municipal by-election"]),
            phase=rng.choice([Phase.CAMPAIGN, Phase.VOTING_EARLY, Phase.COUNTING]),
            vectors=rng.sample(list(Vector)[:4], rng.randint(1, 2)),
            outcome=rng.choice(list(Outcome)),
            tlp=rng.choice([Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER]),
        ))
    add(bg, *reports)
    return reports


def expected(reports: list[Report], where: ReportFilter) -> list[str]:
    """The filter rule written out independently of ``ReportFilter.matches``."""
    def keep(r: Report) -> bool:
        c = r.content
        checks = [
            where.phase is None or c.phase is where.phase,
            where.vector is None or where.vector in c.vectors,
            where.status is None or r.status is where.status,
            where.tlp is None or c.tlp is where.tlp,
            where.outcome is None or c.outcome is where.outcome,
            where.org_id is None or r.org_id == where.org_id,
            where.election is None or c.election == where.election,
            not where.text or where.text.lower() in (c.title + "\n" + c.summary).lower(),
        ]
        return all(checks)
    return newest_first([r for r in reports if keep(r)])


FILTERS = [
    ReportFilter(),
    ReportFilter(phase=Phase.VOTING_EARLY),
    ReportFilter(vector=Vector.DISINFORMATION),
    ReportFilter(status=Status.TRIAGED),
    ReportFilter(tlp=Tlp.AMBER),
    ReportFilter(outcome=Outcome.SUCCESSFUL),
    ReportFilter(org_id="org-1"),
    ReportFilter(election="Municipal by-election"),
    ReportFilter(text="POLLING"),
    ReportFilter(text="fact-check"),
    ReportFilter(text="no such words"),
    ReportFilter(phase=Phase.CAMPAIGN, vector=Vector.CYBER_INTRUSION, outcome=Outcome.ATTEMPTED),
    ReportFilter(org_id="org-0", tlp=Tlp.GREEN, election="General election 2026"),
    ReportFilter(phase=Phase.POST_ELECTION),
]


@pytest.mark.parametrize("where", FILTERS, ids=lambda f: repr(f).removeprefix("ReportFilter"))
def test_filters_return_exactly_the_matching_reports(
    bg: Ballotguard, varied: list[Report], where: ReportFilter
) -> None:
    want = expected(varied, where)
    assert [r.id for r in walk(bg, EVERYTHING, where, 6)] == want
    with bg.uow() as uow:
        assert uow.reports.count(EVERYTHING, where) == len(want)
    assert [r.id for r in varied if where.matches(r)] == [r.id for r in varied
                                                         if r.id in set(want)]


@pytest.mark.parametrize("needle", ["%", "_", "50%", "a_b", "\\"])
def test_text_search_takes_wildcards_literally(bg: Ballotguard, needle: str) -> None:
    seed(bg)
    add(bg, report("r-plain", T0, title="Plain title", summary="nothing special"),
        report("r-special", T0, title="Turnout 50% down in a_b district", summary="back\\slash"))
    where = ReportFilter(text=needle)
    assert [r.id for r in walk(bg, EVERYTHING, where, 10)] == ["r-special"]
    with bg.uow() as uow:
        assert uow.reports.count(EVERYTHING, where) == 1


@pytest.mark.parametrize("needle", ["élection", "ÉLECTION", "Élection présidentielle"])
def test_text_search_ignores_case_beyond_ascii(bg: Ballotguard, needle: str) -> None:
    seed(bg)
    add(bg, report("r-fr", T0, title="Fuite avant l'ÉLECTION PRÉSIDENTIELLE"),
        report("r-en", T0, title="Leak before the election"))
    where = ReportFilter(text=needle)
    assert [r.id for r in walk(bg, EVERYTHING, where, 10)] == ["r-fr"]


# -- the TLP scope as a query -------------------------------------------------------------------

@pytest.fixture
def levels(bg: Ballotguard) -> dict[str, Report]:
    """One report per TLP level, by org-0's person p-0, naming org-1 and person p-1."""
    seed(bg)
    made = {
        "clear": report("r-clear", T0, tlp=Tlp.CLEAR),
        "green": report("r-green", T0, tlp=Tlp.GREEN),
        "amber": report("r-amber", T0, tlp=Tlp.AMBER, recipient_orgs=[ORGS[1].id]),
        "strict": report("r-strict", T0, tlp=Tlp.AMBER_STRICT, recipient_orgs=[ORGS[1].id]),
        "red": report("r-red", T0, tlp=Tlp.RED, recipient_people=[PEOPLE[1].id]),
        "amber-plain": report("r-amber-plain", T0, tlp=Tlp.AMBER),
    }
    add(bg, *made.values())
    return made


PUBLIC_SCOPE = ReadScope(frozenset({Tlp.CLEAR}), None, None)


def member(person: Person) -> ReadScope:
    return ReadScope(frozenset({Tlp.CLEAR, Tlp.GREEN}), person.org_id, person.id)


@pytest.mark.parametrize(
    ("scope", "visible"),
    [
        (PUBLIC_SCOPE, {"r-clear"}),
        (member(PEOPLE[0]), {"r-clear", "r-green", "r-amber", "r-strict", "r-red",
                             "r-amber-plain"}),  # author, reporting organisation
        (member(PEOPLE[1]), {"r-clear", "r-green", "r-amber", "r-strict", "r-red"}),
        (member(PEOPLE[2]), {"r-clear", "r-green"}),  # org-2: member only
        (member(PEOPLE[3]), {"r-clear", "r-green", "r-amber", "r-strict", "r-amber-plain"}),
        (ReadScope(frozenset(), None, None), set()),
    ],
)
def test_the_scope_query_admits_what_the_rule_admits(
    bg: Ballotguard, levels: dict[str, Report], scope: ReadScope, visible: set[str]
) -> None:
    from ballotguard.sharing import Audience

    assert {r.id for r in levels.values() if scope.admits(Audience.of(r))} == visible
    assert {r.id for r in walk(bg, scope, ReportFilter(), 2)} == visible
    with bg.uow() as uow:
        assert uow.reports.count(scope, ReportFilter()) == len(visible)
        assert sum(uow.reports.count_by(scope, "tlp").values()) == len(visible)


# -- counts -------------------------------------------------------------------------------------

def test_count_by_every_dimension(bg: Ballotguard, varied: list[Report]) -> None:
    scope = ReadScope(frozenset({Tlp.CLEAR, Tlp.GREEN}), None, None)
    seen = [r for r in varied if r.content.tlp in (Tlp.CLEAR, Tlp.GREEN)]
    want = {
        "phase": Counter(r.content.phase.value for r in seen),
        "vector": Counter(v.value for r in seen for v in r.content.vectors),
        "status": Counter(r.status.value for r in seen),
        "tlp": Counter(r.content.tlp.value for r in seen),
        "outcome": Counter(r.content.outcome.value for r in seen),
    }
    with bg.uow() as uow:
        for dimension, counts in want.items():
            assert uow.reports.count_by(scope, dimension) == dict(counts), dimension
        with pytest.raises(InvalidInput):
            uow.reports.count_by(scope, "title")


def test_counts_of_an_empty_store(bg: Ballotguard) -> None:
    with bg.uow() as uow:
        assert uow.reports.count(EVERYTHING, ReportFilter()) == 0
        assert uow.reports.count_by(EVERYTHING, "vector") == {}
        page = uow.reports.page(EVERYTHING, ReportFilter(), 10, None)
    assert page.reports == []
    assert page.next_cursor is None
