"""Use cases on reports: filing, correcting, retracting, the status workflow, notes, evidence and
the reads that are logged."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import text

from ballotguard.errors import (
    AttachmentTooLarge,
    InvalidInput,
    InvalidTransition,
    OrganisationNotFound,
    PermissionDenied,
    PersonNotFound,
    ReportNotFound,
)
from ballotguard.services import reports as rs
from ballotguard.services import stakeholders
from ballotguard.services.actors import ANONYMOUS, OPERATOR, person_actor
from ballotguard.sharing import ChangeKind, Person, Report, Status
from ballotguard.sharing.search import ReportFilter
from ballotguard.vocabulary import Phase, Tlp, Vector
from support import world
from support.clock import FakeClock

from .conftest import People


def audit(people: People) -> list[tuple[str, str, str]]:
    with people.bg.uow() as uow:
        return [(e.actor, e.action, e.subject) for e in uow.audit_log.entries()]


def get(people: People, who: Person, report_id: str) -> Report:
    with people.bg.uow() as uow:
        return rs.get_report(uow, person_actor(who), report_id, people.bg.clock())


def history(people: People, who: Person, report_id: str) -> list[tuple[int, ChangeKind, str]]:
    with people.bg.uow() as uow:
        versions = rs.report_history(uow, person_actor(who), report_id, people.bg.clock())
    return [(v.version, v.change, v.reason) for v in versions]


# -- filing -------------------------------------------------------------------------------------

def test_filing_a_report(people: People, clock: FakeClock) -> None:
    filed = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER,
                       recipient_orgs=[people.cert.id])
    assert (filed.version, filed.status) == (1, Status.NEW)
    assert (filed.org_id, filed.author_id) == (people.cec.id, people.cec_reporter.id)
    assert filed.created_at == filed.updated_at == clock.now
    assert get(people, people.cert_analyst, filed.id) == filed
    assert history(people, people.cec_reporter, filed.id) == [(1, ChangeKind.CREATED, "")]
    assert (people.cec_reporter.id, "report.filed", filed.id) in audit(people)


@pytest.mark.parametrize("who", ["cec_admin", "ngo_panel", "instance_admin"])
def test_only_reporters_and_analysts_file(people: People, who: str) -> None:
    with pytest.raises(PermissionDenied) as caught:
        world.file(people.bg, getattr(people, who))
    assert caught.value.action == "file_report"
    assert_no_reports(people)


def test_nobody_files_without_signing_in(people: People) -> None:
    for actor in (ANONYMOUS, OPERATOR):
        with pytest.raises(PermissionDenied):
            world.file(people.bg, actor)
    assert_no_reports(people)


def assert_no_reports(people: People) -> None:
    with people.bg.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reports")).scalar() == 0


def test_recipients_must_exist(people: People) -> None:
    with pytest.raises(OrganisationNotFound):
        world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER, recipient_orgs=["org-ghost"])
    with pytest.raises(PersonNotFound):
        world.file(people.bg, people.cec_reporter, tlp=Tlp.RED, recipient_people=["p-ghost"])
    assert_no_reports(people)


def agreement(people: People, max_tlp: Tlp = Tlp.AMBER_STRICT,
              vectors: frozenset[Vector] = frozenset(),
              phases: frozenset[Phase] = frozenset()) -> None:
    with people.bg.uow() as uow:
        stakeholders.add_agreement(uow, person_actor(people.cec_admin), people.cec.id,
                                   people.cert.id, max_tlp, vectors, phases, people.bg.clock())


@pytest.mark.parametrize(
    ("tlp", "added"),
    [(Tlp.AMBER, True), (Tlp.AMBER_STRICT, True), (Tlp.GREEN, False), (Tlp.CLEAR, False),
     (Tlp.RED, False)],
)
def test_agreements_name_partners_on_amber_reports(people: People, tlp: Tlp, added: bool) -> None:
    agreement(people, vectors=frozenset({Vector.CYBER_INTRUSION}))
    named = [people.platform_analyst.id] if tlp is Tlp.RED else []
    filed = world.file(people.bg, people.cec_reporter, tlp=tlp, recipient_people=named,
                       recipient_orgs=[people.platform.id] if tlp is not Tlp.RED else [])
    expected = [people.platform.id] if tlp is not Tlp.RED else []
    if added:
        expected.append(people.cert.id)
    assert filed.content.recipient_orgs == expected
    readers = {p.email for p in (people.cert_analyst,) if can_get(people, p, filed.id)}
    assert bool(readers) == (added or tlp in (Tlp.CLEAR, Tlp.GREEN))


def can_get(people: People, who: Person, report_id: str) -> bool:
    try:
        get(people, who, report_id)
    except ReportNotFound:
        return False
    return True


def test_an_agreement_for_other_vectors_or_phases_names_nobody(people: People) -> None:
    agreement(people, vectors=frozenset({Vector.DISINFORMATION}))
    agreement(people, phases=frozenset({Phase.COUNTING}))
    agreement(people, max_tlp=Tlp.AMBER)
    strict = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER_STRICT)
    assert strict.content.recipient_orgs == []
    assert not can_get(people, people.cert_analyst, strict.id)


def test_an_agreement_does_not_open_older_reports(people: People) -> None:
    before = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER)
    agreement(people)
    after = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER)
    assert not can_get(people, people.cert_analyst, before.id)
    assert can_get(people, people.cert_analyst, after.id)


# -- correcting ---------------------------------------------------------------------------------

def correct(people: People, who: Person, report_id: str, reason: str = "wrong date",
            **changes: object) -> Report:
    with people.bg.uow() as uow:
        return rs.correct_report(uow, person_actor(who), report_id, world.content(**changes),
                                 reason, people.bg.clock())


def test_a_correction_keeps_the_old_text_and_the_reason(people: People, clock: FakeClock) -> None:
    filed = world.file(people.bg, people.cec_reporter, title="Portal down for two hours")
    clock.advance(hours=1)
    corrected = correct(people, people.cec_analyst, filed.id, "it was twenty minutes",
                        title="Portal down for twenty minutes")
    assert (corrected.version, corrected.updated_at, corrected.created_at) == (
        2, clock.now, filed.created_at)
    assert get(people, people.cert_analyst, filed.id).content.title == (
        "Portal down for twenty minutes")
    with people.bg.uow() as uow:
        versions = rs.report_history(uow, person_actor(people.cert_analyst), filed.id, clock.now)
    assert [(v.version, v.change, v.reason) for v in versions] == [
        (1, ChangeKind.CREATED, ""), (2, ChangeKind.CORRECTED, "it was twenty minutes")]
    assert versions[0].snapshot.content.title == "Portal down for two hours"
    assert versions[1].changed_by == people.cec_analyst.id
    assert (people.cec_analyst.id, "report.corrected", filed.id) in audit(people)


def test_a_correction_needs_a_reason(people: People) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    with pytest.raises(InvalidInput) as caught:
        correct(people, people.cec_reporter, filed.id, "  ", title="Changed")
    assert caught.value.field == "reason"
    assert get(people, people.cec_reporter, filed.id) == filed


def test_only_the_reporting_organisation_corrects(people: People) -> None:
    green = world.file(people.bg, people.cec_reporter)
    amber = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER,
                       recipient_orgs=[people.cert.id])
    with pytest.raises(PermissionDenied):
        correct(people, people.cert_analyst, green.id, title="Hijacked")
    with pytest.raises(PermissionDenied):
        correct(people, people.cert_analyst, amber.id, title="Hijacked")
    with pytest.raises(ReportNotFound):  # the platform may not even know the report exists
        correct(people, people.platform_analyst, amber.id, title="Hijacked")
    with pytest.raises(PermissionDenied):  # the panel member can read GREEN, not change it
        correct(people, people.ngo_panel, green.id, title="Hijacked")
    assert get(people, people.cec_reporter, green.id).version == 1


def test_a_correction_applies_the_agreements_again(people: People) -> None:
    agreement(people)
    filed = world.file(people.bg, people.cec_reporter, tlp=Tlp.GREEN)
    corrected = correct(people, people.cec_reporter, filed.id, "more sensitive than we thought",
                        tlp=Tlp.AMBER)
    assert corrected.content.recipient_orgs == [people.cert.id]


# -- retracting ---------------------------------------------------------------------------------

def retract(people: People, who: Person, report_id: str, reason: str = "a false alarm") -> Report:
    with people.bg.uow() as uow:
        return rs.retract_report(uow, person_actor(who), report_id, reason, people.bg.clock())


def test_a_retraction_keeps_the_report_and_its_history(people: People) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    retracted = retract(people, people.cec_reporter, filed.id, "the traffic was a test by IT")
    assert (retracted.status, retracted.version) == (Status.RETRACTED, 2)
    assert retracted.content == filed.content
    assert get(people, people.platform_analyst, filed.id).status is Status.RETRACTED
    assert history(people, people.platform_analyst, filed.id) == [
        (1, ChangeKind.CREATED, ""), (2, ChangeKind.RETRACTED, "the traffic was a test by IT")]
    with pytest.raises(InvalidTransition):
        retract(people, people.cec_reporter, filed.id)


def test_only_the_reporting_organisation_retracts(people: People) -> None:
    filed = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER,
                       recipient_orgs=[people.cert.id])
    with pytest.raises(PermissionDenied):
        retract(people, people.cert_analyst, filed.id)
    with pytest.raises(ReportNotFound):
        retract(people, people.platform_analyst, filed.id)
    with pytest.raises(InvalidInput):
        retract(people, people.cec_analyst, filed.id, reason="")
    assert retract(people, people.cec_analyst, filed.id).status is Status.RETRACTED


def test_retracting_through_the_status_door_needs_the_same_rights(people: People) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    with people.bg.uow() as uow, pytest.raises(PermissionDenied):
        rs.change_status(uow, person_actor(people.cert_analyst), filed.id, Status.RETRACTED,
                         people.bg.clock(), "not ours to retract")
    with people.bg.uow() as uow:
        done = rs.change_status(uow, person_actor(people.cec_reporter), filed.id,
                                Status.RETRACTED, people.bg.clock(), "duplicate of another")
    assert done.status is Status.RETRACTED


# -- status workflow ----------------------------------------------------------------------------

def move(people: People, who: Person, report_id: str, status: Status, reason: str = "") -> Report:
    with people.bg.uow() as uow:
        return rs.change_status(uow, person_actor(who), report_id, status, people.bg.clock(),
                                reason)


def test_the_status_workflow(people: People) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    path = [Status.TRIAGED, Status.ASSESSED, Status.CLOSED, Status.TRIAGED]
    for n, status in enumerate(path, start=2):
        moved = move(people, people.cert_analyst, filed.id, status, f"step {n}")
        assert (moved.status, moved.version) == (status, n)
    changes = history(people, people.cec_reporter, filed.id)
    assert changes[1:] == [(n, ChangeKind.STATUS, f"step {n}") for n in range(2, 6)]
    assert (people.cert_analyst.id, "report.status", filed.id) in audit(people)


@pytest.mark.parametrize(
    ("path", "wanted"),
    [([], Status.CLOSED), ([], Status.ASSESSED), ([Status.TRIAGED], Status.NEW),
     ([Status.TRIAGED], Status.CLOSED), ([Status.TRIAGED, Status.ASSESSED], Status.NEW)],
)
def test_status_changes_the_workflow_does_not_allow(
    people: People, path: list[Status], wanted: Status
) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    for status in path:
        move(people, people.cec_analyst, filed.id, status)
    with pytest.raises(InvalidTransition) as caught:
        move(people, people.cec_analyst, filed.id, wanted)
    assert caught.value.wanted == wanted.value
    assert get(people, people.cec_analyst, filed.id).version == len(path) + 1


def test_a_retracted_report_stays_retracted(people: People) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    retract(people, people.cec_reporter, filed.id)
    with pytest.raises(InvalidTransition, match="allowed: none"):
        move(people, people.cec_analyst, filed.id, Status.TRIAGED)


@pytest.mark.parametrize("who", ["cec_reporter", "ngo_panel", "cec_admin"])
def test_only_analysts_triage(people: People, who: str) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    with pytest.raises(PermissionDenied) as caught:
        move(people, getattr(people, who), filed.id, Status.TRIAGED)
    assert caught.value.action == "triage_report"


def test_an_analyst_cannot_triage_what_they_cannot_read(people: People) -> None:
    filed = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER)
    with pytest.raises(ReportNotFound):
        move(people, people.platform_analyst, filed.id, Status.TRIAGED)


def test_an_unknown_report(people: People) -> None:
    with pytest.raises(ReportNotFound):
        move(people, people.cec_analyst, "r-ghost", Status.TRIAGED)
    with pytest.raises(ReportNotFound):
        get(people, people.cec_analyst, "r-ghost")


# -- notes --------------------------------------------------------------------------------------

def note(people: People, who: Person, report_id: str, body: str) -> Report:
    with people.bg.uow() as uow:
        return rs.add_note(uow, person_actor(who), report_id, body, people.bg.clock())


def test_notes(people: People, clock: FakeClock) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    clock.advance(minutes=5)
    note(people, people.ngo_panel, filed.id, "Same lure seen in our tip line")
    clock.advance(minutes=5)
    noted = note(people, people.cert_analyst, filed.id, "Blocked the servers")
    assert [(n.author_id, n.at, n.text) for n in noted.notes] == [
        (people.ngo_panel.id, clock.now - timedelta(minutes=5),
         "Same lure seen in our tip line"),
        (people.cert_analyst.id, clock.now, "Blocked the servers")]
    assert noted.version == 3
    assert [c for _, c, _ in history(people, people.cec_reporter, filed.id)] == [
        ChangeKind.CREATED, ChangeKind.NOTE, ChangeKind.NOTE]


def test_notes_need_a_reader_with_the_right_and_some_text(people: People) -> None:
    amber = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER)
    with pytest.raises(ReportNotFound):
        note(people, people.platform_analyst, amber.id, "let me in")
    with pytest.raises(PermissionDenied):
        note(people, people.cec_admin, amber.id, "admins do not annotate")
    with pytest.raises(ValueError, match="at least 1 character"):
        note(people, people.cec_analyst, amber.id, "")
    assert get(people, people.cec_analyst, amber.id).notes == []


# -- attachments --------------------------------------------------------------------------------

EVIDENCE = b"From: payroll@cec-example.org\r\nSubject: urgent\r\n\r\nClick here.\r\n"


def attach(people: People, who: Person, report_id: str, data: bytes = EVIDENCE,
           limit: int = 1024, filename: str = "lure.eml") -> Report:
    upload = rs.Upload(filename, "message/rfc822", data)
    with people.bg.uow() as uow:
        return rs.add_attachment(uow, person_actor(who), report_id, upload, limit,
                                 people.bg.clock())


def blob_count(people: People) -> int:
    with people.bg.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM blobs")).scalar_one())


def test_an_attachment_is_stored_by_its_sha256(people: People) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    attached = attach(people, people.cec_reporter, filed.id)
    (attachment,) = attached.attachments
    digest = hashlib.sha256(EVIDENCE).hexdigest()
    assert (attachment.sha256, attachment.size, attachment.filename) == (
        digest, len(EVIDENCE), "lure.eml")
    assert attachment.added_by == people.cec_reporter.id
    with people.bg.uow() as uow:
        found, data = rs.read_attachment(uow, person_actor(people.platform_analyst), filed.id,
                                         digest, people.bg.clock())
    assert (found, data) == (attachment, EVIDENCE)
    assert (people.cec_reporter.id, "report.attachment", filed.id) in audit(people)


def test_the_same_file_is_stored_once(people: People) -> None:
    first = world.file(people.bg, people.cec_reporter)
    second = world.file(people.bg, people.cec_analyst)
    attach(people, people.cec_reporter, first.id)
    attach(people, people.cec_analyst, second.id, filename="copy.eml")
    attach(people, people.cec_analyst, second.id, filename="again.eml")
    assert blob_count(people) == 1
    attach(people, people.cec_analyst, second.id, EVIDENCE + b"\n")
    assert blob_count(people) == 2


def test_an_attachment_over_the_limit_is_refused_and_nothing_is_stored(people: People) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    with pytest.raises(AttachmentTooLarge) as caught:
        attach(people, people.cec_reporter, filed.id, b"x" * 1025, limit=1024)
    assert (caught.value.size, caught.value.limit, caught.value.field) == (1025, 1024, "attachment")
    assert blob_count(people) == 0
    assert get(people, people.cec_reporter, filed.id).attachments == []
    assert len(attach(people, people.cec_reporter, filed.id, b"x" * 1024).attachments) == 1


def test_an_empty_attachment_is_refused(people: People) -> None:
    filed = world.file(people.bg, people.cec_reporter)
    with pytest.raises(InvalidInput, match="empty"):
        attach(people, people.cec_reporter, filed.id, b"")


def test_attachments_are_as_private_as_their_report(people: People) -> None:
    amber = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER)
    attach(people, people.cec_reporter, amber.id)
    digest = hashlib.sha256(EVIDENCE).hexdigest()
    with pytest.raises(ReportNotFound):
        attach(people, people.platform_analyst, amber.id)
    with people.bg.uow() as uow, pytest.raises(ReportNotFound):
        rs.read_attachment(uow, person_actor(people.platform_analyst), amber.id, digest,
                           people.bg.clock())
    with people.bg.uow() as uow, pytest.raises(ReportNotFound):
        rs.read_attachment(uow, person_actor(people.cec_analyst), amber.id, "0" * 64,
                           people.bg.clock())


# -- reads --------------------------------------------------------------------------------------

def test_reading_a_restricted_report_is_logged(people: People) -> None:
    green = world.file(people.bg, people.cec_reporter)
    amber = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER,
                       recipient_orgs=[people.cert.id])
    get(people, people.platform_analyst, green.id)
    get(people, people.cert_analyst, amber.id)
    reads = [e for e in audit(people) if e[1] == "report.read"]
    assert reads == [(people.cert_analyst.id, "report.read", amber.id)]
    with pytest.raises(ReportNotFound):
        get(people, people.platform_analyst, amber.id)


def test_listing_restricted_reports_is_logged(people: People) -> None:
    world.file(people.bg, people.cec_reporter)
    amber = world.file(people.bg, people.cec_reporter, tlp=Tlp.AMBER,
                       recipient_orgs=[people.cert.id])
    with people.bg.uow() as uow:
        page = rs.list_reports(uow, person_actor(people.cert_analyst), ReportFilter(), 10, None,
                               people.bg.clock())
        listed = [e for e in uow.audit_log.entries() if e.action == "report.listed"]
    assert len(page.reports) == 2
    assert [(e.actor, e.detail) for e in listed] == [
        (people.cert_analyst.id, {"restricted": [amber.id]})]


@pytest.mark.parametrize("limit", [0, -1, 1001])
def test_a_page_size_out_of_bounds_is_refused(people: People, limit: int) -> None:
    with people.bg.uow() as uow, pytest.raises(InvalidInput) as caught:
        rs.list_reports(uow, person_actor(people.cec_analyst), ReportFilter(), limit, None,
                        people.bg.clock())
    assert caught.value.field == "limit"


def test_the_public_reads_clear_only(people: People) -> None:
    clear = world.file(people.bg, people.cec_reporter, tlp=Tlp.CLEAR)
    world.file(people.bg, people.cec_reporter, tlp=Tlp.GREEN)
    with people.bg.uow() as uow:
        page = rs.list_reports(uow, ANONYMOUS, ReportFilter(), 10, None, people.bg.clock())
        assert rs.count_reports(uow, ANONYMOUS, ReportFilter()) == 1
        assert rs.dashboard_counts(uow, ANONYMOUS)["tlp"] == {"CLEAR": 1}
    assert [r.id for r in page.reports] == [clear.id]
