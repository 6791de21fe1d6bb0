"""The OASIS clients against a real server on loopback: taxii2-client (Server, ApiRoot,
Collection, as_pages, add_objects and status) and stix2's TAXIICollectionSource; every object
they receive passes the OASIS stix2-validator."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn
from stix2 import Filter, TAXIICollectionSource
from taxii2client.common import TokenAuth
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from ballotguard.stix_validator import full_problems
from ballotguard.vocabulary import Tlp
from ballotguard.web.app import create_app
from support.clock import FakeClock
from support.hub import PASSWORD, Hub
from taxii.taxii_helpers import TAXII, TaxiiHub, hub_copy, indicator

SEEDED = 250


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Live:
    """The app under uvicorn in a thread, on a free loopback port."""

    def __init__(self, hub: TaxiiHub) -> None:
        self.hub = hub
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}/taxii2/"
        config = uvicorn.Config(create_app(hub.bg), host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Live:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the TAXII test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def server_as(self, email: str, secret: str = PASSWORD) -> Server:
        return Server(self.url, user=email, password=secret)


@pytest.fixture(scope="module")
def live(
    hub_template: tuple[Path, Hub], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    hub = hub_copy(hub_template, tmp_path_factory.mktemp("taxii-live"), FakeClock())
    try:
        with Live(hub) as server:
            yield server
    finally:
        hub.bg.close()


@pytest.fixture(scope="module")
def community(live: Live) -> Collection:
    """The community collection as the election authority's analyst, seeded with 250 objects
    through the real client's add_objects (three envelopes)."""
    root = live.server_as(live.hub.ea_analyst.email).default
    assert isinstance(root, ApiRoot)
    found = {c.title: c for c in root.collections}
    collection = found["TLP:GREEN: the community"]
    for start in range(0, SEEDED, 100):
        batch = [indicator(n, Tlp.GREEN) for n in range(start, min(start + 100, SEEDED))]
        status = collection.add_objects({"objects": batch})
        assert status.status == "complete"
        assert status.success_count == len(batch) and status.failure_count == 0
    return collection


def test_discovery_api_root_and_collections_through_the_real_client(live: Live) -> None:
    server = live.server_as(live.hub.ea_analyst.email)
    assert server.title == "Ballotguard"
    assert [r.url for r in server.api_roots] == [f"{live.url}ballotguard/"]
    root = server.default
    assert root.versions == [TAXII]
    assert root.max_content_length == live.hub.bg.settings.taxii_max_content_length
    titles = [c.title for c in root.collections]
    assert titles[:2] == ["TLP:CLEAR", "TLP:GREEN: the community"] and len(titles) == 4
    assert all(c.can_read for c in root.collections)


def test_as_pages_walks_every_object_across_pages(community: Collection) -> None:
    pages = list(as_pages(community.get_objects, per_request=100))
    assert [len(p["objects"]) for p in pages] == [100, 100, 50]
    assert [p["more"] for p in pages] == [True, True, False]
    ids = [o["id"] for p in pages for o in p["objects"]]
    assert ids == [indicator(n)["id"] for n in range(SEEDED)]
    for page in pages:
        for obj in page["objects"]:
            assert full_problems(obj) == [], obj["id"]


def test_as_pages_over_the_manifest_and_a_filter(community: Collection) -> None:
    pages = list(as_pages(community.get_manifest, per_request=120))
    assert sum(len(p["objects"]) for p in pages) == SEEDED
    wanted = [indicator(n)["id"] for n in (3, 7, 11)]
    found = community.get_objects(id=wanted, type=["indicator", "malware"])
    assert sorted(o["id"] for o in found["objects"]) == sorted(wanted)


def test_status_is_retrievable_through_the_client(live: Live, community: Collection) -> None:
    status = community.add_objects({"objects": [indicator(0, Tlp.GREEN), indicator("x", id="indicator--x")]})
    assert (status.success_count, status.failure_count) == (1, 1)
    root = live.server_as(live.hub.ea_analyst.email).default
    again = root.get_status(status.id)
    assert again.status == "complete" and again.failures == status.failures


def test_stix2_taxii_collection_source_queries_and_gets(community: Collection) -> None:
    source = TAXIICollectionSource(community, items_per_page=100)
    found = source.query([Filter("type", "=", "indicator")])
    assert len(found) == SEEDED
    one = indicator(42)["id"]
    got = source.get(one)
    assert got is not None and got.id == one
    assert [o.id for o in source.all_versions(one)] == [one]
    assert source.get("indicator--00000000-0000-4000-8000-000000000000") is None
    for obj in found[:25]:
        assert full_problems(json.loads(obj.serialize())) == []


def test_an_api_token_as_the_basic_password_works_and_the_token_scheme_is_refused(
    live: Live, community: Collection
) -> None:
    email = live.hub.ea_analyst.email
    token = live.hub.tokens[email]
    assert live.server_as(email, token).title == "Ballotguard"
    refused = Server(live.url, auth=TokenAuth(key=token))
    with pytest.raises(requests.HTTPError) as caught:
        _ = refused.title
    response: Any = caught.value.response
    assert response.status_code == 401
    assert response.headers["content-type"] == TAXII
    assert "'Token'" in response.json()["description"]


def test_a_bare_taxii_accept_through_the_client(community: Collection) -> None:
    page = community.get_objects(accept="application/taxii+json", limit=5)
    assert len(page["objects"]) == 5 and page["more"] is True
