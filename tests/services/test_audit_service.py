"""Risk-limiting audits through the services, from the example files in docs/examples/audit/ to a
confirmed outcome; a contest that fails opens a report; bad input leaves nothing half done."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ballotguard.audit.cvr import parse_cvrs
from ballotguard.audit.manifest import parse_manifest
from ballotguard.audit.workflow import (
    AuditContest,
    AuditStatus,
    ConfirmationState,
    ContestStatus,
    Decision,
    Jurisdiction,
    Method,
    Reading,
)
from ballotguard.bootstrap import Ballotguard
from ballotguard.errors import (
    InvalidAuditParameter,
    InvalidCvr,
    InvalidManifest,
    InvalidRiskLimit,
    ManifestMismatch,
    NegativeVotes,
    NoMargin,
    PermissionDenied,
    SeedTooShort,
)
from ballotguard.services import audits as service
from ballotguard.services.actors import Actor, person_actor
from ballotguard.sharing import Person, Role, Sector
from support import world

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "audit"
SEED = "32105462310542384961"
JURISDICTIONS = [Jurisdiction("Northfield", 1000), Jurisdiction("Southport", 800)]
CONTESTS = [
    AuditContest("Mayor", {"Alvarez": 1000, "Brooks": 650}, 1800, ("Alvarez",)),
    AuditContest("Measure A", {"Yes": 600, "No": 350}, 1000, ("Yes",), ("Northfield",)),
]


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def truth(jurisdiction: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """What the paper ballots say: ballot id -> contest -> marks."""
    slug = jurisdiction.lower()
    manifest = parse_manifest(example(f"{slug}-manifest.csv"), jurisdiction)
    contests = {c.name: list(c.tally) for c in CONTESTS if c.in_jurisdiction(jurisdiction)}
    parsed = parse_cvrs(example(f"{slug}-ballots.csv"), jurisdiction, contests,
                        set(manifest.iter_ballot_ids()))
    return {k: dict(v) for k, v in parsed.cards.items()}


@dataclass
class Team:
    bg: Ballotguard
    admin: Person
    managers: dict[str, Person]
    boards: dict[str, tuple[Person, Person]]
    outsider: Person

    def act(self, person: Person) -> Actor:
        return person_actor(person)


@pytest.fixture
def team(sqlite_bg: Ballotguard) -> Team:
    bg = sqlite_bg
    world.org(bg, "Central Election Commission", Sector.ELECTION_AUTHORITY)
    county = world.org(bg, "County Elections Office", Sector.ELECTION_AUTHORITY)
    admin = world.person(bg, county, [Role.AUDIT_ADMIN], "rla@county.example")
    managers, boards = {}, {}
    for j in ("Northfield", "Southport"):
        managers[j] = world.person(bg, county, [Role.JURISDICTION_MANAGER],
                                   f"manager@{j.lower()}.example")
        boards[j] = (world.person(bg, county, [Role.AUDIT_BOARD], f"board1@{j.lower()}.example"),
                     world.person(bg, county, [Role.AUDIT_BOARD], f"board2@{j.lower()}.example"))
    outsider = world.person(bg, county, [Role.AUDIT_BOARD], "board@elsewhere.example")
    return Team(bg, admin, managers, boards, outsider)


def setup_audit(team: Team, method: Method = Method.BRAVO, contests: list[AuditContest] = CONTESTS,
                risk_limit: float = 0.1) -> str:
    bg = team.bg
    with bg.uow() as uow:
        audit = service.create_audit(uow, team.act(team.admin), "County general 2026", method,
                                     risk_limit, SEED, contests, JURISDICTIONS, bg.clock())
    for j in ("Northfield", "Southport"):
        for person in (team.managers[j], *team.boards[j]):
            with bg.uow() as uow:
                service.assign_jurisdiction(uow, team.act(team.admin), audit.id, j, person.id,
                                            bg.clock())
        with bg.uow() as uow:
            service.upload_manifest(uow, team.act(team.managers[j]), audit.id, j,
                                    f"{j.lower()}-manifest.csv",
                                    example(f"{j.lower()}-manifest.csv"), bg.clock())
        if method.needs == "cvrs":
            with bg.uow() as uow:
                service.upload_cvrs(uow, team.act(team.managers[j]), audit.id, j,
                                    f"{j.lower()}-cvrs.csv", example(f"{j.lower()}-cvrs.csv"),
                                    bg.clock())
    return audit.id


def enter_round(team: Team, audit_id: str, paper: dict[str, dict[str, tuple[str, ...]]]) -> None:
    bg = team.bg
    with bg.uow() as uow:
        units = service.retrieval_list(uow, team.act(team.admin), audit_id)
    for row in units:
        if row.phantom:
            continue
        for member in team.boards[row.jurisdiction]:
            reading = Reading(marks={c: m for c, m in paper[row.unit_id].items() if m})
            with bg.uow() as uow:
                service.record_entry(uow, team.act(member), audit_id, row.unit_id, reading,
                                     bg.clock())


def paper_of_all() -> dict[str, dict[str, tuple[str, ...]]]:
    return truth("Northfield") | truth("Southport")


@pytest.mark.parametrize("method", [Method.BRAVO, Method.MINERVA, Method.ALPHA_POLLING,
                                    Method.CLCA])
def test_an_audit_from_files_to_a_confirmed_outcome(team: Team, method: Method) -> None:
    audit_id = setup_audit(team, method)
    bg, admin = team.bg, team.act(team.admin)
    with bg.uow() as uow:
        assert service.get_audit(uow, admin, audit_id).status is AuditStatus.READY
        first = service.start_round(uow, admin, audit_id, bg.clock())
    assert first.number == 1 and 0 < first.size < 1800
    paper = paper_of_all()
    for _ in range(5):
        enter_round(team, audit_id, paper)
        with bg.uow() as uow:
            _, outcome = service.measure_round(uow, admin, audit_id, bg.clock())
        if outcome.decision is Decision.STOP:
            break
        assert outcome.decision is Decision.NEXT_ROUND
        with bg.uow() as uow:
            service.start_round(uow, admin, audit_id, bg.clock())
    with bg.uow() as uow:
        audit = service.get_audit(uow, admin, audit_id)
        rounds = service.rounds(uow, admin, audit_id)
        log = [e.action for e in uow.audit_log.entries()]
    assert audit.status is AuditStatus.CONFIRMED
    assert all(c.status is ContestStatus.CONFIRMED for c in audit.contests)
    assert all(r <= 0.1 for r in rounds[-1].risks.values())
    assert audit.report_id is None
    assert log.count("audit.round_drawn") == len(rounds)
    assert "audit.round_measured" in log


def test_the_sample_is_the_reference_samplers(team: Team) -> None:
    """The draws are what Rivest's consistent_sampler gives for the seed and the manifest ids."""
    from consistent_sampler import sampler

    audit_id = setup_audit(team, Method.ALPHA_POLLING)
    bg, admin = team.bg, team.act(team.admin)
    with bg.uow() as uow:
        service.start_round(uow, admin, audit_id, bg.clock(), size=25)
        drawn = service.draws(uow, admin, audit_id)
    ids = [*parse_manifest(example("northfield-manifest.csv"), "Northfield").iter_ballot_ids(),
           *parse_manifest(example("southport-manifest.csv"), "Southport").iter_ballot_ids()]
    reference = list(sampler(ids, seed=SEED, with_replacement=False, output="id", take=25))
    assert [d.unit_id for d in drawn] == reference


def test_two_members_must_agree_and_a_disagreement_is_shown(team: Team) -> None:
    audit_id = setup_audit(team)
    bg, admin = team.bg, team.act(team.admin)
    with bg.uow() as uow:
        service.start_round(uow, admin, audit_id, bg.clock())
        row = next(r for r in service.retrieval_list(uow, admin, audit_id) if not r.phantom)
    one, two = team.boards[row.jurisdiction]
    alvarez, brooks = Reading(marks={"Mayor": ("Alvarez",)}), Reading(marks={"Mayor": ("Brooks",)})
    with bg.uow() as uow:
        first = service.record_entry(uow, team.act(one), audit_id, row.unit_id, alvarez, bg.clock())
    assert first.state is ConfirmationState.PENDING
    with bg.uow() as uow:
        again = service.record_entry(uow, team.act(one), audit_id, row.unit_id, alvarez, bg.clock())
    assert again.state is ConfirmationState.PENDING  # the same member twice is not two people
    with bg.uow() as uow:
        clash = service.record_entry(uow, team.act(two), audit_id, row.unit_id, brooks, bg.clock())
    assert clash.state is ConfirmationState.DISAGREEMENT
    assert set(clash.readings) == {one.id, two.id}
    with bg.uow() as uow:
        shown = service.discrepancies(uow, admin, audit_id)
        assert [d.kind for d in shown if d.unit_id == row.unit_id] == ["disagreement"]
        with pytest.raises(InvalidAuditParameter, match="two agreeing readings"):
            service.measure_round(uow, admin, audit_id, bg.clock())
    with bg.uow() as uow:
        fixed = service.record_entry(uow, team.act(two), audit_id, row.unit_id, alvarez, bg.clock())
    assert fixed.state is ConfirmationState.CONFIRMED and fixed.reading == alvarez
    other = next(j for j in team.boards if j != row.jurisdiction)
    with bg.uow() as uow, pytest.raises(PermissionDenied, match="assignment"):
        service.record_entry(uow, team.act(team.boards[other][0]), audit_id, row.unit_id, alvarez,
                             bg.clock())


def test_a_contest_that_fails_to_confirm_opens_a_report(team: Team) -> None:
    """The paper says Brooks won Measure A's jurisdiction's mayoral race: the audit cannot confirm
    and, once no round is expected to, requires a full hand count and files a report."""
    audit_id = setup_audit(team, Method.CLCA)
    bg, admin = team.bg, team.act(team.admin)
    paper = paper_of_all()
    flipped = {b: {c: (("Brooks",) if c == "Mayor" and m == ("Alvarez",) else m)
                   for c, m in card.items()} for b, card in paper.items()}
    with bg.uow() as uow:
        service.start_round(uow, admin, audit_id, bg.clock())
    decision = None
    for _ in range(6):
        enter_round(team, audit_id, flipped)
        with bg.uow() as uow:
            _, outcome = service.measure_round(uow, admin, audit_id, bg.clock())
        decision = outcome.decision
        if decision is not Decision.NEXT_ROUND:
            break
        with bg.uow() as uow:
            service.start_round(uow, admin, audit_id, bg.clock())
    assert decision is Decision.HAND_COUNT
    with bg.uow() as uow:
        audit = service.get_audit(uow, admin, audit_id)
        assert audit.status is AuditStatus.HAND_COUNT
        assert audit.contest("Mayor").status is ContestStatus.HAND_COUNT
        assert audit.report_id is not None
        report = uow.reports.get(audit.report_id)
        kinds = {d.kind for d in service.discrepancies(uow, admin, audit_id)}
    assert report.content.tlp.value.lower() == "amber"
    assert report.content.phase.value == "results_and_certification"
    assert "Mayor" in report.content.title
    assert len(report.content.recipient_orgs) == 1  # the other election authority
    assert "cvr_mismatch" in kinds


def test_a_full_hand_count_on_request_files_a_report(team: Team) -> None:
    audit_id = setup_audit(team)
    bg, admin = team.bg, team.act(team.admin)
    with bg.uow() as uow:
        audit = service.require_full_hand_count(uow, admin, audit_id, "Seals broken on Box 2",
                                                bg.clock())
    assert audit.status is AuditStatus.HAND_COUNT and audit.report_id
    with bg.uow() as uow:
        assert "Seals broken" in uow.reports.get(audit.report_id).content.summary


def count_rows(team: Team) -> tuple[int, int, int]:
    with team.bg.uow() as uow:
        audits = uow.audits.list()
        files = sum(len(uow.audits.files(a.id)) for a in audits)
        return len(audits), files, len(list(uow.audit_log.entries()))


@pytest.mark.parametrize(("change", "error", "named"), [
    ({"risk_limit": 1.0}, InvalidRiskLimit, "risk_limit"),
    ({"risk_limit": 0.0}, InvalidRiskLimit, "risk_limit"),
    ({"seed": "12345"}, SeedTooShort, "seed"),
    ({"contests": [AuditContest("Mayor", {"Alvarez": 900, "Brooks": 900}, 1800, ("Alvarez",))]},
     NoMargin, "contest.Mayor"),
    ({"contests": [AuditContest("Mayor", {"Alvarez": 900, "Brooks": -1}, 1800, ("Alvarez",))]},
     NegativeVotes, "tally.Brooks"),
    ({"contests": [AuditContest("Mayor", {"Alvarez": 900, "Brooks": 100}, 5000, ("Alvarez",))]},
     InvalidAuditParameter, "contests.Mayor.ballots"),
])
def test_bad_setup_is_refused_and_stores_nothing(
    team: Team, change: dict[str, object], error: type[Exception], named: str
) -> None:
    before = count_rows(team)
    args: dict[str, object] = {"risk_limit": 0.1, "seed": SEED, "contests": CONTESTS}
    args.update(change)
    with team.bg.uow() as uow, pytest.raises(error) as raised:
        service.create_audit(uow, team.act(team.admin), "Bad", Method.BRAVO,
                             args["risk_limit"], args["seed"], args["contests"],  # type: ignore[arg-type]
                             JURISDICTIONS, team.bg.clock())
    assert named in str(raised.value)
    assert count_rows(team) == before


def test_bad_files_are_refused_naming_line_and_column_and_change_nothing(team: Team) -> None:
    bg = team.bg
    with bg.uow() as uow:
        audit = service.create_audit(uow, team.act(team.admin), "Files", Method.CLCA, 0.1, SEED,
                                     CONTESTS, JURISDICTIONS, bg.clock())
    with bg.uow() as uow:
        service.assign_jurisdiction(uow, team.act(team.admin), audit.id, "Northfield",
                                    team.managers["Northfield"].id, bg.clock())
    manager = team.act(team.managers["Northfield"])
    before = count_rows(team)
    too_many = example("northfield-manifest.csv").replace("Batch 2,250", "Batch 2,251", 1)
    with bg.uow() as uow, pytest.raises(ManifestMismatch, match="1001 ballot cards, more than"):
        service.upload_manifest(uow, manager, audit.id, "Northfield", "m.csv", too_many, bg.clock())
    negative = example("northfield-manifest.csv").replace("Batch 2,250", "Batch 2,-4", 1)
    with bg.uow() as uow, pytest.raises(InvalidManifest, match=r"line 3.*Number of Ballots"):
        service.upload_manifest(uow, manager, audit.id, "Northfield", "m.csv", negative, bg.clock())
    assert count_rows(team) == before
    with bg.uow() as uow:
        service.upload_manifest(uow, manager, audit.id, "Northfield", "m.csv",
                                example("northfield-manifest.csv"), bg.clock())
    bad_cvr = example("northfield-cvrs.csv").replace("TAB-1,Batch 1,3,", "TAB-1,Batch 1,3,Nobody", 1)
    with bg.uow() as uow, pytest.raises(InvalidCvr, match="line 4, column 'Mayor'"):
        service.upload_cvrs(uow, manager, audit.id, "Northfield", "c.csv", bad_cvr, bg.clock())
    with bg.uow() as uow, pytest.raises(PermissionDenied, match="Southport"):
        service.upload_manifest(uow, manager, audit.id, "Southport", "m.csv",
                                example("southport-manifest.csv"), bg.clock())
    with bg.uow() as uow:
        assert service.get_audit(uow, team.act(team.admin), audit.id).status is AuditStatus.SETUP
        with pytest.raises(InvalidAuditParameter, match="ready or measured"):
            service.start_round(uow, team.act(team.admin), audit.id, bg.clock())


def test_cvrs_that_disagree_with_the_reported_tally_stop_the_draw(team: Team) -> None:
    contests = [CONTESTS[0], AuditContest("Measure A", {"Yes": 601, "No": 349}, 1000, ("Yes",),
                                          ("Northfield",))]
    audit_id = setup_audit(team, Method.CLCA, contests)
    with team.bg.uow() as uow, pytest.raises(InvalidAuditParameter, match="add up to 600"):
        service.start_round(uow, team.act(team.admin), audit_id, team.bg.clock())
    with team.bg.uow() as uow:
        assert uow.audits.draws(audit_id) == []
        assert service.get_audit(uow, team.act(team.admin), audit_id).round == 0


def test_retrieval_list_is_sorted_for_the_people_who_pull_ballots(team: Team) -> None:
    audit_id = setup_audit(team)
    with team.bg.uow() as uow:
        service.start_round(uow, team.act(team.admin), audit_id, team.bg.clock())
        rows = service.retrieval_list(uow, team.act(team.managers["Southport"]), audit_id,
                                      jurisdiction="Southport")
    assert rows and {r.jurisdiction for r in rows} == {"Southport"}
    order = [("Early 1", "Early 2", "Election Day").index(r.batch) * 1000 + r.position for r in rows]
    assert order == sorted(order)
    text = service.retrieval_csv(rows)
    assert text.splitlines()[0].startswith("Jurisdiction,Container,Tabulator,Batch Name")


def test_people_without_the_role_or_assignment_see_nothing(team: Team) -> None:
    audit_id = setup_audit(team)
    from ballotguard.errors import AuditNotFound

    with team.bg.uow() as uow:
        with pytest.raises(AuditNotFound):
            service.get_audit(uow, team.act(team.outsider), audit_id)
        with pytest.raises(PermissionDenied):
            service.start_round(uow, team.act(team.managers["Northfield"]), audit_id,
                                team.bg.clock())
        assert service.list_audits(uow, team.act(team.outsider)) == []


def batch_tallies(jurisdiction: str) -> tuple[str, dict[str, dict[str, dict[str, int]]]]:
    """The batch-tally CSV of a jurisdiction from its paper ballots, and the counts by batch."""
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for ballot_id, card in truth(jurisdiction).items():
        key = ballot_id.rsplit("|", 1)[0]
        for contest, marks in card.items():
            per = counts.setdefault(key, {}).setdefault(contest, {})
            for m in marks:
                per[m] = per.get(m, 0) + 1
    lines = ["Tabulator,Batch Name,Contest,Candidate,Votes"]
    for key, contests in counts.items():
        _, tabulator, batch = key.split("|")
        for contest, per in contests.items():
            lines += [f"{tabulator},{batch},{contest},{c},{v}" for c, v in per.items()]
    return "\n".join(lines) + "\n", counts


def test_a_batch_comparison_audit_confirms_from_batch_tallies(team: Team) -> None:
    bg, admin = team.bg, team.act(team.admin)
    with bg.uow() as uow:
        audit = service.create_audit(uow, admin, "MACRO", Method.MACRO, 0.1, SEED, CONTESTS,
                                     JURISDICTIONS, bg.clock())
    counted: dict[str, dict[str, dict[str, int]]] = {}
    for j in ("Northfield", "Southport"):
        for person in (team.managers[j], *team.boards[j]):
            with bg.uow() as uow:
                service.assign_jurisdiction(uow, admin, audit.id, j, person.id, bg.clock())
        manager = team.act(team.managers[j])
        text, counts = batch_tallies(j)
        counted |= counts
        with bg.uow() as uow:
            service.upload_manifest(uow, manager, audit.id, j, "m.csv",
                                    example(f"{j.lower()}-manifest.csv"), bg.clock())
        with bg.uow() as uow:
            service.upload_cvrs(uow, manager, audit.id, j, "t.csv", text, bg.clock())
    with bg.uow() as uow:
        first = service.start_round(uow, admin, audit.id, bg.clock())
        rows = service.retrieval_list(uow, admin, audit.id)
    assert first.size > 0 and all(r.position == 0 for r in rows)
    for row in rows:
        contests = [c for c in CONTESTS if c.in_jurisdiction(row.jurisdiction)]
        reading = Reading(counts={c.name: {k: counted[row.unit_id][c.name].get(k, 0)
                                           for k in c.tally} for c in contests})
        for member in team.boards[row.jurisdiction]:
            with bg.uow() as uow:
                service.record_entry(uow, team.act(member), audit.id, row.unit_id, reading,
                                     bg.clock())
    with bg.uow() as uow:
        _, outcome = service.measure_round(uow, admin, audit.id, bg.clock())
    assert outcome.decision is Decision.STOP
    assert all(m.risk <= 0.1 for m in outcome.measures.values())
