"""Definition documents: parsed from YAML, refused with the line and the reason; the built-ins."""

from __future__ import annotations

import textwrap

import pytest

from ballotguard.assessment import (
    BASELINE_ID,
    CRITERIA,
    AllOf,
    AnyOf,
    Criterion,
    builtin_definition,
    builtin_definitions,
    criterion_info,
    parse_definition,
)
from ballotguard.errors import DefinitionNotFound, InvalidDefinition, InvalidInput, NotFound

GOOD = textwrap.dedent(
    """\
    id: test-definition
    version: 0.1.0
    title: A test definition
    source:
      title: A paper
      publisher: A publisher
      year: 2024
      url: https://example.org/paper
    criteria: [foreign_nexus, deception, coercion]
    rule:
      all_of:
        - foreign_nexus
        - any_of: [deception, coercion]
    rationale: Because.
    """
)


def refused(text: str) -> InvalidDefinition:
    with pytest.raises(InvalidDefinition) as caught:
        parse_definition(text, "mine.yaml")
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.source_name == "mine.yaml"
    assert f"line {caught.value.line}" in str(caught.value)
    return caught.value


def test_a_good_definition_parses_and_keeps_its_text() -> None:
    definition = parse_definition(GOOD)
    assert definition.id == "test-definition"
    assert definition.version == "0.1.0"
    assert definition.text == GOOD
    assert definition.rule == AllOf(
        all_of=[Criterion.FOREIGN_NEXUS, AnyOf(any_of=[Criterion.DECEPTION, Criterion.COERCION])]
    )
    assert definition.rule_text == "foreign nexus and at least one of (deception or coercion)"
    assert definition.key == "test-definition@0.1.0"


def test_an_unknown_criterion_in_the_rule_is_refused_at_its_line() -> None:
    error = refused(GOOD.replace("any_of: [deception, coercion]", "any_of: [deception, charm]"))
    assert error.line == 13
    assert "unknown criterion 'charm'" in str(error)


def test_an_unknown_criterion_in_a_block_list_is_refused_at_its_line() -> None:
    text = GOOD.replace(
        "    - any_of: [deception, coercion]\n",
        "    - any_of:\n        - deception\n        - bribery\n",
    )
    error = refused(text)
    assert error.line == 15
    assert "'bribery'" in error.problem


def test_an_unknown_criterion_in_the_criteria_list_is_refused_at_its_line() -> None:
    error = refused(
        GOOD.replace(
            "criteria: [foreign_nexus, deception, coercion]",
            "criteria:\n  - foreign_nexus\n  - deceit\n  - coercion",
        )
    )
    assert error.line == 11
    assert "unknown criterion 'deceit'" in error.problem
    assert "deception" in error.problem  # the known criteria are listed


def test_bad_yaml_is_refused_at_its_line() -> None:
    error = refused(GOOD.replace("title: A test definition", "title: [unclosed"))
    assert error.line in (3, 4)
    assert "not valid YAML" in error.problem
    error = refused("id: x\nversion: 1.0.0\n  title: bad indent\n")
    assert error.line == 3


def test_a_missing_field_is_refused() -> None:
    error = refused(GOOD.replace("rationale: Because.\n", ""))
    assert "'rationale' is missing" in error.problem
    assert error.line == 1


def test_a_missing_field_of_the_source_is_refused_at_the_source() -> None:
    error = refused(GOOD.replace("  url: https://example.org/paper\n", ""))
    assert error.line == 4
    assert "source.url" in error.problem
    assert "missing" in error.problem


def test_a_bad_value_is_refused_at_its_line() -> None:
    error = refused(GOOD.replace("version: 0.1.0", "version: one"))
    assert error.line == 2
    assert "version" in error.problem
    error = refused(GOOD.replace("year: 2024", "year: long ago"))
    assert error.line == 7


def test_an_unknown_rule_keyword_is_refused_at_its_line() -> None:
    error = refused(GOOD.replace("any_of: [deception, coercion]", "some_of: [deception, coercion]"))
    assert error.line == 13
    assert "unknown rule 'some_of'" in error.problem


def test_a_rule_node_with_two_keys_is_refused() -> None:
    error = refused(
        GOOD.replace(
            "- any_of: [deception, coercion]", "- {any_of: [deception], all_of: [coercion]}"
        )
    )
    assert error.line == 13
    assert "one key" in error.problem


def test_an_empty_list_in_a_rule_is_refused() -> None:
    error = refused(GOOD.replace("any_of: [deception, coercion]", "any_of: []"))
    assert "non-empty list" in error.problem


def test_criteria_must_match_the_rule() -> None:
    error = refused(
        GOOD.replace(
            "criteria: [foreign_nexus, deception, coercion]", "criteria: [foreign_nexus, deception]"
        )
    )
    assert error.line == 9
    assert "the rule uses coercion" in error.problem
    error = refused(
        GOOD.replace(
            "criteria: [foreign_nexus, deception, coercion]",
            "criteria: [foreign_nexus, deception, coercion, intent]",
        )
    )
    assert "intent, which the rule does not use" in error.problem


def test_an_empty_document_and_a_non_mapping_are_refused() -> None:
    assert refused("").line == 1
    assert refused("- just\n- a list\n").line == 1


def test_the_builtin_definitions_are_the_four_published() -> None:
    ids = [d.id for d in builtin_definitions()]
    assert ids[0] == BASELINE_ID
    assert set(ids) == {"ballotguard-baseline", "australia-2018", "canada-csis", "eu-fimi"}


@pytest.mark.parametrize("definition", builtin_definitions(), ids=lambda d: d.id)
def test_each_builtin_cites_its_source_and_explains_its_encoding(definition: object) -> None:
    from ballotguard.assessment import Definition

    assert isinstance(definition, Definition)
    assert definition.source.url.startswith("https://")
    assert definition.source.quote, "quote the published wording"
    assert len(definition.rationale) > 300
    assert definition.text.startswith("#")
    assert parse_definition(definition.text) == definition


def test_the_sources_are_the_published_ones() -> None:
    assert "homeaffairs.gov.au" in builtin_definition("australia-2018").source.url
    assert "laws-lois.justice.gc.ca" in builtin_definition("canada-csis").source.url
    assert "eeas.europa.eu" in builtin_definition("eu-fimi").source.url
    assert builtin_definition("eu-fimi").source.year == 2023
    assert "threat to any person" in builtin_definition("canada-csis").source.quote
    assert "coercive, clandestine, deceptive or corrupting" in (
        builtin_definition("australia-2018").source.quote
    )


def test_an_unknown_builtin_is_not_found() -> None:
    with pytest.raises(DefinitionNotFound) as caught:
        builtin_definition("nowhere-1999")
    assert isinstance(caught.value, NotFound)
    assert caught.value.key == "nowhere-1999"


def test_every_criterion_has_a_description_and_questions() -> None:
    assert set(CRITERIA) == set(Criterion)
    for criterion in Criterion:
        info = criterion_info(criterion)
        assert info.label and info.description and info.yes_when and info.no_when
        assert info.questions and all(q.endswith("?") for q in info.questions)
