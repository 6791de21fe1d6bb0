"""Two real Ballotguard servers on loopback, A and B, each with its own SQLite file, served by
uvicorn in a thread of the test process; federation talks to them with the real taxii2-client.

On A: an election authority with an analyst who files reports, and the organisation "Instance B"
whose ``federation_peer`` person holds the token B uses. On B: the organisation "Instance A" with
the ``federation_peer`` person that stands for A (pulled reports belong to it, and A pushes with
its token), and an analyst of B who reads the default report list.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from ballotguard.bootstrap import Ballotguard, bootstrap
from ballotguard.config import Settings
from ballotguard.services import auth
from ballotguard.services.actors import OPERATOR
from ballotguard.services.taxii import collection_id
from ballotguard.sharing import Organisation, Person, Role, Sector
from ballotguard.web.app import create_app
from support import world

COMMUNITY = collection_id("community")


@dataclass
class Instance:
    bg: Ballotguard
    base_url: str
    members: Organisation
    analyst: Person
    peer_org: Organisation
    peer_person: Person
    peer_token: str

    @property
    def api_root(self) -> str:
        return f"{self.base_url}/taxii2/ballotguard/"


@contextmanager
def serving(bg: Ballotguard) -> Iterator[str]:
    """The app on a loopback port the OS picked (bound before uvicorn starts: no race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(bg), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def _person(bg: Ballotguard, org: Organisation, email: str, role: Role) -> tuple[Person, str]:
    person = world.person(bg, org, [role], email=email, name=email.split("@")[0])
    with bg.uow() as uow:
        token = auth.create_token(uow, OPERATOR, person, "federation", bg.clock())
    return person, token


@contextmanager
def instance(path: Path, name: str, other: str) -> Iterator[Instance]:
    bg = bootstrap(Settings(database_url=f"sqlite:///{path / f'{name}.db'}"))
    try:
        members = world.org(bg, f"Electoral Commission {name}", Sector.ELECTION_AUTHORITY)
        analyst, _ = _person(bg, members, f"analyst@{name}.example", Role.ANALYST)
        peer_org = world.org(bg, f"Instance {other}", Sector.ELECTION_AUTHORITY)
        peer_person, token = _person(
            bg, peer_org, f"instance-{other}@{name}.example".lower(), Role.FEDERATION_PEER
        )
        with serving(bg) as url:
            yield Instance(bg, url, members, analyst, peer_org, peer_person, token)
    finally:
        bg.close()

