"""The shared language of Ballotguard, version 1.

Terms come from the Paris Call Principle 3 compendium (seeds/003, seeds/004): the phases of an
election, the vectors of interference, who is targeted, who acts, and whether the attack
succeeded. Every report, agreement and export speaks these terms, so that an election authority,
a CERT and a platform mean the same thing by "hack-and-leak". Ids are stable snake_case strings;
labels are for people. A term is only ever added; renaming one is a new vocabulary version.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ballotguard.errors import UnknownTerm

VOCABULARY_VERSION = "1.0.0"


class Phase(StrEnum):
    PLANNING = "planning_and_legal_framework"
    VOTER_REGISTRATION = "voter_registration"
    CANDIDATE_REGISTRATION = "candidate_and_party_registration"
    CAMPAIGN = "campaign"
    VOTING_EARLY = "voting_early"
    VOTING_MAIL = "voting_mail"
    VOTING_IN_PERSON = "voting_in_person"
    VOTING_PROVISIONAL = "voting_provisional"
    COUNTING = "counting_and_tabulation"
    RESULTS = "results_and_certification"
    POST_ELECTION = "post_election"


class Vector(StrEnum):
    CYBER_INTRUSION = "cyber_intrusion"
    HACK_AND_LEAK = "hack_and_leak"
    DISINFORMATION = "disinformation"
    INAUTHENTIC_AMPLIFICATION = "inauthentic_amplification"
    COVERT_FINANCING = "covert_or_illicit_financing"
    COERCION = "coercion"
    VOTER_SUPPRESSION = "voter_suppression_and_intimidation"
    DENIAL_OF_SERVICE = "denial_of_service"
    INSIDER_THREAT = "insider_threat"
    DATA_THEFT = "data_theft"


class TargetKind(StrEnum):
    ELECTION_AUTHORITY = "election_authority"
    ELECTION_INFRASTRUCTURE = "election_infrastructure"
    VOTER_REGISTRATION_SYSTEM = "voter_registration_system"
    POLITICAL_PARTY = "political_party"
    CANDIDATE = "candidate"
    CAMPAIGN = "campaign"
    MEDIA = "media"
    CIVIL_SOCIETY = "civil_society"
    VOTERS = "voters"
    DIASPORA_COMMUNITY = "diaspora_community"
    GOVERNMENT = "government"
    PLATFORM = "platform"


class ActorKind(StrEnum):
    FOREIGN_STATE = "foreign_state"
    STATE_AFFILIATED_PROXY = "state_affiliated_proxy"
    DOMESTIC = "domestic"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    """Attempted or successful: victims are owed a notification for both."""

    ATTEMPTED = "attempted"
    SUCCESSFUL = "successful"


class Impact(StrEnum):
    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    SEVERE = "severe"


class Confidence(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class SourceReliability(StrEnum):
    """The Admiralty scale's source letter, as analysts already use it."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class Tlp(StrEnum):
    """Traffic Light Protocol 2.0 (FIRST). Ordered from widest to narrowest audience."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"

    @property
    def rank(self) -> int:
        return _TLP_ORDER.index(self)

    @classmethod
    def parse(cls, text: str) -> Tlp:
        """Accept TLP 2.0 spellings and map TLP 1.0's WHITE to CLEAR."""
        cleaned = text.strip().upper().removeprefix("TLP:").replace("_", "+").replace(" ", "")
        if cleaned == "WHITE":
            return cls.CLEAR
        try:
            return cls(cleaned)
        except ValueError:
            raise UnknownTerm("tlp", text, [t.value for t in cls]) from None


_TLP_ORDER = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED]


class Framework(StrEnum):
    DISARM = "disarm"
    ATTACK = "attack"


LABELS: dict[str, str] = {
    Phase.PLANNING: "Planning and legal framework",
    Phase.VOTER_REGISTRATION: "Voter registration",
    Phase.CANDIDATE_REGISTRATION: "Candidate and party registration",
    Phase.CAMPAIGN: "Campaign",
    Phase.VOTING_EARLY: "Voting: early",
    Phase.VOTING_MAIL: "Voting: mail",
    Phase.VOTING_IN_PERSON: "Voting: in person",
    Phase.VOTING_PROVISIONAL: "Voting: provisional",
    Phase.COUNTING: "Counting and tabulation",
    Phase.RESULTS: "Results and certification (audits included)",
    Phase.POST_ELECTION: "Post-election",
    Vector.CYBER_INTRUSION: "Cyber intrusion",
    Vector.HACK_AND_LEAK: "Hack-and-leak",
    Vector.DISINFORMATION: "Disinformation",
    Vector.INAUTHENTIC_AMPLIFICATION: "Inauthentic amplification (coordinated inauthentic behaviour)",
    Vector.COVERT_FINANCING: "Covert or illicit financing",
    Vector.COERCION: "Coercion (economic, threats, intimidation of diaspora)",
    Vector.VOTER_SUPPRESSION: "Voter suppression and intimidation",
    Vector.DENIAL_OF_SERVICE: "Denial of service",
    Vector.INSIDER_THREAT: "Insider threat",
    Vector.DATA_THEFT: "Data theft",
}


def label(term: StrEnum) -> str:
    """A person's name for a term; falls back to the id made readable."""
    return LABELS.get(term.value, term.value.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class Technique:
    """A technique from DISARM (influence operations) or MITRE ATT&CK (intrusions).

    Both frameworks number techniques ``T####[.###]``; the framework keeps T0001 in DISARM apart
    from T0001 in ATT&CK.
    """

    framework: Framework
    technique_id: str
    name: str = ""
    tactic: str = ""

    @property
    def ref(self) -> str:
        return f"{self.framework.value}:{self.technique_id}"
