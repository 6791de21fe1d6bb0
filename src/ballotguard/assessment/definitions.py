"""Definitions of interference as versioned, published, testable documents.

The seeds (Paris Call Community for Countering Election Interference, 2020) observe that there is
little consensus on what "foreign interference" is, and ask that governments test their
definitions so that they do not catch acceptable activity such as public diplomacy. A definition
here is therefore data: an id, a semantic version, a citation of its published source, the
criteria it uses (``criteria.py``), a decision rule over them (``rules.py``) and the rationale for
the encoding. The built-in definitions, each citing its source, live in ``definitions/*.yaml``:

- ``ballotguard-baseline``: the seeds' elements (coercion, deception, intent, scope);
- ``australia-2018``: Australian Government, Department of Home Affairs, "Countering foreign
  interference" (coercive, corrupting, deceptive or clandestine; contrary to sovereignty);
- ``canada-csis``: CSIS Act, R.S.C. 1985, c. C-23, s. 2(b) (foreign influenced activities that
  are clandestine or deceptive or involve a threat to any person);
- ``eu-fimi``: EEAS, 1st Report on Foreign Information Manipulation and Interference Threats, 2023.

A document that does not parse, misses a field or names an unknown criterion is refused with
``InvalidDefinition(source_name, line, reason)``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ballotguard.assessment.criteria import Criterion
from ballotguard.assessment.documents import Located, Path, load
from ballotguard.assessment.rules import AllOf, AnyOf, Rule, criteria_of, describe_rule, negate
from ballotguard.errors import DefinitionNotFound, InvalidDefinition

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$"


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Citation(_Value):
    """Where the definition was published."""

    title: Annotated[str, Field(min_length=1, max_length=500)]
    publisher: Annotated[str, Field(min_length=1, max_length=300)]
    year: Annotated[int, Field(ge=1900, le=2100)]
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    section: str = ""
    quote: str = ""


class Definition(BaseModel):
    """A definition of interference. ``text`` is the document exactly as published (not stripped)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(pattern=SLUG, max_length=80)]
    version: Annotated[str, Field(pattern=SEMVER)]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    source: Citation
    criteria: Annotated[list[Criterion], Field(min_length=1)]
    rule: Rule
    rationale: Annotated[str, Field(min_length=1)]
    text: str = ""

    @model_validator(mode="after")
    def _criteria_match_rule(self) -> Self:
        problem = _criteria_problem(self.criteria, self.rule)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def rule_text(self) -> str:
        return describe_rule(self.rule)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"


def _criteria_problem(declared: list[Criterion], rule: Rule) -> str:
    used = criteria_of(rule)
    missing = [c.value for c in used if c not in declared]
    if missing:
        return f"the rule uses {', '.join(missing)}, which criteria does not list"
    unused = [c.value for c in declared if c not in used]
    if unused:
        return f"criteria lists {', '.join(unused)}, which the rule does not use"
    return ""


_RULE_KEYS = ("all_of", "any_of", "not")


def parse_definition(text: str, source_name: str = "<definition>") -> Definition:
    """A definition from its YAML text; the text is kept in ``Definition.text``."""
    doc = load(text, source_name, InvalidDefinition)
    if not isinstance(doc.data, dict):
        raise doc.fail((), "a definition is a mapping of fields (id, version, title, …)")
    data: dict[str, Any] = dict(doc.data)
    for field in ("id", "version", "title", "source", "criteria", "rule", "rationale"):
        if field not in data:
            raise doc.fail((), f"the field '{field}' is missing")
    if "text" in data:
        raise doc.fail(("text", "<key>"), "'text' is not a field of a definition file")
    criteria = _parse_criteria(doc, data["criteria"])
    data["criteria"] = criteria
    data["rule"] = parse_rule(doc, data["rule"], ("rule",))
    problem = _criteria_problem(criteria, data["rule"])
    if problem:
        raise doc.fail(("criteria",), problem)
    data["text"] = text
    try:
        return Definition.model_validate(data)
    except ValidationError as exc:
        raise doc.from_validation(exc) from None


def _parse_criteria(doc: Located, value: Any) -> list[Criterion]:
    if not isinstance(value, list) or not value:
        raise doc.fail(("criteria",), "criteria is a non-empty list of criterion names")
    return [_criterion(doc, item, ("criteria", index)) for index, item in enumerate(value)]


def _criterion(doc: Located, value: Any, path: Path) -> Criterion:
    if isinstance(value, str):
        try:
            return Criterion(value)
        except ValueError:
            pass
    known = ", ".join(c.value for c in Criterion)
    raise doc.fail(path, f"unknown criterion '{value}'; known criteria: {known}")


def parse_rule(doc: Located, value: Any, path: Path) -> Rule:
    """A rule node: a criterion name, or a mapping with one key: all_of, any_of or not."""
    if isinstance(value, str):
        return _criterion(doc, value, path)
    if not isinstance(value, dict) or len(value) != 1:
        raise doc.fail(
            path, "a rule is a criterion name or a mapping with one key: all_of, any_of or not"
        )
    ((key, inner),) = value.items()
    if key not in _RULE_KEYS:
        raise doc.fail((*path, key, "<key>"), f"unknown rule '{key}'; use all_of, any_of or not")
    inner_path = (*path, key)
    if key == "not":
        return negate(parse_rule(doc, inner, inner_path))
    if not isinstance(inner, list) or not inner:
        raise doc.fail(inner_path, f"{key} takes a non-empty list of rules")
    parts = [parse_rule(doc, item, (*inner_path, index)) for index, item in enumerate(inner)]
    return AllOf(all_of=parts) if key == "all_of" else AnyOf(any_of=parts)


@cache
def _builtin() -> tuple[Definition, ...]:
    folder = resources.files("ballotguard.assessment") / "definitions"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            found.append(parse_definition(entry.read_text(encoding="utf-8"), entry.name))
    ids = [d.id for d in found]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise InvalidDefinition("definitions/", 1, f"duplicate ids: {sorted(duplicates)}")
    return tuple(found)


BASELINE_ID = "ballotguard-baseline"


def builtin_definitions() -> list[Definition]:
    """The definitions shipped with Ballotguard, the baseline first."""
    return sorted(_builtin(), key=lambda d: (d.id != BASELINE_ID, d.id))


def builtin_definition(def_id: str) -> Definition:
    for definition in _builtin():
        if definition.id == def_id:
            return definition
    raise DefinitionNotFound(def_id)
