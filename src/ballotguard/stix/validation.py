"""Fast structural checks of one STIX 2.1 object, run on every object ingested.

These are the rules that decide whether an object can be stored and served at all: it is a JSON
object with a type and an id of the form ``<type>--<UUID>`` whose type matches; SDOs, SROs and the
meta objects say ``spec_version`` 2.1 and carry ``created``/``modified`` timestamps precise to
the millisecond, ``modified`` not before ``created``; the properties STIX 2.1 requires of the type
are there; references are ids; no property is null or an empty list. Custom objects are allowed
as STIX 2.1 allows them: a type starting with ``x-`` (the 2.0 convention still used by MISP,
OpenCTI and MITRE), or any type that declares an extension of ``extension_type`` new-sdo,
new-sco or new-sro (STIX 2.1 §7.3). Every problem names the property and the reason.

The full JSON-schema validation (stix2-validator) is far slower and lives in the adapter
``ballotguard.stix_validator``; it is run on what Ballotguard exports, in the tests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ballotguard.errors import InvalidInput
from ballotguard.stix.ids import is_valid_id, is_valid_type
from ballotguard.stix.timestamps import has_millisecond_precision, parse_timestamp

SDO_REQUIRED: dict[str, tuple[str, ...]] = {
    "attack-pattern": ("name",),
    "campaign": ("name",),
    "course-of-action": ("name",),
    "grouping": ("context", "object_refs"),
    "identity": ("name",),
    "incident": ("name",),
    "indicator": ("pattern", "pattern_type", "valid_from"),
    "infrastructure": ("name",),
    "intrusion-set": ("name",),
    "location": (),
    "malware": ("is_family",),
    "malware-analysis": ("product",),
    "note": ("content", "object_refs"),
    "observed-data": ("first_observed", "last_observed", "number_observed"),
    "opinion": ("opinion", "object_refs"),
    "report": ("name", "published", "object_refs"),
    "threat-actor": ("name",),
    "tool": ("name",),
    "vulnerability": ("name",),
}
SRO_REQUIRED: dict[str, tuple[str, ...]] = {
    "relationship": ("relationship_type", "source_ref", "target_ref"),
    "sighting": ("sighting_of_ref",),
}
SCO_REQUIRED: dict[str, tuple[str, ...]] = {
    "artifact": (),
    "autonomous-system": ("number",),
    "directory": ("path",),
    "domain-name": ("value",),
    "email-addr": ("value",),
    "email-message": ("is_multipart",),
    "file": (),
    "ipv4-addr": ("value",),
    "ipv6-addr": ("value",),
    "mac-addr": ("value",),
    "mutex": ("name",),
    "network-traffic": ("protocols",),
    "process": (),
    "software": ("name",),
    "url": ("value",),
    "user-account": (),
    "windows-registry-key": (),
    "x509-certificate": (),
}
META_REQUIRED: dict[str, tuple[str, ...]] = {
    "marking-definition": (),
    "language-content": ("object_ref", "contents"),
    "extension-definition": ("created_by_ref", "name", "schema", "version", "extension_types"),
}
STANDARD_TYPES = frozenset({*SDO_REQUIRED, *SRO_REQUIRED, *SCO_REQUIRED, *META_REQUIRED})
NEW_OBJECT_EXTENSIONS = frozenset({"new-sdo", "new-sco", "new-sro"})
EXTENSION_TYPES = NEW_OBJECT_EXTENSIONS | {"property-extension", "toplevel-property-extension"}

# Timestamps beyond created/modified, and the order STIX requires between pairs of them.
OTHER_TIMESTAMPS = (
    "valid_from", "valid_until", "first_observed", "last_observed", "first_seen", "last_seen",
    "published", "object_modified", "submitted", "analysis_started", "analysis_ended",
)
ORDERED_PAIRS = (
    ("first_observed", "last_observed"),
    ("first_seen", "last_seen"),
    ("valid_from", "valid_until"),
    ("analysis_started", "analysis_ended"),
)
_EXTENSION_KEY = re.compile(r"^(?:x-)?[a-z0-9]+(?:-[a-z0-9]+)*-ext$")


def problems(obj: object) -> list[str]:
    """Every structural problem of one object, each as ``"<property>: <reason>"``; [] if none."""
    if not isinstance(obj, Mapping):
        return ["object: not a JSON object"]
    stix_type = obj.get("type")
    if not isinstance(stix_type, str) or not stix_type:
        return ["type: missing; every STIX object names its type"]
    if not is_valid_type(stix_type):
        return [f"type: '{stix_type}' is not a STIX type (3-250 lower-case letters, digits, hyphens)"]
    if stix_type == "bundle":
        return ["type: a bundle is a wrapper, not an object; send the objects it holds"]
    found = _id_problems(obj, stix_type)
    category, required = _category(obj, stix_type)
    if category is None:
        found.append(
            f"type: '{stix_type}' is not a STIX 2.1 type; a custom type needs the x- prefix or "
            "an extension of extension_type new-sdo, new-sco or new-sro"
        )
        return found
    found += _spec_version_problems(obj, category)
    found += _timestamp_problems(obj, category)
    found += [f"{name}: required for {stix_type}" for name in required if name not in obj]
    found += _value_problems(obj)
    found += _type_specific_problems(obj, stix_type)
    return found


def _id_problems(obj: Mapping[str, Any], stix_type: str) -> list[str]:
    stix_id = obj.get("id")
    if stix_id is None:
        return ["id: missing; every STIX object has an id"]
    if not is_valid_id(stix_id):
        return [f"id: '{stix_id}' is not <type>--<RFC 4122 UUID>"]
    if not str(stix_id).startswith(stix_type + "--"):
        return [f"id: '{stix_id}' does not start with the object's type '{stix_type}--'"]
    return []


def _declared_object_extension(obj: Mapping[str, Any]) -> str | None:
    extensions = obj.get("extensions")
    if isinstance(extensions, Mapping):
        for value in extensions.values():
            if isinstance(value, Mapping) and value.get("extension_type") in NEW_OBJECT_EXTENSIONS:
                return str(value["extension_type"])
    return None


def _category(obj: Mapping[str, Any], stix_type: str) -> tuple[str | None, tuple[str, ...]]:
    """``sdo``, ``sro``, ``sco`` or ``meta`` with the required properties; None if unknown."""
    for category, table in (("sdo", SDO_REQUIRED), ("sro", SRO_REQUIRED),
                            ("sco", SCO_REQUIRED), ("meta", META_REQUIRED)):
        if stix_type in table:
            return category, table[stix_type]
    declared = _declared_object_extension(obj)
    if declared is not None:
        return {"new-sdo": "sdo", "new-sro": "sro", "new-sco": "sco"}[declared], ()
    if stix_type.startswith("x-"):
        is_sco = "created" not in obj and "modified" not in obj
        return ("sco" if is_sco else "sdo"), ()
    return None, ()


def _spec_version_problems(obj: Mapping[str, Any], category: str) -> list[str]:
    version = obj.get("spec_version")
    if version is None:
        return [] if category == "sco" else ["spec_version: missing; must be '2.1'"]
    if version != "2.1":
        return [f"spec_version: '{version}' is not '2.1'"]
    return []


def _timestamp_problems(obj: Mapping[str, Any], category: str) -> list[str]:
    found: list[str] = []
    needed: tuple[str, ...] = ()
    if category in ("sdo", "sro") or obj["type"] in ("language-content", "extension-definition"):
        needed = ("created", "modified")
    elif obj["type"] == "marking-definition":
        needed = ("created",)
    times: dict[str, datetime] = {}
    for name in ("created", "modified"):
        if name not in obj:
            if name in needed:
                found.append(f"{name}: missing; required for {obj['type']}")
            continue
        text = obj[name]
        try:
            times[name] = parse_timestamp(text, name)
        except InvalidInput as exc:
            found.append(str(exc))
            continue
        if not has_millisecond_precision(text):
            found.append(f"{name}: '{text}' must be precise to the millisecond (e.g. .000Z)")
    if "created" in times and "modified" in times and times["modified"] < times["created"]:
        found.append(
            f"modified: '{obj['modified']}' is earlier than created '{obj['created']}'"
        )
    found += _other_timestamp_problems(obj)
    return found


def _other_timestamp_problems(obj: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    times: dict[str, datetime] = {}
    for name in OTHER_TIMESTAMPS:
        if name in obj:
            try:
                times[name] = parse_timestamp(obj[name], name)
            except InvalidInput as exc:
                found.append(str(exc))
    for first, second in ORDERED_PAIRS:
        if first in times and second in times and times[second] < times[first]:
            found.append(f"{second}: '{obj[second]}' is earlier than {first} '{obj[first]}'")
    return found


def _value_problems(obj: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for name, value in obj.items():
        if value is None:
            found.append(f"{name}: null; leave the property out instead")
        elif isinstance(value, list) and not value:
            found.append(f"{name}: an empty list; leave the property out instead")
        elif name.endswith("_ref") and name != "id":
            if not is_valid_id(value):
                found.append(f"{name}: '{value}' is not a STIX id")
        elif name.endswith("_refs") and isinstance(value, list):
            bad = [ref for ref in value if not is_valid_id(ref)]
            if bad:
                found.append(f"{name}: {bad[0]!r} is not a STIX id")
        elif name.endswith("_refs"):
            found.append(f"{name}: must be a list of STIX ids")
    found += _marking_ref_problems(obj)
    found += _extension_problems(obj)
    return found


def _marking_ref_problems(obj: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    refs = obj.get("object_marking_refs")
    if isinstance(refs, list):
        for ref in refs:
            if isinstance(ref, str) and not ref.startswith("marking-definition--"):
                found.append(f"object_marking_refs: '{ref}' is not a marking-definition")
                break
    creator = obj.get("created_by_ref")
    if isinstance(creator, str) and is_valid_id(creator) and not creator.startswith("identity--"):
        found.append(f"created_by_ref: '{creator}' is not an identity")
    return found


def _extension_problems(obj: Mapping[str, Any]) -> list[str]:
    if "extensions" not in obj:
        return []
    extensions = obj["extensions"]
    if not isinstance(extensions, Mapping) or not extensions:
        return ["extensions: must be a non-empty object of extensions"]
    found: list[str] = []
    for key, value in extensions.items():
        if not isinstance(value, Mapping):
            found.append(f"extensions.{key}: must be an object")
        elif str(key).startswith("extension-definition--"):
            if not is_valid_id(key):
                found.append(f"extensions.{key}: not an extension-definition id")
            elif value.get("extension_type") not in EXTENSION_TYPES:
                found.append(
                    f"extensions.{key}: extension_type must be one of "
                    f"{', '.join(sorted(EXTENSION_TYPES))}"
                )
        elif not _EXTENSION_KEY.match(str(key)):
            found.append(
                f"extensions.{key}: neither an extension-definition id nor a predefined "
                "extension name (…-ext)"
            )
    return found


def _type_specific_problems(obj: Mapping[str, Any], stix_type: str) -> list[str]:
    found: list[str] = []
    if stix_type == "marking-definition":
        has_definition = "definition_type" in obj and "definition" in obj
        if not has_definition and "extensions" not in obj:
            found.append("definition: a marking-definition needs definition_type and definition, "
                         "or an extension (as TLP 2.0)")
    elif stix_type == "observed-data":
        number = obj.get("number_observed")
        if "number_observed" in obj and (
            not isinstance(number, int) or isinstance(number, bool)
            or not 1 <= number <= 999_999_999
        ):
            found.append(f"number_observed: {number!r} is not an integer from 1 to 999999999")
        if "object_refs" not in obj and "objects" not in obj:
            found.append("object_refs: required for observed-data")
    elif stix_type == "file" and "hashes" not in obj and "name" not in obj:
        found.append("hashes: a file needs hashes or a name")
    elif stix_type == "extension-definition":
        types = obj.get("extension_types")
        if isinstance(types, list) and any(t not in EXTENSION_TYPES for t in types):
            found.append(f"extension_types: each must be one of {', '.join(sorted(EXTENSION_TYPES))}")
    return found


def version_of(obj: Mapping[str, Any], date_added: datetime) -> datetime:
    """An object's version for TAXII: ``modified``, else ``created``, else when it was added.

    SCOs and marking definitions have no ``modified``; the TAXII 2.1 spec then versions them by
    ``created``, and by the date the server added them when they have neither.
    """
    for name in ("modified", "created"):
        if name in obj:
            return parse_timestamp(obj[name], name)
    return date_added
