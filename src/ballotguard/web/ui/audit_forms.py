"""The audit pages' forms: the setup form into contests and jurisdictions, and an audit board's
reading of a ballot (or a batch's hand count) into a ``Reading``. Pure functions over the posted
fields, so that every error names the line or the field to fix."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ballotguard.audit.workflow import Audit, AuditContest, Jurisdiction, Method, Reading
from ballotguard.errors import InvalidInput

CONTEST_BLOCKS = 3
MAX_CONTEST_BLOCKS = 20
NAME_LIMIT = 200
TEXT_LIMIT = 20_000
_LINE = re.compile(r"^(?P<name>.+?)\s*[:,;\t]?\s*(?P<number>-?[\d_,.]*\d)\s*$")


def text(form: Any, name: str, limit: int = NAME_LIMIT) -> str:
    value = form.get(name)
    found = value.strip() if isinstance(value, str) else ""
    if len(found) > limit:
        raise InvalidInput(name, f"at most {limit} characters")
    return found


def _whole(value: str, where: str) -> int:
    cleaned = value.replace(",", "").replace("_", "").replace(" ", "")
    if not re.fullmatch(r"-?\d+", cleaned):
        raise InvalidInput(where, f"{value!r} is not a whole number")
    return int(cleaned)


def _named_numbers(block: str, where: str) -> list[tuple[str, int]]:
    """Lines ``name: number`` (or ``name, number`` or ``name number``), empty lines skipped."""
    found = []
    for number, line in enumerate(block.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line.strip())
        if match is None:
            raise InvalidInput(f"{where}, line {number}",
                               f"{line.strip()!r}: write a name, then the number (e.g. 'Alvarez: 1000')")
        found.append((match["name"].strip(), _whole(match["number"], f"{where}, line {number}")))
    return found


def _percent(value: str, where: str, default: float | None = None) -> float:
    if not value:
        if default is None:
            raise InvalidInput(where, "a percentage is required")
        return default
    try:
        number = float(value.rstrip("%").strip())
    except ValueError:
        raise InvalidInput(where, f"{value!r} is not a percentage") from None
    return number / 100


def _names(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass
class SetupForm:
    """The setup form as typed (to show it again with the error) and its parsed values."""

    values: dict[str, str] = field(default_factory=dict)
    blocks: int = CONTEST_BLOCKS

    @classmethod
    def read(cls, form: Any) -> SetupForm:
        try:
            blocks = int(str(form.get("blocks", CONTEST_BLOCKS)))
        except ValueError:
            blocks = CONTEST_BLOCKS
        blocks = max(1, min(blocks, MAX_CONTEST_BLOCKS))
        names = ["name", "method", "risk_limit", "seed", "stopping", "jurisdictions"]
        for i in range(blocks):
            names += [f"contest{i}_{part}" for part in
                      ("name", "tally", "winners", "ballots", "jurisdictions", "supermajority")]
        values = {n: text(form, n, TEXT_LIMIT) for n in names}
        return cls(values, blocks)

    def jurisdictions(self) -> list[Jurisdiction]:
        rows = _named_numbers(self.values.get("jurisdictions", ""), "jurisdictions")
        if not rows:
            raise InvalidInput("jurisdictions", "list each jurisdiction and the ballot cards it "
                               "reported cast, one per line (e.g. 'Northfield: 1000')")
        return [Jurisdiction(name, ballots) for name, ballots in rows]

    def contests(self) -> list[AuditContest]:
        found = []
        for i in range(self.blocks):
            v = {part: self.values.get(f"contest{i}_{part}", "") for part in
                 ("name", "tally", "winners", "ballots", "jurisdictions", "supermajority")}
            if not any(v.values()):
                continue
            where = f"contest {i + 1}" + (f" ({v['name']})" if v["name"] else "")
            if not v["name"]:
                raise InvalidInput(f"{where} name", "the contest needs a name")
            tally = _named_numbers(v["tally"], f"{where} tally")
            if not tally:
                raise InvalidInput(f"{where} tally", "give each candidate's reported votes, one "
                                   "per line (e.g. 'Alvarez: 1000')")
            names = [n for n, _ in tally]
            if len(set(names)) != len(names):
                raise InvalidInput(f"{where} tally", "a candidate is listed twice")
            winners = _names(v["winners"])
            if not winners:
                raise InvalidInput(f"{where} winners", "name the reported winner(s)")
            for w in winners:
                if w not in names:
                    raise InvalidInput(f"{where} winners", f"{w!r} is not in the tally")
            ballots = _whole(v["ballots"], f"{where} ballots") if v["ballots"] else 0
            if ballots <= 0:
                raise InvalidInput(f"{where} ballots", "give the number of ballot cards that "
                                   "carry the contest (at least 1)")
            supermajority = (_percent(v["supermajority"], f"{where} super-majority")
                             if v["supermajority"] else None)
            found.append(AuditContest(v["name"], dict(tally), ballots, winners,
                                      _names(v["jurisdictions"]), supermajority))
        if not found:
            raise InvalidInput("contest 1 name", "the audit needs at least one contest")
        return found

    def method(self) -> Method:
        try:
            return Method(self.values.get("method", ""))
        except ValueError:
            raise InvalidInput("method", "choose a method") from None

    def risk_limit(self) -> float:
        return _percent(self.values.get("risk_limit", ""), "risk limit")

    def stopping(self) -> float:
        return _percent(self.values.get("stopping", ""), "stopping probability", 0.9)


def unit_contests(audit: Audit, jurisdiction: str) -> list[tuple[int, str, list[str]]]:
    """(index, contest, candidates) for the contests on the jurisdiction's ballots; the index
    names the form's fields (``c<i>``: candidates marked; ``n<i>_<k>``: votes counted)."""
    return [(i, c.name, list(c.tally)) for i, c in enumerate(audit.contests)
            if c.in_jurisdiction(jurisdiction)]


def reading_from(audit: Audit, jurisdiction: str, form: Any) -> Reading:
    """The reading a board member posted: the candidates marked (or vote counts for a batch)."""
    if form.get("not_found") == "yes":
        return Reading(not_found=True)
    contests = unit_contests(audit, jurisdiction)
    if audit.method is Method.MACRO:
        counts: dict[str, dict[str, int]] = {}
        for i, name, candidates in contests:
            counts[name] = {}
            for k, candidate in enumerate(candidates):
                raw = text(form, f"n{i}_{k}", 20)
                counts[name][candidate] = _whole(raw or "0", f"{name}: {candidate}")
        return Reading(counts=counts)
    marks: dict[str, tuple[str, ...]] = {}
    for i, name, candidates in contests:
        chosen = []
        for value in form.getlist(f"c{i}"):
            try:
                chosen.append(candidates[int(str(value))])
            except (ValueError, IndexError):
                raise InvalidInput(name, "choose among the contest's candidates") from None
        marks[name] = tuple(chosen)
    return Reading(marks=marks)


def describe(reading: Reading | None) -> str:
    """A reading in words, for the board page and the disagreement notice."""
    if reading is None:
        return ""
    if reading.not_found:
        return "not found"
    if reading.counts:
        return "; ".join(f"{c}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
                         for c, counts in reading.counts.items())
    return "; ".join(f"{c}: {', '.join(m) if m else 'no mark'}" for c, m in reading.marks.items())


def marked(reading: Reading | None) -> Mapping[str, Sequence[str]]:
    return dict(reading.marks) if reading is not None else {}
