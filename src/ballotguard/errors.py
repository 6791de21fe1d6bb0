"""The exception hierarchy. Errors state facts; the web adapter alone maps them to HTTP.

    BallotguardError
    ├── InvalidInput            a value from outside broke a rule (names the field)
    │   ├── UnknownTerm          a term is not in the shared vocabulary
    │   ├── InvalidObservable    an observable does not parse as its kind
    │   ├── MissingRecipient     a TLP:RED report names nobody
    │   ├── AttachmentTooLarge   an evidence file exceeds the configured limit
    │   ├── InvalidTransition    a status change the workflow does not allow
    │   ├── InvalidDocument      a YAML document does not parse or breaks a rule (names the line)
    │   │   ├── InvalidDefinition    a definition of interference
    │   │   └── InvalidCaseFile      a file of the case library
    │   ├── FindingWithoutEvidence  a yes/no finding that cites no evidence
    │   ├── InvalidRiskLimit     a risk limit outside (0, 1)
    │   ├── NegativeVotes        a reported tally with negative votes (names the candidate)
    │   ├── NoMargin             a contest whose reported winner does not beat a loser (a tie)
    │   ├── InvalidAuditParameter  a round schedule, sample count or rate that breaks a rule
    │   ├── InvalidSeed          a sampling seed that is not a string of decimal digits
    │   │   └── SeedTooShort         fewer digits than the minimum (20)
    │   ├── DuplicateBallotId    two ballots with one id (they would share a ticket)
    │   ├── InvalidManifest      a ballot manifest line or column that breaks a rule (names both)
    │   ├── ManifestMismatch     a manifest's ballot total disagrees with the reported ballots
    │   ├── InvalidCvr           a cast-vote-record or batch-tally CSV line or column that breaks a rule
    │   ├── NoticeNotReady       publishing a notice with empty fields or above grade 8 (names each)
    │   ├── FlagsNotAcknowledged  publishing before the check's flags were acknowledged
    │   └── RationaleRequired    a panel decision of no notice (or a recusal) without its reason
    ├── NotFound                 the thing does not exist *or* the reader may not know it does
    │   ├── ReportNotFound
    │   ├── OrganisationNotFound
    │   ├── PersonNotFound
    │   ├── DefinitionNotFound
    │   ├── CaseNotFound
    │   ├── PeerNotFound         a federation peer of that name
    │   ├── CollectionNotFound   a TAXII collection, or one the reader may not see
    │   ├── ObjectNotFound       a STIX object in a collection
    │   ├── StatusNotFound       a TAXII status, or another organisation's
    │   ├── NotificationNotFound a victim notification, or an acknowledgement token matching none
    │   ├── PanelCaseNotFound    a case before the panel, or one the reader may not see
    │   ├── DecisionNotFound     a decision of the panel
    │   ├── NoticeNotFound       a notice, or a targeted one the reader may not see
    │   ├── VotingPageNotFound   a voting information page in that language
    │   ├── SeatNotFound         a panel seat
    │   └── AuditNotFound        a risk-limiting audit
    ├── Conflict                 the thing exists already, or changed underneath the caller
    │   ├── AdoptionRefused      the definition calls acceptable cases interference; no signed reason
    │   ├── NotificationClosed   a cancelled or no-contact notification cannot be acknowledged
    │   ├── PartiesNotBriefed    publishing before the required parties were informed (names them)
    │   ├── PartiesAlreadyBriefed  a second party briefing for one decision (one text, one time)
    │   └── PanelProcedure       the panel's procedure does not allow this now
    │       ├── RecusedFromCase      a recused seat tried to vote on the case
    │       ├── AlreadyVoted         a seat acts once per voting round
    │       ├── SeatsStillToAct      a decision before every seat voted, abstained or was recused
    │       ├── QuorumNotMet         a decision with fewer votes cast than the quorum
    │       ├── DecisionExists       a second decision that does not supersede the current one
    │       ├── CaseDecided          voting on a case whose round is closed (reopen it first)
    │       ├── DecisionSuperseded   a later decision replaced this one
    │       └── NoNoticeDecided      the decision was "no notice": nothing to publish
    ├── AuthenticationFailed     wrong credentials, expired session or token
    │   └── AccountLocked        too many failures; carries when it unlocks
    ├── PermissionDenied         authenticated, but the role does not allow the action
    │   ├── ObjectFromReport     a STIX object published from a report changes only with it
    │   ├── NotOnPanel           the person holds no seat on the panel
    │   ├── NotElectionAuthority  voting information edited by someone outside an election authority
    │   └── NotChair             only the chair records decisions
    ├── RouteWithoutAccessRule   a route was declared without an access rule (start-up refuses)
    ├── FederationFailed         a pull or push stopped; what was committed stays, the cursor says where
    │   ├── TokenMissing         the environment variable meant to hold the remote token is unset
    │   ├── RemoteUnreachable    no connection to the remote TAXII server
    │   ├── RemoteRefused        the remote answered 401 or 403
    │   └── RemoteError          the remote answered something that is not TAXII
    ├── DeliveryFailed           an outbox message was not delivered (permanent or retried later)
    ├── SigningKeyUnusable       the webhook signing key is missing, unreadable or malformed
    └── AuditLogBroken           verification found an altered, inserted or deleted entry

A report the reader may not see raises ``ReportNotFound``, never ``PermissionDenied``: telling a
reader that a TLP:RED report exists is itself a leak.
"""

from __future__ import annotations

from datetime import datetime


class BallotguardError(Exception):
    """Root of every error the product raises on purpose."""


class InvalidInput(BallotguardError, ValueError):
    """A value from outside broke a rule; ``field`` names it so the user knows what to fix.

    It is also a ``ValueError`` so that pydantic validators at the edge report it per field.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class UnknownTerm(InvalidInput):
    def __init__(self, field: str, term: str, allowed: list[str]) -> None:
        shown = ", ".join(allowed[:12]) + (" …" if len(allowed) > 12 else "")
        super().__init__(field, f"'{term}' is not in the vocabulary; use one of: {shown}")
        self.term = term
        self.allowed = allowed


class InvalidObservable(InvalidInput):
    def __init__(self, field: str, kind: str, value: str, why: str) -> None:
        super().__init__(field, f"'{value}' is not a valid {kind}: {why}")
        self.kind = kind
        self.value = value


class MissingRecipient(InvalidInput):
    def __init__(self) -> None:
        super().__init__("recipient_people", "a TLP:RED report must name at least one person")


class AttachmentTooLarge(InvalidInput):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__("attachment", f"{size} bytes is over the limit of {limit} bytes")
        self.size = size
        self.limit = limit


class InvalidTransition(InvalidInput):
    def __init__(self, current: str, wanted: str, allowed: list[str]) -> None:
        super().__init__(
            "status",
            f"cannot go from '{current}' to '{wanted}'; allowed: {', '.join(allowed) or 'none'}",
        )
        self.current = current
        self.wanted = wanted


class InvalidDocument(InvalidInput):
    """A YAML document (definition, case file) that does not parse or breaks a rule.

    ``line`` is 1-based and always in the message, so a person can open the file and fix it.
    """

    what = "document"

    def __init__(self, source_name: str, line: int, reason: str) -> None:
        super().__init__(source_name, f"line {line}: {reason}")
        self.source_name = source_name
        self.line = line
        self.problem = reason

    def __str__(self) -> str:
        return f"{self.what} {self.source_name}, line {self.line}: {self.problem}"


class InvalidDefinition(InvalidDocument):
    what = "definition"


class InvalidCaseFile(InvalidDocument):
    what = "case file"


class FindingWithoutEvidence(InvalidInput):
    """A finding answered yes or no must point to the evidence it rests on."""

    def __init__(self, criterion: str, answer: str) -> None:
        super().__init__(
            "evidence",
            f"the finding on '{criterion}' is answered '{answer}' but cites no evidence; "
            "cite a report field, observable, attachment, note, report or public source, "
            "or answer 'unknown'",
        )
        self.criterion = criterion
        self.answer = answer


class NotFound(BallotguardError):
    """The thing does not exist, or the reader is not allowed to know that it exists."""

    kind = "thing"

    def __init__(self, key: str) -> None:
        super().__init__(f"{self.kind} {key} not found")
        self.key = key


class ReportNotFound(NotFound):
    kind = "report"


class OrganisationNotFound(NotFound):
    kind = "organisation"


class PersonNotFound(NotFound):
    kind = "person"


class AssessmentNotFound(NotFound):
    kind = "assessment"


class CampaignNotFound(NotFound):
    kind = "campaign"


class DefinitionNotFound(NotFound):
    kind = "definition"


class CaseNotFound(NotFound):
    kind = "case"


class Conflict(BallotguardError):
    """The thing exists already, or was changed by someone else since it was read."""


class AdoptionRefused(Conflict):
    """A definition that calls acceptable activity interference is adopted only with a reason.

    The seeds ask governments to test their definitions so that they do not catch acceptable
    activities such as public diplomacy; this is the guard that makes the test bite.
    """

    def __init__(self, definition_id: str, case_ids: list[str]) -> None:
        super().__init__(
            f"definition {definition_id} calls {len(case_ids)} case(s) of acceptable activity "
            f"interference ({', '.join(case_ids)}); adopting it needs a signed reason"
        )
        self.definition_id = definition_id
        self.case_ids = case_ids


class AuthenticationFailed(BallotguardError):
    """Credentials did not match; the message never says which part was wrong."""

    def __init__(self, message: str = "wrong e-mail or password") -> None:
        super().__init__(message)


class AccountLocked(AuthenticationFailed):
    def __init__(self, until: datetime) -> None:
        super().__init__(f"account locked after repeated failures until {until.isoformat()}")
        self.until = until


class PermissionDenied(BallotguardError):
    def __init__(self, action: str, needed: str) -> None:
        super().__init__(f"{action} needs {needed}")
        self.action = action
        self.needed = needed


class RouteWithoutAccessRule(BallotguardError):
    def __init__(self, path: str) -> None:
        super().__init__(f"route {path} has not declared its access rule; refusing to start")
        self.path = path


class AuditLogBroken(BallotguardError):
    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(f"audit log entry {seq}: {reason}")
        self.seq = seq
        self.reason = reason


class CampaignNotFullyVisible(PermissionDenied):
    """Merging or splitting a campaign acts on every report in it, so the actor must see them all."""

    def __init__(self, campaign_id: str) -> None:
        super().__init__("merge or split a campaign", "read access to every report in it")
        self.campaign_id = campaign_id


class InvalidDecision(InvalidInput):
    """An analyst's decision on campaign links that cannot apply (a report linked to itself, a
    split that splits nothing)."""


# -- TAXII -----------------------------------------------------------------------------------------


class CollectionNotFound(NotFound):
    kind = "collection"


class ObjectNotFound(NotFound):
    kind = "object"


class StatusNotFound(NotFound):
    kind = "status"


class ObjectFromReport(PermissionDenied):
    """An object published from a report changes only through the report (a new STIX version)."""

    def __init__(self, object_id: str, report_id: str) -> None:
        super().__init__(f"deleting {object_id}", "a retraction or correction of its report")
        self.args = (
            f"{object_id} was published from report {report_id}; objects of a report are not "
            "deleted one by one: retract or correct the report, and the new version is published",
        )
        self.object_id = object_id
        self.report_id = report_id


# -- federation -----------------------------------------------------------------------------------


class PeerNotFound(NotFound):
    kind = "federation peer"


class FederationFailed(BallotguardError):
    """A pull or push stopped; what was committed before stays, the cursor says where."""


class TokenMissing(FederationFailed):
    def __init__(self, peer: str, variable: str) -> None:
        super().__init__(
            f"the environment variable {variable}, which should hold the API token for "
            f"peer {peer}, is not set"
        )


class RemoteUnreachable(FederationFailed):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot reach {url}: {reason}")
        self.url = url


class RemoteRefused(FederationFailed):
    """The remote answered 401 or 403: the token is wrong, expired or lacks the right."""

    def __init__(self, url: str, status: int, detail: str) -> None:
        super().__init__(f"{url} refused the request ({status}): {detail}")
        self.url = url
        self.status = status


class RemoteError(FederationFailed):
    def __init__(self, url: str, detail: str) -> None:
        super().__init__(f"{url}: {detail}")
        self.url = url


# -- the expert panel -----------------------------------------------------------------------------


class PanelCaseNotFound(NotFound):
    kind = "panel case"


class DecisionNotFound(NotFound):
    kind = "decision"


class SeatNotFound(NotFound):
    kind = "seat"


class RationaleRequired(InvalidInput):
    def __init__(self, field: str, what: str) -> None:
        super().__init__(field, f"{what} needs a written reason")


class NotOnPanel(PermissionDenied):
    def __init__(self, action: str) -> None:
        super().__init__(action, "a seat on the panel")


class NotChair(PermissionDenied):
    def __init__(self, action: str) -> None:
        super().__init__(action, "the chair's seat")


class PanelProcedure(Conflict):
    """The panel's procedure does not allow this now; the message says what must happen first."""


class RecusedFromCase(PanelProcedure):
    def __init__(self, case_id: str, seat_name: str, reason: str) -> None:
        super().__init__(
            f"{seat_name} is recused from case {case_id} (conflict of interest: {reason}) "
            "and cannot vote on it"
        )
        self.case_id = case_id
        self.seat_name = seat_name
        self.reason = reason


class AlreadyVoted(PanelProcedure):
    def __init__(self, case_id: str, seat_name: str, round_: int) -> None:
        super().__init__(
            f"{seat_name} has already acted in round {round_} of case {case_id}; "
            "a seat votes once per round"
        )
        self.case_id = case_id
        self.seat_name = seat_name
        self.round = round_


class SeatsStillToAct(PanelProcedure):
    def __init__(self, case_id: str, seat_names: list[str]) -> None:
        super().__init__(
            f"case {case_id} cannot be decided yet: {', '.join(seat_names)} "
            "must still vote, abstain or recuse"
        )
        self.case_id = case_id
        self.seat_names = seat_names


class QuorumNotMet(PanelProcedure):
    def __init__(self, case_id: str, cast: int, quorum: int) -> None:
        super().__init__(
            f"case {case_id} cannot be decided: {cast} vote(s) cast, the quorum is {quorum} "
            "(abstentions and recusals do not count)"
        )
        self.case_id = case_id
        self.cast = cast
        self.quorum = quorum


class DecisionExists(PanelProcedure):
    def __init__(self, case_id: str, decision_id: str) -> None:
        super().__init__(
            f"case {case_id} already has decision {decision_id}; a new decision must supersede "
            "it (reopen the case for a new round and name the decision it replaces)"
        )
        self.case_id = case_id
        self.decision_id = decision_id


class CaseDecided(PanelProcedure):
    def __init__(self, case_id: str, decision_id: str) -> None:
        super().__init__(
            f"case {case_id} was decided ({decision_id}); reopen it to start a new voting round"
        )
        self.case_id = case_id
        self.decision_id = decision_id


class DecisionSuperseded(PanelProcedure):
    def __init__(self, decision_id: str, by: str) -> None:
        super().__init__(f"decision {decision_id} was superseded by decision {by}")
        self.decision_id = decision_id
        self.by = by


class NoNoticeDecided(PanelProcedure):
    def __init__(self, decision_id: str) -> None:
        super().__init__(f"decision {decision_id} decided no notice; there is nothing to publish")
        self.decision_id = decision_id


# -- risk-limiting audits (pure math in ballotguard.audit) -----------------------------------------


class InvalidRiskLimit(InvalidInput):
    def __init__(self, value: float, field: str = "risk_limit") -> None:
        super().__init__(field, f"{value!r} is not a risk limit; it must lie strictly between 0 and 1")
        self.value = value


class NegativeVotes(InvalidInput):
    def __init__(self, candidate: str, votes: int, contest: str = "") -> None:
        where = f" in contest {contest!r}" if contest else ""
        super().__init__(
            f"tally.{candidate}", f"{votes} votes for {candidate!r}{where}: votes cannot be negative"
        )
        self.candidate = candidate
        self.votes = votes
        self.contest = contest


class NoMargin(InvalidInput):
    """The reported winner does not beat the loser: there is no outcome for an audit to confirm."""

    def __init__(self, contest: str, detail: str) -> None:
        super().__init__(f"contest.{contest}", f"no winner margin to audit: {detail}")
        self.contest = contest
        self.detail = detail


class InvalidAuditParameter(InvalidInput):
    """A round schedule, sample count, error rate or other audit input that breaks a rule."""


class InvalidSeed(InvalidInput):
    def __init__(self, seed: object, field: str = "seed") -> None:
        super().__init__(field, f"{seed!r} is not a seed: use only the decimal digits 0-9")
        self.seed = seed


class SeedTooShort(InvalidSeed):
    def __init__(self, seed: str, minimum: int, field: str = "seed") -> None:
        InvalidInput.__init__(
            self, field, f"the seed has {len(seed)} digits; at least {minimum} are needed"
        )
        self.seed = seed
        self.minimum = minimum


class DuplicateBallotId(InvalidInput):
    def __init__(self, ballot_id: str, first: int, second: int) -> None:
        super().__init__(
            "ballot_ids", f"{ballot_id!r} appears twice (positions {first} and {second})"
        )
        self.ballot_id = ballot_id
        self.first = first
        self.second = second


class InvalidManifest(InvalidInput):
    """A ballot manifest that breaks a rule; ``line`` (1 = the header) and ``column`` say where."""

    def __init__(self, line: int, column: str, reason: str) -> None:
        where = f"manifest line {line}" + (f", column {column!r}" if column else "")
        super().__init__(where, reason)
        self.line = line
        self.column = column


class ManifestMismatch(InvalidInput):
    def __init__(self, jurisdiction: str, manifest_ballots: int, reported_ballots: int) -> None:
        more = "more" if manifest_ballots > reported_ballots else "fewer"
        super().__init__(
            f"manifest.{jurisdiction}",
            f"the manifest lists {manifest_ballots} ballot cards, {more} than the "
            f"{reported_ballots} reported cast; correct the manifest or the reported count",
        )
        self.jurisdiction = jurisdiction
        self.manifest_ballots = manifest_ballots
        self.reported_ballots = reported_ballots


class InvalidCvr(InvalidInput):
    """A CVR or batch-tally CSV that breaks a rule; ``line`` (1 = the header) and ``column``."""

    def __init__(self, line: int, column: str, reason: str, kind: str = "CVR file") -> None:
        where = f"{kind} line {line}" + (f", column {column!r}" if column else "")
        super().__init__(where, reason)
        self.line = line
        self.column = column


class AuditNotFound(NotFound):
    kind = "audit"


# -- public notices and the portal ----------------------------------------------------------------


class NoticeNotFound(NotFound):
    kind = "notice"


class VotingPageNotFound(NotFound):
    kind = "voting information page"


class NoticeNotReady(InvalidInput):
    """Empty required fields or a readability grade above the limit; ``problems`` lists each."""

    def __init__(self, notice_id: str, missing: list[str], problems: list[str]) -> None:
        super().__init__("notice", f"notice {notice_id} cannot be published: "
                         + "; ".join(problems))
        self.notice_id = notice_id
        self.missing = missing
        self.problems = problems


class FlagsNotAcknowledged(InvalidInput):
    def __init__(self, notice_id: str, flags: list[str]) -> None:
        super().__init__(
            "acknowledge_flags",
            f"notice {notice_id} has {len(flags)} flag(s) to review before publication: "
            + "; ".join(flags),
        )
        self.notice_id = notice_id
        self.flags = flags


class PartiesNotBriefed(Conflict):
    def __init__(self, decision_id: str, missing: list[str]) -> None:
        super().__init__(
            f"a public notice on decision {decision_id} cannot be published before the required "
            "parties are informed: " + "; ".join(missing)
        )
        self.decision_id = decision_id
        self.missing = missing


class PartiesAlreadyBriefed(Conflict):
    def __init__(self, decision_id: str, at: datetime) -> None:
        super().__init__(
            f"the registered parties were briefed on decision {decision_id} at {at.isoformat()}; "
            "all parties get one briefing, the same text at the same time"
        )
        self.decision_id = decision_id
        self.at = at


class NotElectionAuthority(PermissionDenied):
    def __init__(self, action: str) -> None:
        super().__init__(action, "an election official of an election-authority organisation")


# -- victim notifications -------------------------------------------------------------------------


class NotificationNotFound(NotFound):
    """A victim notification, one the caller may not follow, or an acknowledgement link that
    matches none (a wrong or mistyped token says no more than a missing one)."""

    kind = "notification"


class NotificationClosed(Conflict):
    """The notification was cancelled (its report retracted) or has no contact to acknowledge."""

    def __init__(self, notification_id: str, state: str) -> None:
        super().__init__(f"notification {notification_id} is {state.replace('_', ' ')}; "
                         "there is nothing to acknowledge")
        self.notification_id = notification_id
        self.state = state


class DeliveryFailed(BallotguardError):
    """A message of the outbox could not be delivered; ``permanent`` means retrying cannot help
    (the SMTP server refused the address with a 5xx, the webhook answered 4xx)."""

    def __init__(self, channel: str, recipient: str, reason: str, permanent: bool = False) -> None:
        super().__init__(f"{channel} to {recipient}: {reason}")
        self.channel = channel
        self.recipient = recipient
        self.reason = reason
        self.permanent = permanent


class SigningKeyUnusable(BallotguardError):
    """The webhook signing key (setting or key file) is missing, unreadable or malformed."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"webhook signing key {where}: {reason}")
        self.where = where
