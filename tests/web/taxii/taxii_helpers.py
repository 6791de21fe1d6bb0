"""Helpers for the TAXII tests: valid STIX objects, rows put straight into the object store (the
TAXII layer is under test, not the mapping), and a client that speaks TAXII as a person."""

from __future__ import annotations

import base64
import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.config import Settings
from ballotguard.ports import StoredObject
from ballotguard.services.taxii import collection_id
from ballotguard.sharing import Audience, Person
from ballotguard.vocabulary import Tlp
from support.clock import FakeClock
from support.hub import Hub

DB = "ballotguard.db"
TAXII = "application/taxii+json;version=2.1"
ROOT = "/taxii2/ballotguard"
TEST_NS = uuid.UUID("0f7b7f4e-2c53-4c1e-8d0a-6a9b1b2c3d4e")
TLP_MARKING = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
V1 = "2026-01-01T00:00:00.000Z"
V2 = "2026-02-01T00:00:00.000Z"
V3 = "2026-03-01T00:00:00.000Z"


@dataclass
class TaxiiHub(Hub):
    """The web hub with its in-process client."""

    client: TestClient = None  # type: ignore[assignment]

    @property
    def clock(self) -> FakeClock:
        clock = self.bg.clock
        assert isinstance(clock, FakeClock)
        return clock


def stix_id(kind: str, n: int | str) -> str:
    return f"{kind}--{uuid.uuid5(TEST_NS, f'{kind}|{n}')}"


def indicator(n: int | str, tlp: Tlp | None = None, modified: str = V1, **extra: Any) -> dict[str, Any]:
    """A valid STIX 2.1 indicator (the validator passes it)."""
    body: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": stix_id("indicator", n),
        "created": V1,
        "modified": modified,
        "name": f"Credential stuffing source {n}",
        "pattern": f"[ipv4-addr:value = '198.51.100.{uuid.uuid5(TEST_NS, str(n)).int % 250 + 1}']",
        "pattern_type": "stix",
        "valid_from": V1,
    }
    if tlp is not None:
        body["object_marking_refs"] = [TLP_MARKING[tlp]]
    body.update(extra)
    return body


def stored(
    obj: dict[str, Any],
    audience: Audience,
    source: str,
    text: str | None = None,
) -> StoredObject:
    version = str(obj.get("modified") or obj.get("created") or "")
    body = text if text is not None else json.dumps(obj)
    return StoredObject(
        obj["id"], obj["type"], obj.get("spec_version", "2.1"), version, body, audience, source
    )


def put(bg: Ballotguard, rows: list[StoredObject]) -> list[StoredObject]:
    with bg.uow() as uow:
        added = uow.stix_objects.add(rows, bg.clock())
        uow.commit()
    return added


def audience(
    tlp: Tlp,
    author: Person,
    orgs: frozenset[str] = frozenset(),
    people: frozenset[str] = frozenset(),
) -> Audience:
    return Audience(tlp, author.org_id, author.id, orgs, people)


def basic(user: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{user}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


@dataclass
class Taxii:
    """The in-process client speaking TAXII as one person or another (Bearer tokens)."""

    client: TestClient
    bg: Ballotguard
    tokens: dict[str, str]
    accept: str = TAXII

    def headers(self, person: Person | None, **more: str) -> dict[str, str]:
        sent = {"Accept": self.accept}
        if person is not None:
            sent["Authorization"] = f"Bearer {self.tokens[person.email]}"
        sent.update({k.replace("_", "-"): v for k, v in more.items()})
        return sent

    def get(self, path: str, person: Person | None, params: Any = None, **more: str) -> httpx.Response:
        return self.client.get(path, headers=self.headers(person, **more), params=params)

    def post(
        self, path: str, person: Person, body: Any, content_type: str = TAXII, **more: str
    ) -> httpx.Response:
        text = body if isinstance(body, (str, bytes)) else json.dumps(body)
        headers = self.headers(person, **more) | {"Content-Type": content_type}
        return self.client.post(path, headers=headers, content=text)

    def delete(self, path: str, person: Person, params: Any = None) -> httpx.Response:
        return self.client.delete(path, headers=self.headers(person), params=params)


def objects_path(name: str) -> str:
    return f"{ROOT}/collections/{collection_id(name)}/objects/"


def collection_path(name: str) -> str:
    return f"{ROOT}/collections/{collection_id(name)}/"


def served_ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [o["id"] for o in response.json().get("objects", [])]


def assert_taxii_error(response: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    """The TAXII error resource: media type, title, description, http_status as a string."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == TAXII
    body: dict[str, Any] = response.json()
    assert body["http_status"] == str(status)
    assert body["title"] and body["description"]
    for word in words:
        assert word.lower() in (body["title"] + " " + body["description"]).lower(), body
    return body


def hub_copy(template: tuple[Path, Hub], folder: Path, clock: FakeClock) -> TaxiiHub:
    """A fresh Ballotguard on a copy of the template database, without a client yet."""
    source, base = template
    shutil.copyfile(source, folder / DB)
    bg = bootstrap(Settings(database_url=f"sqlite:///{folder / DB}"), clock=clock, run_migrations=False)
    return TaxiiHub(**(vars(base) | {"bg": bg}))
