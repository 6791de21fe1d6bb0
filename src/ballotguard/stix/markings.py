"""TLP markings on STIX objects: TLP 2.0 on export, TLP 2.0 and 1.0 understood on import.

The TLP 2.0 marking definitions are FIRST's, as OASIS publishes them in cti-stix-common-objects
(extension-definition-specifications/tlp-2.0): fixed ids, ``created`` 2022-10-01, and the
property-extension ``extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d`` carrying
``tlp_2_0``. Objects from older tools carry the TLP 1.0 definitions of STIX 2.1 §7.2.1.4 (WHITE is
read as CLEAR), and OpenCTI marks AMBER+STRICT with a definition of its own; both are mapped.
When an object carries several TLP markings the most restrictive wins, the reading FIRST asks for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ballotguard.vocabulary import Tlp

TLP2_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"

TLP2_IDS: dict[Tlp, str] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

TLP1_IDS: dict[str, Tlp] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,  # TLP:WHITE
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}

# OpenCTI's own AMBER+STRICT definition, used next to the TLP 1.0 ids in its exports.
OPENCTI_AMBER_STRICT_ID = "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37"

TLP_OF_MARKING: dict[str, Tlp] = {
    **{marking: tlp for tlp, marking in TLP2_IDS.items()},
    **TLP1_IDS,
    OPENCTI_AMBER_STRICT_ID: Tlp.AMBER_STRICT,
}


def marking_definition(tlp: Tlp) -> dict[str, Any]:
    """The TLP 2.0 marking-definition object for a level, exactly as OASIS publishes it."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_IDS[tlp],
        "created": TLP2_CREATED,
        "name": f"TLP:{tlp.value}",
        "extensions": {
            TLP2_EXTENSION_ID: {
                "extension_type": "property-extension",
                "tlp_2_0": tlp.value.lower(),
            }
        },
    }


# The five definitions, CLEAR to RED. Shared: copy before changing one (``published_objects``
# in ``export`` hands out copies).
TLP_MARKINGS: list[dict[str, Any]] = [marking_definition(tlp) for tlp in Tlp]


def marking_ref(tlp: Tlp) -> str:
    """The id to put in ``object_marking_refs`` for a level."""
    return TLP2_IDS[tlp]


def tlp_of(obj: Mapping[str, Any]) -> Tlp | None:
    """The TLP level of an object from its ``object_marking_refs``; ``None`` when it has none.

    Markings that are not TLP (a copyright statement, say) are ignored.
    """
    refs = obj.get("object_marking_refs")
    found: Tlp | None = None
    if isinstance(refs, list):
        for ref in refs:
            tlp = TLP_OF_MARKING.get(ref) if isinstance(ref, str) else None
            if tlp is not None and (found is None or tlp.rank > found.rank):
                found = tlp
    return found
