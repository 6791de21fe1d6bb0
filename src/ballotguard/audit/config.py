"""An audit's setup as a YAML file (``ballotguard audit create --config audit.yaml``).

    name: County general election 2026
    method: bravo            # bravo | minerva | alpha-polling | clca | macro
    risk_limit: 0.1
    seed: "32105462310542384961"   # quote it: 20 or more digits rolled with dice, in public
    stopping_probability: 0.9      # optional (BRAVO and MINERVA round sizes)
    jurisdictions:
      - name: Northfield
        ballots: 1000              # ballot cards reported cast there
        manifest: northfield-manifest.csv   # optional: files for `audit upload --from-config`
        cvrs: northfield-cvrs.csv           # optional (clca: CVRs; macro: batch tallies)
    contests:
      - name: Mayor
        ballots: 1800              # ballot cards that carry the contest
        winners: [Alvarez]
        tally: {Alvarez: 1000, Brooks: 650}
        jurisdictions: [Northfield, Southport]   # optional: all by default
        supermajority: 0.6         # optional (alpha-polling, clca)

Errors name the field, as ``contests[1].tally``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from ballotguard.audit.workflow import DEFAULT_STOPPING_PROBABILITY, AuditContest, Jurisdiction
from ballotguard.errors import InvalidAuditParameter


@dataclass(frozen=True)
class AuditConfig:
    name: str
    method: str
    risk_limit: float
    seed: str
    contests: tuple[AuditContest, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    stopping_probability: float = DEFAULT_STOPPING_PROBABILITY
    files: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def _get(data: Mapping[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if key not in data:
        raise InvalidAuditParameter(f"{where}{key}", "is required")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise InvalidAuditParameter(f"{where}{key}", f"{value!r} is not the expected kind of value")
    return value


def parse_config(text: str) -> AuditConfig:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else "the file"
        raise InvalidAuditParameter(line, f"not valid YAML: {exc}") from None
    if not isinstance(data, Mapping):
        raise InvalidAuditParameter("config", "the file must be a mapping (name:, method:, …)")
    seed = data.get("seed")
    if isinstance(seed, int) and not isinstance(seed, bool):
        raise InvalidAuditParameter("seed", "quote the seed (\"0123…\"): YAML drops leading zeros")
    jurisdictions = []
    files: dict[str, dict[str, str]] = {}
    for i, j in enumerate(_get(data, "jurisdictions", "", list)):
        where = f"jurisdictions[{i}]."
        if not isinstance(j, Mapping):
            raise InvalidAuditParameter(f"jurisdictions[{i}]", "must be a mapping")
        name = str(_get(j, "name", where, (str, int)))
        jurisdictions.append(Jurisdiction(name, _get(j, "ballots", where, int)))
        files[name] = {k: str(j[k]) for k in ("manifest", "cvrs") if j.get(k)}
    contests = []
    for i, c in enumerate(_get(data, "contests", "", list)):
        where = f"contests[{i}]."
        if not isinstance(c, Mapping):
            raise InvalidAuditParameter(f"contests[{i}]", "must be a mapping")
        tally = _get(c, "tally", where, Mapping)
        winners = _get(c, "winners", where, (list, str))
        supermajority = c.get("supermajority")
        contests.append(AuditContest(
            str(_get(c, "name", where, (str, int))),
            {str(k): v for k, v in tally.items()},
            _get(c, "ballots", where, int),
            tuple(str(w) for w in ([winners] if isinstance(winners, str) else winners)),
            tuple(str(j) for j in c.get("jurisdictions") or ()),
            None if supermajority is None else float(supermajority),
        ))
    risk_limit = _get(data, "risk_limit", "", (int, float))
    q = data.get("stopping_probability", DEFAULT_STOPPING_PROBABILITY)
    return AuditConfig(
        str(_get(data, "name", "", (str, int))), str(_get(data, "method", "", str)),
        float(risk_limit), str(_get(data, "seed", "", str)), tuple(contests),
        tuple(jurisdictions), float(q), files,
    )
