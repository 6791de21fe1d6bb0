"""Who takes part: organisations by sector, people with least-privilege roles, points of contact.

The seeds (004) insist that people know each other before the crisis: a point of contact whose
details nobody has checked in 90 days is listed so that someone calls them now, not on polling day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

CONTACT_MAX_AGE = timedelta(days=90)


class Sector(StrEnum):
    GOVERNMENT = "government"
    ELECTION_AUTHORITY = "election_authority"
    SECURITY_AGENCY = "security_agency_cert"
    PLATFORM = "platform"
    INDUSTRY = "industry"
    MEDIA = "media"
    CIVIL_SOCIETY = "civil_society"
    ACADEMIA = "academia"
    POLITICAL_PARTY = "political_party"
    CAMPAIGN = "campaign"


class Role(StrEnum):
    REPORTER = "reporter"
    ANALYST = "analyst"
    PANEL_MEMBER = "panel_member"
    ORG_ADMIN = "org_admin"
    INSTANCE_ADMIN = "instance_admin"
    FEDERATION_PEER = "federation_peer"
    ELECTION_OFFICIAL = "election_official"
    AUDIT_ADMIN = "audit_admin"
    JURISDICTION_MANAGER = "jurisdiction_manager"
    AUDIT_BOARD = "audit_board"


class Permission(StrEnum):
    READ_REPORTS = "read_reports"
    FILE_REPORT = "file_report"
    ANNOTATE_REPORT = "annotate_report"
    TRIAGE_REPORT = "triage_report"
    MANAGE_ORG_PEOPLE = "manage_org_people"
    MANAGE_CONTACTS = "manage_contacts"
    MANAGE_AGREEMENTS = "manage_agreements"
    MANAGE_INSTANCE = "manage_instance"
    VERIFY_AUDIT_LOG = "verify_audit_log"
    ASSESS = "assess"
    CORRELATE = "correlate"
    ADOPT_DEFINITION = "adopt_definition"
    EXCHANGE_STIX = "exchange_stix"
    ESCALATE_CASE = "escalate_case"
    SIT_ON_PANEL = "sit_on_panel"
    MANAGE_PANEL = "manage_panel"
    TRACK_NOTIFICATIONS = "track_notifications"
    EDIT_VOTING_INFO = "edit_voting_info"
    ADMINISTER_AUDIT = "administer_audit"
    UPLOAD_AUDIT_FILES = "upload_audit_files"
    ENTER_AUDIT_VOTES = "enter_audit_votes"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.REPORTER: frozenset(
        {Permission.READ_REPORTS, Permission.FILE_REPORT, Permission.ANNOTATE_REPORT}
    ),
    Role.ANALYST: frozenset(
        {
            Permission.READ_REPORTS,
            Permission.FILE_REPORT,
            Permission.ANNOTATE_REPORT,
            Permission.TRIAGE_REPORT,
            Permission.ASSESS,
            Permission.CORRELATE,
            Permission.EXCHANGE_STIX,
            Permission.ESCALATE_CASE,
            Permission.TRACK_NOTIFICATIONS,
        }
    ),
    Role.PANEL_MEMBER: frozenset(
        {
            Permission.READ_REPORTS,
            Permission.ANNOTATE_REPORT,
            Permission.ASSESS,
            Permission.SIT_ON_PANEL,
        }
    ),
    Role.ORG_ADMIN: frozenset(
        {
            Permission.READ_REPORTS,
            Permission.MANAGE_ORG_PEOPLE,
            Permission.MANAGE_CONTACTS,
            Permission.MANAGE_AGREEMENTS,
            Permission.TRACK_NOTIFICATIONS,
        }
    ),
    Role.INSTANCE_ADMIN: frozenset(
        {
            Permission.READ_REPORTS,
            Permission.MANAGE_ORG_PEOPLE,
            Permission.MANAGE_CONTACTS,
            Permission.MANAGE_AGREEMENTS,
            Permission.MANAGE_INSTANCE,
            Permission.VERIFY_AUDIT_LOG,
            Permission.ADOPT_DEFINITION,
            Permission.MANAGE_PANEL,
        }
    ),
    Role.FEDERATION_PEER: frozenset({Permission.READ_REPORTS, Permission.EXCHANGE_STIX}),
    Role.ELECTION_OFFICIAL: frozenset(
        {
            Permission.READ_REPORTS,
            Permission.FILE_REPORT,
            Permission.ANNOTATE_REPORT,
            Permission.EDIT_VOTING_INFO,
        }
    ),
    Role.AUDIT_ADMIN: frozenset(
        {Permission.ADMINISTER_AUDIT, Permission.FILE_REPORT}
    ),
    Role.JURISDICTION_MANAGER: frozenset({Permission.UPLOAD_AUDIT_FILES}),
    Role.AUDIT_BOARD: frozenset({Permission.ENTER_AUDIT_VOTES}),
}
"""``federation_peer`` is the account that stands for another instance: it reads and exchanges
STIX, and ``sharing.access`` limits what it reads to CLEAR and GREEN. ``election_official`` keeps
the official voting information on the public portal (the service also requires that the person's
organisation is an election authority). ``track_notifications`` lets an org admin follow the
victim notifications owed to their own organisation; analysts follow those of reports they read.
Risk-limiting audits: ``audit_admin`` sets an audit up, draws the samples and measures the rounds
(and files the report a contest that fails to confirm opens, hence ``file_report``);
``jurisdiction_manager`` uploads manifests and CVRs, and ``audit_board`` enters the votes read, each
only for the jurisdictions the audit assigns to the person (the service checks the assignment)."""


def permissions_of(roles: frozenset[Role]) -> frozenset[Permission]:
    """The union of what the roles allow; no role implies another (least privilege)."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    sector: Sector
    country: str


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    org_id: str
    name: str
    email: str
    roles: frozenset[Role]
    active: bool = True

    @property
    def is_federation_peer(self) -> bool:
        return Role.FEDERATION_PEER in self.roles

    def may(self, permission: Permission) -> bool:
        return self.active and permission in permissions_of(self.roles)


class ContactTopic(StrEnum):
    GENERAL = "general"
    CYBER_INCIDENT = "cyber_incident"
    DISINFORMATION = "disinformation"
    TAKEDOWN = "takedown"
    MEDIA_RELATIONS = "media_relations"
    BREACH_NOTIFICATION = "breach_notification"
    ELECTION_DAY_OPERATIONS = "election_day_operations"


@dataclass(frozen=True, slots=True)
class PointOfContact:
    id: str
    org_id: str
    topic: ContactTopic
    name: str
    email: str
    phone: str
    last_verified: date
    person_id: str | None = None
    is_alternate: bool = False


def stale_contacts(
    contacts: list[PointOfContact], today: date, max_age: timedelta = CONTACT_MAX_AGE
) -> list[PointOfContact]:
    """Contacts nobody has verified within ``max_age``, oldest first."""
    stale = [c for c in contacts if today - c.last_verified > max_age]
    return sorted(stale, key=lambda c: c.last_verified)
