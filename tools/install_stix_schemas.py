"""Put the OASIS STIX 2.1 JSON schemas where stix2-validator looks for them.

Recent stix2-validator wheels ship without their schemas (DESIGN.md, "Notes from the field"), so
validation fails with ``SchemaInvalidError``. The 3.0.2 wheel carries the same OASIS schemas; the
Makefile downloads it and this script copies its ``schemas-2.1`` folder into the installed
package. ``ballotguard.stix_validator`` refuses to run without them, and a test proves a known-bad
object is rejected.

Usage: python tools/install_stix_schemas.py WHEEL
"""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path

PREFIX = "stix2validator/schemas-2.1/"


def install(wheel: Path) -> int:
    spec = importlib.util.find_spec("stix2validator")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("stix2-validator is not installed in this environment")
    target = Path(next(iter(spec.submodule_search_locations))).parent
    copied = 0
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith(PREFIX) and not name.endswith("/"):
                destination = target / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.read(name))
                copied += 1
    if not (target / PREFIX / "schemas" / "common" / "core.json").is_file():
        raise SystemExit(f"{wheel} holds no STIX 2.1 schemas")
    return copied


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(f"installed {install(Path(sys.argv[1]))} STIX 2.1 schema files for stix2-validator")
