"""Notifications owed to the victims of breaches and attempted breaches: who, to whom, and what.

A report that names a target with ``is_victim`` and an ``organisation_id`` owes that organisation
a notification, whatever the outcome: an attempt is owed as much as a breach (DESIGN.md, seeds on
notifying parties of attempted breaches). A target that describes a person or a community (a
candidate, voters, a diaspora community) and names an organisation is notified *through* that
organisation, the intermediary that can reach them. A victim with no organisation cannot be
notified by the hub: it is listed as unaddressed, never silently dropped.

The notice is victim-centred, after the practice of national CERTs' victim notification (e.g.
the Canadian Centre for Cyber Security's and CISA's notification letters): it starts with what
happened to *them*, separates what is known from what is not, says what to do now, and whom to
call. Details of the report go in only if the victim organisation may read the report under TLP
(the caller passes the answer of ``sharing.access.can_read``); otherwise the notice keeps to the
facts needed to act and names whom to ask for more.

Reminders and escalation: a notification not acknowledged within ``ack_hours`` of its sending is
reminded; after ``reminders`` reminders it is escalated to the organisation's alternate contact.
Everything here is pure: time comes in as ``now``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ballotguard.sharing import ContactTopic, Organisation, PointOfContact, Report, Status
from ballotguard.vocabulary import Outcome, TargetKind, Vector

INTERMEDIARY_KINDS = frozenset({TargetKind.CANDIDATE, TargetKind.VOTERS,
                                TargetKind.DIASPORA_COMMUNITY})
"""Target kinds that describe people rather than an organisation: notified through one."""


class State(StrEnum):
    PENDING = "pending"            # messages written to the outbox, none delivered yet
    SENT = "sent"                  # at least one message delivered
    ACKNOWLEDGED = "acknowledged"  # a recipient confirmed it
    NO_CONTACT = "no_contact"      # the organisation has no point of contact nor webhook
    CANCELLED = "cancelled"        # the report was retracted or the victim removed before delivery


class Purpose(StrEnum):
    NOTICE = "notice"
    UPDATE = "update"
    REMINDER = "reminder"
    ESCALATION = "escalation"


@dataclass(frozen=True, slots=True)
class Victim:
    """One organisation owed a notification by one report (a target, deduplicated by org)."""

    org_id: str
    target_kind: TargetKind
    description: str
    via_intermediary: bool


@dataclass(frozen=True, slots=True)
class Owed:
    victims: tuple[Victim, ...]
    unaddressed: tuple[str, ...]
    """Descriptions of victims without an organisation: nobody the hub can notify."""


def owed(report: Report) -> Owed:
    """The victims a report owes notifications to; none for a retracted report.

    An organisation that filed the report about itself is not notified: it knows, and a notice
    to the people who wrote the report would only train them to ignore the next one."""
    if report.status is Status.RETRACTED:
        return Owed((), ())
    victims: dict[str, Victim] = {}
    unaddressed: list[str] = []
    for target in report.content.targets:
        if not target.is_victim:
            continue
        if not target.organisation_id:
            unaddressed.append(f"{target.kind.value}: {target.description}")
            continue
        if target.organisation_id in victims or target.organisation_id == report.org_id:
            continue
        victims[target.organisation_id] = Victim(
            target.organisation_id, target.kind, target.description,
            target.kind in INTERMEDIARY_KINDS and bool(target.description),
        )
    return Owed(tuple(victims.values()), tuple(unaddressed))


class Change(StrEnum):
    NONE = "none"
    UPDATE = "update"        # the outcome changed (attempted -> successful or back)
    CANCEL = "cancel"        # the report was retracted, or no longer names this victim


def change_for(before: Report, after: Report, org_id: str) -> Change:
    """What a new version of the report means for the notification owed to ``org_id``."""
    if after.status is Status.RETRACTED:
        return Change.CANCEL
    if org_id not in {v.org_id for v in owed(after).victims}:
        return Change.CANCEL
    if before.content.outcome is not after.content.outcome:
        return Change.UPDATE
    return Change.NONE


@dataclass(frozen=True, slots=True)
class Recipients:
    primary: tuple[PointOfContact, ...]
    alternates: tuple[PointOfContact, ...]

    @property
    def empty(self) -> bool:
        return not self.primary and not self.alternates


RECIPIENT_TOPICS = (ContactTopic.BREACH_NOTIFICATION, ContactTopic.GENERAL,
                    ContactTopic.CYBER_INCIDENT, *(t for t in ContactTopic if t not in (
                        ContactTopic.BREACH_NOTIFICATION, ContactTopic.GENERAL,
                        ContactTopic.CYBER_INCIDENT)))
"""Whom to tell, in order: the breach-notification contact, else the general one, else the cyber
incident desk, else whoever the organisation listed. Only an organisation with no contact at all
is "no contact": a victim is told through whatever door it keeps open."""


def recipients(contacts: Iterable[PointOfContact]) -> Recipients:
    """The contacts of the first topic in ``RECIPIENT_TOPICS`` the organisation has; alternates
    (of the same order) are for escalation.

    With no regular contact but an alternate, the alternate is the primary: a notification
    reaches someone rather than waiting for an escalation.
    """
    listed = list(contacts)
    primary: tuple[PointOfContact, ...] = ()
    alternates: tuple[PointOfContact, ...] = ()
    for topic in RECIPIENT_TOPICS:
        regular = tuple(c for c in listed if c.topic is topic and not c.is_alternate)
        spare = tuple(c for c in listed if c.topic is topic and c.is_alternate)
        if not primary and regular:
            primary = regular
        if not alternates and spare:
            alternates = spare
    if not alternates:
        alternates = tuple(c for c in listed if c.is_alternate and c not in primary)
    if not primary and alternates:
        primary, alternates = alternates, ()
    return Recipients(primary, alternates)


def reporter_contact(contacts: Iterable[PointOfContact]) -> PointOfContact | None:
    """Whom the victim calls at the reporting organisation: breach notification, else general."""
    listed = sorted(contacts, key=lambda c: (c.is_alternate, c.name))
    for topic in (ContactTopic.BREACH_NOTIFICATION, ContactTopic.GENERAL):
        for contact in listed:
            if contact.topic is topic:
                return contact
    return listed[0] if listed else None


ADVICE: dict[Vector, str] = {
    Vector.CYBER_INTRUSION: "Check sign-in logs of the accounts and systems named below, reset "
    "passwords of any account that may be exposed, and turn on multi-factor sign-in.",
    Vector.HACK_AND_LEAK: "Assume the documents concerned may be published. Prepare a short "
    "public statement, keep originals to show any alteration, and preserve logs.",
    Vector.DISINFORMATION: "Do not repeat the false claim. Keep copies or links of what was "
    "posted, and prepare a short correction for your own channels.",
    Vector.INAUTHENTIC_AMPLIFICATION: "Keep links to the accounts and posts; report them to the "
    "platform. Do not engage with the accounts.",
    Vector.COVERT_FINANCING: "Review recent donations and payments for unknown sources and keep "
    "the records; tell your finance officer.",
    Vector.COERCION: "Make sure the people concerned are safe. Keep messages and call records, "
    "and contact the police if anyone is threatened.",
    Vector.VOTER_SUPPRESSION: "Keep copies of what was sent to voters, and point voters to the "
    "official voting information of the election authority.",
    Vector.DENIAL_OF_SERVICE: "Tell your hosting provider, check your protection against "
    "floods of traffic, and keep a static page ready to publish.",
    Vector.INSIDER_THREAT: "Review who holds access to sensitive systems and remove access that "
    "is no longer needed. Keep access logs.",
    Vector.DATA_THEFT: "Find out which data may be concerned, keep logs, and check whether you "
    "must tell a data protection authority or the people concerned.",
}
GENERAL_ADVICE = ("Do not delete anything that may be evidence. Tell us what you find, even if it "
                  "is nothing: that helps others who were targeted.")


@dataclass(frozen=True, slots=True)
class Context:
    """What the notice draws on; ``detailed``: the victim organisation may read the report."""

    report: Report
    victim: Victim
    victim_org: Organisation
    reporter_org: Organisation
    reporter_contact: PointOfContact | None
    detailed: bool
    purpose: Purpose
    previous_outcome: Outcome | None = None


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    text: str
    sections: tuple[tuple[str, str], ...]


ACK_PLACEHOLDER = "{acknowledge_url}"
"""Replaced by the delivery adapter with the acknowledgement link: the token is derived at send
time, so the stored message never holds it."""


def _what_happened(ctx: Context) -> str:
    content = ctx.report.content
    whom = (f"{ctx.victim.description}, whom you can reach"
            if ctx.victim.via_intermediary else ctx.victim_org.name)
    vectors = ", ".join(v.value.replace("_", " ") for v in content.vectors)
    if content.outcome is Outcome.SUCCESSFUL:
        verb = "was affected by a successful"
    else:
        verb = "was the target of an attempted"
    text = (f"{whom} {verb} {vectors} on or about {content.observed_at:%d %B %Y}, "
            f"reported by {ctx.reporter_org.name}.")
    if content.outcome is Outcome.ATTEMPTED:
        text += (" The attempt is not known to have succeeded. We tell you about attempts too, so "
                 "that you can check and protect yourself before anything else happens.")
    if ctx.purpose is Purpose.UPDATE and ctx.previous_outcome is not None:
        text = (f"Update: the report now says the {content.outcome.value} outcome (it said "
                f"{ctx.previous_outcome.value} before). " + text)
    return text


def _what_is_known(ctx: Context) -> str:
    content = ctx.report.content
    if not ctx.detailed:
        return ("The report is shared under TLP:" + content.tlp.value + " and your organisation is "
                "not among its readers, so its details are not in this message. Ask "
                f"{ctx.reporter_org.name} (below) for what they can share with you.")
    lines = [f"Report: {content.title} (TLP:{content.tlp.value})."]
    if content.summary:
        lines.append(content.summary)
    lines.append(f"Election: {content.election}; phase: {content.phase.value.replace('_', ' ')}.")
    if content.observables:
        shown = ", ".join(o.value for o in content.observables[:10])
        lines.append(f"Indicators: {shown}.")
    if content.suspected_actor is not None:
        actor = content.suspected_actor
        lines.append(f"Suspected actor: {actor.kind.value.replace('_', ' ')}"
                     f"{' ' + actor.name if actor.name else ''} "
                     f"(confidence {actor.confidence.value}).")
    else:
        lines.append("Who is behind it is not known.")
    lines.append("Please keep this information to the readers the TLP label allows.")
    return "\n".join(lines)


def _what_to_do(ctx: Context) -> str:
    advice = [ADVICE[v] for v in ctx.report.content.vectors if v in ADVICE]
    return "\n".join([*advice, GENERAL_ADVICE])


def _who_to_call(ctx: Context) -> str:
    contact = ctx.reporter_contact
    if contact is None:
        return f"{ctx.reporter_org.name} (no point of contact listed; reply to this message)."
    return f"{contact.name}, {ctx.reporter_org.name}: {contact.email}, {contact.phone}."


def compose(ctx: Context) -> Message:
    """The notice for one victim organisation; the same shape for breaches and attempts."""
    outcome = ctx.report.content.outcome
    kind = "Breach" if outcome is Outcome.SUCCESSFUL else "Attempted breach"
    prefix = {Purpose.NOTICE: "", Purpose.UPDATE: "Update: ", Purpose.REMINDER: "Reminder: ",
              Purpose.ESCALATION: "Escalation: "}[ctx.purpose]
    subject = f"{prefix}{kind} targeting {ctx.victim_org.name}"
    sections = (
        ("What happened", _what_happened(ctx)),
        ("What is known", _what_is_known(ctx)),
        ("What to do now", _what_to_do(ctx)),
        ("Who to call", _who_to_call(ctx)),
        ("Please confirm you received this",
         f"Open {ACK_PLACEHOLDER} and press the button to confirm. Until someone confirms, "
         "we will remind you and then call your alternate contact."),
    )
    opening = {
        Purpose.NOTICE: "We are writing because your organisation was targeted.",
        Purpose.UPDATE: "What we told you earlier has changed.",
        Purpose.REMINDER: "Nobody has confirmed the notice below yet.",
        Purpose.ESCALATION: ("You are the alternate contact of your organisation. Nobody has "
                             "confirmed the notice below, so we are telling you."),
    }[ctx.purpose]
    body = "\n\n".join([opening, *(f"{title}\n{text}" for title, text in sections)])
    return Message(subject, body + "\n", sections)


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a notification stands in its acknowledgement cycle."""

    state: State
    sent_at: datetime | None
    reminders_sent: int
    last_reminder_at: datetime | None
    escalated_at: datetime | None


class Next(StrEnum):
    WAIT = "wait"
    REMIND = "remind"
    ESCALATE = "escalate"


def next_step(progress: Progress, now: datetime, ack_hours: int, reminders: int) -> Next:
    """Remind every ``ack_hours`` after sending while unacknowledged; after ``reminders``
    reminders, escalate once to the alternate contact."""
    if progress.state is not State.SENT or progress.sent_at is None:
        return Next.WAIT
    if progress.escalated_at is not None:
        return Next.WAIT
    since = progress.last_reminder_at or progress.sent_at
    if now - since < timedelta(hours=ack_hours):
        return Next.WAIT
    return Next.REMIND if progress.reminders_sent < reminders else Next.ESCALATE


def is_overdue(progress: Progress, now: datetime, ack_hours: int) -> bool:
    return (progress.state is State.SENT and progress.sent_at is not None
            and now - progress.sent_at >= timedelta(hours=ack_hours))


def addresses(contacts: Sequence[PointOfContact]) -> tuple[str, ...]:
    """E-mail addresses, each once, in order."""
    return tuple(dict.fromkeys(c.email.strip().lower() for c in contacts if c.email.strip()))
