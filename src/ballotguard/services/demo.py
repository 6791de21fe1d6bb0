"""A realistic, clearly fictional demo: the Republic of Veldra three weeks before polling day.

A newcomer should meet the product the way its users will: an election authority, a national
CERT, platforms, media, parties, civil society and academia that already know each other (points
of contact, some of them overdue a call), agree who shares what (sharing agreements), and have been
reporting for two months in the shared language. The storylines are the ones the Paris Call
compendium (seeds/003, seeds/004) names: intrusions into voter registration, a hack-and-leak, a
coordinated false "polling stations closed" claim, economic coercion of diaspora media, DDoS on
results, and open public diplomacy that is *not* interference, so that the assessment and panel
work later issues add has something to disagree about.

Everything is fictional: the country uses the ISO 3166 user-assigned code ``XV``, every e-mail
and domain is under ``.example`` or ``.test`` (RFC 2606), and every address is from the
documentation ranges (RFC 5737, RFC 3849). Names of people, parties and states are invented.

The demo is written *only* through the service functions, as its users would write it, so that it
also exercises every rule (permissions, TLP, agreements, audit log) and can never hold a state the
product could not reach by itself. It is deterministic: one ``random.Random(seed)`` draws all the
content; only the ids that the services mint differ between two loads.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ballotguard.errors import Conflict
from ballotguard.ports import UnitOfWork
from ballotguard.services import auth, campaigns, reports, stakeholders
from ballotguard.services.actors import OPERATOR, Actor, person_actor
from ballotguard.services.demo_analysis import load_analysis
from ballotguard.services.demo_audit import load_audit_demo
from ballotguard.services.demo_notices import load_notices_demo
from ballotguard.services.demo_panel import load_panel_demo
from ballotguard.services.demo_showcase import load_showcase_demo
from ballotguard.sharing import (
    ContactTopic,
    Observable,
    ObservableKind,
    Person,
    Reader,
    Report,
    ReportContent,
    Role,
    Sector,
    Status,
    SuspectedActor,
    Target,
    can_read,
)
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

COUNTRY = "XV"
"""ISO 3166-1 alpha-2 user-assigned code: no real country will ever have it."""

DEMO_PASSWORD = "veldra-demo-2026"  # noqa: S105 - public by design, demo only
"""The one password of the demo logins; printed by the README, never used outside a demo."""

DAYS_TO_POLLING = 21
BY_ELECTION_DAYS_AGO = 45


@dataclass(frozen=True, slots=True)
class DemoLogin:
    email: str
    role: str
    organisation: str


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What was loaded, for the CLI to print and the tests to check."""

    election: str
    polling_day: date
    organisations: int
    people: int
    contacts: int
    stale_contacts: int
    agreements: int
    reports: int
    status_changes: int
    notes: int
    corrections: int
    retractions: int
    password: str
    logins: list[DemoLogin]
    showcase_report_id: str
    """The AMBER attempted intrusion into the voter registration portal, filed by the election
    authority for the national CERT: the README's tour opens it as both and as a platform."""


# --- who takes part ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Org:
    key: str
    name: str
    sector: Sector
    domain: str


_ORGS: tuple[_Org, ...] = (
    _Org("vec", "Veldra Electoral Commission", Sector.ELECTION_AUTHORITY, "vec.veldra.example"),
    _Org("cert", "CERT-XV, Veldra National Cyber Security Centre", Sector.SECURITY_AGENCY,
         "cert.veldra.example"),
    _Org("gov", "Democratic Institutions Secretariat, Office of the Prime Minister",
         Sector.GOVERNMENT, "gov.veldra.example"),
    _Org("chatterly", "Chatterly (social platform)", Sector.PLATFORM, "chatterly.example"),
    _Org("vidora", "Vidora (video platform)", Sector.PLATFORM, "vidora.example"),
    _Org("halden", "Halden Hosting and Network Services", Sector.INDUSTRY,
         "halden-hosting.example"),
    _Org("vpb", "Veldra Public Broadcasting", Sector.MEDIA, "vpb.example"),
    _Org("courier", "The Diaspora Courier (Veldran community newspaper abroad)", Sector.MEDIA,
         "diaspora-courier.example"),
    _Org("verifact", "VeriFact Veldra (independent fact-checkers)", Sector.CIVIL_SOCIETY,
         "verifact.example"),
    _Org("pau", "Port Aster University, Election Integrity Lab", Sector.ACADEMIA, "pau.example"),
    _Org("pav", "Progressive Alliance of Veldra", Sector.POLITICAL_PARTY,
         "progressive-alliance.example"),
    _Org("vcu", "Veldran Conservative Union", Sector.POLITICAL_PARTY, "vcu.example"),
    _Org("marsh", "Elena Marsh for President (campaign)", Sector.CAMPAIGN, "marsh2026.example"),
)


@dataclass(frozen=True, slots=True)
class _Person:
    key: str
    org: str
    name: str
    local: str
    roles: frozenset[Role]
    description: str


def _p(key: str, org: str, name: str, role: Role, description: str) -> _Person:
    local = name.lower().replace("(ret.) ", "").replace("prof. ", "").replace("dr. ", "")
    local = local.replace("justice ", "").replace(" ", ".").replace("-", "")
    return _Person(key, org, name, local, frozenset({role}), description)


_A, _R, _P = Role.ANALYST, Role.REPORTER, Role.PANEL_MEMBER
_ADMIN = Role.ORG_ADMIN

# One role each: least privilege. Org admins manage people and contacts but do not file or triage;
# panel members read and annotate; the instance admin runs the hub and verifies its audit log.
# The Port Aster audit (services.demo_audit): an audit administrator, and per jurisdiction a
# manager who uploads its files and the two audit-board members who must agree on each ballot.
_PEOPLE: tuple[_Person, ...] = (
    _p("vec_admin", "vec", "Ilse Moravec", _ADMIN, "Electoral Commission organisation admin"),
    _p("vec_analyst", "vec", "Tomas Ferreira-Lind", _A,
       "Election-authority analyst (Electoral Commission security desk)"),
    _p("vec_officer", "vec", "Hana Okafor", _R, "Returning officer, Northmarch region"),
    _p("vec_portal", "vec", "Pieter Szabo", _R, "Voter registration portal operations lead"),
    _p("vec_official", "vec", "Lucia Brandvold", Role.ELECTION_OFFICIAL,
       "Electoral Commission communications director"),
    _p("vec_audit", "vec", "Rosa Lindahl", Role.AUDIT_ADMIN,
       "Audit administrator (Electoral Commission)"),
    _p("hs_manager", "vec", "Farid Olsen", Role.JURISDICTION_MANAGER,
       "Jurisdiction manager, Harbourside returning office (Port Aster audit)"),
    _p("hs_board1", "vec", "Greta Nyland", Role.AUDIT_BOARD, "Audit board member, Harbourside"),
    _p("hs_board2", "vec", "Samuel Achterberg", Role.AUDIT_BOARD,
       "Audit board member, Harbourside"),
    _p("ot_manager", "vec", "Yusuf Demir", Role.JURISDICTION_MANAGER,
       "Jurisdiction manager, Old Town returning office (Port Aster audit)"),
    _p("ot_board1", "vec", "Clara Bijl", Role.AUDIT_BOARD, "Audit board member, Old Town"),
    _p("ot_board2", "vec", "Henrik Moss", Role.AUDIT_BOARD, "Audit board member, Old Town"),
    _p("cert_root", "cert", "Marek Lindqvist", Role.INSTANCE_ADMIN,
       "Instance admin (runs this Ballotguard hub)"),
    _p("cert_admin", "cert", "Sofia Brandt", _ADMIN, "CERT-XV organisation admin"),
    _p("cert_analyst", "cert", "Amira Haddad", _A, "National CERT analyst"),
    _p("cert_analyst2", "cert", "Jonas Petrov", _A, "National CERT analyst (threat intelligence)"),
    _p("gov_admin", "gov", "Ruth Abernethy", _ADMIN, "Secretariat organisation admin"),
    _p("gov_liaison", "gov", "Daniel Osei", _R, "Foreign-interference liaison officer"),
    _p("gov_panel1", "gov", "Justice (ret.) Helena Vogt", _P, "Panel member (retired judge)"),
    _p("gov_panel2", "gov", "Owen Castellano", _P, "Panel member (former Clerk of the Council)"),
    _p("chat_admin", "chatterly", "Grace Whitfield", _ADMIN, "Chatterly organisation admin"),
    _p("chat_analyst", "chatterly", "Kenji Arbuthnot", _A,
       "Platform trust-and-safety analyst (Chatterly)"),
    _p("chat_reporter", "chatterly", "Olu Mensah", _R, "Chatterly election integrity reporter"),
    _p("vid_analyst", "vidora", "Camille Duarte", _A, "Vidora trust-and-safety analyst"),
    _p("halden_admin", "halden", "Priya Raman", _ADMIN, "Halden organisation admin"),
    _p("halden_soc", "halden", "Erik Vasko", _A, "Halden security operations lead"),
    _p("vpb_reporter", "vpb", "Matteo Rinaldi", _R, "Broadcast journalist, elections desk"),
    _p("vpb_panel", "vpb", "Agnes Holm", _P, "Panel member (former broadcasting ombudsperson)"),
    _p("courier_editor", "courier", "Luka Marin", _R, "Editor-in-chief, The Diaspora Courier"),
    _p("vf_admin", "verifact", "Ines Carvalho", _ADMIN, "VeriFact organisation admin"),
    _p("vf_analyst", "verifact", "Samir Boateng", _A, "Fact-checker and analyst"),
    _p("vf_panel", "verifact", "Maren Aalto", _P, "Panel member (civil society)"),
    _p("pau_analyst", "pau", "Dr. Felix Morgenstern", _A, "Researcher, Election Integrity Lab"),
    _p("pau_panel", "pau", "Prof. Nadia Eriksen", _P,
       "Expert panel member (non-partisan, academia)"),
    _p("pav_admin", "pav", "Bruno Takacs", _ADMIN, "Progressive Alliance organisation admin"),
    _p("pav_security", "pav", "Zofia Wren", _R, "Party security lead, Progressive Alliance"),
    _p("vcu_security", "vcu", "Arthur Penhale", _R, "Party security lead, Conservative Union"),
    _p("marsh_security", "marsh", "Dev Kapoor", _R, "Campaign security lead"),
)

_KEY_LOGINS = ("vec_analyst", "cert_analyst", "chat_analyst", "pau_panel", "cert_root",
               "vec_audit")


@dataclass(frozen=True, slots=True)
class _Contact:
    org: str
    topic: ContactTopic
    name: str
    local: str
    days_since_verified: int
    is_alternate: bool = False


# Five are overdue (> 90 days): the list of stale contacts must have something to show.
_CONTACTS: tuple[_Contact, ...] = (
    _Contact("vec", ContactTopic.CYBER_INCIDENT, "Tomas Ferreira-Lind", "security", 12),
    _Contact("vec", ContactTopic.ELECTION_DAY_OPERATIONS, "Hana Okafor", "operations", 30),
    _Contact("vec", ContactTopic.MEDIA_RELATIONS, "Commission press desk", "press", 44),
    _Contact("cert", ContactTopic.CYBER_INCIDENT, "CERT-XV duty desk (24/7)", "duty", 6),
    _Contact("cert", ContactTopic.CYBER_INCIDENT, "Jonas Petrov", "jonas.petrov", 20, True),
    _Contact("cert", ContactTopic.BREACH_NOTIFICATION, "Amira Haddad", "notify", 9),
    _Contact("gov", ContactTopic.GENERAL, "Daniel Osei", "fi-liaison", 25),
    _Contact("gov", ContactTopic.MEDIA_RELATIONS, "Secretariat communications", "media", 61),
    _Contact("chatterly", ContactTopic.TAKEDOWN, "Kenji Arbuthnot", "elections-tns", 15),
    _Contact("chatterly", ContactTopic.DISINFORMATION, "Olu Mensah", "integrity", 38),
    _Contact("vidora", ContactTopic.TAKEDOWN, "Vidora escalations", "escalations", 123),
    _Contact("halden", ContactTopic.CYBER_INCIDENT, "Halden NOC", "noc", 17),
    _Contact("vpb", ContactTopic.MEDIA_RELATIONS, "Matteo Rinaldi", "elections.desk", 50),
    _Contact("courier", ContactTopic.GENERAL, "Luka Marin", "editor", 204),
    _Contact("verifact", ContactTopic.DISINFORMATION, "Samir Boateng", "desk", 8),
    _Contact("pau", ContactTopic.GENERAL, "Election Integrity Lab office", "eil", 97),
    _Contact("pav", ContactTopic.BREACH_NOTIFICATION, "Zofia Wren", "security", 19),
    _Contact("pav", ContactTopic.GENERAL, "Party headquarters", "hq", 141),
    _Contact("vcu", ContactTopic.BREACH_NOTIFICATION, "Arthur Penhale", "security", 312),
    _Contact("marsh", ContactTopic.BREACH_NOTIFICATION, "Dev Kapoor", "security", 27),
    _Contact("marsh", ContactTopic.ELECTION_DAY_OPERATIONS, "Campaign field office", "field", 33),
)


@dataclass(frozen=True, slots=True)
class _Agreement:
    from_org: str
    to_org: str
    max_tlp: Tlp
    vectors: frozenset[Vector] = frozenset()
    phases: frozenset[Phase] = frozenset()


_AGREEMENTS: tuple[_Agreement, ...] = (
    _Agreement("vec", "cert", Tlp.AMBER_STRICT, frozenset({Vector.CYBER_INTRUSION}),
               frozenset({Phase.VOTER_REGISTRATION})),
    _Agreement("vec", "cert", Tlp.AMBER,
               frozenset({Vector.DENIAL_OF_SERVICE, Vector.DATA_THEFT, Vector.INSIDER_THREAT})),
    _Agreement("pav", "cert", Tlp.AMBER_STRICT,
               frozenset({Vector.CYBER_INTRUSION, Vector.HACK_AND_LEAK, Vector.DATA_THEFT})),
    _Agreement("halden", "cert", Tlp.AMBER, frozenset({Vector.DENIAL_OF_SERVICE})),
    _Agreement("chatterly", "verifact", Tlp.AMBER,
               frozenset({Vector.DISINFORMATION, Vector.INAUTHENTIC_AMPLIFICATION})),
    _Agreement("cert", "chatterly", Tlp.AMBER,
               frozenset({Vector.INAUTHENTIC_AMPLIFICATION, Vector.HACK_AND_LEAK})),
)


# --- what they report ----------------------------------------------------------------------------

_REGIONS = ("Northmarch", "Aster Coast", "Kellin Valley", "Dunmore", "Sarvik", "Lowfen",
            "Port Aster")
_HANDLE_WORDS = ("truth", "veldra", "patriot", "news", "daily", "voice", "free", "real",
                 "citizen", "aster", "north", "watch", "insider", "update")

GREY_HERON = (ActorKind.STATE_AFFILIATED_PROXY, "GREY HERON (fictional intrusion set)")
OSTRAVA = (ActorKind.FOREIGN_STATE, "Federation of Ostrava (fictional state)")
BRIGHT_MEADOW = (ActorKind.STATE_AFFILIATED_PROXY, "Bright Meadow content network (fictional)")
PATRIOTS = (ActorKind.DOMESTIC, "Veldra Truth Patriots (fictional domestic group)")
UNKNOWN = (ActorKind.UNKNOWN, "")


@dataclass(frozen=True, slots=True)
class _Template:
    """One kind of report in a storyline, drawn ``count`` times with varied details.

    ``observables`` are specs: ``ip4:203.0.113``, ``ip6``, ``hash``, ``handle:chatterly``,
    ``post:chatterly``, ``video``, or ``domain:`` / ``url:`` / ``email:`` followed by choices
    separated by ``|``; each spec is drawn once.
    """

    count: int
    titles: tuple[str, ...]
    summary: str
    authors: tuple[str, ...]
    phases: tuple[Phase, ...]
    vectors: tuple[Vector, ...]
    tlp: tuple[tuple[Tlp, int], ...]
    days: tuple[int, int]
    success: float = 0.0
    impacts: tuple[Impact, ...] = (Impact.LOW,)
    techniques: tuple[str, ...] = ()
    observables: tuple[str, ...] = ()
    actors: tuple[tuple[ActorKind, str], ...] = (UNKNOWN,)
    confidence: tuple[Confidence, ...] = (Confidence.LOW,)
    targets: tuple[tuple[TargetKind, str | None, str], ...] = ()
    recipients: tuple[str, ...] = ()
    red_people: tuple[str, ...] = ()
    reliability: tuple[SourceReliability, ...] = (SourceReliability.B, SourceReliability.C)
    by_election: bool = False
    notes: tuple[str, ...] = ()
    closed: bool = False


_PORTAL = (TargetKind.VOTER_REGISTRATION_SYSTEM, "vec",
           "Online voter registration portal, register.vec.veldra.example")
_PHISH = "domain:vec-veldra-verify.example|veldra-register-help.test|vec-secure-login.example"

_TEMPLATES: tuple[_Template, ...] = (
    # A. The voter registration portal: attempted and successful intrusions.
    _Template(
        13, ("Credential-stuffing attempt against the voter registration portal",
             "Burst of failed clerk sign-ins on the voter registration portal ({n} accounts)"),
        "Between {hour}:00 and {hour2}:00 UTC the portal's clerk sign-in received {big} failed "
        "attempts against {n} accounts from addresses in commercial hosting ranges. Rate limits "
        "and multi-factor authentication held; no account was accessed. The source addresses are "
        "listed as observables.",
        ("vec_analyst", "vec_portal"), (Phase.VOTER_REGISTRATION,), (Vector.CYBER_INTRUSION,),
        ((Tlp.AMBER, 7), (Tlp.AMBER_STRICT, 2), (Tlp.GREEN, 2)), (58, 20), 0.0,
        (Impact.NONE, Impact.LOW), ("attack:T1110.004", "attack:T1078"),
        ("ip4:203.0.113", "ip4:203.0.113", "ip4:198.51.100", "ip6"), (GREY_HERON, UNKNOWN),
        (Confidence.LOW, Confidence.MODERATE), (_PORTAL,), ("cert",),
        notes=("Same ASN as the November scanning wave; blocked at the edge.",),
    ),
    _Template(
        6, ("SQL injection probes against the portal's address lookup",
            "Exploitation attempts on the voter registration portal's search form"),
        "The web application firewall blocked {n} requests carrying SQL injection payloads "
        "against the address lookup of the registration portal. The payload list matches a "
        "public exploitation kit; its SHA-256 is attached as an observable. No error leaked data.",
        ("vec_analyst", "vec_portal"), (Phase.VOTER_REGISTRATION,), (Vector.CYBER_INTRUSION,),
        ((Tlp.AMBER, 4), (Tlp.GREEN, 2)), (55, 22), 0.0, (Impact.NONE, Impact.LOW),
        ("attack:T1190",), ("ip4:203.0.113", "ip4:192.0.2", "hash"), (GREY_HERON, UNKNOWN),
        (Confidence.LOW,), (_PORTAL,), ("cert",),
    ),
    _Template(
        5, ("Phishing e-mails impersonate the Electoral Commission to clerks in {region}",
            "Fake 'portal password expiry' e-mails sent to {region} registration clerks"),
        "{n} registration clerks in {region} received e-mails asking them to re-validate their "
        "portal password on a look-alike domain. Two clerks clicked; none entered credentials "
        "according to the proxy logs. The sender and the landing page are listed.",
        ("vec_officer", "vec_analyst"), (Phase.VOTER_REGISTRATION,), (Vector.CYBER_INTRUSION,),
        ((Tlp.GREEN, 3), (Tlp.AMBER, 2)), (50, 24), 0.2, (Impact.LOW,),
        ("attack:T1566", "attack:T1566.002", "attack:T1583.001"),
        ("email:support@vec-veldra-verify.example|helpdesk@veldra-register-help.test", _PHISH,
         "url:https://vec-veldra-verify.example/login|https://veldra-register-help.test/reset"),
        (GREY_HERON,), (Confidence.LOW, Confidence.MODERATE),
        ((TargetKind.ELECTION_AUTHORITY, "vec", "Registration clerks"),), ("cert",),
    ),
    _Template(
        3, ("Clerk account on the voter registration portal used with stolen credentials",),
        "A {region} clerk account signed in from an address never seen before and viewed {n} "
        "voter records (read only) before the session was revoked. The password had been reused "
        "on a breached forum. Affected voters are being notified.",
        ("vec_analyst",), (Phase.VOTER_REGISTRATION,), (Vector.CYBER_INTRUSION, Vector.DATA_THEFT),
        ((Tlp.AMBER_STRICT, 2), (Tlp.RED, 1)), (40, 23), 1.0, (Impact.MODERATE,),
        ("attack:T1078", "attack:T1110.004"), ("ip4:203.0.113", "ip6"), (GREY_HERON,),
        (Confidence.MODERATE,), (_PORTAL,), ("cert",), ("cert_analyst", "cert_analyst2"),
    ),
    _Template(
        3, ("Sensor network sees scanning of election registration infrastructure",),
        "CERT-XV sensors recorded vulnerability scanning aimed at the address ranges of the "
        "registration portal and its identity provider. Shared so that every operator can block "
        "the listed sources.",
        ("cert_analyst", "cert_analyst2"), (Phase.VOTER_REGISTRATION,), (Vector.CYBER_INTRUSION,),
        ((Tlp.GREEN, 1),), (57, 25), 0.0, (Impact.NONE,), ("attack:T1595.002",),
        ("ip4:198.51.100", "ip4:203.0.113", "ip4:192.0.2"), (UNKNOWN, GREY_HERON),
        (Confidence.LOW,), (_PORTAL,), reliability=(SourceReliability.A, SourceReliability.B),
    ),
    # B. Hack-and-leak of the Progressive Alliance's e-mail.
    _Template(
        5, ("Spear-phishing of Progressive Alliance staff with a fake donor portal",),
        "{n} staff received e-mails about a 'donation reconciliation' linking to a look-alike "
        "donor portal that harvests Microsoft-style sign-ins.",
        ("pav_security",), (Phase.CAMPAIGN,), (Vector.CYBER_INTRUSION,),
        ((Tlp.AMBER_STRICT, 3), (Tlp.AMBER, 1)), (52, 40), 0.25, (Impact.LOW, Impact.MODERATE),
        ("attack:T1566.002", "attack:T1598"),
        ("email:donations@pav-donor-portal.example", "domain:pav-donor-portal.example",
         "url:https://pav-donor-portal.example/sso"),
        (GREY_HERON,), (Confidence.LOW, Confidence.MODERATE),
        ((TargetKind.POLITICAL_PARTY, "pav", "Party staff"),), ("cert",),
    ),
    _Template(
        2, ("Progressive Alliance campaign mailboxes accessed by an intruder",),
        "Mailbox audit logs show {n} mailboxes, including the campaign director's, synchronised "
        "to an unknown client from hosting addresses over nine days. Passwords reset, sessions "
        "revoked; the scope of what was copied is being established.",
        ("pav_security",), (Phase.CAMPAIGN,), (Vector.CYBER_INTRUSION, Vector.DATA_THEFT),
        ((Tlp.RED, 1),), (39, 35), 1.0, (Impact.HIGH,),
        ("attack:T1114.002", "attack:T1078"), ("ip4:203.0.113", "ip4:198.51.100"),
        (GREY_HERON,), (Confidence.MODERATE,), ((TargetKind.POLITICAL_PARTY, "pav", ""),),
        red_people=("cert_analyst", "cert_analyst2"),
        notes=("CERT-XV incident response engaged; forensic images taken.",),
    ),
    _Template(
        4, ("Leak site publishes Progressive Alliance e-mails, some of them altered",
            "'PAV files' leak site adds a new batch of party e-mails"),
        "A newly registered site published {n} e-mails attributed to the Progressive Alliance. "
        "Comparison with the originals the party holds shows that at least three were altered to "
        "suggest foreign donations. The site is amplified by new accounts (see related reports).",
        ("cert_analyst", "vf_analyst", "vpb_reporter"), (Phase.CAMPAIGN,),
        (Vector.HACK_AND_LEAK, Vector.DISINFORMATION), ((Tlp.GREEN, 3), (Tlp.CLEAR, 1)),
        (33, 26), 1.0, (Impact.HIGH,), ("disarm:T0089", "disarm:T0098", "disarm:T0023"),
        ("domain:pav-files.test", "url:https://pav-files.test/batch-{n}", "hash"),
        (GREY_HERON, BRIGHT_MEADOW), (Confidence.MODERATE,),
        ((TargetKind.POLITICAL_PARTY, "pav", ""),),
        notes=("Escalated to the panel: candidate for a public notice if the altered e-mails "
               "keep spreading.",),
    ),
    _Template(
        4, ("Coordinated accounts push the leaked Progressive Alliance e-mails",),
        "A cluster of {n} accounts created within the same week posted links to the leak site "
        "within minutes of each batch, with near-identical captions. The accounts were removed "
        "for coordinated inauthentic behaviour; the handles are listed.",
        ("chat_analyst", "vid_analyst"), (Phase.CAMPAIGN,),
        (Vector.HACK_AND_LEAK, Vector.INAUTHENTIC_AMPLIFICATION),
        ((Tlp.AMBER, 3), (Tlp.GREEN, 1)), (32, 24), 1.0, (Impact.MODERATE,),
        ("disarm:T0049", "disarm:T0119", "disarm:T0097"),
        ("handle:chatterly", "handle:chatterly", "handle:vidora", "post:chatterly"),
        (BRIGHT_MEADOW,), (Confidence.MODERATE,), ((TargetKind.POLITICAL_PARTY, "pav", ""),),
        ("cert", "verifact"),
    ),
    _Template(
        2, ("Export of the Progressive Alliance membership database",),
        "Outbound traffic of {big} kB from the membership database host to a cloud storage "
        "address on the night of the mailbox intrusion.",
        ("pav_security",), (Phase.CAMPAIGN,), (Vector.DATA_THEFT, Vector.CYBER_INTRUSION),
        ((Tlp.AMBER_STRICT, 1),), (38, 34), 0.5, (Impact.MODERATE, Impact.HIGH),
        ("attack:T1567.002", "attack:T1041"), ("ip4:198.51.100", "domain:files-drop.test"),
        (GREY_HERON,), (Confidence.LOW,), ((TargetKind.POLITICAL_PARTY, "pav", "Party members"),),
        ("cert",),
    ),
    # C. Coordinated amplification of a false "polling stations closed" claim.
    _Template(
        9, ("False claim that polling stations in {region} will be closed on polling day",
            "Posts say {region} polling stations 'closed for security reasons'"),
        "Posts claim that polling stations in {region} will stay closed on polling day 'for "
        "security reasons' and urge voters to 'vote online instead'. There is no online voting. "
        "The Commission has published the list of open stations.",
        ("vec_officer", "vf_analyst", "vpb_reporter", "marsh_security", "vcu_security"),
        (Phase.VOTING_IN_PERSON,), (Vector.DISINFORMATION, Vector.VOTER_SUPPRESSION),
        ((Tlp.GREEN, 5), (Tlp.CLEAR, 2)), (14, 0), 0.7, (Impact.MODERATE, Impact.HIGH),
        ("disarm:T0085", "disarm:T0139", "disarm:T0068"),
        ("post:chatterly", "post:chatterly", "video"), (UNKNOWN, BRIGHT_MEADOW),
        (Confidence.LOW,), ((TargetKind.VOTERS, None, "Voters in {region}"),),
    ),
    _Template(
        12, ("Coordinated network amplifies the 'polling stations closed' claim",
             "{n} inauthentic accounts repost the 'polling stations closed' claim"),
        "{n} accounts with recycled profile images and creation dates within {hour} days reposted "
        "the claim {big} times in six hours, mostly in reply to local news accounts. Network "
        "removed for coordinated inauthentic behaviour; handles and a sample post listed.",
        ("chat_analyst", "chat_reporter", "vid_analyst", "pau_analyst"),
        (Phase.VOTING_IN_PERSON,), (Vector.INAUTHENTIC_AMPLIFICATION, Vector.DISINFORMATION),
        ((Tlp.AMBER, 5), (Tlp.GREEN, 4)), (13, 0), 0.8, (Impact.MODERATE,),
        ("disarm:T0049", "disarm:T0119", "disarm:T0121", "disarm:T0146"),
        ("handle:chatterly", "handle:chatterly", "handle:chatterly", "handle:vidora",
         "post:chatterly"),
        (BRIGHT_MEADOW, UNKNOWN), (Confidence.LOW, Confidence.MODERATE),
        ((TargetKind.VOTERS, None, "Voters nationwide"),), ("cert", "vec"),
    ),
    _Template(
        4, ("Fact-check: polling stations in {region} are open on polling day",),
        "Checked with the Electoral Commission and the {region} returning officer: every polling "
        "station is open from 07:00 to 20:00. The claim is false. Our fact-check is public.",
        ("vf_analyst",), (Phase.VOTING_IN_PERSON,), (Vector.DISINFORMATION,),
        ((Tlp.CLEAR, 1),), (10, 0), 1.0, (Impact.LOW,), ("disarm:T0023",),
        ("url:https://verifact.example/checks/polling-stations-{region_slug}",), (UNKNOWN,),
        (Confidence.LOW,), ((TargetKind.VOTERS, None, "Voters in {region}"),),
        reliability=(SourceReliability.A,),
    ),
    _Template(
        3, ("Doctored Electoral Commission notice announces closure of polling stations",),
        "An image imitating a Commission notice, with our logo and a forged signature, announces "
        "the closure of {n} polling stations. Its hash is listed so platforms can match copies.",
        ("vec_analyst",), (Phase.VOTING_IN_PERSON,),
        (Vector.DISINFORMATION, Vector.VOTER_SUPPRESSION), ((Tlp.GREEN, 1),), (12, 1), 1.0,
        (Impact.HIGH,), ("disarm:T0086", "disarm:T0143"), ("hash", "post:chatterly"),
        (UNKNOWN,), (Confidence.LOW,), ((TargetKind.ELECTION_AUTHORITY, "vec", ""),),
    ),
    _Template(
        2, ("Diaspora voters told that embassy advance polls are closed",),
        "Messages in diaspora chat groups claim that advance polling at the embassies has been "
        "cancelled. Advance polling runs as planned.",
        ("courier_editor", "vec_officer"), (Phase.VOTING_EARLY,),
        (Vector.DISINFORMATION, Vector.VOTER_SUPPRESSION), ((Tlp.GREEN, 1),), (9, 2), 0.5,
        (Impact.MODERATE,), ("disarm:T0085", "disarm:T0139"), ("handle:chatterly",), (UNKNOWN,),
        (Confidence.LOW,), ((TargetKind.DIASPORA_COMMUNITY, None, "Veldrans voting abroad"),),
    ),
    # D. Economic coercion of a diaspora newspaper.
    _Template(
        4, ("Advertisers withdraw from The Diaspora Courier after pressure from a trade council",),
        "{n} advertisers ended their contracts within a week, three of them telling us they had "
        "been warned by a trade council linked to a foreign embassy that their import licences "
        "'could be reviewed' if they kept advertising with us during the campaign.",
        ("courier_editor",), (Phase.CAMPAIGN,), (Vector.COERCION,), ((Tlp.AMBER, 1),),
        (44, 20), 1.0, (Impact.MODERATE,), ("disarm:T0048", "disarm:T0124"), (),
        (OSTRAVA,), (Confidence.MODERATE,), ((TargetKind.MEDIA, "courier", ""),),
        ("gov", "cert"),
    ),
    _Template(
        2, ("Threats to relatives of Diaspora Courier journalists",),
        "Relatives of two of our journalists were visited and told that the journalists' "
        "coverage of the election 'is being noted'. Details that identify the families are only "
        "in this report.",
        ("courier_editor",), (Phase.CAMPAIGN,), (Vector.COERCION,), ((Tlp.RED, 1),), (30, 12),
        1.0, (Impact.HIGH,), ("disarm:T0048",), ("email:tips@ostrava-friends.test",),
        (OSTRAVA,), (Confidence.MODERATE,),
        ((TargetKind.MEDIA, "courier", "Two journalists and their families"),),
        red_people=("gov_liaison", "cert_analyst"),
    ),
    _Template(
        2, ("Printer refuses The Diaspora Courier's election issue",),
        "Our printer abroad cancelled the election issue two days before print, citing 'advice "
        "received'. A second printer was found at three times the cost.",
        ("courier_editor",), (Phase.CAMPAIGN,), (Vector.COERCION,), ((Tlp.AMBER, 1),), (25, 10),
        0.5, (Impact.MODERATE,), ("disarm:T0124",), (), (OSTRAVA, UNKNOWN), (Confidence.LOW,),
        ((TargetKind.MEDIA, "courier", ""),), ("gov",),
    ),
    _Template(
        2, ("Assessment: economic coercion against diaspora media is coordinated",),
        "Across the Courier's reports and two from other diaspora outlets, the pattern (same trade "
        "council, same week, same wording) suggests one coordinated effort to deprive diaspora "
        "media of income during the campaign.",
        ("gov_liaison", "pau_analyst"), (Phase.CAMPAIGN,), (Vector.COERCION,), ((Tlp.GREEN, 1),),
        (18, 8), 1.0, (Impact.MODERATE,), ("disarm:T0124",), (), (OSTRAVA,),
        (Confidence.MODERATE,),
        ((TargetKind.DIASPORA_COMMUNITY, None, "Veldran diaspora media"),),
    ),
    # E. Denial of service against results sites.
    _Template(
        6, ("DDoS on the by-election results site during publication",
            "Results site unavailable for {minutes} minutes on by-election night"),
        "A reflection-amplification flood peaking at {gbps} Gbit/s hit the results site while "
        "results were being published. Scrubbing engaged after {minutes} minutes; results were "
        "also published on the Commission's fallback page.",
        ("halden_soc", "vec_analyst"), (Phase.RESULTS,), (Vector.DENIAL_OF_SERVICE,),
        ((Tlp.AMBER, 3), (Tlp.GREEN, 3)), (BY_ELECTION_DAYS_AGO, BY_ELECTION_DAYS_AGO - 1), 0.6,
        (Impact.MODERATE,), ("attack:T1498", "attack:T1498.002"),
        ("ip4:198.51.100", "ip4:198.51.100", "ip4:203.0.113", "ip6"), (UNKNOWN,),
        (Confidence.LOW,),
        ((TargetKind.ELECTION_INFRASTRUCTURE, "vec", "Results site results.vec.veldra.example"),),
        ("cert",), by_election=True,
    ),
    _Template(
        6, ("DDoS against the national results site's rehearsal endpoint",),
        "During the results rehearsal an HTTP flood of {big} requests per second hit the results "
        "API. The CDN absorbed it; no user impact. Sources listed for blocking.",
        ("halden_soc", "cert_analyst"), (Phase.RESULTS,), (Vector.DENIAL_OF_SERVICE,),
        ((Tlp.GREEN, 3), (Tlp.AMBER, 2)), (20, 2), 0.0, (Impact.NONE, Impact.LOW),
        ("attack:T1499.002", "attack:T1498.001"), ("ip4:198.51.100", "ip4:192.0.2", "ip6"),
        (UNKNOWN,), (Confidence.LOW,),
        ((TargetKind.ELECTION_INFRASTRUCTURE, "vec", "National results site"),), ("cert",),
    ),
    _Template(
        3, ("DDoS against the polling-place lookup",),
        "The 'where do I vote' lookup saw a flood of {big} requests per second from a botnet of "
        "home routers. Rate limiting held; lookups slowed for {minutes} minutes.",
        ("vec_analyst", "halden_soc"), (Phase.VOTING_IN_PERSON,), (Vector.DENIAL_OF_SERVICE,),
        ((Tlp.GREEN, 2), (Tlp.AMBER, 1)), (10, 1), 0.3, (Impact.LOW,), ("attack:T1499.002",),
        ("ip4:203.0.113", "ip4:198.51.100"), (UNKNOWN,), (Confidence.LOW,),
        ((TargetKind.ELECTION_INFRASTRUCTURE, "vec", "Polling-place lookup"),), ("cert",),
    ),
    _Template(
        2, ("Booter service advertises 'election night' packages against Veldran sites",),
        "A booter service is advertising discounted attacks 'for Veldra's election night' on a "
        "forum; its control panel domain and seller handle are listed.",
        ("cert_analyst2",), (Phase.RESULTS,), (Vector.DENIAL_OF_SERVICE,), ((Tlp.GREEN, 1),),
        (16, 4), 0.0, (Impact.LOW,), ("attack:T1498",),
        ("domain:stresser-veldra.test", "handle:forum"), (UNKNOWN,), (Confidence.LOW,),
        ((TargetKind.ELECTION_INFRASTRUCTURE, None, "Election websites"),),
    ),
    # G. Covert or illicit financing.
    _Template(
        6, ("Ad buyer with a foreign payment trail targets {region} voters",),
        "An advertiser registered {hour} days ago bought {n} political ads aimed at {region}, "
        "paid through a payment processor abroad. The declared sponsor does not exist in the "
        "company register.",
        ("chat_analyst", "vid_analyst", "pau_analyst"), (Phase.CAMPAIGN,),
        (Vector.COVERT_FINANCING,), ((Tlp.AMBER, 2), (Tlp.GREEN, 3)), (48, 5), 0.7,
        (Impact.LOW, Impact.MODERATE), ("disarm:T0018", "disarm:T0114", "disarm:T0148"),
        ("domain:veldra-future-now.example", "url:https://veldra-future-now.example/"),
        (OSTRAVA, UNKNOWN), (Confidence.LOW,), ((TargetKind.VOTERS, None, "Voters in {region}"),),
        ("gov",),
    ),
    _Template(
        3, ("Crowdfunding for an 'independent monitor' traced to foreign donors",),
        "A crowdfunding page for a new 'independent election monitor' raised most of its money "
        "from {n} donors paying from abroad within one hour.",
        ("vf_analyst", "pau_analyst"), (Phase.CAMPAIGN,), (Vector.COVERT_FINANCING,),
        ((Tlp.GREEN, 1),), (42, 10), 0.5, (Impact.LOW,), ("disarm:T0017",),
        ("url:https://crowdfund.test/veldra-vote-watch",), (UNKNOWN, OSTRAVA), (Confidence.LOW,),
        ((TargetKind.CIVIL_SOCIETY, None, "Domestic election observers"),),
    ),
    _Template(
        2, ("Influencers paid by an unnamed intermediary to post about the campaign",),
        "{n} lifestyle influencers posted near-identical videos about candidate eligibility; two "
        "told us they were paid by an agency that would not name its client.",
        ("chat_analyst",), (Phase.CAMPAIGN,),
        (Vector.COVERT_FINANCING, Vector.INAUTHENTIC_AMPLIFICATION), ((Tlp.AMBER, 1),), (35, 7),
        1.0, (Impact.LOW,), ("disarm:T0039",), ("handle:chatterly", "handle:vidora"),
        (UNKNOWN,), (Confidence.LOW,), ((TargetKind.VOTERS, None, "Young voters"),), ("gov",),
    ),
    # H. Voter suppression and intimidation.
    _Template(
        5, ("Robocalls give {region} voters the wrong polling date",),
        "Automated calls to landlines in {region} say that polling day has moved 'to the "
        "following Monday'. Recording uploaded; telecom operator informed.",
        ("vec_officer", "marsh_security"), (Phase.VOTING_IN_PERSON,),
        (Vector.VOTER_SUPPRESSION, Vector.DISINFORMATION), ((Tlp.GREEN, 1),), (8, 0), 0.6,
        (Impact.MODERATE,), ("disarm:T0139", "disarm:T0085"), ("hash",), (UNKNOWN, PATRIOTS),
        (Confidence.LOW,), ((TargetKind.VOTERS, None, "Older voters in {region}"),),
    ),
    _Template(
        3, ("Intimidation of voters near mail-ballot drop boxes in {region}",),
        "Groups of men filming voters at drop boxes in {region} and asking who they voted for. "
        "Police informed; drop boxes now staffed.",
        ("vec_officer",), (Phase.VOTING_MAIL,), (Vector.VOTER_SUPPRESSION,),
        ((Tlp.GREEN, 2), (Tlp.AMBER, 1)), (12, 1), 1.0, (Impact.MODERATE,), ("disarm:T0048",),
        (), (PATRIOTS,), (Confidence.LOW, Confidence.MODERATE),
        ((TargetKind.VOTERS, None, "Mail voters in {region}"),), ("gov",),
    ),
    _Template(
        3, ("Text messages threaten diaspora voters who register abroad",),
        "Veldrans living abroad who registered at the consulate received messages saying their "
        "'registration has been shared with the host authorities'.",
        ("courier_editor",), (Phase.VOTER_REGISTRATION,),
        (Vector.VOTER_SUPPRESSION, Vector.COERCION), ((Tlp.AMBER, 1),), (50, 25), 1.0,
        (Impact.MODERATE,), ("disarm:T0048", "disarm:T0139"), ("email:registry@ostrava-friends.test",),
        (OSTRAVA, UNKNOWN), (Confidence.LOW,),
        ((TargetKind.DIASPORA_COMMUNITY, None, "Veldrans registered abroad"),), ("gov", "vec"),
    ),
    # I. Candidate and party registration.
    _Template(
        5, ("False claim that Elena Marsh was disqualified from the ballot",
            "Posts say a {region} candidate's nomination was rejected; it was not"),
        "Screenshots of a fabricated Commission decision circulate claiming a candidate's "
        "nomination was rejected. The official list of candidates says otherwise.",
        ("vf_analyst", "marsh_security", "vpb_reporter"), (Phase.CANDIDATE_REGISTRATION,),
        (Vector.DISINFORMATION,), ((Tlp.GREEN, 2), (Tlp.CLEAR, 1)), (56, 38), 0.8,
        (Impact.LOW, Impact.MODERATE), ("disarm:T0023", "disarm:T0086"),
        ("post:chatterly", "handle:chatterly"), (UNKNOWN, PATRIOTS), (Confidence.LOW,),
        ((TargetKind.CANDIDATE, "marsh", ""),),
    ),
    _Template(
        3, ("Intrusion attempt on the candidate nomination system",),
        "Scans followed by exploitation attempts against the nomination system's file upload. "
        "Blocked; system patched the same day.",
        ("vec_analyst",), (Phase.CANDIDATE_REGISTRATION,), (Vector.CYBER_INTRUSION,),
        ((Tlp.AMBER, 1),), (59, 50), 0.0, (Impact.LOW,), ("attack:T1190", "attack:T1595.002"),
        ("ip4:192.0.2", "ip4:203.0.113"), (GREY_HERON, UNKNOWN), (Confidence.LOW,),
        ((TargetKind.ELECTION_INFRASTRUCTURE, "vec", "Candidate nomination system"),),
        ("cert",),
    ),
    _Template(
        3, ("Fake withdrawal letter circulated in Elena Marsh's name",),
        "A letter with the campaign's letterhead announcing the candidate's withdrawal was sent "
        "to {n} local newsrooms from a look-alike domain.",
        ("marsh_security",), (Phase.CANDIDATE_REGISTRATION,), (Vector.DISINFORMATION,),
        ((Tlp.GREEN, 2), (Tlp.AMBER, 1)), (48, 36), 0.3, (Impact.MODERATE,),
        ("disarm:T0086", "disarm:T0143"),
        ("email:press@marsh-2026.test", "domain:marsh-2026.test", "hash"), (UNKNOWN,),
        (Confidence.LOW,), ((TargetKind.CAMPAIGN, "marsh", ""),), ("cert", "verifact"),
    ),
    # J. Planning and legal framework.
    _Template(
        5, ("Misleading claims about the new election law's ID requirements",),
        "Viral posts claim that the amended election law requires a passport to vote. It does "
        "not: any of the {n} listed documents will do.",
        ("vf_analyst", "gov_liaison"), (Phase.PLANNING,), (Vector.DISINFORMATION,),
        ((Tlp.GREEN, 2), (Tlp.CLEAR, 1)), (60, 45), 0.7, (Impact.LOW,),
        ("disarm:T0023", "disarm:T0082"), ("post:chatterly", "video"), (UNKNOWN,),
        (Confidence.LOW,), ((TargetKind.VOTERS, None, "Voters without passports"),),
    ),
    _Template(
        2, ("Reconnaissance against the election-law drafting team",),
        "Staff who drafted the election law amendments received tailored questionnaire e-mails "
        "from a fake research institute asking about the ID provisions.",
        ("cert_analyst",), (Phase.PLANNING,), (Vector.CYBER_INTRUSION,), ((Tlp.AMBER, 1),),
        (60, 48), 0.0, (Impact.LOW,), ("attack:T1598", "attack:T1589"),
        ("email:survey@civic-research-institute.example",
         "domain:civic-research-institute.example"),
        (GREY_HERON,), (Confidence.LOW,), ((TargetKind.GOVERNMENT, "gov", ""),), ("gov",),
    ),
    _Template(
        2, ("Think tank lobbies on the boundary review without disclosing foreign funding",),
        "A think tank that submitted {n} comments on the boundary review is funded by a "
        "foundation registered abroad; the funding was not declared as the law requires.",
        ("pau_analyst",), (Phase.PLANNING,), (Vector.COVERT_FINANCING,), ((Tlp.GREEN, 1),),
        (58, 46), 0.5, (Impact.LOW,), ("disarm:T0100",), (), (OSTRAVA, UNKNOWN),
        (Confidence.LOW,), ((TargetKind.GOVERNMENT, None, "Boundary commission"),),
    ),
    # K. Mail voting.
    _Template(
        5, ("False claim that mail ballots are opened and tracked by parties",),
        "Posts claim that the barcode on mail ballot envelopes lets parties see how people voted. "
        "The barcode identifies the envelope, not the ballot.",
        ("vf_analyst", "vpb_reporter"), (Phase.VOTING_MAIL,), (Vector.DISINFORMATION,),
        ((Tlp.GREEN, 2), (Tlp.CLEAR, 1)), (16, 1), 0.7, (Impact.LOW, Impact.MODERATE),
        ("disarm:T0022", "disarm:T0085"), ("post:chatterly", "video"), (UNKNOWN, PATRIOTS),
        (Confidence.LOW,), ((TargetKind.VOTERS, None, "Mail voters"),),
    ),
    _Template(
        3, ("Phishing aimed at the postal service's ballot-sorting staff",),
        "Sorting-centre staff received e-mails with a macro-laden 'shift roster'. Blocked by the "
        "mail gateway; the attachment hash is listed.",
        ("vec_analyst", "cert_analyst2"), (Phase.VOTING_MAIL,), (Vector.CYBER_INTRUSION,),
        ((Tlp.AMBER, 2), (Tlp.GREEN, 1)), (18, 3), 0.0, (Impact.LOW,), ("attack:T1566.001",),
        ("email:rosters@postal-hr.example", "hash"), (GREY_HERON, UNKNOWN), (Confidence.LOW,),
        ((TargetKind.ELECTION_INFRASTRUCTURE, None, "Ballot sorting centre"),), ("cert",),
    ),
    _Template(
        2, ("Fake 'request your mail ballot' site collects voter data",),
        "A site imitating the Commission's mail-ballot request form collects names, addresses "
        "and ID numbers. {n} submissions observed before takedown.",
        ("cert_analyst",), (Phase.VOTING_MAIL,), (Vector.DATA_THEFT, Vector.DISINFORMATION),
        ((Tlp.GREEN, 1),), (15, 4), 0.6, (Impact.MODERATE,),
        ("attack:T1583.001", "disarm:T0098"),
        ("domain:mail-ballot-veldra.test", "url:https://mail-ballot-veldra.test/request",
         "ip4:192.0.2"),
        (UNKNOWN,), (Confidence.LOW,), ((TargetKind.VOTERS, None, "Mail voters"),),
    ),
    # L. Counting and tabulation.
    _Template(
        4, ("Pre-positioned narrative that vote-counting scanners are pre-programmed",),
        "Accounts that spread the 'polling stations closed' claim now seed a story that the "
        "count will be rigged by the scanners. Paper ballots are counted by hand and audited.",
        ("vf_analyst", "pau_analyst"), (Phase.COUNTING,), (Vector.DISINFORMATION,),
        ((Tlp.GREEN, 1),), (20, 1), 0.5, (Impact.LOW,), ("disarm:T0022", "disarm:T0082"),
        ("post:chatterly", "handle:chatterly"), (BRIGHT_MEADOW, UNKNOWN), (Confidence.LOW,),
        ((TargetKind.ELECTION_AUTHORITY, "vec", "Counting process"),),
    ),
    _Template(
        2, ("Attempted intrusion into the tabulation vendor's update server",),
        "The vendor's update server received exploitation attempts against its file-transfer "
        "service. No package was altered; signatures verified.",
        ("cert_analyst",), (Phase.COUNTING,), (Vector.CYBER_INTRUSION,),
        ((Tlp.AMBER_STRICT, 1),), (27, 9), 0.0, (Impact.LOW,),
        ("attack:T1195.002", "attack:T1190"), ("ip4:203.0.113", "ip6"), (GREY_HERON,),
        (Confidence.LOW,), ((TargetKind.ELECTION_INFRASTRUCTURE, None, "Tabulation vendor"),),
        ("vec",),
    ),
    _Template(
        2, ("Livestreamed Port Aster count falsely said to show ballot stuffing",),
        "A clip cut from the public livestream of the by-election count is presented as ballot "
        "stuffing; the full stream shows a recount of one box.",
        ("vf_analyst", "vpb_reporter"), (Phase.COUNTING,), (Vector.DISINFORMATION,),
        ((Tlp.CLEAR, 1), (Tlp.GREEN, 1)), (BY_ELECTION_DAYS_AGO - 1, BY_ELECTION_DAYS_AGO - 6),
        1.0, (Impact.MODERATE,), ("disarm:T0087",), ("video",), (PATRIOTS, UNKNOWN),
        (Confidence.LOW,), ((TargetKind.ELECTION_AUTHORITY, "vec", "Port Aster count"),),
        by_election=True,
    ),
    # M. Provisional ballots.
    _Template(
        3, ("Claim that provisional ballots are thrown away",),
        "Posts claim provisional ballots 'go in the bin'. Provisional ballots are checked and "
        "counted once the voter's registration is confirmed.",
        ("vf_analyst", "vec_officer"), (Phase.VOTING_PROVISIONAL,),
        (Vector.DISINFORMATION, Vector.VOTER_SUPPRESSION), ((Tlp.GREEN, 1),),
        (BY_ELECTION_DAYS_AGO + 1, BY_ELECTION_DAYS_AGO - 3), 0.5, (Impact.LOW,),
        ("disarm:T0085",), ("post:chatterly",), (UNKNOWN,), (Confidence.LOW,),
        ((TargetKind.VOTERS, None, "Provisional voters"),), by_election=True,
    ),
    # N. Insider threat and data theft.
    _Template(
        3, ("Temporary registration clerk exported voter lists to a personal cloud account",),
        "Data-loss prevention flagged {n} exports of {region} voter lists to a personal cloud "
        "account by a temporary clerk. Access revoked; police informed.",
        ("vec_analyst",), (Phase.VOTER_REGISTRATION,),
        (Vector.INSIDER_THREAT, Vector.DATA_THEFT), ((Tlp.AMBER_STRICT, 1),), (46, 21), 1.0,
        (Impact.MODERATE,), ("attack:T1567.002",), ("domain:personal-drive.example",),
        ((ActorKind.DOMESTIC, "Temporary staff member"),), (Confidence.HIGH,), (_PORTAL,),
        ("cert",),
    ),
    _Template(
        2, ("Veldran voter data offered for sale on a forum",),
        "A seller offers '{big} Veldran voter records' with a sample; the sample matches the "
        "2019 roll, not the current one.",
        ("cert_analyst2",), (Phase.VOTER_REGISTRATION,), (Vector.DATA_THEFT,),
        ((Tlp.AMBER, 1),), (36, 14), 1.0, (Impact.LOW,), ("disarm:T0089",),
        ("handle:forum", "url:https://market.test/thread/{big}", "hash"), (UNKNOWN,),
        (Confidence.LOW,), ((TargetKind.VOTERS, None, "Registered voters"),), ("vec",),
    ),
    _Template(
        3, ("Poll-worker training portal targeted with reused passwords",),
        "Password spraying against the poll-worker training portal from {n} addresses. No "
        "successful sign-in.",
        ("vec_portal",), (Phase.VOTING_IN_PERSON,), (Vector.CYBER_INTRUSION,),
        ((Tlp.GREEN, 1),), (22, 6), 0.0, (Impact.NONE,), ("attack:T1110.003",),
        ("ip4:203.0.113", "ip4:192.0.2"), (UNKNOWN,), (Confidence.LOW,),
        ((TargetKind.ELECTION_INFRASTRUCTURE, "vec", "Poll-worker training portal"),),
    ),
    # O. After the Port Aster by-election.
    _Template(
        5, ("'Stolen by-election' narrative targets Port Aster returning officers",),
        "Posts name Port Aster returning officers and claim they 'stole' the by-election. "
        "The result was confirmed by the post-election audit.",
        ("vf_analyst", "vec_officer", "pau_analyst"), (Phase.POST_ELECTION,),
        (Vector.DISINFORMATION, Vector.COERCION), ((Tlp.GREEN, 1),), (42, 18), 1.0,
        (Impact.MODERATE,), ("disarm:T0048", "disarm:T0079"), ("post:chatterly", "video"),
        (PATRIOTS, BRIGHT_MEADOW), (Confidence.LOW, Confidence.MODERATE),
        ((TargetKind.ELECTION_AUTHORITY, "vec", "Port Aster returning officers"),),
        by_election=True,
    ),
    _Template(
        3, ("Harassment and doxxing of Port Aster election officials",),
        "Home addresses of {n} officials were posted with calls to 'visit' them. Two officials "
        "received threats by phone. Names are in this report only.",
        ("vec_officer",), (Phase.POST_ELECTION,), (Vector.COERCION, Vector.VOTER_SUPPRESSION),
        ((Tlp.RED, 1), (Tlp.AMBER, 1)), (40, 15), 1.0, (Impact.HIGH,), ("disarm:T0048",),
        ("handle:chatterly",), (PATRIOTS,), (Confidence.MODERATE,),
        ((TargetKind.ELECTION_AUTHORITY, "vec", "Port Aster election officials"),), ("cert",),
        ("vec_analyst", "cert_analyst"), by_election=True,
    ),
    _Template(
        2, ("Foreign state media misrepresents the by-election audit",),
        "State-owned outlets abroad report that the post-election audit 'found fraud'. The "
        "audit confirmed the result within its risk limit.",
        ("pau_analyst",), (Phase.POST_ELECTION,), (Vector.DISINFORMATION,), ((Tlp.GREEN, 1),),
        (38, 25), 1.0, (Impact.LOW,), ("disarm:T0111", "disarm:T0023"), ("url:https://ostrava-news.test/veldra-audit",),
        (OSTRAVA,), (Confidence.HIGH,), ((TargetKind.ELECTION_AUTHORITY, "vec", ""),),
        by_election=True,
    ),
    _Template(
        2, ("Draft audit report leaked before certification",),
        "A draft of the Port Aster audit report appeared on a partisan blog before certification. "
        "Access logs point to an internal account.",
        ("vec_analyst",), (Phase.RESULTS,), (Vector.INSIDER_THREAT,), ((Tlp.AMBER_STRICT, 1),),
        (43, 38), 1.0, (Impact.LOW,), ("attack:T1078",), ("url:https://partisan-blog.test/leak",),
        ((ActorKind.DOMESTIC, "Insider (under investigation)"),), (Confidence.MODERATE,),
        ((TargetKind.ELECTION_AUTHORITY, "vec", ""),), ("cert",), by_election=True,
    ),
)

# F. Open public diplomacy: reported as a worry, assessed as acceptable influence, kept as cases.
_DIPLOMACY: tuple[tuple[str, str, Vector, tuple[ActorKind, str], str], ...] = (
    ("Ostravan ambassador's signed op-ed on Veldra's election",
     "The ambassador of Ostrava published a signed op-ed in a national daily praising Veldra's "
     "trade ties and urging a 'stable outcome'.", Vector.DISINFORMATION, OSTRAVA, "disarm:T0111"),
    ("Lindmark's foreign minister urges a free and fair Veldran election",
     "In a public speech the foreign minister of Lindmark called for a free and fair election "
     "and respect for the result.", Vector.DISINFORMATION,
     (ActorKind.FOREIGN_STATE, "Kingdom of Lindmark (fictional state)"), "disarm:T0110"),
    ("Embassy announces open funding for international election observers",
     "An embassy announced, on its website and in a press release, grants to an international "
     "observer mission.", Vector.COVERT_FINANCING,
     (ActorKind.FOREIGN_STATE, "Kingdom of Lindmark (fictional state)"), "disarm:T0110"),
    ("Foreign state broadcaster airs a labelled interview with an opposition leader",
     "A foreign state broadcaster aired an interview with the Conservative Union's leader, "
     "clearly labelled with the broadcaster's ownership.", Vector.DISINFORMATION, OSTRAVA,
     "disarm:T0111"),
    ("Foreign parliamentary delegation's public statement on media freedom",
     "A visiting parliamentary delegation held a press conference on media freedom in Veldra "
     "and published its statement.", Vector.DISINFORMATION,
     (ActorKind.FOREIGN_STATE, "Parliament of Lindmark (fictional)"), "disarm:T0110"),
    ("Embassy hosts an open debate night with every registered party",
     "An embassy hosted a public debate to which every registered party was invited; the "
     "programme and the guest list were published.", Vector.DISINFORMATION, OSTRAVA,
     "disarm:T0110"),
    ("Cultural institute's openly sponsored voter-education posters",
     "A foreign cultural institute sponsored non-partisan 'how to vote' posters, showing its "
     "name on every poster.", Vector.COVERT_FINANCING,
     (ActorKind.FOREIGN_STATE, "Kingdom of Lindmark (fictional state)"), "disarm:T0110"),
)
_DIPLOMACY_NOTE = (
    "Assessed as acceptable influence (public diplomacy): open, attributed to its source, no "
    "coercion and no deception. Kept in the case library; no action."
)
_NOTES = (
    "Indicators pushed to partner blocklists.",
    "Related reports from other organisations point to the same infrastructure.",
    "Victims notified (attempts are notified too).",
    "Platform confirms takedown of the listed accounts.",
    "Asked the reporting organisation for raw logs.",
)


# --- the plan: a timeline of service calls -------------------------------------------------------

@dataclass
class _Plan:
    """One report to file, as data, with the org/person keys the run resolves to ids."""

    author: str
    created_at: datetime
    content: dict[str, object]
    recipient_orgs: tuple[str, ...]
    recipient_people: tuple[str, ...]
    targets: tuple[tuple[TargetKind, str | None, str], ...]
    showcase: bool = False
    report_id: str = ""


@dataclass(frozen=True)
class _Event:
    at: datetime
    kind: str  # file | status | note | correct | retract
    plan: _Plan
    status: Status | None = None
    text: str = ""
    changes: dict[str, object] = field(default_factory=dict)


class _Drawer:
    """Draws the varied details of one report from the seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def values(self) -> dict[str, object]:
        rng = self.rng
        region = rng.choice(_REGIONS)
        hour = rng.randint(0, 21)
        return {
            "region": region, "region_slug": region.lower().replace(" ", "-"),
            "n": rng.randint(3, 40), "big": rng.randint(1_200, 48_000), "hour": hour,
            "hour2": hour + rng.randint(1, 2), "minutes": rng.randint(8, 95),
            "gbps": rng.randint(12, 180),
        }

    def observables(self, specs: Iterable[str], values: dict[str, object]) -> list[Observable]:
        found: dict[tuple[str, str], Observable] = {}
        for spec in specs:
            kind, value = self._observable(spec, values)
            found.setdefault((kind.value, value), Observable(kind=kind, value=value))
        return list(found.values())

    def _observable(self, spec: str, values: dict[str, object]) -> tuple[ObservableKind, str]:
        rng = self.rng
        name, _, arg = spec.partition(":")
        if name == "ip4":
            return ObservableKind.IP, f"{arg}.{rng.randint(1, 254)}"
        if name == "ip6":
            return ObservableKind.IP, f"2001:db8:{rng.randint(1, 0xFFFF):x}::{rng.randint(1, 0xFFFF):x}"
        if name == "hash":
            return ObservableKind.FILE_HASH, f"{rng.getrandbits(256):064x}"
        if name == "handle":
            word = rng.choice(_HANDLE_WORDS)
            return ObservableKind.SOCIAL_HANDLE, f"{arg}:@{word}_{rng.choice(_HANDLE_WORDS)}{rng.randint(1, 999)}"
        if name == "post":
            handle = f"{rng.choice(_HANDLE_WORDS)}_{rng.randint(10, 9999)}"
            return ObservableKind.URL, f"https://{arg}.example/{handle}/posts/{rng.getrandbits(40)}"
        if name == "video":
            return ObservableKind.URL, f"https://vidora.example/watch/{rng.getrandbits(36):x}"
        kinds = {"domain": ObservableKind.DOMAIN, "url": ObservableKind.URL,
                 "email": ObservableKind.EMAIL}
        return kinds[name], rng.choice(arg.split("|")).format_map(values)


def _plans(rng: random.Random, now: datetime, start: datetime,
           election: str, by_election: str) -> list[_Event]:
    drawer = _Drawer(rng)
    events: list[_Event] = []
    for template in _TEMPLATES:
        for _ in range(template.count):
            events += _from_template(drawer, template, now, start,
                                     by_election if template.by_election else election)
    events += _diplomacy(rng, now, election)
    events += _special(rng, now, election)
    return events


def _from_template(drawer: _Drawer, t: _Template, now: datetime, start: datetime,
                   election: str) -> list[_Event]:
    rng = drawer.rng
    values = drawer.values()
    tlp = rng.choices([level for level, _ in t.tlp], [weight for _, weight in t.tlp])[0]
    observed = _observed(rng, now, t.days)
    created = max(observed + timedelta(minutes=rng.randint(20, 36 * 60)), start)
    created = min(created, now - timedelta(minutes=rng.randint(5, 120)))
    actor_kind, actor_name = rng.choice(t.actors)
    content: dict[str, object] = {
        "title": rng.choice(t.titles).format_map(values),
        "summary": t.summary.format_map(values),
        "observed_at": observed,
        "election": election,
        "phase": rng.choice(t.phases),
        "vectors": list(t.vectors),
        "outcome": Outcome.SUCCESSFUL if rng.random() < t.success else Outcome.ATTEMPTED,
        "impact": rng.choice(t.impacts),
        "techniques": sorted(rng.sample(t.techniques, rng.randint(1, len(t.techniques))))
        if t.techniques else [],
        "observables": drawer.observables(t.observables, values),
        "suspected_actor": SuspectedActor(kind=actor_kind, name=actor_name,
                                          confidence=rng.choice(t.confidence)),
        "source_reliability": rng.choice(t.reliability),
        "tlp": tlp,
    }
    targets = tuple((kind, org, text.format_map(values)) for kind, org, text in t.targets)
    plan = _Plan(
        rng.choice(t.authors), created, content,
        t.recipients if tlp in (Tlp.AMBER, Tlp.AMBER_STRICT) else (),
        t.red_people if tlp is Tlp.RED else (), targets,
    )
    events = [_Event(created, "file", plan), *_workflow(rng, plan, now, t.closed)]
    if t.notes and rng.random() < 0.5:
        events.append(_Event(_after(rng, created, 2, 48, now), "note", plan, text=t.notes[0]))
    elif rng.random() < 0.1:
        events.append(_Event(_after(rng, created, 2, 72, now), "note", plan,
                             text=rng.choice(_NOTES)))
    return events


def _observed(rng: random.Random, now: datetime, days: tuple[int, int]) -> datetime:
    """A time ``days`` ago (older bound first), on the minute, never in the future."""
    oldest, newest = max(days), min(days)
    moment = now - timedelta(days=oldest) + timedelta(
        minutes=rng.randint(0, max(1, (oldest - newest) * 24 * 60)))
    moment = min(moment, now - timedelta(hours=rng.randint(1, 12)))
    return moment.replace(second=0, microsecond=0)


def _after(rng: random.Random, at: datetime, low_hours: int, high_hours: int,
           now: datetime) -> datetime:
    return min(at + timedelta(minutes=rng.randint(low_hours * 60, high_hours * 60)),
               now - timedelta(seconds=rng.randint(1, 240)))


def _workflow(rng: random.Random, plan: _Plan, now: datetime, closed: bool) -> list[_Event]:
    """Status changes by age: week-old reports have mostly been triaged, many assessed."""
    age_days = (now - plan.created_at).total_seconds() / 86_400
    steps = (Status.TRIAGED, Status.ASSESSED, Status.CLOSED)
    if closed:
        depth = 3
    elif age_days < 1:
        depth = 0
    elif age_days < 4:
        depth = rng.choices((0, 1, 2), (5, 4, 1))[0]
    else:
        depth = rng.choices((0, 1, 2, 3), (15, 30, 25, 30))[0]
    events, at = [], plan.created_at
    for status in steps[:depth]:
        at = at + timedelta(minutes=rng.randint(60, 72 * 60))
        if at >= now:
            break
        events.append(_Event(at, "status", plan, status=status))
    return events


def _diplomacy(rng: random.Random, now: datetime, election: str) -> list[_Event]:
    events: list[_Event] = []
    for title, summary, vector, (kind, name), technique in _DIPLOMACY:
        observed = _observed(rng, now, (55, 5))
        created = min(observed + timedelta(hours=rng.randint(2, 30)), now - timedelta(hours=1))
        plan = _Plan(rng.choice(("gov_liaison", "vpb_reporter", "pau_analyst")), created, {
            "title": title, "summary": summary, "observed_at": observed, "election": election,
            "phase": Phase.CAMPAIGN, "vectors": [vector], "outcome": Outcome.SUCCESSFUL,
            "impact": Impact.NONE, "techniques": [technique], "observables": [],
            "suspected_actor": SuspectedActor(kind=kind, name=name, confidence=Confidence.HIGH),
            "source_reliability": SourceReliability.A, "tlp": Tlp.CLEAR,
        }, (), (), ((TargetKind.VOTERS, None, "The Veldran public"),))
        events += [_Event(created, "file", plan), *_workflow(rng, plan, now, closed=True)]
        events.append(_Event(_after(rng, created, 1, 3, now), "note", plan,
                             text=_DIPLOMACY_NOTE))
    return events


def _special(rng: random.Random, now: datetime, election: str) -> list[_Event]:
    """The tour's report, one correction and one retraction, written out by hand."""
    def content(title: str, summary: str, days_ago: float, tlp: Tlp,
                **extra: object) -> dict[str, object]:
        return {
            "title": title, "summary": summary,
            "observed_at": (now - timedelta(days=days_ago)).replace(second=0, microsecond=0),
            "election": election, "phase": Phase.VOTER_REGISTRATION,
            "vectors": [Vector.CYBER_INTRUSION], "outcome": Outcome.ATTEMPTED,
            "impact": Impact.LOW, "techniques": ["attack:T1190", "attack:T1110.004"],
            "observables": [Observable(kind=ObservableKind.IP, value="203.0.113.77"),
                            Observable(kind=ObservableKind.IP, value="2001:db8:77::4"),
                            Observable(kind=ObservableKind.DOMAIN,
                                       value="vec-secure-login.example")],
            "suspected_actor": SuspectedActor(kind=GREY_HERON[0], name=GREY_HERON[1],
                                              confidence=Confidence.MODERATE),
            "source_reliability": SourceReliability.B, "tlp": tlp, **extra,
        }

    showcase = _Plan("vec_analyst", now - timedelta(days=2, hours=3), content(
        "Attempted intrusion into the voter registration portal",
        "Exploitation attempts against the portal's document upload, followed by credential "
        "stuffing against clerk accounts from the same addresses. Blocked by the web application "
        "firewall and multi-factor authentication; no account accessed. Shared with CERT-XV for "
        "correlation with the GREY HERON activity.", 2.3, Tlp.AMBER), ("cert",), (), (_PORTAL,),
        showcase=True)
    corrected = _Plan("vec_portal", now - timedelta(days=30), content(
        "Credential stuffing against clerk accounts in Kellin Valley",
        "Failed sign-ins against 14 Kellin Valley clerk accounts; none appeared to succeed.",
        30.5, Tlp.AMBER_STRICT), ("cert",), (), (_PORTAL,))
    retracted = _Plan("vec_officer", now - timedelta(days=26), content(
        "Suspicious access to the Dunmore registration office workstation",
        "The Dunmore office workstation connected to the registration database at night from an "
        "unknown tool.", 26.2, Tlp.GREEN), (), (), (_PORTAL,))
    return [
        _Event(showcase.created_at, "file", showcase),
        _Event(showcase.created_at + timedelta(hours=5), "status", showcase,
               status=Status.TRIAGED),
        _Event(showcase.created_at + timedelta(hours=6), "note", showcase,
               text="CERT-XV: same source addresses as two other reports this month."),
        _Event(corrected.created_at, "file", corrected),
        _Event(corrected.created_at + timedelta(days=2), "correct", corrected,
               text="Forensic review with CERT-XV found that one clerk account was accessed; "
                    "outcome corrected from attempted to successful.",
               changes={"outcome": Outcome.SUCCESSFUL, "impact": Impact.MODERATE,
                        "summary": "Failed sign-ins against 14 Kellin Valley clerk accounts; "
                                   "one account was accessed and viewed 212 records (read only) "
                                   "before the session was revoked."}),
        _Event(corrected.created_at + timedelta(days=3), "status", corrected,
               status=Status.TRIAGED),
        _Event(retracted.created_at, "file", retracted),
        _Event(retracted.created_at + timedelta(hours=20), "retract", retracted,
               text="Not an intrusion: the access was the authorised penetration test the "
                    "Commission commissioned (engagement VEC-PT-07). Retracted to keep the "
                    "record straight."),
    ]


# --- running the plan through the services -------------------------------------------------------

class _Loader:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], total: int,
                 on_progress: Callable[[int, int], None] | None) -> None:
        self.uow_factory = uow_factory
        self.total = total
        self.done = 0
        self.on_progress = on_progress
        self.orgs: dict[str, str] = {}
        self.people: dict[str, Person] = {}

    def step(self) -> None:
        self.done += 1
        if self.on_progress is not None:
            self.on_progress(self.done, self.total)

    def actor(self, key: str) -> Actor:
        return person_actor(self.people[key])

    def reader_for(self, report: Report, preferred: tuple[str, ...]) -> Actor | None:
        """The first of ``preferred`` who may read the report (TLP decides, not the demo)."""
        for key in preferred:
            person = self.people[key]
            if can_read(Reader(person.id, person.org_id), report):
                return person_actor(person)
        return None


_ANALYSTS = tuple(p.key for p in _PEOPLE if Role.ANALYST in p.roles)
_TRIAGE_ORDER = ("cert_analyst", "cert_analyst2", "vf_analyst", "chat_analyst")


def _triagers(loader: _Loader, plan: _Plan) -> tuple[str, ...]:
    """Analysts of the reporting organisation first, then the CERT, then anyone who may read."""
    org = loader.people[plan.author].org_id
    own = tuple(k for k in _ANALYSTS if loader.people[k].org_id == org)
    return own + _TRIAGE_ORDER + _ANALYSTS


def load_demo(
    uow_factory: Callable[[], UnitOfWork],
    now: datetime,
    seed: int = 2026,
    on_progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Load the Veldra demo into an empty instance; every write goes through the services.

    ``now`` is the demo's present: polling day is three weeks later, reports were observed over
    the sixty days before it, and each service call gets its own increasing time so that the
    audit log reads as two months of use.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    with uow_factory() as uow:
        if uow.orgs.list():
            raise Conflict("the database already holds organisations; load the demo into an "
                           "empty database")
    rng = random.Random(seed)  # noqa: S311 - reproducible content, not secrets
    polling_day = (now + timedelta(days=DAYS_TO_POLLING)).date()
    election = f"Republic of Veldra general election {polling_day.year} (fictional)"
    by_date = (now - timedelta(days=BY_ELECTION_DAYS_AGO)).date()
    by_election = f"Port Aster municipal by-election {by_date.isoformat()} (fictional)"
    start = now - timedelta(days=64)
    events = sorted(_plans(rng, now, start + timedelta(days=1), election, by_election),
                    key=lambda e: e.at)
    setup_steps = (len(_ORGS) + len(_PEOPLE) + len(_KEY_LOGINS) + len(_CONTACTS) + len(_AGREEMENTS)
                   + sum(o.sector is Sector.PLATFORM for o in _ORGS))
    loader = _Loader(uow_factory, setup_steps + len(events), on_progress)
    clock = _setup(loader, start, now)
    counts = {"file": 0, "status": 0, "note": 0, "correct": 0, "retract": 0}
    for event in events:
        if _run(loader, event, max(event.at, clock)):
            counts[event.kind] += 1
        clock = max(event.at, clock) + timedelta(milliseconds=1)
        loader.step()
    showcase = next(e.plan for e in events if e.plan.showcase)
    op_ed = next(e.plan for e in events if e.plan.content["title"] == _DIPLOMACY[0][0])
    load_analysis(uow_factory, loader.people["cert_root"], loader.people["cert_analyst"],
                  showcase.report_id, op_ed.report_id, clock + timedelta(seconds=1))
    load_panel_demo(uow_factory, loader.people, clock + timedelta(seconds=2))
    load_notices_demo(uow_factory, loader.people, clock + timedelta(seconds=3))
    load_showcase_demo(uow_factory, loader.people, clock + timedelta(seconds=4))
    load_audit_demo(uow_factory, loader.people, clock + timedelta(seconds=5),
                    election=f"Rehearsal on the {by_election}")
    with uow_factory() as uow:
        stale = len(stakeholders.stale(uow, now.date(), 90))
    org_names = {o.key: o.name for o in _ORGS}
    by_key = {p.key: p for p in _PEOPLE}
    return DemoSummary(
        election=election, polling_day=polling_day, organisations=len(_ORGS),
        people=len(_PEOPLE), contacts=len(_CONTACTS), stale_contacts=stale,
        agreements=len(_AGREEMENTS), reports=counts["file"], status_changes=counts["status"],
        notes=counts["note"], corrections=counts["correct"], retractions=counts["retract"],
        password=DEMO_PASSWORD,
        logins=[DemoLogin(loader.people[k].email, by_key[k].description,
                          org_names[by_key[k].org]) for k in _KEY_LOGINS],
        showcase_report_id=showcase.report_id,
    )


def _setup(loader: _Loader, start: datetime, now: datetime) -> datetime:
    """Organisations, people, passwords, contacts and agreements, as the operator."""
    clock = start
    domains = {o.key: o.domain for o in _ORGS}

    def tick() -> datetime:
        nonlocal clock
        clock += timedelta(seconds=37)
        loader.step()
        return clock

    with loader.uow_factory() as uow:
        for org in _ORGS:
            loader.orgs[org.key] = stakeholders.create_org(
                uow, OPERATOR, org.name, org.sector, COUNTRY, tick()).id
        for p in _PEOPLE:
            loader.people[p.key] = stakeholders.create_person(
                uow, OPERATOR, loader.orgs[p.org], p.name, f"{p.local}@{domains[p.org]}",
                p.roles, tick())
        for key in _KEY_LOGINS:
            auth.set_password(uow, OPERATOR, loader.people[key], DEMO_PASSWORD, tick())
        for number, c in enumerate(_CONTACTS):
            stakeholders.add_contact(
                uow, OPERATOR, loader.orgs[c.org], c.topic, c.name, f"{c.local}@{domains[c.org]}",
                f"+999 555 01{number:02d}",
                now.date() - timedelta(days=c.days_since_verified), tick(), c.is_alternate)
        for a in _AGREEMENTS:
            stakeholders.add_agreement(
                uow, OPERATOR, loader.orgs[a.from_org], loader.orgs[a.to_org], a.max_tlp,
                a.vectors, a.phases, tick())
    for org in _ORGS:
        if org.sector is Sector.PLATFORM:
            with loader.uow_factory() as uow:
                campaigns.exclude_key(
                    uow, OPERATOR, f"domain:{org.domain}",
                    f"{org.name} hosts everyone's posts: sharing its domain says nothing", tick())
    return clock


def _run(loader: _Loader, event: _Event, at: datetime) -> bool:
    """One service call; False when nobody the demo knows may do it (the rule said no)."""
    plan = event.plan
    with loader.uow_factory() as uow:
        if event.kind == "file":
            plan.report_id = reports.file_report(
                uow, loader.actor(plan.author), _content(loader, plan), at).id
            return True
        report = uow.reports.get(plan.report_id)
        if event.kind == "correct":
            changed = report.content.model_copy(update=event.changes)
            reports.correct_report(uow, loader.actor(plan.author), plan.report_id,
                                   ReportContent.model_validate(changed.model_dump()),
                                   event.text, at)
            return True
        if event.kind == "retract":
            reports.retract_report(uow, loader.actor(plan.author), plan.report_id, event.text, at)
            return True
        if event.kind == "status":
            actor = loader.reader_for(report, _triagers(loader, plan))
            if actor is None or event.status is None:
                return False
            reports.change_status(uow, actor, plan.report_id, event.status, at)
            return True
        note_takers = (plan.author, *_triagers(loader, plan), "pau_panel")
        actor = loader.reader_for(report, note_takers)
        if actor is None:
            return False
        reports.add_note(uow, actor, plan.report_id, event.text, at)
        return True


def _content(loader: _Loader, plan: _Plan) -> ReportContent:
    targets = [
        Target(kind=kind, organisation_id=loader.orgs[org] if org else None,
               description=text)
        for kind, org, text in plan.targets
    ]
    return ReportContent.model_validate({
        **plan.content,
        "targets": targets,
        "recipient_orgs": [loader.orgs[k] for k in plan.recipient_orgs],
        "recipient_people": [loader.people[k].id for k in plan.recipient_people],
    })


def demo_logins(uow: UnitOfWork) -> list[DemoLogin]:
    """The six key demo logins that exist in this database (none when it holds no demo)."""
    orgs = {o.key: o for o in _ORGS}
    by_key = {p.key: p for p in _PEOPLE}
    found = []
    for key in _KEY_LOGINS:
        person = by_key[key]
        email = f"{person.local}@{orgs[person.org].domain}"
        if uow.people.by_email(email) is not None:
            found.append(DemoLogin(email, person.description, orgs[person.org].name))
    return found
