"""Definitions of interference as versioned, testable rules; verdicts with reasons; the case library.

The method is published in ``docs/methodology.md``. It follows the Paris Call Community for
Countering Election Interference (seeds/000 and seeds/001): a definition weighs coercion,
deception, intent and scope, and is tested against acceptable activity such as public diplomacy.
The built-in encodings cite their sources: the Australian Government (Department of Home Affairs,
"Countering foreign interference"), Canada (CSIS Act, s. 2), and the EU (EEAS, 1st Report on
Foreign Information Manipulation and Interference Threats, 2023).
"""

from ballotguard.assessment.cases import (
    NARRATIVE,
    Case,
    CaseSide,
    case_by_id,
    load_cases,
    parse_cases,
)
from ballotguard.assessment.criteria import (
    CRITERIA,
    Criterion,
    CriterionInfo,
    criterion_info,
    criterion_label,
)
from ballotguard.assessment.definitions import (
    BASELINE_ID,
    Citation,
    Definition,
    builtin_definition,
    builtin_definitions,
    parse_definition,
)
from ballotguard.assessment.findings import (
    Answer,
    EvidenceKind,
    EvidenceRef,
    Finding,
    parse_findings,
)
from ballotguard.assessment.library import (
    CaseResult,
    Flip,
    LibraryRun,
    check_adoption,
    diff_definitions,
    reason_has_substance,
    run_case,
    run_library,
)
from ballotguard.assessment.rules import (
    AllOf,
    AnyOf,
    Not,
    Rule,
    criteria_of,
    deciding,
    describe_rule,
    is_monotone,
    kleene_and,
    kleene_not,
    kleene_or,
    negate,
    truth,
)
from ballotguard.assessment.verdicts import Verdict, VerdictResult, combine, evaluate

__all__ = [
    "BASELINE_ID",
    "CRITERIA",
    "NARRATIVE",
    "AllOf",
    "Answer",
    "AnyOf",
    "Case",
    "CaseResult",
    "CaseSide",
    "Citation",
    "Criterion",
    "CriterionInfo",
    "Definition",
    "EvidenceKind",
    "EvidenceRef",
    "Finding",
    "Flip",
    "LibraryRun",
    "Not",
    "Rule",
    "Verdict",
    "VerdictResult",
    "builtin_definition",
    "builtin_definitions",
    "case_by_id",
    "check_adoption",
    "combine",
    "criteria_of",
    "criterion_info",
    "criterion_label",
    "deciding",
    "describe_rule",
    "diff_definitions",
    "evaluate",
    "is_monotone",
    "kleene_and",
    "kleene_not",
    "kleene_or",
    "load_cases",
    "negate",
    "parse_cases",
    "parse_definition",
    "parse_findings",
    "reason_has_substance",
    "run_case",
    "run_library",
    "truth",
]
