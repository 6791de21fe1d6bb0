"""Technique references and the DISARM importer.

The product knows technique ids as facts (``disarm:T0049``, ``attack:T1566.001``) and works with
none loaded; the DISARM framework's names are CC BY-SA 4.0 data that an operator imports from the
DISARM STIX bundle. That bundle tags its techniques with ``source_name: mitre-attack`` although
they are DISARM's, so the importer trusts the bundle's matrix name, not the reference's source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ballotguard.errors import InvalidInput
from ballotguard.vocabulary.terms import Framework, Technique

_TECHNIQUE_ID = re.compile(r"^T\d{4}(\.\d{3})?$")


def parse_technique_ref(text: str, field: str = "techniques") -> tuple[Framework, str]:
    """Parse ``disarm:T0049.001`` or ``attack:T1566`` into framework and id."""
    framework_text, sep, technique_id = text.strip().partition(":")
    if not sep:
        raise InvalidInput(
            field, f"'{text}' needs a framework prefix: disarm:T#### or attack:T####"
        )
    try:
        framework = Framework(framework_text.lower())
    except ValueError:
        raise InvalidInput(
            field, f"'{framework_text}' is not a framework; use disarm or attack"
        ) from None
    technique_id = technique_id.upper()
    if not _TECHNIQUE_ID.match(technique_id):
        raise InvalidInput(field, f"'{technique_id}' is not a technique id of the form T####[.###]")
    return framework, technique_id


@dataclass(frozen=True, slots=True)
class DisarmImport:
    tactics: dict[str, str]
    techniques: list[Technique]


def read_disarm_bundle(bundle: Mapping[str, Any]) -> DisarmImport:
    """Extract DISARM tactics and techniques from the framework's STIX 2.1 bundle."""
    if bundle.get("type") != "bundle" or not isinstance(bundle.get("objects"), list):
        raise InvalidInput(
            "file", "not a STIX bundle: expected type 'bundle' with a list of objects"
        )
    objects: list[Mapping[str, Any]] = [o for o in bundle["objects"] if isinstance(o, Mapping)]
    shortname_to_tactic: dict[str, str] = {}
    tactics: dict[str, str] = {}
    for obj in objects:
        if obj.get("type") == "x-mitre-tactic":
            tactic_id = _external_id(obj)
            tactics[tactic_id] = str(obj.get("name", ""))
            shortname_to_tactic[str(obj.get("x_mitre_shortname", ""))] = tactic_id
    techniques = []
    for obj in objects:
        if obj.get("type") != "attack-pattern":
            continue
        technique_id = _external_id(obj)
        if not _TECHNIQUE_ID.match(technique_id):
            raise InvalidInput("file", f"{obj.get('id')}: '{technique_id}' is not a technique id")
        phases = obj.get("kill_chain_phases") or [{}]
        tactic = shortname_to_tactic.get(str(phases[0].get("phase_name", "")), "")
        techniques.append(
            Technique(Framework.DISARM, technique_id, str(obj.get("name", "")), tactic)
        )
    if not techniques:
        raise InvalidInput("file", "the bundle holds no attack-pattern objects")
    return DisarmImport(tactics, sorted(techniques, key=lambda t: t.technique_id))


def _external_id(obj: Mapping[str, Any]) -> str:
    for reference in obj.get("external_references", []):
        if "external_id" in reference:
            return str(reference["external_id"])
    raise InvalidInput("file", f"{obj.get('id')}: no external_id in external_references")
