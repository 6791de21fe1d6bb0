"""Roles under least privilege, lock-out after repeated failures, contacts gone stale."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ballotguard.sharing import (
    CONTACT_MAX_AGE,
    ContactTopic,
    LoginState,
    Permission,
    Person,
    PointOfContact,
    Role,
    after_failure,
    after_success,
    permissions_of,
    stale_contacts,
)
from ballotguard.sharing.lockout import LOCK_DURATION, MAX_FAILURES

P = Permission
R = Role

# What each role may do, written out: a change here is a change of the security model.
EXPECTED = {
    R.REPORTER: {P.READ_REPORTS, P.FILE_REPORT, P.ANNOTATE_REPORT},
    R.ANALYST: {P.READ_REPORTS, P.FILE_REPORT, P.ANNOTATE_REPORT, P.TRIAGE_REPORT, P.ASSESS,
                P.CORRELATE, P.EXCHANGE_STIX, P.ESCALATE_CASE, P.TRACK_NOTIFICATIONS},
    R.PANEL_MEMBER: {P.READ_REPORTS, P.ANNOTATE_REPORT, P.ASSESS, P.SIT_ON_PANEL},
    R.ORG_ADMIN: {P.READ_REPORTS, P.MANAGE_ORG_PEOPLE, P.MANAGE_CONTACTS, P.MANAGE_AGREEMENTS,
                  P.TRACK_NOTIFICATIONS},
    R.INSTANCE_ADMIN: {P.READ_REPORTS, P.MANAGE_ORG_PEOPLE, P.MANAGE_CONTACTS,
                       P.MANAGE_AGREEMENTS, P.MANAGE_INSTANCE, P.VERIFY_AUDIT_LOG,
                       P.ADOPT_DEFINITION, P.MANAGE_PANEL},
    R.FEDERATION_PEER: {P.READ_REPORTS, P.EXCHANGE_STIX},
    R.ELECTION_OFFICIAL: {P.READ_REPORTS, P.FILE_REPORT, P.ANNOTATE_REPORT, P.EDIT_VOTING_INFO},
    R.AUDIT_ADMIN: {P.ADMINISTER_AUDIT, P.FILE_REPORT},
    R.JURISDICTION_MANAGER: {P.UPLOAD_AUDIT_FILES},
    R.AUDIT_BOARD: {P.ENTER_AUDIT_VOTES},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_grants_exactly_its_permissions(role: Role) -> None:
    assert permissions_of(frozenset({role})) == EXPECTED[role]


@pytest.mark.parametrize(
    ("role", "permission"),
    [
        (R.REPORTER, P.TRIAGE_REPORT),  # a reporter cannot triage
        (R.REPORTER, P.MANAGE_ORG_PEOPLE),
        (R.PANEL_MEMBER, P.FILE_REPORT),  # a panel member cannot file
        (R.PANEL_MEMBER, P.TRIAGE_REPORT),
        (R.ANALYST, P.MANAGE_CONTACTS),
        (R.ORG_ADMIN, P.FILE_REPORT),  # administering is not reporting
        (R.ORG_ADMIN, P.MANAGE_INSTANCE),
        (R.ORG_ADMIN, P.VERIFY_AUDIT_LOG),
        (R.INSTANCE_ADMIN, P.FILE_REPORT),
        (R.INSTANCE_ADMIN, P.TRIAGE_REPORT),
        (R.FEDERATION_PEER, P.FILE_REPORT),  # another instance files through STIX import only
        (R.REPORTER, P.EXCHANGE_STIX),
        (R.AUDIT_ADMIN, P.ENTER_AUDIT_VOTES),  # the administrator does not read ballots
        (R.AUDIT_ADMIN, P.READ_REPORTS),
        (R.JURISDICTION_MANAGER, P.ENTER_AUDIT_VOTES),
        (R.AUDIT_BOARD, P.UPLOAD_AUDIT_FILES),
        (R.AUDIT_BOARD, P.ADMINISTER_AUDIT),
        (R.PANEL_MEMBER, P.ESCALATE_CASE),  # the panel does not bring its own cases
        (R.ANALYST, P.SIT_ON_PANEL),
        (R.INSTANCE_ADMIN, P.SIT_ON_PANEL),  # who runs the hub seats the panel, not sits on it
        (R.ELECTION_OFFICIAL, P.TRIAGE_REPORT),
        (R.REPORTER, P.EDIT_VOTING_INFO),
        (R.REPORTER, P.TRACK_NOTIFICATIONS),
    ],
)
def test_least_privilege(role: Role, permission: Permission) -> None:
    person = Person("p", "o", "N", "n@example.org", frozenset({role}))
    assert not person.may(permission)


def test_roles_add_up_and_no_role_implies_another() -> None:
    both = permissions_of(frozenset({R.REPORTER, R.ORG_ADMIN}))
    assert both == EXPECTED[R.REPORTER] | EXPECTED[R.ORG_ADMIN]
    assert permissions_of(frozenset()) == frozenset()


def test_an_inactive_person_may_nothing() -> None:
    person = Person("p", "o", "N", "n@example.org", frozenset(Role), active=False)
    assert not any(person.may(p) for p in Permission)


# -- lock-out -----------------------------------------------------------------------------------

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_five_failures_in_a_row_lock_for_fifteen_minutes() -> None:
    assert (5, timedelta(minutes=15)) == (MAX_FAILURES, LOCK_DURATION)
    state = LoginState()
    for n in range(1, 5):
        state = after_failure(state, NOW)
        assert state == LoginState(n, None)
        assert not state.is_locked(NOW)
    state = after_failure(state, NOW)
    assert state.locked_until == NOW + timedelta(minutes=15)
    assert state.is_locked(NOW)
    assert state.is_locked(NOW + timedelta(minutes=14, seconds=59))
    assert not state.is_locked(NOW + timedelta(minutes=15))


def test_a_success_resets_the_count() -> None:
    state = LoginState()
    for _ in range(4):
        state = after_failure(state, NOW)
    assert after_success() == LoginState(0, None)
    state = after_success()
    for _ in range(4):
        state = after_failure(state, NOW)
    assert not state.is_locked(NOW)


def test_after_a_lock_expires_five_new_failures_are_needed() -> None:
    state = LoginState()
    for _ in range(5):
        state = after_failure(state, NOW)
    later = NOW + timedelta(minutes=20)
    for _ in range(4):
        state = after_failure(state, later)
        assert not state.is_locked(later)
    assert after_failure(state, later).is_locked(later)


# -- stale contacts -----------------------------------------------------------------------------

TODAY = date(2026, 11, 2)


def contact(days_ago: int) -> PointOfContact:
    return PointOfContact(f"c-{days_ago}", "org", ContactTopic.GENERAL, f"Contact {days_ago}",
                          "c@example.org", "", TODAY - timedelta(days=days_ago))


def test_contacts_not_verified_in_90_days_are_stale_oldest_first() -> None:
    assert timedelta(days=90) == CONTACT_MAX_AGE
    contacts = [contact(d) for d in (0, 30, 89, 90, 91, 365, 120)]
    assert [c.id for c in stale_contacts(contacts, TODAY)] == ["c-365", "c-120", "c-91"]


def test_stale_contacts_with_another_limit() -> None:
    contacts = [contact(d) for d in (5, 8, 40)]
    assert [c.id for c in stale_contacts(contacts, TODAY, timedelta(days=7))] == ["c-40", "c-8"]
    assert stale_contacts([], TODAY) == []
