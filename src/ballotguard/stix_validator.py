"""Full STIX 2.1 validation with the OASIS stix2-validator: JSON schemas plus its MUST checks.

``stix.validation.problems`` is the fast structural check run on every object ingested; this
adapter runs the OASIS validator, which checks every property against the STIX 2.1 JSON schemas
(formats, vocabularies of enumerations, pattern syntax, hash names…). It is used on everything
Ballotguard exports in the tests, and wherever a full check is worth about 3 ms an object.

Three things the library does not do for us:

- Its wheel has shipped without the JSON schemas; validation then fails later with a confusing
  ``SchemaInvalidError``. ``full_problems`` checks they are there at first use and says how to
  get them.
- Imported, it wraps ``sys.stdout`` and ``sys.stderr`` for colours (``colorama.init``); the
  import here puts the streams back.
- It rebuilds every JSON-schema validator and re-resolves every ``$ref`` for every object
  (about 8 ms an object). At first use the adapter caches one validator per schema, with all the
  schemas loaded in its reference registry, and skips the SHOULD checks whose warnings it would
  throw away; the errors are the same (a test compares them), at about 3 ms an object. If the
  library changes shape, the cache is left out and validation is only slower.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MISSING_SCHEMAS = (
    "stix2-validator's JSON schemas are missing; `make test`/`make run` installs them"
)

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _load() -> dict[str, Any]:
    """Import the library (keeping the standard streams), check its schemas, set up the options."""
    if "options" in _state:
        return _state
    with _lock:
        if "options" in _state:
            return _state
        saved = sys.stdout, sys.stderr
        try:
            import stix2validator  # type: ignore[import-untyped]
            from stix2validator import errors
            from stix2validator import validator as library
        finally:
            sys.stdout, sys.stderr = saved
        schema_dir = Path(stix2validator.__file__).parent / "schemas-2.1" / "schemas"
        if not (schema_dir / "common" / "core.json").is_file():
            raise RuntimeError(MISSING_SCHEMAS)
        _state["library"] = library
        _state["errors"] = errors
        _state["schema_dir"] = schema_dir
        _state["originals"] = (library.load_validator, library.load_schema)
        _state["fast"] = _fast_functions(library, str(schema_dir))
        _set_fast_path(True)
        _state["options"] = stix2validator.ValidationOptions(version="2.1", disabled=["all"])
    return _state


def _fast_functions(library: Any, schema_dir: str) -> tuple[Any, Any] | None:
    """Memoised ``load_validator`` and ``load_schema`` with a warmed reference registry."""
    needed = ("load_validator", "load_schema", "retrieve_from_filesystem")
    if not all(hasattr(library, name) for name in needed):
        return None
    load_validator, load_schema = library.load_validator, library.load_schema
    validators: dict[tuple[str, str], Any] = {}
    schemas: dict[str, Any] = {}
    resources: list[tuple[str, Any]] = []

    def warm() -> list[tuple[str, Any]]:
        if not resources:
            for path in sorted(Path(schema_dir).rglob("*.json")):
                if "examples" not in path.parts:
                    uri = path.as_uri()
                    resources.append((uri, library.retrieve_from_filesystem(uri, schema_dir)))
        return resources

    def cached_validator(schema_path: str, schema: Any, directory: str) -> Any:
        key = (schema_path, directory)
        found = validators.get(key)
        if found is None:
            found = load_validator(schema_path, schema, directory)
            if directory == schema_dir:
                registry = found._registry.with_resources(warm()).crawl()
                found = found.evolve(registry=registry, _resolver=None)
            validators[key] = found
        return found

    def cached_schema(schema_path: str) -> Any:
        # The library edits the observed-data and bundle schemas in place, always the same way.
        found = schemas.get(schema_path)
        if found is None:
            found = schemas[schema_path] = load_schema(schema_path)
        return found

    return cached_validator, cached_schema


def _set_fast_path(enabled: bool) -> None:
    """Install or remove the cached validators (the tests compare both)."""
    library = _state["library"]
    chosen = _state["fast"] if enabled and _state["fast"] else _state["originals"]
    library.load_validator, library.load_schema = chosen


def full_problems(obj: Mapping[str, Any]) -> list[str]:
    """stix2-validator's errors for one object (not its warnings), as text; [] when valid."""
    state = _load()
    errors = state["errors"]
    if not isinstance(obj, Mapping) or "type" not in obj or "id" not in obj:
        return ["object: a STIX object needs a type and an id"]
    try:
        result = state["library"].validate_instance(dict(obj), state["options"])
    except errors.SchemaInvalidError as exc:
        raise RuntimeError(f"{MISSING_SCHEMAS} ({exc})") from exc
    except (errors.ValidationError, TypeError, KeyError, AttributeError) as exc:
        return [f"object: the validator could not read it: {exc}"]
    return [str(error) for error in result.errors]
