"""Where the tests find data the product itself never needs at run time."""

from __future__ import annotations

import os
from pathlib import Path

# The DISARM framework's STIX bundle, kept next to the repository in ../shared/data/disarm/
# (DESIGN.md); BALLOTGUARD_DISARM_BUNDLE points elsewhere.
DISARM_BUNDLE = Path(os.environ.get(
    "BALLOTGUARD_DISARM_BUNDLE",
    Path(__file__).resolve().parents[3] / "shared" / "data" / "disarm" / "DISARM.json",
))
