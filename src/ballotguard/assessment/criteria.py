"""The criteria a definition of interference weighs, each with the questions an analyst answers.

The criteria come from the Paris Call Community for Countering Election Interference (seeds/000:
"What Constitutes Foreign Interference vs. Acceptable Nation-State Influence", ASD, Government of
Canada and Microsoft, 2020): coercion, deception (lack of transparency, inauthenticity,
misrepresentation), the activity's intent (to disrupt, manipulate, damage or erode confidence in
democratic organisations, institutions and processes, possibly only to sow confusion), and scope
across all threat actors and vectors. The published definitions we encode add their own terms:
"corrupting" and "contrary to Australia's sovereignty" (Australian Government, Department of Home
Affairs), "a threat to any person" (CSIS Act, s. 2), "manipulative" and "coordinated" (EEAS, 1st
Report on FIMI Threats, 2023).

A criterion is a question with three answers (yes, no, unknown). The descriptions and questions
are data: the analyst UI and the published methodology show them as written here.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Criterion(StrEnum):
    FOREIGN_NEXUS = "foreign_nexus"
    COERCION = "coercion"
    THREAT_TO_PERSON = "threat_to_person"
    DECEPTION = "deception"
    CORRUPTING = "corrupting"
    INTENT = "intent"
    DEMOCRATIC_TARGET = "democratic_target"
    HARM_OR_SCALE = "harm_or_scale"
    MANIPULATIVE = "manipulative"
    COORDINATED = "coordinated"
    CONTRARY_TO_SOVEREIGNTY = "contrary_to_sovereignty"


class CriterionInfo(BaseModel):
    """What a criterion means and the questions that decide it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    criterion: Criterion
    label: str
    description: str
    questions: tuple[str, ...]
    yes_when: str
    no_when: str


def _info(
    criterion: Criterion,
    label: str,
    description: str,
    questions: tuple[str, ...],
    yes_when: str,
    no_when: str,
) -> CriterionInfo:
    return CriterionInfo(
        criterion=criterion,
        label=label,
        description=description,
        questions=questions,
        yes_when=yes_when,
        no_when=no_when,
    )


CRITERIA: dict[Criterion, CriterionInfo] = {
    info.criterion: info
    for info in (
        _info(
            Criterion.FOREIGN_NEXUS,
            "foreign nexus",
            "The activity is directed, funded or controlled from abroad: by a foreign state, "
            "or by a person or group acting for one (a proxy, intermediary or front).",
            (
                "Who carried out the activity, and on whose behalf?",
                "Was it directed, funded, controlled or supported by a foreign state or its proxy?",
                "Do intermediaries (companies, associations, local individuals) hide a foreign principal?",
            ),
            "a foreign state or its proxy directs, funds or controls the activity",
            "the actor is domestic and acts on its own account, with no foreign principal",
        ),
        _info(
            Criterion.COERCION,
            "coercion",
            "The activity compels rather than persuades: threats, intimidation, blackmail, "
            "or the use of an economic dependency to force a political choice.",
            (
                "Does anyone threaten harm (to people, jobs, trade, aid, relatives) to obtain a political outcome?",
                "Is an economic dependency used or created to force a choice at the ballot box?",
                "Are voters, candidates, officials or diaspora members intimidated?",
            ),
            "a threat, intimidation or pressure that leaves the target no free choice",
            "the activity only argues, offers or informs; the target stays free to refuse",
        ),
        _info(
            Criterion.THREAT_TO_PERSON,
            "threat to a person",
            "The activity involves a threat to any person: to their safety, liberty, livelihood "
            "or family. Narrower than coercion: pressure on a state's trade is not a threat to a person.",
            (
                "Is a named or identifiable person (voter, candidate, official, journalist, relative) threatened?",
                "Is the threat to their safety, liberty, livelihood or family?",
            ),
            "an identifiable person, or their family, is threatened",
            "no person is threatened (pressure, if any, is on a state, market or organisation)",
        ),
        _info(
            Criterion.DECEPTION,
            "deception",
            "The activity hides or misrepresents who is behind it or what it is: covert or "
            "clandestine origin, inauthentic accounts or personas, impersonation, forged or "
            "fabricated material (including deepfakes), undisclosed sponsorship, unauthorised access.",
            (
                "Is the true sponsor or author hidden, or is the activity carried out in secret?",
                "Are accounts, personas, outlets or organisations fake or misrepresented?",
                "Are documents, recordings or images forged, fabricated or doctored?",
                "Was material obtained by unauthorised access (intrusion, theft)?",
            ),
            "the origin, identity or nature of the activity is concealed or falsified",
            "the actor is open and attributed, and the material is genuine and lawfully obtained",
        ),
        _info(
            Criterion.CORRUPTING,
            "corrupting",
            "The activity corrupts: illicit financing of parties, candidates or campaigns, "
            "bribery, or buying influence over officials or voters outside the law.",
            (
                "Is money or value given to a party, candidate, official or voter in breach of the law?",
                "Are donations routed to evade limits, bans on foreign funding, or disclosure?",
                "Is anyone offered a benefit in exchange for a political act or a vote?",
            ),
            "illicit financing, bribery or a quid pro quo",
            "funding, if any, is lawful, declared and not tied to a political act",
        ),
        _info(
            Criterion.INTENT,
            "intent",
            "The activity aims to disrupt, manipulate, damage or erode confidence in democratic "
            "organisations, institutions or processes; the aim may be partisan, or only to sow "
            "confusion and chaos.",
            (
                "What is the actor seeking to achieve?",
                "Does it aim to change an outcome by means other than open persuasion, to stop people voting, "
                "or to damage confidence in the election or its institutions?",
                "Is the aim to sow confusion or chaos, even with no partisan goal?",
            ),
            "the aim is to disrupt, manipulate, damage or erode confidence, or to sow confusion",
            "the aim is to inform, persuade openly, exchange, or support the process",
        ),
        _info(
            Criterion.DEMOCRATIC_TARGET,
            "democratic target",
            "The target is a democratic process, organisation or institution, or the values it "
            "rests on: an election and its phases, election authorities and infrastructure, parties, "
            "candidates, parliaments, the media's role in the campaign, voters' free choice.",
            (
                "Is an election, referendum or its administration the target?",
                "Are parties, candidates, election officials, parliamentarians or voters targeted as such?",
            ),
            "a democratic process, organisation or institution is the target",
            "the target is outside democratic processes (e.g. a purely commercial matter)",
        ),
        _info(
            Criterion.HARM_OR_SCALE,
            "harm at scale",
            "The activity caused, or at its scale could cause, real harm: votes prevented, results "
            "delayed, a campaign derailed, confidence in the election measurably damaged.",
            (
                "What was the effect, or the plausible effect at this scale?",
                "Were voters, officials or results materially affected?",
            ),
            "a material effect on the election or on confidence in it is shown or highly likely",
            "the effect was negligible and the reach too small to matter",
        ),
        _info(
            Criterion.MANIPULATIVE,
            "manipulative",
            "The activity manipulates the information environment rather than arguing in it: "
            "techniques such as fake amplification, flooding, impersonation, distortion or "
            "fabrication (the TTPs that DISARM catalogues), whether or not each act is illegal.",
            (
                "Does the activity use manipulative techniques (bots, fake engagement, flooding, "
                "impersonation, laundering of content through proxies)?",
                "Would an informed audience, knowing how it was done, feel misled about its reach or origin?",
            ),
            "manipulative tactics, techniques or procedures are used",
            "the activity persuades through open argument with genuine reach",
        ),
        _info(
            Criterion.COORDINATED,
            "coordinated",
            "The activity is a pattern of coordinated behaviour: several accounts, outlets or actors "
            "acting together, in time or content, rather than one isolated act.",
            (
                "Do several accounts, outlets or actors act together (shared timing, content, infrastructure)?",
                "Is this part of a pattern rather than a single act?",
            ),
            "a coordinated pattern across accounts, outlets or actors",
            "a single, isolated act or uncoordinated independent voices",
        ),
        _info(
            Criterion.CONTRARY_TO_SOVEREIGNTY,
            "contrary to sovereignty",
            "The activity is contrary to the target country's sovereignty, values or national "
            "interests (Australia), or detrimental to its interests (Canada, CSIS Act s. 2).",
            (
                "Does the activity work against the country's sovereignty, its democratic values or its national interests?",
                "Would the country's government, applying its published definition, call it detrimental?",
            ),
            "it works against the country's sovereignty, values or interests",
            "it is consistent with them (e.g. open cooperation the country accepts)",
        ),
    )
}


def criterion_info(criterion: Criterion) -> CriterionInfo:
    return CRITERIA[criterion]


def criterion_label(criterion: Criterion) -> str:
    return CRITERIA[criterion].label
