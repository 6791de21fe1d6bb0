"""TLP markings: FIRST's TLP 2.0 definitions out, TLP 2.0 and 1.0 in, the most restrictive wins."""

from __future__ import annotations

import pytest
import stix2

from ballotguard.stix import TLP_MARKINGS, marking_definition, marking_ref, tlp_of
from ballotguard.stix_validator import full_problems
from ballotguard.vocabulary import Tlp

TLP2 = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP1_WHITE = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
TLP1_GREEN = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
TLP1_AMBER = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
TLP1_RED = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"


@pytest.mark.parametrize("tlp", list(Tlp))
def test_each_level_has_firsts_marking_definition(tlp: Tlp) -> None:
    definition = marking_definition(tlp)
    assert marking_ref(tlp) == TLP2[tlp] == definition["id"]
    assert definition == {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2[tlp],
        "created": "2022-10-01T00:00:00.000Z",
        "name": f"TLP:{tlp.value}",
        "extensions": {
            "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
                "extension_type": "property-extension",
                "tlp_2_0": tlp.value.lower(),
            }
        },
    }
    assert full_problems(definition) == []
    stix2.parse(definition, allow_custom=True)
    assert tlp_of({"object_marking_refs": [definition["id"]]}) is tlp


def test_the_list_holds_the_five_levels_in_order() -> None:
    assert [m["id"] for m in TLP_MARKINGS] == [TLP2[t] for t in Tlp]


@pytest.mark.parametrize(
    ("refs", "tlp"),
    [
        ([TLP1_WHITE], Tlp.CLEAR),
        ([TLP1_GREEN], Tlp.GREEN),
        ([TLP1_AMBER], Tlp.AMBER),
        ([TLP1_RED], Tlp.RED),
        (["marking-definition--826578e1-40ad-459f-bc73-ede076f81f37"], Tlp.AMBER_STRICT),
        ([TLP2[Tlp.GREEN], TLP2[Tlp.AMBER]], Tlp.AMBER),
        ([TLP2[Tlp.AMBER_STRICT], TLP1_WHITE, TLP2[Tlp.GREEN]], Tlp.AMBER_STRICT),
        ([TLP1_RED, TLP2[Tlp.CLEAR]], Tlp.RED),
        (["marking-definition--f79f25d2-8b96-4580-b169-eb7b613a7c31", TLP1_WHITE], Tlp.CLEAR),
        (["marking-definition--f79f25d2-8b96-4580-b169-eb7b613a7c31"], None),
        ([], None),
    ],
)
def test_tlp_of_maps_tlp1_and_takes_the_most_restrictive(refs: list[str], tlp: Tlp | None) -> None:
    assert tlp_of({"type": "indicator", "object_marking_refs": refs}) is tlp


def test_an_unmarked_object_has_no_tlp() -> None:
    assert tlp_of({"type": "indicator"}) is None
    assert tlp_of({"type": "indicator", "object_marking_refs": "not a list"}) is None
