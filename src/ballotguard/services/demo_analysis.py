"""The demo's assessment work: the instance admin adopts the baseline definition (its case-library
run goes to the audit log), and the CERT analyst assesses the tour's report (an intrusion attempt:
interference) and an ambassador's signed op-ed (public diplomacy: acceptable influence), so that
the report pages, the side-by-side verdicts and the audit log have something true to show.

Campaigns need no step here: they form by themselves as the demo's reports are filed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ballotguard.assessment import (
    BASELINE_ID,
    Answer,
    Criterion,
    EvidenceKind,
    EvidenceRef,
    Finding,
    builtin_definition,
)
from ballotguard.ports import UnitOfWork
from ballotguard.services import assessments
from ballotguard.services.actors import person_actor
from ballotguard.services.assessments import SubjectKind
from ballotguard.sharing import Person
from ballotguard.vocabulary import Confidence

FindingSpec = tuple[Criterion, Answer, Confidence, tuple[tuple[EvidenceKind, str], ...], str]

INTRUSION: tuple[FindingSpec, ...] = (
    (Criterion.DEMOCRATIC_TARGET, Answer.YES, Confidence.HIGH,
     ((EvidenceKind.REPORT_FIELD, "targets"),),
     "The target is the voter registration portal and its clerk accounts."),
    (Criterion.DECEPTION, Answer.YES, Confidence.MODERATE,
     ((EvidenceKind.REPORT_FIELD, "summary"), (EvidenceKind.OBSERVABLE, "ip:203.0.113.77")),
     "Exploitation attempts and credential stuffing from rented addresses: a covert origin."),
    (Criterion.INTENT, Answer.YES, Confidence.MODERATE,
     ((EvidenceKind.REPORT_FIELD, "summary"), (EvidenceKind.NOTE, "0")),
     "Repeated attempts on clerk accounts aim to reach or disrupt the register."),
    (Criterion.COERCION, Answer.NO, Confidence.MODERATE,
     ((EvidenceKind.REPORT_FIELD, "summary"),), "No threat or pressure on anyone."),
    (Criterion.HARM_OR_SCALE, Answer.UNKNOWN, Confidence.LOW, (),
     "Blocked; no account accessed so far."),
)

OP_ED: tuple[FindingSpec, ...] = (
    (Criterion.DEMOCRATIC_TARGET, Answer.YES, Confidence.HIGH,
     ((EvidenceKind.REPORT_FIELD, "summary"),), "It speaks to Veldran voters about the election."),
    (Criterion.COERCION, Answer.NO, Confidence.HIGH, ((EvidenceKind.REPORT_FIELD, "summary"),),
     "An argument about trade ties, with no threat attached."),
    (Criterion.DECEPTION, Answer.NO, Confidence.HIGH,
     ((EvidenceKind.REPORT_FIELD, "suspected_actor"), (EvidenceKind.REPORT_FIELD, "summary")),
     "Signed by the ambassador and published openly: its origin is plain."),
    (Criterion.CORRUPTING, Answer.NO, Confidence.HIGH, ((EvidenceKind.REPORT_FIELD, "summary"),),
     "No money or favours involved."),
    (Criterion.INTENT, Answer.YES, Confidence.MODERATE, ((EvidenceKind.REPORT_FIELD, "summary"),),
     "It seeks to influence how Veldrans vote: open persuasion."),
)


def _findings(specs: tuple[FindingSpec, ...]) -> list[Finding]:
    return [
        Finding(
            criterion=criterion, answer=answer, confidence=confidence, rationale=why,
            evidence=[EvidenceRef(kind=kind, ref=ref) for kind, ref in evidence],
        )
        for criterion, answer, confidence, evidence, why in specs
    ]


def load_analysis(
    uow_factory: Callable[[], UnitOfWork],
    admin: Person,
    analyst: Person,
    intrusion_report_id: str,
    op_ed_report_id: str,
    now: datetime,
) -> None:
    baseline = builtin_definition(BASELINE_ID)
    with uow_factory() as uow:
        assessments.adopt_definition(uow, person_actor(admin), baseline.text, None, now)
    for report_id, specs, reason in (
        (intrusion_report_id, INTRUSION, "first assessment after CERT-XV's note"),
        (op_ed_report_id, OP_ED, "checked against the public-diplomacy cases"),
    ):
        with uow_factory() as uow:
            assessments.assess(
                uow, person_actor(analyst), SubjectKind.REPORT, report_id, BASELINE_ID,
                _findings(specs), now, reason,
            )
