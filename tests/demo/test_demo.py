"""The Veldra demo: big and varied enough to tour every feature, fictional, deterministic, and
written only through the services so that the TLP rule and the audit log hold on it too."""

from __future__ import annotations

import csv
import ipaddress
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ballotguard.audit.workflow import AuditStatus, ContestStatus, Decision, Method
from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.config import Settings
from ballotguard.errors import Conflict, ReportNotFound
from ballotguard.services import audits, auth, reports, stakeholders
from ballotguard.services.actors import Actor, person_actor
from ballotguard.services.audit import verify_log
from ballotguard.services.demo import COUNTRY, DemoSummary, demo_logins, load_demo
from ballotguard.services.demo_audit import MAYOR, WARD
from ballotguard.services.demo_showcase import EN, FR
from ballotguard.sharing import ChangeKind, ObservableKind, ReadScope, Report, Role, Sector, Status
from ballotguard.sharing.search import ReportFilter
from ballotguard.vocabulary import Impact, Outcome, Phase, Tlp, Vector
from ballotguard.web.app import create_app

NOW = datetime(2026, 10, 4, 9, 30, tzinfo=UTC)
DISARM_CSV = Path(__file__).resolve().parents[3] / "shared/data/disarm/csv/techniques.csv"
DOCUMENTATION_NETS = [ipaddress.ip_network(n) for n in
                      ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def _load(path: Path, seed: int = 2026, progress: list[tuple[int, int]] | None = None
          ) -> tuple[Ballotguard, DemoSummary]:
    app = bootstrap(Settings(database_url=f"sqlite:///{path}"))
    summary = load_demo(app.uow, NOW, seed=seed,
                        on_progress=(lambda d, t: progress.append((d, t))) if progress is not None
                        else None)
    return app, summary


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ballotguard, DemoSummary]]:
    app, summary = _load(tmp_path_factory.mktemp("demo") / "demo.db")
    yield app, summary
    app.close()


def _all_reports(app: Ballotguard) -> list[Report]:
    """Every report, straight from the store with every TLP level open: the test's own eyes."""
    with app.uow() as uow:
        return uow.reports.page(ReadScope(frozenset(Tlp), None, None), ReportFilter(), 1000,
                                None).reports


def _actor(app: Ballotguard, email: str) -> Actor:
    with app.uow() as uow:
        person = uow.people.by_email(email)
    assert person is not None, email
    return person_actor(person)


def _login(summary: DemoSummary, fragment: str) -> str:
    return next(login.email for login in summary.logins if fragment in login.role)


def test_counts_are_in_the_expected_ranges(demo: tuple[Ballotguard, DemoSummary]) -> None:
    app, summary = demo
    with app.uow() as uow:
        orgs, people, contacts = uow.orgs.list(), uow.people.list(), uow.contacts.list()
        agreements = uow.agreements.list()
    assert 10 <= len(orgs) == summary.organisations <= 15
    assert 30 <= len(people) == summary.people <= 40
    assert 180 <= len(_all_reports(app)) == summary.reports <= 220
    assert 3 <= len(agreements) == summary.agreements <= 8
    assert len(contacts) == summary.contacts >= len(orgs)
    assert summary.status_changes > 100 and summary.notes > 5
    assert summary.corrections == 1 and summary.retractions == 1


def test_every_sector_is_present_and_everyone_is_fictional(
    demo: tuple[Ballotguard, DemoSummary],
) -> None:
    app, summary = demo
    with app.uow() as uow:
        orgs, people, contacts = uow.orgs.list(), uow.people.list(), uow.contacts.list()
    assert {o.sector for o in orgs} == set(Sector)
    assert {o.country for o in orgs} == {COUNTRY}
    assert all(p.email.endswith(".example") for p in people)
    assert all(c.email.endswith(".example") for c in contacts)
    assert "fictional" in summary.election and "Veldra" in summary.election
    assert summary.polling_day == (NOW + timedelta(days=21)).date()


def test_roles_follow_least_privilege(demo: tuple[Ballotguard, DemoSummary]) -> None:
    app, _ = demo
    with app.uow() as uow:
        orgs, people = uow.orgs.list(), uow.people.list()
    roles = Counter(role for p in people for role in p.roles)
    assert all(len(p.roles) == 1 for p in people)
    assert roles[Role.INSTANCE_ADMIN] == 1
    assert roles[Role.PANEL_MEMBER] == 5
    assert roles[Role.ORG_ADMIN] >= 5
    assert (roles[Role.AUDIT_ADMIN], roles[Role.JURISDICTION_MANAGER],
            roles[Role.AUDIT_BOARD]) == (1, 2, 4)
    for org in orgs:
        staff = [p for p in people if p.org_id == org.id]
        assert any(p.roles & {Role.REPORTER, Role.ANALYST} for p in staff), org.name


def test_every_vector_phase_outcome_and_tlp_level_appears(
    demo: tuple[Ballotguard, DemoSummary],
) -> None:
    app, _ = demo
    all_reports = _all_reports(app)
    contents = [r.content for r in all_reports]
    assert {v for c in contents for v in c.vectors} == set(Vector)
    assert {c.phase for c in contents} == set(Phase)
    assert {c.outcome for c in contents} == set(Outcome)
    tlps = Counter(c.tlp for c in contents)
    assert set(tlps) == set(Tlp)
    assert tlps[Tlp.GREEN] + tlps[Tlp.AMBER] > len(contents) / 2
    assert tlps[Tlp.RED] < tlps[Tlp.AMBER_STRICT] < tlps[Tlp.AMBER]
    assert all(c.recipient_people for c in contents if c.tlp is Tlp.RED)
    assert {r.status for r in all_reports} == set(Status)


def test_storylines_are_there(demo: tuple[Ballotguard, DemoSummary]) -> None:
    app, _ = demo
    titles = [r.content.title.lower() for r in _all_reports(app)]

    def some(*words: str) -> bool:
        return any(all(w in t for w in words) for t in titles)

    assert some("voter registration portal")
    assert some("leak site", "progressive alliance")
    assert some("polling stations closed")
    assert some("diaspora courier")
    assert some("ddos", "results site")


def test_public_diplomacy_is_recorded_as_acceptable_influence(
    demo: tuple[Ballotguard, DemoSummary],
) -> None:
    app, _ = demo
    diplomacy = [r for r in _all_reports(app)
                 if any("acceptable influence" in n.text for n in r.notes)]
    assert len(diplomacy) >= 5
    for report in diplomacy:
        assert report.content.tlp is Tlp.CLEAR
        assert report.content.impact is Impact.NONE
        assert report.status is Status.CLOSED


def test_observables_and_techniques_are_realistic_and_harmless(
    demo: tuple[Ballotguard, DemoSummary],
) -> None:
    app, _ = demo
    observables = [o for r in _all_reports(app) for o in r.content.observables]
    kinds = {o.kind for o in observables}
    assert kinds == set(ObservableKind)
    for o in observables:
        if o.kind is ObservableKind.IP:
            address = ipaddress.ip_address(o.value)
            assert any(address in net for net in DOCUMENTATION_NETS), o.value
        elif o.kind in (ObservableKind.DOMAIN, ObservableKind.EMAIL, ObservableKind.URL):
            host = o.value.split("@")[-1].split("/")[2] if o.kind is ObservableKind.URL \
                else o.value.split("@")[-1]
            assert host.endswith((".example", ".test")), o.value
    refs = {t for r in _all_reports(app) for t in r.content.techniques}
    assert any(t.startswith("disarm:") for t in refs) and any(t.startswith("attack:") for t in refs)
    if DISARM_CSV.exists():
        with DISARM_CSV.open(encoding="utf-8") as handle:
            known = {row["disarm_id"] for row in csv.DictReader(handle)}
        used = {t.removeprefix("disarm:") for t in refs if t.startswith("disarm:")}
        assert used <= known, used - known


def test_times_follow_the_clock(demo: tuple[Ballotguard, DemoSummary]) -> None:
    app, _ = demo
    for report in _all_reports(app):
        assert NOW - timedelta(days=65) <= report.content.observed_at < report.created_at
        assert report.created_at <= report.updated_at < NOW


def test_some_contacts_are_stale(demo: tuple[Ballotguard, DemoSummary]) -> None:
    app, summary = demo
    with app.uow() as uow:
        stale = stakeholders.stale(uow, NOW.date(), 90)
    assert 4 <= len(stale) == summary.stale_contacts <= 6
    assert all((NOW.date() - c.last_verified).days > 90 for c in stale)


def test_one_correction_and_one_retraction_keep_their_reasons(
    demo: tuple[Ballotguard, DemoSummary],
) -> None:
    app, _ = demo
    all_reports = _all_reports(app)
    retracted = [r for r in all_reports if r.status is Status.RETRACTED]
    assert len(retracted) == 1
    with app.uow() as uow:
        history = uow.reports.history(retracted[0].id)
        corrected = [r for r in all_reports
                     if any(v.change is ChangeKind.CORRECTED for v in uow.reports.history(r.id))]
        assert len(corrected) == 1
        versions = uow.reports.history(corrected[0].id)
    assert history[-1].change is ChangeKind.RETRACTED and history[-1].reason
    assert versions[0].snapshot.content.outcome is Outcome.ATTEMPTED
    assert corrected[0].content.outcome is Outcome.SUCCESSFUL


def _listed(app: Ballotguard, actor: Actor, where: ReportFilter) -> set[str]:
    seen: set[str] = set()
    cursor: str | None = None
    with app.uow() as uow:
        while True:
            page = reports.list_reports(uow, actor, where, 50, cursor, NOW)
            seen |= {r.id for r in page.reports}
            cursor = page.next_cursor
            if cursor is None:
                return seen


def test_the_amber_voter_portal_report_reaches_the_cert_but_not_the_platform(
    demo: tuple[Ballotguard, DemoSummary],
) -> None:
    app, summary = demo
    report_id = summary.showcase_report_id
    ea = _actor(app, _login(summary, "Election-authority analyst"))
    cert = _actor(app, _login(summary, "National CERT analyst"))
    platform = _actor(app, _login(summary, "Platform trust-and-safety analyst"))
    where = ReportFilter(vector=Vector.CYBER_INTRUSION, phase=Phase.VOTER_REGISTRATION)
    with app.uow() as uow:
        report = reports.get_report(uow, ea, report_id, NOW)
        assert report.content.tlp is Tlp.AMBER
        assert report.content.outcome is Outcome.ATTEMPTED
        assert cert.person is not None and cert.person.org_id in report.content.recipient_orgs
        assert reports.get_report(uow, cert, report_id, NOW).id == report_id
        with pytest.raises(ReportNotFound):
            reports.get_report(uow, platform, report_id, NOW)
    assert report_id in _listed(app, ea, where)
    assert report_id in _listed(app, cert, where)
    assert report_id not in _listed(app, platform, where)


def test_the_six_demo_logins_work(demo: tuple[Ballotguard, DemoSummary]) -> None:
    app, summary = demo
    assert len(summary.logins) == 6 and len(summary.password) >= 12
    with app.uow() as uow:
        for login in summary.logins:
            person = auth.check_password(uow, login.email, summary.password, NOW)
            assert person.email == login.email
            assert uow.orgs.get(person.org_id).name == login.organisation
    roles = {login.role: _actor(app, login.email).person for login in summary.logins}
    assert {next(iter(p.roles)) for p in roles.values() if p is not None} == {
        Role.ANALYST, Role.PANEL_MEMBER, Role.INSTANCE_ADMIN, Role.AUDIT_ADMIN}
    with app.uow() as uow:
        assert [login.email for login in demo_logins(uow)] == [
            login.email for login in summary.logins]


def test_the_portal_shows_the_showcase_notice_in_english_and_french(
    demo: tuple[Ballotguard, DemoSummary],
) -> None:
    app, _ = demo
    client = TestClient(create_app(app))
    assert EN.title in client.get("/portal/en").text
    assert FR.title in client.get("/portal/fr").text


def test_the_port_aster_audit_is_in_its_second_round(
    demo: tuple[Ballotguard, DemoSummary],
) -> None:
    app, summary = demo
    admin = _actor(app, _login(summary, "Audit administrator"))
    with app.uow() as uow:
        [audit] = audits.list_audits(uow, admin)
        rounds = audits.rounds(uow, admin, audit.id)
        progress = {p.name: p for p in audits.progress(uow, admin, audit.id)}
        found = audits.discrepancies(uow, admin, audit.id)
        pull = audits.retrieval_list(uow, admin, audit.id, jurisdiction="Old Town")
        created = uow.audits.files(audit.id)
    assert "Port Aster" in audit.name and "fictional" in audit.name
    assert str((NOW - timedelta(days=45)).date()) in audit.name
    assert audit.method is Method.CLCA and audit.status is AuditStatus.SAMPLED
    assert audit.round == 2 and len(rounds) == 2
    assert {f.kind for f in created} == {"manifest", "cvrs"} and len(created) == 4
    # Round 1 was measured: the mayor is confirmed, the ward seat needs more ballots.
    first = rounds[0]
    assert first.decision is Decision.NEXT_ROUND and first.risks[MAYOR] <= audit.risk_limit
    assert first.risks[WARD] > audit.risk_limit and first.next_size == rounds[1].size
    assert {c.name: c.status for c in audit.contests} == {
        MAYOR: ContestStatus.CONFIRMED, WARD: ContestStatus.OPEN}
    assert [(d.jurisdiction, d.kind) for d in found] == [("Old Town", "cvr_mismatch")]
    # Round 2: Harbourside's board has read its ballots, two members each; Old Town has not.
    harbour, old_town = progress["Harbourside"], progress["Old Town"]
    assert harbour.drawn == harbour.confirmed and harbour.pending == 0
    assert old_town.pending > 0 and old_town.disagreements == 0
    assert len(harbour.people) == len(old_town.people) == 3
    assert pull and all(r.jurisdiction == "Old Town" for r in pull)


def test_the_audit_administrator_sees_the_audit_in_the_browser(
    demo: tuple[Ballotguard, DemoSummary],
) -> None:
    app, summary = demo
    client = TestClient(create_app(app))
    signed = client.post("/login", data={"email": _login(summary, "Audit administrator"),
                                         "password": summary.password}, follow_redirects=False)
    assert signed.status_code == 303
    listing = client.get("/audits")
    assert listing.status_code == 200 and "Port Aster municipal by-election" in listing.text
    with app.uow() as uow:
        [audit] = uow.audits.list()
    page = client.get(f"/audits/{audit.id}")
    assert page.status_code == 200
    assert all(word in page.text for word in ("Harbourside", "Old Town", MAYOR, WARD))
    pull = client.get(f"/audits/{audit.id}/retrieval.csv", params={"jurisdiction": "Old Town"})
    assert pull.status_code == 200 and pull.text.startswith("Jurisdiction,")
    assert "Old Town|" in pull.text
    # Someone the audit does not assign does not see it.
    outsider = _actor(app, _login(summary, "National CERT analyst"))
    with app.uow() as uow:
        assert audits.list_audits(uow, outsider) == []


def test_the_audit_log_verifies(demo: tuple[Ballotguard, DemoSummary]) -> None:
    app, summary = demo
    with app.uow() as uow:
        verification = verify_log(uow)
    assert verification.entries > summary.reports + summary.status_changes


def test_loading_twice_is_refused(demo: tuple[Ballotguard, DemoSummary]) -> None:
    app, _ = demo
    with pytest.raises(Conflict):
        load_demo(app.uow, NOW)


def _fingerprint(app: Ballotguard) -> list[tuple[object, ...]]:
    """The content of the demo without the ids the services mint."""
    with app.uow() as uow:
        names = {o.id: o.name for o in uow.orgs.list()}
        emails = {p.id: p.email for p in uow.people.list()}
        contacts = [(names[c.org_id], c.topic, c.name, c.last_verified)
                    for c in uow.contacts.list()]
    rows: list[tuple[object, ...]] = [tuple(sorted(names.values())), tuple(sorted(contacts))]
    for r in sorted(_all_reports(app), key=lambda r: (r.created_at, r.content.title)):
        c = r.content
        rows.append((
            r.created_at, r.status, names[r.org_id], emails[r.author_id], c.title, c.summary,
            c.observed_at, c.phase, tuple(c.vectors), c.tlp, c.outcome, c.impact,
            tuple(c.techniques), tuple((o.kind, o.value) for o in c.observables),
            c.suspected_actor, sorted(names[o] for o in c.recipient_orgs),
            sorted(emails[p] for p in c.recipient_people), tuple(n.text for n in r.notes),
        ))
    return rows


def test_the_same_seed_gives_the_same_demo(
    demo: tuple[Ballotguard, DemoSummary], tmp_path: Path,
) -> None:
    app, summary = demo
    progress: list[tuple[int, int]] = []
    again, again_summary = _load(tmp_path / "again.db", progress=progress)
    try:
        assert _fingerprint(again) == _fingerprint(app)
        assert again_summary.reports == summary.reports
    finally:
        again.close()
    done = [d for d, _ in progress]
    assert done == list(range(1, len(progress) + 1))
    assert progress[-1][0] == progress[-1][1]


def test_another_seed_gives_another_demo(
    demo: tuple[Ballotguard, DemoSummary], tmp_path: Path,
) -> None:
    app, _ = demo
    other, _ = _load(tmp_path / "other.db", seed=7)
    try:
        assert _fingerprint(other) != _fingerprint(app)
    finally:
        other.close()
