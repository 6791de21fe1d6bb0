"""The case library: facts written as findings, with the verdict each definition should reach.

The seeds ask governments to "test their definitions to make sure they do not affect acceptable
activities such as public diplomacy" (Paris Call Community, 2020). The library holds both sides of
the red line the seeds' roundtable asks about ("Realpolitik foreign policy or manipulation of
sovereign democratic processes: where's the red line?"), and the hard cases where published
definitions disagree. The narratives are generic or fictional and accuse no real government.

A case file (``cases/*.yaml``) is a list of cases. A finding is written either in full (a mapping
with answer, confidence, rationale, evidence) or in one readable line::

    deception: yes (high) — the accounts posed as local voters
    intent: unknown

Findings that list no evidence cite the case narrative (report field ``summary``): in the library,
the narrative is the report.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ballotguard.assessment.criteria import Criterion
from ballotguard.assessment.definitions import SLUG
from ballotguard.assessment.documents import Located, Path, load
from ballotguard.assessment.findings import EvidenceKind, EvidenceRef, Finding
from ballotguard.assessment.verdicts import Verdict
from ballotguard.errors import CaseNotFound, InvalidCaseFile


class CaseSide(StrEnum):
    ACCEPTABLE = "acceptable"
    INTERFERENCE = "interference"
    HARD = "hard"


class Case(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: Annotated[str, Field(pattern=SLUG, max_length=80)]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    side: CaseSide
    narrative: Annotated[str, Field(min_length=1)]
    findings: list[Finding]
    expected: dict[Annotated[str, Field(pattern=SLUG)], Verdict] = {}
    note: str = ""


NARRATIVE = EvidenceRef(
    kind=EvidenceKind.REPORT_FIELD, ref="summary", description="the case narrative"
)

_LINE = re.compile(
    r"^(?P<answer>yes|no|unknown)\s*"
    r"(?:\((?P<confidence>low|moderate|high)(?:\s+confidence)?\))?\s*"
    r"(?:(?:\u2014|\u2013|--|-|:)\s*(?P<rationale>.+))?$",
    re.DOTALL | re.IGNORECASE,
)
_CASE_KEYS = {"id", "title", "side", "narrative", "findings", "expected", "note", "evidence"}


def parse_cases(text: str, source_name: str = "<cases>") -> list[Case]:
    doc = load(text, source_name, InvalidCaseFile)
    if not isinstance(doc.data, list):
        raise doc.fail((), "a case file is a list of cases")
    cases = [_case(doc, item, (index,)) for index, item in enumerate(doc.data)]
    _refuse_duplicates(doc, cases)
    return cases


def _refuse_duplicates(doc: Located, cases: list[Case]) -> None:
    seen: set[str] = set()
    for index, case in enumerate(cases):
        if case.id in seen:
            raise doc.fail((index, "id"), f"the case id '{case.id}' is used twice")
        seen.add(case.id)


def _case(doc: Located, raw: Any, path: Path) -> Case:
    if not isinstance(raw, dict):
        raise doc.fail(path, "a case is a mapping (id, title, side, narrative, findings, expected)")
    unknown = sorted(str(k) for k in raw if k not in _CASE_KEYS)
    if unknown:
        raise doc.fail((*path, unknown[0], "<key>"), f"'{unknown[0]}' is not a field of a case")
    for field in ("id", "title", "side", "narrative", "findings", "expected"):
        if field not in raw:
            raise doc.fail(path, f"the field '{field}' is missing")
    default_evidence = raw.get("evidence", [NARRATIVE.model_dump()])
    findings = _findings(doc, raw["findings"], (*path, "findings"), default_evidence)
    data = {k: v for k, v in raw.items() if k != "evidence"}
    data["findings"] = findings
    if isinstance(data["expected"], dict):
        data["expected"] = {str(k): v for k, v in data["expected"].items()}
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise doc.from_validation(exc, path) from None


def _findings(doc: Located, raw: Any, path: Path, default_evidence: Any) -> list[Finding]:
    if not isinstance(raw, dict):
        raise doc.fail(path, "findings is a mapping from criterion to finding")
    findings = []
    for key, value in raw.items():
        name = str(key)
        try:
            criterion = Criterion(name)
        except ValueError:
            known = ", ".join(c.value for c in Criterion)
            raise doc.fail(
                (*path, name, "<key>"), f"unknown criterion '{name}'; known criteria: {known}"
            ) from None
        findings.append(_finding(doc, criterion, value, (*path, name), default_evidence))
    return findings


def _finding(
    doc: Located, criterion: Criterion, value: Any, path: Path, default_evidence: Any
) -> Finding:
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, str):
        match = _LINE.match(value.strip())
        if not match:
            raise doc.fail(
                path,
                f"write the finding as 'yes (high) — why', 'no (moderate) — why' or "
                f"'unknown'; got {value!r}",
            )
        answer = match["answer"].lower()
        confidence = (match["confidence"] or "").lower()
        if answer != "unknown" and not confidence:
            raise doc.fail(path, f"the {answer} finding on {criterion.value} needs a confidence")
        data: dict[str, Any] = {
            "answer": answer,
            "confidence": confidence or "low",
            "rationale": " ".join((match["rationale"] or "").split()),
        }
    elif isinstance(value, dict):
        data = dict(value)
        data.pop("criterion", None)
        if isinstance(data.get("answer"), bool):  # YAML 1.1 reads a bare yes / no as a boolean
            data["answer"] = "yes" if data["answer"] else "no"
    else:
        raise doc.fail(path, "a finding is one line ('yes (high) — why') or a mapping")
    data["criterion"] = criterion
    data.setdefault("evidence", default_evidence if data.get("answer") != "unknown" else [])
    try:
        return Finding.model_validate(data)
    except ValidationError as exc:
        raise doc.from_validation(exc, path) from None


@cache
def _library() -> tuple[Case, ...]:
    folder = resources.files("ballotguard.assessment") / "cases"
    cases: list[Case] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            cases.extend(parse_cases(entry.read_text(encoding="utf-8"), entry.name))
    ids = [c.id for c in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InvalidCaseFile("cases/", 1, f"case ids used in two files: {duplicates}")
    return tuple(cases)


def load_cases() -> list[Case]:
    """The case library shipped with Ballotguard."""
    return list(_library())


def case_by_id(case_id: str) -> Case:
    for case in _library():
        if case.id == case_id:
            return case
    raise CaseNotFound(case_id)
