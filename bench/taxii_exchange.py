"""TAXII 2.1 exchange: Ballotguard's TAXII server against medallion 3.0.0, on the same objects.

Issue 4 asks for at least ten times medallion (the OASIS reference TAXII 2.1 server, memory
backend) on the same machine and the same objects, in one run. Both servers are started by this
script on free loopback ports, each as its own process, and stopped at the end:

- **medallion 3.0.0** in its own virtual environment (``bench/_medallion.py``), as shipped: the
  ``medallion`` command, memory backend, HTTP Basic, one collection;
- **Ballotguard**: ``ballotguard serve`` on a fresh SQLite file in a temporary directory, with
  an organisation, an analyst and an API token made through the CLI; objects go to the
  ``community`` collection (TLP:GREEN) with ``Authorization: Bearer``.

The workload, measured over HTTP from this process (the client's own JSON work is done before
the clock starts for uploads and after it stops for pages):

1. **Ingest.** The same N indicators (valid STIX 2.1, TLP:GREEN marking, millisecond timestamps,
   deterministic from ``--seed``) POSTed to each server in envelopes of the same size, one
   envelope to each server in turn. Objects per second over the whole load, and per tenth of it.
   Ballotguard checks every object with the OASIS stix2-validator before keeping it; medallion
   checks nothing (it stores any JSON with an ``id``).
2. **Paging sweep.** While loading, at each ``--sweep`` size, a walk through the whole
   collection at ``limit=100`` following ``next`` on both servers (a page of one, then a page of
   the other): latency of the first page, of the others, and the total.
3. **Paging at N.** A walk through all N objects at 100 per page on Ballotguard; then the same
   request on medallion, given ``--medallion-deadline`` seconds for its first page. medallion's
   memory backend answers the first page of a collection in time that grows with the square of
   its size (it matches every manifest entry against every object, parsing timestamps each
   time), so at 100k it does not answer in any reasonable time: the script then prints the
   deadline as a lower bound, and a figure extrapolated from the sweep, labelled as such.
4. **Scale, Ballotguard alone.** Page latency at ``--sizes`` (10k and 1M objects), each in its
   own database served by its own ``ballotguard serve``. Each database gets its first 500
   objects through ``services.stix_exchange.import_objects`` (what a TAXII POST calls, without
   the HTTP round trip and the full validator) and the rest in bulk with SQLAlchemy core, rows
   built like the service's (checked against them; see ``bulk_load``): a million objects
   through HTTP and the validator would take hours and measure nothing new. Page requests
   alternate between the sizes, ``--scale-pages`` pages each: the big collection walked from
   its start, the small one walked again and again (``next`` holds a keyset position,
   ``date_added`` and ``seq``, so the depth of a page should not matter; the walk covers the
   first ``--scale-pages`` pages only).

    .venv/bin/python bench/taxii_exchange.py --quick
    .venv/bin/python bench/taxii_exchange.py --json taxii.json
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import itertools
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
import _medallion
from _common import (
    Database,
    _loader_engine,
    _settle,
    machine,
    median,
    p95,
    print_table,
    write_json,
)

try:
    from ballotguard.stix.ids import BALLOTGUARD_NAMESPACE
except ImportError:  # before the stix package exists: the namespace the issue plan fixes
    BALLOTGUARD_NAMESPACE = uuid.UUID("5b1e8f3a-3c53-4b8e-9a51-0f1d2c3b4a59")

GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
COMMUNITY = str(uuid.uuid5(BALLOTGUARD_NAMESPACE, "collection|community"))
API_ROOT = "/taxii2/ballotguard/"
MEDIA = "application/taxii+json;version=2.1"
TICK = timedelta(microseconds=1)
PAGE = 100
GOAL = 10.0
BASE_TIME = datetime(2026, 9, 1, tzinfo=UTC)
PASSWORD = "bench-analyst-password"
EMAIL = "analyst@taxii-bench.example"


# --- options ---------------------------------------------------------------------------------

@dataclass
class Options:
    objects: int
    envelope: int
    sweep: list[int]
    sizes: list[int]
    deadline: float
    scale_pages: int
    depth_repeat: int
    seed: int
    json_path: Path | None
    skip: set[str]


def parse_options() -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="2,000 objects, sweep at 500 and 1,000, scale at 1k and 10k")
    parser.add_argument("--objects", type=int, help="objects POSTed and paged (default 100,000)")
    parser.add_argument("--envelope", type=int, help="objects per POST (default 1,000)")
    parser.add_argument("--sweep", help="collection sizes at which both are paged in full "
                                        "(default 1000,2000,4000)")
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES"),
                        help="Ballotguard-alone sizes (default 10000,1000000)")
    parser.add_argument("--medallion-deadline", type=float,
                        help="seconds medallion gets for the first page at N (default 300)")
    parser.add_argument("--scale-pages", type=int,
                        help="pages timed per size in the scale part (default 2,000; 100 "
                             "with --quick)")
    parser.add_argument("--skip", default="",
                        help="comma-separated parts to leave out: medallion, exchange (all of "
                             "1-3), scale")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, default=None, help="also write every figure as JSON")
    args = parser.parse_args()
    quick = args.quick

    def numbers(text: str | None, default: str) -> list[int]:
        return sorted(int(s.replace("_", "")) for s in (text or default).split(","))

    objects = args.objects or (2_000 if quick else 100_000)
    sweep = [s for s in numbers(args.sweep, "500,1000" if quick else "1000,2000,4000")
             if s < objects]
    return Options(
        objects=objects,
        envelope=args.envelope or (500 if quick else 1_000),
        sweep=sweep,
        sizes=numbers(args.sizes, "1000,10000" if quick else "10000,1000000"),
        deadline=args.medallion_deadline or (20 if quick else 300),
        scale_pages=args.scale_pages or (100 if quick else 2_000),
        depth_repeat=5 if quick else 20,
        seed=args.seed,
        json_path=args.json,
        skip={s.strip() for s in args.skip.split(",") if s.strip()},
    )


# --- the objects -----------------------------------------------------------------------------

def stix_objects(seed: int) -> Iterator[dict[str, Any]]:
    """Indicators, one per millisecond from 2026-09-01, each valid STIX 2.1 with no warning
    from stix2-validator, marked TLP:GREEN (TLP 2.0). The same seed gives the same objects."""
    rng = random.Random(seed)
    number = 0
    while True:
        stamp = BASE_TIME + timedelta(milliseconds=number)
        text = stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"
        kind = rng.random()
        if kind < 0.5:
            pattern = f"[ipv4-addr:value = '{rng.choice(('192.0.2', '198.51.100', '203.0.113'))}" \
                      f".{rng.randint(1, 254)}']"
        elif kind < 0.8:
            pattern = f"[domain-name:value = 'site-{rng.randint(1, 999_999)}.example']"
        else:
            pattern = f"[url:value = 'https://news-{rng.randint(1, 99_999)}.example/a/" \
                      f"{rng.getrandbits(40):x}']"
        identifier = f"indicator--{uuid.UUID(int=rng.getrandbits(128), version=4)}"
        yield {
            "type": "indicator", "spec_version": "2.1", "id": identifier,
            "created": text, "modified": text,
            "name": f"Benchmark indicator {number}",
            "description": "Infrastructure seen pushing a fabricated results story.",
            "indicator_types": ["malicious-activity"],
            "pattern": pattern, "pattern_type": "stix", "valid_from": text,
            "object_marking_refs": [GREEN],
        }
        number += 1


def take(stream: Iterator[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    return [next(stream) for _ in range(n)]


# --- the servers ---------------------------------------------------------------------------

@dataclass
class Endpoint:
    """One TAXII collection on one running server, and how to talk to it."""

    name: str
    objects_url: str
    status_url: str
    client: httpx.Client
    log: Path
    process: subprocess.Popen[bytes]

    def post(self, body: bytes, expected: int) -> float:
        """Seconds until the envelope is stored (polling the status if it is still pending)."""
        started = time.perf_counter()
        response = self.client.post(self.objects_url, content=body,
                                    headers={"Content-Type": MEDIA})
        if response.status_code != 202:
            raise SystemExit(f"{self.name}: POST answered {response.status_code}: "
                             f"{response.text[:2000]}")
        status = response.json()
        while status.get("status") == "pending":
            time.sleep(0.02)
            status = self.client.get(f"{self.status_url}{status['id']}/").json()
        seconds = time.perf_counter() - started
        if status.get("success_count") != expected or status.get("failure_count"):
            failures = status.get("failures", [])[:3]
            raise SystemExit(f"{self.name}: {status.get('success_count')} of {expected} objects "
                             f"stored, {status.get('failure_count')} failed, e.g. {failures}")
        return seconds

    def pages(self, timeout: float | None = None) -> Iterator[Page]:
        """Every page of the collection at ``limit=100``, following ``next``, each timed."""
        token: str | None = None
        while True:
            params = {"limit": str(PAGE)} | ({"next": token} if token else {})
            started = time.perf_counter()
            try:
                response = self.client.get(self.objects_url, params=params,
                                           timeout=timeout or 600)
            except httpx.TimeoutException:
                yield Page((time.perf_counter() - started) * 1000, [], more=False,
                           error=f"no answer within {timeout:.0f} s")
                return
            ms = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                yield Page(ms, [], more=False,
                           error=f"HTTP {response.status_code}: {response.text[:500]}")
                return
            envelope = response.json()
            ids = [obj["id"] for obj in envelope.get("objects", [])]
            more = bool(envelope.get("more")) and bool(envelope.get("next"))
            yield Page(ms, ids, more)
            if not more:
                return
            token = str(envelope["next"])


@dataclass
class Page:
    ms: float
    ids: list[str]
    more: bool
    error: str = ""


@dataclass
class Walk:
    """One walk through a collection: the latency of each page and what came back."""

    pages_ms: list[float] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def total_s(self) -> float:
        return sum(self.pages_ms) / 1000

    def summary(self, expected: set[str]) -> dict[str, Any]:
        later = self.pages_ms[1:]
        returned = set(self.ids)
        return {
            "pages": len(self.pages_ms), "objects": len(self.ids),
            "missing": len(expected - returned), "duplicates": len(self.ids) - len(returned),
            "extra": len(returned - expected),
            "first_ms": self.pages_ms[0] if self.pages_ms else None,
            "later_median_ms": median(later) if later else None,
            "later_p95_ms": p95(later) if later else None,
            "median_ms": median(self.pages_ms) if self.pages_ms else None,
            "p95_ms": p95(self.pages_ms) if self.pages_ms else None,
            "total_s": self.total_s, "error": self.error,
        }


def interleave(walks: dict[str, Iterator[Page]]) -> dict[str, Walk]:
    """Round-robin over the walks, one page of each in turn, so that load from elsewhere on the
    machine falls on both servers alike."""
    results = {name: Walk() for name in walks}
    alive = dict(walks)
    while alive:
        for name in list(alive):
            page = next(alive[name], None)
            if page is None:
                del alive[name]
                continue
            walk = results[name]
            walk.pages_ms.append(page.ms)
            walk.ids += page.ids
            if page.error:
                walk.error = page.error
    return results


def _cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "ballotguard", *args], env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"ballotguard {' '.join(args[:2])} failed:\n{result.stdout}"
                         f"{result.stderr}")
    return result.stdout.strip().splitlines()[-1].strip()


@dataclass
class Instance:
    """A Ballotguard database with the benchmark's organisation, analyst and API token."""

    database_url: str
    env: dict[str, str]
    org_id: str
    token: str


def prepare(directory: Path, name: str, extra_env: dict[str, str] | None = None) -> Instance:
    """A fresh SQLite database, migrated, with an organisation, an analyst and a token, made
    through the CLI as an operator would."""
    url = f"sqlite:///{directory}/{name}.db"
    env = os.environ | {"BALLOTGUARD_DATABASE_URL": url} | (extra_env or {})
    _cli(env, "db", "upgrade")
    org_id = _cli(env, "orgs", "create", f"Benchmark CERT {name}", "security_agency_cert", "NL")
    _cli(env, "people", "create", "--org", org_id, "--name", "Benchmark Analyst",
         "--email", EMAIL, "--role", "analyst", "--password", PASSWORD)
    token = _cli(env, "people", "token", EMAIL, "--name", "taxii benchmark")
    return Instance(url, env, org_id, token)


@contextlib.contextmanager
def serve(directory: Path, instance: Instance, name: str) -> Iterator[Endpoint]:
    """``ballotguard serve`` on a free loopback port; stopped on exit."""
    port = _medallion.free_port()
    log = directory / f"ballotguard-{name}-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ballotguard", "serve", "--host", "127.0.0.1",
             "--port", str(port)], env=instance.env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    headers = {"Accept": MEDIA, "Authorization": f"Bearer {instance.token}"}
    try:
        _medallion.wait_until_up(f"{base}{API_ROOT}", process, log, headers=headers)
        with httpx.Client(headers=headers, timeout=600) as client:
            yield Endpoint(name, f"{base}{API_ROOT}collections/{COMMUNITY}/objects/",
                           f"{base}{API_ROOT}status/", client, log, process)
    finally:
        _medallion.stop(process)


@contextlib.contextmanager
def medallion(directory: Path) -> Iterator[Endpoint]:
    with _medallion.medallion(directory, COMMUNITY) as server, httpx.Client(
            auth=server.auth(), headers={"Accept": MEDIA}, timeout=3600) as client:
        yield Endpoint("medallion", server.objects_url,
                       f"{server.url}/{_medallion.API_ROOT}/status/", client, server.log,
                       server.process)


def validator_variants() -> dict[str, dict[str, str]]:
    """Ballotguard as configured by default; and, if the product has a setting that skips the
    full stix2-validator on import, a second instance with it off, measured beside it."""
    from ballotguard.config import Settings

    variants = {"ballotguard": {}}
    for name, info in Settings.model_fields.items():
        if "valid" in name and info.annotation is bool:
            variants[f"ballotguard ({name}={not info.default})"] = {
                f"BALLOTGUARD_{name.upper()}": str(not info.default).lower()}
    return variants


# --- 1-3: against medallion ---------------------------------------------------------------

def envelopes(total: int, size: int, cuts: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each envelope: ``size`` objects, cut also at each sweep size."""
    bounds = sorted({*range(0, total, size), *(c for c in cuts if 0 < c < total), total})
    return list(itertools.pairwise(bounds))


def against_medallion(options: Options, directory: Path) -> dict[str, Any]:
    objects = take(stix_objects(options.seed), options.objects)
    ids = [str(o["id"]) for o in objects]
    variants = validator_variants()
    result: dict[str, Any] = {"objects": options.objects, "envelope": options.envelope,
                              "variants": list(variants), "ingest": {}, "sweep": [],
                              "paging": {}}
    with contextlib.ExitStack() as stack:
        endpoints: dict[str, Endpoint] = {}
        if "medallion" not in options.skip:
            endpoints["medallion"] = stack.enter_context(medallion(directory))
        for name, env in variants.items():
            instance = prepare(directory, f"ingest{len(endpoints)}", env)
            endpoints[name] = stack.enter_context(serve(directory, instance, name))
        main = endpoints["ballotguard"]
        seconds: dict[str, list[tuple[int, float]]] = {name: [] for name in endpoints}
        for start, end in envelopes(options.objects, options.envelope, options.sweep):
            body = json.dumps({"objects": objects[start:end]}).encode()
            for name, endpoint in endpoints.items():
                seconds[name].append((end - start, endpoint.post(body, end - start)))
            if end in options.sweep:
                print(f"  sweep: paging through {end:,} objects on both", file=sys.stderr)
                walked = interleave({name: endpoints[name].pages()
                                     for name in ("medallion", "ballotguard")
                                     if name in endpoints})
                result["sweep"].append({"size": end, **{
                    name: walk.summary(set(ids[:end])) for name, walk in walked.items()}})
            done = int(10 * end / options.objects)
            if done != int(10 * start / options.objects):
                rates = ", ".join(f"{name} {_rate(s):,.0f}/s" for name, s in seconds.items())
                print(f"  {end:,}/{options.objects:,} objects posted ({rates})",
                      file=sys.stderr)
        result["ingest"] = {name: _ingest_summary(s) for name, s in seconds.items()}
        print(f"  paging through {options.objects:,} objects on Ballotguard", file=sys.stderr)
        result["paging"]["ballotguard"] = interleave(
            {"ballotguard": main.pages()})["ballotguard"].summary(set(ids))
        if "medallion" in endpoints:
            print(f"  the same on medallion, {options.deadline:.0f} s for the first page",
                  file=sys.stderr)
            walk = interleave({"medallion": endpoints["medallion"].pages(
                timeout=options.deadline)})["medallion"]
            result["paging"]["medallion"] = walk.summary(set(ids))
            result["paging"]["medallion_extrapolated"] = extrapolate(result["sweep"],
                                                                     options.objects)
        result["logs"] = {name: e.log.read_text()[-4000:] for name, e in endpoints.items()
                          if "Traceback" in e.log.read_text()}
    return result


def _rate(samples: list[tuple[int, float]]) -> float:
    seconds = sum(s for _, s in samples)
    return sum(n for n, _ in samples) / seconds if seconds else math.nan


def _ingest_summary(samples: list[tuple[int, float]]) -> dict[str, Any]:
    """Overall rate, and the rate over each tenth of the load (in envelope order)."""
    total = sum(n for n, _ in samples)
    tenths: list[float] = []
    bucket: list[tuple[int, float]] = []
    done = 0
    for n, s in samples:
        bucket.append((n, s))
        done += n
        if done * 10 >= total * (len(tenths) + 1):
            tenths.append(_rate(bucket))
            bucket = []
    per_envelope_ms = [1000 * s / n for n, s in samples]
    return {"objects": total, "seconds": sum(s for _, s in samples),
            "per_second": _rate(samples), "tenths_per_second": tenths,
            "ms_per_object_median": median(per_envelope_ms)}


def extrapolate(sweep: list[dict[str, Any]], n: int) -> dict[str, Any] | None:
    """medallion's walk at ``n`` objects from the two largest sweep sizes: the first page and
    the mean of the other pages each as a power of the size, with the exponent measured."""
    points = [(s["size"], s["medallion"]) for s in sweep
              if "medallion" in s and not s["medallion"]["error"] and s["medallion"]["pages"] > 1]
    if len(points) < 2:
        return None
    (s1, a), (s2, b) = points[-2], points[-1]

    def fit(x1: float, x2: float) -> tuple[float, float]:
        k = math.log(x2 / x1) / math.log(s2 / s1)
        return k, x2 * (n / s2) ** k

    first_k, first_ms = fit(a["first_ms"], b["first_ms"])
    mean_a = (a["total_s"] * 1000 - a["first_ms"]) / (a["pages"] - 1)
    mean_b = (b["total_s"] * 1000 - b["first_ms"]) / (b["pages"] - 1)
    later_k, later_ms = fit(mean_a, mean_b)
    pages = math.ceil(n / PAGE)
    return {"from_sizes": [s1, s2], "first_exponent": first_k, "first_ms": first_ms,
            "later_exponent": later_k, "later_mean_ms": later_ms,
            "total_s": (first_ms + (pages - 1) * later_ms) / 1000}


# --- 4: Ballotguard alone at two sizes -------------------------------------------------------

def bulk_load(instance: Instance, size: int, seed: int) -> dict[str, float]:
    """``size`` objects in the community collection of a fresh database.

    The first 500 go through ``services.stix_exchange.import_objects`` (what a TAXII POST
    calls, here without the full validator), timed. The rest are inserted in batches of 20,000
    with SQLAlchemy core into ``stix_objects``, each row made the way the service made the rows
    of the first batch: the builder's rows for the first batch are compared with the rows the
    service wrote, column by column (all but ``seq`` and ``date_added``), and the run stops if
    they differ. ``date_added`` keeps rising by one microsecond per row, as the store's does."""
    from sqlalchemy import select

    from ballotguard.bootstrap import bootstrap
    from ballotguard.config import Settings
    from ballotguard.services.actors import person_actor
    from ballotguard.services.stix_exchange import import_objects
    from ballotguard.store.models import StixObjectRow
    from ballotguard.vocabulary import Tlp

    app = bootstrap(Settings(database_url=instance.database_url))
    table = StixObjectRow.__table__
    stream = stix_objects(seed)
    try:
        with app.uow() as uow:
            person = uow.people.by_email(EMAIL)
        assert person is not None
        first: list[object] = list(take(stream, min(500, size)))
        started = time.perf_counter()
        with app.uow() as uow:
            result = import_objects(uow, person_actor(person), first, datetime.now(UTC),
                                    default_tlp=Tlp.GREEN, validate=None)
        service_seconds = time.perf_counter() - started
        if result.failures or len(result.successes) != len(first):
            raise SystemExit(f"bulk load: {len(result.failures)} failures, e.g. "
                             f"{result.failures[:3]}")
        with app.engine.connect() as conn:
            written = [dict(row) for row in conn.execute(
                select(table).where(table.c.source == f"import:{instance.org_id}")
                .order_by(table.c.seq)).mappings()]
        template = written[0]
        built = [_bulk_row(template, obj) for obj in first]  # type: ignore[arg-type]
        kept = [{k: v for k, v in row.items() if k not in ("seq", "date_added")}
                for row in written]
        if built != kept:
            diff = next((a, b) for a, b in zip(built, kept, strict=False) if a != b)
            raise SystemExit("bench/taxii_exchange.py builds stix_objects rows differently from "
                             f"the import service; update _bulk_row:\n{diff[0]}\n{diff[1]}")
        last = max(row["date_added"] for row in written)
    finally:
        app.close()
    target = Database("sqlite", instance.database_url, "")
    engine = _loader_engine(target)
    done = len(first)
    started = time.perf_counter()
    try:
        while done < size:
            values = []
            for obj in take(stream, min(20_000, size - done)):
                last += TICK
                values.append(_bulk_row(template, obj) | {"date_added": last})
            with engine.begin() as conn:
                conn.execute(table.insert(), values)
            done += len(values)
            rate = (done - len(first)) / (time.perf_counter() - started)
            print(f"\r  +{done:,}/{size:,} objects ({rate:,.0f}/s)", end="", file=sys.stderr,
                  flush=True)
        _settle(engine, target)
    finally:
        engine.dispose()
    print(file=sys.stderr)
    return {"service_objects": len(first), "service_seconds": service_seconds,
            "bulk_objects": size - len(first), "bulk_seconds": time.perf_counter() - started}


def _bulk_row(template: dict[str, Any], obj: dict[str, Any]) -> dict[str, Any]:
    """A ``stix_objects`` row for an imported object, the audience columns as in ``template``."""
    from ballotguard.stix import to_json

    return {k: v for k, v in template.items() if k not in ("seq", "date_added")} | {
        "stix_id": obj["id"], "type": obj["type"], "spec_version": obj["spec_version"],
        "version": obj.get("modified") or obj.get("created"), "body": to_json(obj),
        "is_latest": True, "is_first": True}


def alone_at_sizes(options: Options, directory: Path) -> dict[str, Any]:
    instances = {}
    loads = {}
    for size in options.sizes:
        print(f"  Ballotguard with {size:,} objects", file=sys.stderr)
        instances[size] = prepare(directory, f"scale{size}")
        loads[size] = bulk_load(instances[size], size, options.seed + 1)
    budget = options.scale_pages
    with contextlib.ExitStack() as stack:
        endpoints = {size: stack.enter_context(serve(directory, instance, f"scale{size}"))
                     for size, instance in instances.items()}
        walks: dict[int, Walk] = {size: Walk() for size in endpoints}
        firsts: dict[int, list[float]] = {size: [] for size in endpoints}
        streams = {size: endpoints[size].pages() for size in endpoints}
        fresh = dict.fromkeys(endpoints, True)
        for _ in range(budget):
            for size in endpoints:  # one page of each size in turn
                page = next(streams[size], None)
                if page is None:  # walked to the end: start again from the first page
                    streams[size], fresh[size] = endpoints[size].pages(), True
                    page = next(streams[size])
                if page.error:
                    raise SystemExit(f"Ballotguard at {size:,} objects: {page.error}")
                walks[size].pages_ms.append(page.ms)
                if fresh[size]:
                    firsts[size].append(page.ms)
                    fresh[size] = False
        depths = at_depths(endpoints, instances, options.depth_repeat)
    return {"sizes": options.sizes, "pages_per_size": budget, "depths": depths,
            "loads": loads, "results": {
                size: {"median_ms": median(w.pages_ms), "p95_ms": p95(w.pages_ms),
                       "pages": len(w.pages_ms), "total_s": w.total_s,
                       "first_page_median_ms": median(firsts[size]),
                       "first_pages": len(firsts[size])}
                for size, w in walks.items()}}

DEPTHS = {0.0: "start", 0.5: "middle", 1.0: "last full page"}
"""Where in each collection the depth probe asks for a page (of the rows a full page can still
follow): the first page, the middle, the last full page."""


def at_depths(endpoints: dict[int, Endpoint], instances: dict[int, Instance],
              repeat: int) -> dict[str, dict[str, float]]:
    """Page latency at the start, the middle and the end of each collection.

    A client that walks a million objects reaches the end only after 10,000 pages; instead, the
    probe asks directly for the page after the row at that depth, with the ``next`` token a
    client would hold there. A token is the server's own position (``date_added``, ``seq``), a
    fingerprint of the filters and the time it was issued, as base64url JSON (see
    ``web/taxii/paging.py``); the probe takes a real token from the first page and puts the
    position of the row at that depth in it. Requests alternate between the sizes."""
    from sqlalchemy import create_engine, text

    tokens: dict[tuple[int, float], str] = {}
    for size, endpoint in endpoints.items():
        first = endpoint.client.get(endpoint.objects_url, params={"limit": str(PAGE)}).json()
        payload = json.loads(base64.urlsafe_b64decode(
            first["next"] + "=" * (-len(first["next"]) % 4)))
        engine = create_engine(instances[size].database_url)
        try:
            with engine.connect() as conn:
                for depth in DEPTHS:
                    row = conn.execute(text(
                        "SELECT date_added, seq FROM stix_objects WHERE tlp = 'GREEN' "
                        "ORDER BY date_added, seq LIMIT 1 OFFSET :n"),
                        {"n": int(depth * (size - PAGE - 1))}).one()
                    added = datetime.fromisoformat(str(row[0])).replace(tzinfo=UTC)
                    token = json.dumps(payload | {"p": [added.isoformat(), int(row[1])]},
                                       separators=(",", ":")).encode()
                    tokens[(size, depth)] = base64.urlsafe_b64encode(token).decode().rstrip("=")
        finally:
            engine.dispose()
    samples: dict[tuple[int, float], list[float]] = {key: [] for key in tokens}
    for _ in range(repeat):
        for depth in DEPTHS:
            for size, endpoint in endpoints.items():
                started = time.perf_counter()
                response = endpoint.client.get(endpoint.objects_url, params={
                    "limit": str(PAGE), "next": tokens[(size, depth)]})
                samples[(size, depth)].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"depth probe at {size:,}: {response.status_code} "
                                     f"{response.text[:300]}")
    return {f"{size}@{depth}": {"size": size, "depth": depth, "median_ms": median(ms),
                                "p95_ms": p95(ms), "samples": len(ms)}
            for (size, depth), ms in samples.items()}


# --- output ---------------------------------------------------------------------------------

def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def report(result: dict[str, Any]) -> None:
    exchange = result.get("exchange")
    if exchange:
        ingest = exchange["ingest"]
        print_table(
            f"Ingest: {exchange['objects']:,} indicators POSTed in envelopes of "
            f"{exchange['envelope']:,} (Ballotguard validates each object with stix2-validator; "
            "medallion validates nothing)",
            ["server", "objects", "seconds", "objects/s", "first tenth /s", "last tenth /s"],
            [[name, f"{s['objects']:,}", f"{s['seconds']:,.1f}", f"{s['per_second']:,.0f}",
              f"{s['tenths_per_second'][0]:,.0f}", f"{s['tenths_per_second'][-1]:,.0f}"]
             for name, s in ingest.items()], left=1)
        sweep_rows = []
        for point in exchange["sweep"]:
            for name in ("medallion", "ballotguard"):
                if name in point:
                    s = point[name]
                    sweep_rows.append([name, f"{point['size']:,}", str(s["pages"]),
                                       _ms(s["first_ms"]), _ms(s["later_median_ms"]),
                                       _ms(s["later_p95_ms"]), f"{s['total_s']:,.2f}",
                                       _check(s)])
        if sweep_rows:
            print_table(f"Paging sweep: every page at limit={PAGE}, following next",
                        ["server", "objects", "pages", "first page ms", "others median ms",
                         "others p95 ms", "total s", "check"], sweep_rows, left=1)
        paging_rows = []
        for name in ("ballotguard", "medallion"):
            s = exchange["paging"].get(name)
            if s:
                paging_rows.append([name, str(s["pages"]), _ms(s["first_ms"]),
                                    _ms(s["median_ms"]), _ms(s["p95_ms"]),
                                    f"{s['total_s']:,.1f}", s["error"] or _check(s)])
        guess = exchange["paging"].get("medallion_extrapolated")
        if guess:
            paging_rows.append([
                "medallion (extrapolated)", str(math.ceil(exchange["objects"] / PAGE)),
                _ms(guess["first_ms"]), _ms(guess["later_mean_ms"]) + " (mean)", "-",
                f"{guess['total_s']:,.0f}",
                f"first page ~ n^{guess['first_exponent']:.2f}, others ~ "
                f"n^{guess['later_exponent']:.2f}, from {guess['from_sizes']}"])
        print_table(f"Paging through {exchange['objects']:,} objects at limit={PAGE}",
                    ["server", "pages", "first page ms", "median ms", "p95 ms", "total s",
                     "check"], paging_rows, left=1)
        print_ratios(exchange)
        for name, tail in exchange.get("logs", {}).items():
            print(f"\n{name} logged a traceback; the end of its log:\n{tail}")
    scale = result.get("scale")
    if scale:
        rows = [[f"{size:,}", str(r["pages"]), _ms(r["median_ms"]), _ms(r["p95_ms"]),
                 _ms(r["first_page_median_ms"]), _load_text(scale["loads"][size])]
                for size, r in scale["results"].items()]
        print_table(f"Ballotguard alone: page latency (limit={PAGE}), requests alternating "
                    "between sizes", ["objects", "pages timed", "median ms", "p95 ms",
                                      "first page median ms", "loaded"], rows, left=1)
        depths = scale["depths"]
        print_table("Ballotguard alone: one page (limit=100) after the row at a depth of the "
                    "collection, with the next token a client holds there",
                    ["objects", "depth", "median ms", "p95 ms", "requests"],
                    [[f"{d['size']:,}", DEPTHS[d["depth"]], _ms(d["median_ms"]),
                      _ms(d["p95_ms"]), str(d["samples"])] for d in depths.values()], left=2)
        small, large = scale["sizes"][0], scale["sizes"][-1]
        if small != large:
            a, b = scale["results"][small], scale["results"][large]
            print(f"\nRATIO page latency {large:,} / {small:,} objects, walk from the start "
                  f"({scale['pages_per_size']:,} pages each): median "
                  f"{b['median_ms'] / a['median_ms']:.2f}x, p95 {b['p95_ms'] / a['p95_ms']:.2f}x")
            for depth in DEPTHS:
                x, y = depths[f"{small}@{depth}"], depths[f"{large}@{depth}"]
                print(f"RATIO page latency {large:,} / {small:,} objects, {DEPTHS[depth]}: "
                      f"median {y['median_ms'] / x['median_ms']:.2f}x")


def _load_text(load: dict[str, float]) -> str:
    text = (f"{load['service_objects']:,} by the service "
            f"({load['service_objects'] / load['service_seconds']:,.0f}/s)")
    if load["bulk_objects"]:
        text += (f", {load['bulk_objects']:,} in bulk "
                 f"({load['bulk_objects'] / load['bulk_seconds']:,.0f}/s)")
    return text


def _check(summary: dict[str, Any]) -> str:
    problems = [f"{summary[k]:,} {k}" for k in ("missing", "duplicates", "extra")
                if summary[k]]
    return ", ".join(problems) if problems else f"all {summary['objects']:,} objects, once"


def print_ratios(exchange: dict[str, Any]) -> None:
    lines = []
    ingest = exchange["ingest"]
    if "medallion" in ingest:
        for name, s in ingest.items():
            if name != "medallion":
                ratio = s["per_second"] / ingest["medallion"]["per_second"]
                lines.append(f"ingest, objects/s, {name} / medallion: {ratio:.2f}x "
                             f"({_verdict(ratio)})")
    for point in exchange["sweep"]:
        if "medallion" in point and not point["medallion"]["error"]:
            m, b = point["medallion"], point["ballotguard"]
            lines.append(f"paging {point['size']:,} objects, total time, medallion / "
                         f"ballotguard: {m['total_s'] / b['total_s']:.1f}x "
                         f"({_verdict(m['total_s'] / b['total_s'])}); others median "
                         f"{m['later_median_ms'] / b['later_median_ms']:.1f}x, first page "
                         f"{m['first_ms'] / b['first_ms']:.0f}x")
    paging = exchange["paging"]
    ours = paging.get("ballotguard")
    theirs = paging.get("medallion")
    if ours and theirs:
        n = exchange["objects"]
        if theirs["error"]:
            bound = theirs["first_ms"] / 1000 / ours["total_s"]
            lines.append(f"paging {n:,} objects, medallion / ballotguard: more than "
                         f"{bound:.0f}x (medallion's first page alone: {theirs['error']}; "
                         f"Ballotguard's whole walk: {ours['total_s']:.1f} s)")
        else:
            ratio = theirs["total_s"] / ours["total_s"]
            lines.append(f"paging {n:,} objects, total, medallion / ballotguard: {ratio:.1f}x "
                         f"({_verdict(ratio)})")
        guess = paging.get("medallion_extrapolated")
        if guess:
            lines.append(f"paging {n:,} objects, medallion extrapolated / ballotguard measured: "
                         f"{guess['total_s'] / ours['total_s']:,.0f}x (an extrapolation)")
    print("\nRATIOS (goal: Ballotguard at least 10x medallion)")
    for line in lines:
        print(f"  {line}")


def _verdict(ratio: float) -> str:
    return "meets the 10x goal" if ratio >= GOAL else "MISSES the 10x goal"


def main() -> None:
    options = parse_options()
    result: dict[str, Any] = {"benchmark": "taxii_exchange", "machine": machine(),
                              "options": {k: v for k, v in vars(options).items()
                                          if k != "json_path"} | {"skip": sorted(options.skip)}}
    if "medallion" not in options.skip:
        _medallion.ensure_venv()
        result["medallion"] = _medallion.package_versions()
    with tempfile.TemporaryDirectory(prefix="ballotguard-bench-taxii-") as name:
        directory = Path(name)
        print(f"TAXII exchange: {options.objects:,} objects, envelopes of {options.envelope:,}",
              file=sys.stderr)
        if "exchange" not in options.skip:
            result["exchange"] = against_medallion(options, directory)
        if "scale" not in options.skip:
            result["scale"] = alone_at_sizes(options, directory)
    report(result)
    write_json(options.json_path, result)


if __name__ == "__main__":
    main()
