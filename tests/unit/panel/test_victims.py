"""Victim notifications, the pure rules: who is owed, who receives, what the notice says, when
to remind and escalate."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballotguard.panel.victims import (
    ACK_PLACEHOLDER,
    Change,
    Context,
    Next,
    Progress,
    Purpose,
    State,
    Victim,
    change_for,
    compose,
    is_overdue,
    next_step,
    owed,
    recipients,
    reporter_contact,
)
from ballotguard.sharing import (
    ContactTopic,
    Organisation,
    PointOfContact,
    Report,
    ReportContent,
    Sector,
    Status,
    Target,
)
from ballotguard.vocabulary import Outcome, Phase, TargetKind, Tlp, Vector

T0 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)
VICTIM_ORG = Organisation("org-v", "Veldra Green Party", Sector.POLITICAL_PARTY, "XV")
REPORTER_ORG = Organisation("org-r", "National CERT", Sector.SECURITY_AGENCY, "XV")


def report(targets: list[Target], outcome: Outcome = Outcome.ATTEMPTED,
           status: Status = Status.NEW, tlp: Tlp = Tlp.GREEN) -> Report:
    content = ReportContent(
        title="Phishing against the party's treasurer", summary="Spoofed invoices, 14 mails.",
        observed_at=T0, election="General election", phase=Phase.CAMPAIGN,
        vectors=[Vector.CYBER_INTRUSION, Vector.DATA_THEFT], targets=targets, outcome=outcome,
        tlp=tlp, recipient_people=["p-x"] if tlp is Tlp.RED else [],
    )
    return Report(id="r1", version=1, org_id="org-r", author_id="p-r", status=status,
                  created_at=T0, updated_at=T0, content=content)


def contact(topic: ContactTopic, name: str, alternate: bool = False) -> PointOfContact:
    return PointOfContact(f"c-{name}", "org-v", topic, name, f"{name}@v.example", "+1",
                          date(2026, 10, 1), is_alternate=alternate)


def test_an_attempt_owes_a_notification_like_a_breach() -> None:
    target = Target(kind=TargetKind.POLITICAL_PARTY, organisation_id="org-v")
    for outcome in Outcome:
        assert owed(report([target], outcome)).victims == (
            Victim("org-v", TargetKind.POLITICAL_PARTY, "", False),)


def test_victims_without_organisation_are_listed_not_dropped_and_bystanders_are_skipped() -> None:
    result = owed(report([
        Target(kind=TargetKind.VOTERS, description="voters of Port Aster"),
        Target(kind=TargetKind.PLATFORM, organisation_id="org-p", is_victim=False),
        Target(kind=TargetKind.CANDIDATE, organisation_id="org-v", description="Ana Ruiz"),
        Target(kind=TargetKind.POLITICAL_PARTY, organisation_id="org-v"),
    ]))
    assert result.victims == (Victim("org-v", TargetKind.CANDIDATE, "Ana Ruiz", True),)
    assert result.unaddressed == ("voters: voters of Port Aster",)


def test_an_organisation_that_reports_about_itself_is_not_notified_but_the_others_are() -> None:
    result = owed(report([
        Target(kind=TargetKind.GOVERNMENT, organisation_id="org-r"),  # the reporter itself
        Target(kind=TargetKind.POLITICAL_PARTY, organisation_id="org-v"),
    ]))
    assert [v.org_id for v in result.victims] == ["org-v"]


def test_a_retracted_report_owes_nothing() -> None:
    target = Target(kind=TargetKind.POLITICAL_PARTY, organisation_id="org-v")
    assert owed(report([target], status=Status.RETRACTED)).victims == ()


def test_changes_update_on_outcome_and_cancel_on_retraction_or_removal() -> None:
    target = Target(kind=TargetKind.POLITICAL_PARTY, organisation_id="org-v")
    before = report([target])
    assert change_for(before, report([target], Outcome.SUCCESSFUL), "org-v") is Change.UPDATE
    assert change_for(before, report([target]), "org-v") is Change.NONE
    assert change_for(before, report([target], status=Status.RETRACTED), "org-v") is Change.CANCEL
    assert change_for(before, report([]), "org-v") is Change.CANCEL


def test_breach_contacts_first_then_general_and_alternates_for_escalation() -> None:
    general = contact(ContactTopic.GENERAL, "hq")
    breach = contact(ContactTopic.BREACH_NOTIFICATION, "sec")
    spare = contact(ContactTopic.BREACH_NOTIFICATION, "deputy", alternate=True)
    media = contact(ContactTopic.MEDIA_RELATIONS, "press")
    chosen = recipients([general, breach, spare, media])
    assert chosen.primary == (breach,)
    assert chosen.alternates == (spare,)
    assert recipients([general, media]).primary == (general,)
    assert recipients([media]).primary == (media,)  # whatever door the organisation keeps open
    assert recipients([]).empty
    only_alternate = recipients([spare])
    assert only_alternate.primary == (spare,) and only_alternate.alternates == ()


def test_reporter_contact_prefers_breach_notification() -> None:
    general = contact(ContactTopic.GENERAL, "hq")
    breach = contact(ContactTopic.BREACH_NOTIFICATION, "sec")
    assert reporter_contact([general, breach]) == breach
    assert reporter_contact([]) is None


def _ctx(detailed: bool, outcome: Outcome = Outcome.ATTEMPTED,
         purpose: Purpose = Purpose.NOTICE) -> Context:
    target = Target(kind=TargetKind.POLITICAL_PARTY, organisation_id="org-v")
    return Context(report([target], outcome, tlp=Tlp.AMBER), owed(report([target])).victims[0],
                   VICTIM_ORG, REPORTER_ORG, contact(ContactTopic.BREACH_NOTIFICATION, "duty"),
                   detailed, purpose, Outcome.ATTEMPTED if purpose is Purpose.UPDATE else None)


def test_the_notice_is_victim_centred_and_has_every_section() -> None:
    message = compose(_ctx(detailed=True))
    assert message.subject == "Attempted breach targeting Veldra Green Party"
    titles = [title for title, _ in message.sections]
    assert titles[:4] == ["What happened", "What is known", "What to do now", "Who to call"]
    assert "Veldra Green Party was the target of an attempted" in message.text
    assert "Spoofed invoices" in message.text
    assert "multi-factor" in message.text
    assert "duty@v.example" in message.text
    assert ACK_PLACEHOLDER in message.text


def test_a_victim_who_may_not_read_the_report_gets_no_details_and_whom_to_ask() -> None:
    message = compose(_ctx(detailed=False))
    assert "Spoofed invoices" not in message.text
    assert "Phishing against" not in message.text
    assert "not among its readers" in message.text
    assert "Ask National CERT" in message.text


def test_a_breach_and_an_update_say_so() -> None:
    breach = compose(_ctx(True, Outcome.SUCCESSFUL))
    assert breach.subject.startswith("Breach targeting")
    update = compose(_ctx(True, Outcome.SUCCESSFUL, Purpose.UPDATE))
    assert update.subject.startswith("Update: Breach")
    assert "it said attempted before" in update.text


def _progress(hours_ago: float, reminders: int = 0, last: float | None = None,
              escalated: bool = False, state: State = State.SENT) -> Progress:
    now = T0
    return Progress(state, now - timedelta(hours=hours_ago), reminders,
                    None if last is None else now - timedelta(hours=last),
                    now if escalated else None)


@pytest.mark.parametrize(("progress", "expected"), [
    (_progress(1), Next.WAIT),
    (_progress(25), Next.REMIND),
    (_progress(49, reminders=1, last=24), Next.REMIND),
    (_progress(73, reminders=2, last=25), Next.ESCALATE),
    (_progress(73, reminders=2, last=1), Next.WAIT),
    (_progress(200, reminders=2, last=100, escalated=True), Next.WAIT),
    (_progress(200, state=State.ACKNOWLEDGED), Next.WAIT),
    (_progress(200, state=State.NO_CONTACT), Next.WAIT),
])
def test_reminders_then_one_escalation(progress: Progress, expected: Next) -> None:
    assert next_step(progress, T0, ack_hours=24, reminders=2) is expected


@given(st.integers(0, 500), st.integers(1, 72), st.integers(0, 5))
def test_nothing_happens_before_the_acknowledgement_time(hours: int, ack_hours: int,
                                                         reminders: int) -> None:
    progress = _progress(hours)
    step = next_step(progress, T0, ack_hours, reminders)
    assert (step is Next.WAIT) == (hours < ack_hours)
    assert is_overdue(progress, T0, ack_hours) == (hours >= ack_hours)
