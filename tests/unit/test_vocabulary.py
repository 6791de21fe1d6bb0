"""The shared language: TLP spellings, technique references, the vocabulary document and the
DISARM importer (tested on the framework's own bundle, which the product never needs at run time)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from ballotguard.errors import InvalidInput, UnknownTerm
from ballotguard.vocabulary import (
    VOCABULARY_VERSION,
    ActorKind,
    Framework,
    Outcome,
    Phase,
    TargetKind,
    Technique,
    Tlp,
    Vector,
    label,
    parse_technique_ref,
    read_disarm_bundle,
    vocabulary_document,
)
from support.data import DISARM_BUNDLE

# -- TLP ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("CLEAR", Tlp.CLEAR),
        ("clear", Tlp.CLEAR),
        ("TLP:CLEAR", Tlp.CLEAR),
        ("tlp:green", Tlp.GREEN),
        (" Amber ", Tlp.AMBER),
        ("AMBER+STRICT", Tlp.AMBER_STRICT),
        ("TLP:AMBER+STRICT", Tlp.AMBER_STRICT),
        ("amber_strict", Tlp.AMBER_STRICT),
        ("AMBER + STRICT", Tlp.AMBER_STRICT),
        ("RED", Tlp.RED),
        ("WHITE", Tlp.CLEAR),  # TLP 1.0
        ("TLP:WHITE", Tlp.CLEAR),
        ("tlp:white", Tlp.CLEAR),
    ],
)
def test_tlp_parse(text: str, level: Tlp) -> None:
    assert Tlp.parse(text) is level


@pytest.mark.parametrize("text", ["", "BLUE", "AMBERSTRICT", "TLP:", "STRICT", "TLP:BLACK"])
def test_tlp_parse_refuses_other_words(text: str) -> None:
    with pytest.raises(UnknownTerm, match="is not in the vocabulary"):
        Tlp.parse(text)


def test_tlp_levels_are_ordered_from_widest_to_narrowest() -> None:
    assert sorted(Tlp, key=lambda t: t.rank) == [
        Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED]
    assert [t.value for t in Tlp] == ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]


# -- technique references -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "framework", "technique_id"),
    [
        ("disarm:T0049", Framework.DISARM, "T0049"),
        ("DISARM:t0049.001", Framework.DISARM, "T0049.001"),
        ("attack:T1566", Framework.ATTACK, "T1566"),
        ("  attack:T1566.001 ", Framework.ATTACK, "T1566.001"),
    ],
)
def test_technique_refs(text: str, framework: Framework, technique_id: str) -> None:
    assert parse_technique_ref(text) == (framework, technique_id)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("T0049", "needs a framework prefix"),
        ("mitre:T1566", "is not a framework"),
        ("capec:T1566", "is not a framework"),
        ("attack:1566", "is not a technique id"),
        ("attack:T156", "is not a technique id"),
        ("attack:T1566.1", "is not a technique id"),
        ("disarm:T0049.0010", "is not a technique id"),
        ("disarm:", "is not a technique id"),
    ],
)
def test_bad_technique_refs_say_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as caught:
        parse_technique_ref(text, field="techniques.0")
    assert caught.value.field == "techniques.0"


def test_the_same_number_in_two_frameworks_is_two_techniques() -> None:
    disarm = Technique(Framework.DISARM, "T0001")
    attack = Technique(Framework.ATTACK, "T0001")
    assert disarm != attack
    assert (disarm.ref, attack.ref) == ("disarm:T0001", "attack:T0001")


# -- the document -------------------------------------------------------------------------------

def test_vocabulary_document_lists_every_term_with_a_label() -> None:
    doc = vocabulary_document([])
    assert doc["version"] == VOCABULARY_VERSION
    assert [t["id"] for t in doc["phases"]] == [p.value for p in Phase]
    assert [t["id"] for t in doc["vectors"]] == [v.value for v in Vector]
    assert [t["id"] for t in doc["target_kinds"]] == [k.value for k in TargetKind]
    assert [t["id"] for t in doc["actor_kinds"]] == [k.value for k in ActorKind]
    assert [t["id"] for t in doc["outcomes"]] == ["attempted", "successful"]
    assert [t["id"] for t in doc["tlp_levels"]] == [t.value for t in Tlp]
    assert {"impact_levels", "confidence_levels", "source_reliability"} <= doc.keys()
    for key, terms in doc.items():
        if isinstance(terms, list):
            assert all(term["label"] for term in terms), key
    assert doc["techniques"] == {"disarm": [], "attack": []}
    json.dumps(doc)  # the document is plain JSON


def test_the_document_names_what_the_seeds_name() -> None:
    doc = vocabulary_document([])
    vectors = {t["id"]: t["label"] for t in doc["vectors"]}
    assert vectors["hack_and_leak"] == "Hack-and-leak"
    assert vectors["inauthentic_amplification"].startswith("Inauthentic amplification")
    assert "coercion" in vectors
    assert label(Outcome.ATTEMPTED) == "Attempted"
    assert label(Phase.RESULTS) == "Results and certification (audits included)"


def test_the_document_lists_loaded_techniques_by_framework() -> None:
    techniques = [Technique(Framework.DISARM, "T0049", "Flooding", "TA17"),
                  Technique(Framework.ATTACK, "T1566", "Phishing", "")]
    doc = vocabulary_document(techniques)
    assert doc["techniques"] == {
        "disarm": [{"id": "T0049", "name": "Flooding", "tactic": "TA17"}],
        "attack": [{"id": "T1566", "name": "Phishing", "tactic": ""}],
    }


# -- the DISARM importer ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    assert DISARM_BUNDLE.is_file(), f"the DISARM test data is expected at {DISARM_BUNDLE}"
    data: dict[str, Any] = json.loads(DISARM_BUNDLE.read_text())
    return data


def test_the_disarm_bundle_gives_16_tactics_and_391_techniques(bundle: dict[str, Any]) -> None:
    found = read_disarm_bundle(bundle)
    assert len(found.tactics) == 16
    assert len(found.techniques) == 391
    assert all(t.framework is Framework.DISARM for t in found.techniques)
    ids = [t.technique_id for t in found.techniques]
    assert ids == sorted(ids)
    assert len(set(ids)) == 391
    assert all(t.tactic in found.tactics for t in found.techniques)
    assert found.tactics["TA01"] == "Plan Strategy"
    sub = [t for t in found.techniques if "." in t.technique_id]
    assert sub and all(parse_technique_ref(t.ref) == (Framework.DISARM, t.technique_id)
                       for t in found.techniques)


@pytest.mark.parametrize(
    "breakage",
    ["not a bundle", "objects not a list", "no techniques", "technique without external id",
     "technique with a bad id"],
)
def test_a_malformed_bundle_is_invalid_input(bundle: dict[str, Any], breakage: str) -> None:
    broken = copy.deepcopy(bundle)
    patterns = [o for o in broken["objects"] if o.get("type") == "attack-pattern"]
    if breakage == "not a bundle":
        broken["type"] = "attack-pattern"
    elif breakage == "objects not a list":
        broken["objects"] = {"a": 1}
    elif breakage == "no techniques":
        broken["objects"] = [o for o in broken["objects"] if o.get("type") != "attack-pattern"]
    elif breakage == "technique without external id":
        patterns[3]["external_references"] = [{"source_name": "mitre-attack"}]
    else:
        patterns[3]["external_references"][0]["external_id"] = "TA0049"
    with pytest.raises(InvalidInput) as caught:
        read_disarm_bundle(broken)
    assert caught.value.field == "file"


def test_a_bundle_of_something_else_is_refused() -> None:
    with pytest.raises(InvalidInput):
        read_disarm_bundle({"type": "bundle", "objects": [{"type": "indicator", "id": "x"}]})
    with pytest.raises(InvalidInput):
        read_disarm_bundle({})
