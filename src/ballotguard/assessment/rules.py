"""Decision rules: small expressions over criteria, read in Kleene's three-valued logic.

A rule is a criterion name, ``all_of`` a list of rules, ``any_of`` a list of rules, or ``not`` one
rule. Each criterion's answer (yes / no / unknown) is a truth value (true / false / unknown), and
the rule is evaluated with Kleene's strong three-valued logic (S. C. Kleene, *Introduction to
Metamathematics*, 1952, §64): ``all_of`` is false as soon as one part is false, true when every
part is true, unknown otherwise; ``any_of`` is the mirror; ``not`` swaps true and false and keeps
unknown. True means interference, false acceptable influence, unknown insufficient information:
three verdicts, never a score.

A rule also says what its value rests on (``deciding``): for a true ``any_of`` the parts that
hold, for a false ``all_of`` the parts that fail, for an unknown result the unknown answers that
would matter. Fixing only those answers fixes a true or false result whatever the others are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, TypeAlias

from pydantic import BaseModel, ConfigDict, Field

from ballotguard.assessment.criteria import Criterion, criterion_label
from ballotguard.assessment.findings import Answer


class _Node(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


class AllOf(_Node):
    all_of: Annotated[list[Rule], Field(min_length=1)]


class AnyOf(_Node):
    any_of: Annotated[list[Rule], Field(min_length=1)]


class Not(_Node):
    not_: Rule = Field(alias="not")


Rule: TypeAlias = Criterion | AllOf | AnyOf | Not

for _model in (AllOf, AnyOf, Not):
    _model.model_rebuild()


def negate(rule: Rule) -> Not:
    return Not.model_validate({"not": rule})


# --- Kleene's strong three-valued logic over answers ------------------------------------------


def kleene_and(*values: Answer) -> Answer:
    if Answer.NO in values:
        return Answer.NO
    if Answer.UNKNOWN in values:
        return Answer.UNKNOWN
    return Answer.YES


def kleene_or(*values: Answer) -> Answer:
    if Answer.YES in values:
        return Answer.YES
    if Answer.UNKNOWN in values:
        return Answer.UNKNOWN
    return Answer.NO


def kleene_not(value: Answer) -> Answer:
    return {Answer.YES: Answer.NO, Answer.NO: Answer.YES, Answer.UNKNOWN: Answer.UNKNOWN}[value]


def truth(rule: Rule, answers: Mapping[Criterion, Answer]) -> Answer:
    """The rule's value; a criterion with no answer is unknown."""
    if isinstance(rule, Criterion):
        return answers.get(rule, Answer.UNKNOWN)
    if isinstance(rule, AllOf):
        return kleene_and(*(truth(part, answers) for part in rule.all_of))
    if isinstance(rule, AnyOf):
        return kleene_or(*(truth(part, answers) for part in rule.any_of))
    return kleene_not(truth(rule.not_, answers))


def deciding(rule: Rule, answers: Mapping[Criterion, Answer]) -> list[Criterion]:
    """The criteria the rule's value rests on, in the order the rule names them."""
    return list(dict.fromkeys(_deciding(rule, answers)))


def _deciding(rule: Rule, answers: Mapping[Criterion, Answer]) -> Iterator[Criterion]:
    if isinstance(rule, Criterion):
        yield rule
        return
    if isinstance(rule, Not):
        yield from _deciding(rule.not_, answers)
        return
    parts = rule.all_of if isinstance(rule, AllOf) else rule.any_of
    value = truth(rule, answers)
    # The value that settles the node on its own: false for all_of, true for any_of.
    settling = Answer.NO if isinstance(rule, AllOf) else Answer.YES
    if value is Answer.UNKNOWN:
        wanted = Answer.UNKNOWN
    elif value is settling:
        wanted = settling
    else:  # every part had to agree
        wanted = value
    for part in parts:
        if truth(part, answers) is wanted:
            yield from _deciding(part, answers)


def criteria_of(rule: Rule) -> list[Criterion]:
    """Every criterion the rule names, in order, once."""
    return list(dict.fromkeys(_criteria(rule)))


def _criteria(rule: Rule) -> Iterator[Criterion]:
    if isinstance(rule, Criterion):
        yield rule
    elif isinstance(rule, Not):
        yield from _criteria(rule.not_)
    else:
        for part in rule.all_of if isinstance(rule, AllOf) else rule.any_of:
            yield from _criteria(part)


def is_monotone(rule: Rule) -> bool:
    """True when the rule has no ``not``: a further yes can then never turn true into false."""
    if isinstance(rule, Criterion):
        return True
    if isinstance(rule, Not):
        return False
    return all(
        is_monotone(part) for part in (rule.all_of if isinstance(rule, AllOf) else rule.any_of)
    )


# --- plain English ------------------------------------------------------------------------------


def describe_rule(rule: Rule) -> str:
    """The rule in words, e.g. ``foreign nexus and at least one of (coercion, deception or
    corrupting)``. Nested groups are bracketed so that the reading is never ambiguous."""
    return _describe(rule, top=True)


def _describe(rule: Rule, top: bool = False) -> str:
    if isinstance(rule, Criterion):
        return criterion_label(rule)
    if isinstance(rule, Not):
        inner = _describe(rule.not_)
        return f"no {inner}" if isinstance(rule.not_, Criterion) else f"not {inner}"
    if isinstance(rule, AllOf):
        parts, joiner, lead = rule.all_of, "and", "all of"
    else:
        parts, joiner, lead = rule.any_of, "or", "at least one of"
    if len(parts) == 1:
        return _describe(parts[0], top)
    words = [_describe(part) for part in parts]
    listed = ", ".join(words[:-1]) + f" {joiner} " + words[-1]
    if isinstance(rule, AllOf) and top:
        return listed
    return f"{lead} ({listed})"
