"""Federation: pulling from and pushing to other TAXII 2.1 servers (another Ballotguard, MISP,
OpenCTI) on a schedule, remembering where each direction stopped.

Only CLEAR and GREEN cross, both ways. A peer is represented here by a local person with the role
``federation_peer``: pulled objects are imported as that person (so they belong to the
organisation that stands for the peer, and anything marked above GREEN is refused), and a push
sends only what that person may read, which ``sharing.access`` limits to CLEAR and GREEN. The
remote's API token is never stored; the peer names the environment variable that holds it.

Where a pull stopped is the remote's ``X-TAXII-Date-Added-Last`` header of the last page
imported, sent back verbatim as ``added_after`` (the remote's own clock and timestamp format,
never ours). taxii2-client returns only the envelope, so the header is read through the
client's own ``requests`` session by a response hook. Each page is imported and committed, then
the cursor: an interruption loses at most one page, and importing a page again changes nothing.
A push advances its cursor (the (date_added, seq) of the last local object offered) only after
the remote's status resource is final; objects the remote refused are reported, not resent.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

import requests
import requests.adapters
from requests.structures import CaseInsensitiveDict
from taxii2client.exceptions import AccessError, TAXIIServiceException  # type: ignore[import-untyped]
from taxii2client.v21 import Collection, as_pages  # type: ignore[import-untyped]

from ballotguard import __version__
from ballotguard.errors import (
    Conflict,
    FederationFailed,
    InvalidInput,
    PeerNotFound,
    RemoteError,
    RemoteRefused,
    RemoteUnreachable,
    TokenMissing,
)
from ballotguard.ports import JobRecord, PeerRecord, StoredObject, UnitOfWork
from ballotguard.services.actors import Actor, person_actor
from ballotguard.services.audit import record
from ballotguard.services.stix_exchange import ImportResult, import_objects, outbound_page
from ballotguard.sharing import Permission, Person
from ballotguard.stix_validator import full_problems
from ballotguard.vocabulary import Tlp

DIRECTIONS = ("pull", "push", "both")
FEDERATED_TLPS = frozenset({Tlp.CLEAR, Tlp.GREEN})
PULL_JOB = "federation.pull"
PUSH_JOB = "federation.push"
PAGE_SIZE = 100
PUSH_BATCH = 100
HTTP_TIMEOUT = 30.0
STATUS_TIMEOUT = 60
MAX_INTERVAL_MINUTES = 7 * 24 * 60
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,199}$")
_COLLECTION = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")


# -- the remote side, as a port -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemotePage:
    objects: list[dict[str, Any]]
    date_added_last: str | None


@dataclass(frozen=True, slots=True)
class RemoteStatus:
    status: str
    success_count: int
    failure_count: int
    pending_count: int
    failures: list[tuple[str, str]]


class Remote(Protocol):
    def pages(self, added_after: str | None, limit: int) -> Iterator[RemotePage]: ...
    def add(self, objects: list[dict[str, Any]]) -> RemoteStatus: ...
    def close(self) -> None: ...


RemoteFactory = Callable[[PeerRecord, str], Remote]


class _Bearer(requests.auth.AuthBase):
    """``Authorization: Bearer``; taxii2-client's own TokenAuth sends ``Token``, which the
    servers we talk to (Ballotguard, OpenCTI, MISP) do not accept."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request


class _TimeoutAdapter(requests.adapters.HTTPAdapter):
    """taxii2-client sets no timeout; a remote that never answers must not hang a job forever."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        return super().send(request, **kwargs)


class TaxiiRemote:
    """One remote collection through taxii2-client (Collection, ``as_pages``, ``add_objects``)."""

    def __init__(self, peer: PeerRecord, token: str, timeout: float = HTTP_TIMEOUT) -> None:
        from taxii2client.common import _HTTPConnection  # type: ignore[import-untyped]

        self.url = collection_url(peer)
        self._conn = _HTTPConnection(
            auth=_Bearer(token), version="2.1", user_agent=f"ballotguard/{__version__}"
        )
        session: requests.Session = self._conn.session
        for scheme in ("http://", "https://"):
            session.mount(scheme, _TimeoutAdapter(timeout))
        session.hooks["response"].append(self._remember_headers)
        self._headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
        self._collection = Collection(self.url, conn=self._conn)

    def _remember_headers(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._headers = response.headers

    def pages(self, added_after: str | None, limit: int) -> Iterator[RemotePage]:
        filters = {"added_after": added_after} if added_after else {}
        with _translated(self.url):
            for envelope in as_pages(self._collection.get_objects, per_request=limit, **filters):
                if not isinstance(envelope, dict):
                    raise RemoteError(self.url, "the answer is not a TAXII envelope")
                objects = envelope.get("objects", [])
                yield RemotePage(list(objects), self._headers.get("X-TAXII-Date-Added-Last"))
                if envelope.get("more") and not envelope.get("next"):
                    # as_pages would ask for the first page again, forever
                    raise RemoteError(self.url, "the remote says there is more but gives no next")

    def add(self, objects: list[dict[str, Any]]) -> RemoteStatus:
        with _translated(self.url):
            status = self._collection.add_objects(
                {"objects": objects}, wait_for_completion=True, poll_interval=1,
                timeout=STATUS_TIMEOUT,
            )
        failures = [
            (str(f.get("id", "?")), str(f.get("message", ""))) for f in status.failures
            if isinstance(f, dict)
        ]
        return RemoteStatus(
            str(status.status), int(status.success_count), int(status.failure_count),
            int(status.pending_count), failures,
        )

    def close(self) -> None:
        self._conn.close()


def collection_url(peer: PeerRecord) -> str:
    return f"{peer.api_root_url}collections/{peer.collection_id}/"


@contextmanager
def _translated(url: str) -> Iterator[None]:
    """The client's and requests' exceptions, as one clear fact about the remote."""
    try:
        yield
    except requests.HTTPError as exc:
        raise _http_failure(url, exc.response) from None
    except requests.Timeout:
        raise RemoteUnreachable(url, f"no answer within {HTTP_TIMEOUT:.0f} s") from None
    except requests.RequestException as exc:
        raise RemoteUnreachable(url, _reason(exc)) from None
    except AccessError as exc:
        raise RemoteRefused(url, 403, str(exc)) from None
    except (TAXIIServiceException, ValueError) as exc:
        raise RemoteError(url, f"not a TAXII 2.1 answer: {exc}") from None


def _http_failure(url: str, response: requests.Response | None) -> FederationFailed:
    if response is None:
        return RemoteUnreachable(url, "no response")
    detail = response.reason or "error"
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("title", "description") if body.get(k)]
        detail = ": ".join(parts) or detail
    if response.status_code in (401, 403):
        return RemoteRefused(url, response.status_code, detail)
    return RemoteError(url, f"HTTP {response.status_code}: {detail}")


def _reason(exc: BaseException) -> str:
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
    return found.group(1).strip() if found else type(exc).__name__


# -- peers --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeerSpec:
    name: str
    api_root_url: str
    collection_id: str
    token_env: str
    local_account: str
    direction: str = "pull"
    interval_minutes: int = 15
    tlps: frozenset[Tlp] = FEDERATED_TLPS


@dataclass(frozen=True, slots=True)
class PeerStatus:
    """A peer with the next scheduled run of each of its directions."""

    peer: PeerRecord
    next_pull: datetime | None
    next_push: datetime | None


def add_peer(uow: UnitOfWork, actor: Actor, spec: PeerSpec, now: datetime) -> PeerRecord:
    """Register a peer and schedule its recurring pull and/or push, first run now."""
    actor.require(Permission.MANAGE_INSTANCE)
    peer = _checked(uow, spec, now)
    if uow.peers.get(peer.name) is not None:
        raise Conflict(f"a federation peer named {peer.name} exists already")
    uow.peers.add(peer)
    for kind in _job_kinds(peer.direction):
        uow.jobs.schedule(
            JobRecord(
                id=str(uuid.uuid4()),
                kind=kind,
                key=job_key(kind, peer.name),
                payload={"peer": peer.name},
                run_at=now,
                created_at=now,
                interval_seconds=peer.interval_minutes * 60,
            )
        )
    record(uow, actor, "federation.peer_added", peer.name, now, {
        "url": peer.api_root_url, "collection": peer.collection_id,
        "as": peer.local_account, "direction": peer.direction,
        "every_minutes": peer.interval_minutes, "tlp": sorted(t.value for t in peer.tlps),
    })
    uow.commit()
    return peer


def remove_peer(uow: UnitOfWork, actor: Actor, name: str, now: datetime) -> None:
    """Forget a peer and its jobs; what was imported from it stays."""
    actor.require(Permission.MANAGE_INSTANCE)
    name = name.strip().lower()
    if not uow.peers.remove(name):
        raise PeerNotFound(name)
    for kind in (PULL_JOB, PUSH_JOB):
        uow.jobs.remove(job_key(kind, name))
    record(uow, actor, "federation.peer_removed", name, now)
    uow.commit()


def list_peers(uow: UnitOfWork, actor: Actor) -> list[PeerStatus]:
    actor.require(Permission.MANAGE_INSTANCE)
    statuses = []
    for peer in uow.peers.list():
        pull_job = uow.jobs.by_key(job_key(PULL_JOB, peer.name))
        push_job = uow.jobs.by_key(job_key(PUSH_JOB, peer.name))
        statuses.append(PeerStatus(
            peer,
            pull_job.run_at if pull_job and pull_job.state == "scheduled" else None,
            push_job.run_at if push_job and push_job.state == "scheduled" else None,
        ))
    return statuses


def job_key(kind: str, peer_name: str) -> str:
    return f"{kind}:{peer_name}"


def _job_kinds(direction: str) -> list[str]:
    return [k for d, k in (("pull", PULL_JOB), ("push", PUSH_JOB)) if direction in (d, "both")]


def _checked(uow: UnitOfWork, spec: PeerSpec, now: datetime) -> PeerRecord:
    name = spec.name.strip().lower()
    if not _NAME.match(name):
        raise InvalidInput("name", "use 1-80 lower-case letters, digits, '.', '_' or '-'")
    url = spec.api_root_url.strip()
    if not re.match(r"^https?://[^/\s]+", url):
        raise InvalidInput("url", f"'{url}' is not an http(s) URL of a TAXII 2.1 API root")
    collection = spec.collection_id.strip()
    if not _COLLECTION.match(collection):
        raise InvalidInput("collection", f"'{collection}' is not a TAXII collection id")
    if not _ENV.match(spec.token_env):
        raise InvalidInput(
            "token_env", "give the NAME of the environment variable holding the token "
            "(letters, digits and '_'), never the token itself"
        )
    if spec.direction not in DIRECTIONS:
        raise InvalidInput("direction", f"use one of: {', '.join(DIRECTIONS)}")
    if not 1 <= spec.interval_minutes <= MAX_INTERVAL_MINUTES:
        raise InvalidInput("every", f"give 1 to {MAX_INTERVAL_MINUTES} minutes")
    if not spec.tlps or not spec.tlps <= FEDERATED_TLPS:
        raise InvalidInput("tlp", "federation exchanges CLEAR and GREEN only; give one or both")
    account = _peer_person(uow, spec.local_account.strip().lower())
    return PeerRecord(
        name=name,
        api_root_url=url if url.endswith("/") else url + "/",
        collection_id=collection,
        token_env=spec.token_env,
        local_account=account.email,
        direction=spec.direction,
        interval_minutes=spec.interval_minutes,
        created_at=now,
        tlps=frozenset(spec.tlps),
    )


def _peer_person(uow: UnitOfWork, email: str) -> Person:
    """The local account standing for the peer; it must be a federation peer and nothing more,
    or a push would send what an analyst may read (AMBER and RED included)."""
    person = uow.people.by_email(email)
    if person is None:
        raise InvalidInput("local_account", f"nobody here has the e-mail {email}")
    if not person.is_federation_peer or not person.active:
        raise InvalidInput(
            "local_account",
            f"{email} must be an active person with the role federation_peer "
            "(the account that stands for the other instance here)",
        )
    return person


def _peer(uow: UnitOfWork, name: str) -> PeerRecord:
    peer = uow.peers.get(name.strip().lower())
    if peer is None:
        raise PeerNotFound(name)
    return peer


def _token(peer: PeerRecord, environ: Mapping[str, str] | None) -> str:
    token = (os.environ if environ is None else environ).get(peer.token_env, "").strip()
    if not token:
        raise TokenMissing(peer.name, peer.token_env)
    return token


# -- pull ---------------------------------------------------------------------------------------


@dataclass
class PullResult:
    peer: str
    pages: int = 0
    received: int = 0
    stored: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    reports_created: list[str] = field(default_factory=list)
    reports_updated: list[str] = field(default_factory=list)
    cursor: str | None = None
    stopped_early: bool = False

    def summary(self) -> str:
        text = (f"pulled {self.received} objects in {self.pages} pages from {self.peer}: "
                f"{self.stored} stored, {len(self.refused)} refused, "
                f"{len(self.reports_created)} reports new, {len(self.reports_updated)} updated")
        return text + (" (stopped early)" if self.stopped_early else "")


def pull(
    uow_factory: Callable[[], UnitOfWork],
    actor: Actor,
    name: str,
    clock: Callable[[], datetime],
    *,
    remote_factory: RemoteFactory = TaxiiRemote,
    environ: Mapping[str, str] | None = None,
    on_page: Callable[[PullResult], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    page_size: int = PAGE_SIZE,
) -> PullResult:
    """Import what the remote collection added since the last pull, page by page."""
    actor.require(Permission.MANAGE_INSTANCE)
    with uow_factory() as uow:
        peer = _peer(uow, name)
        _require_direction(peer, "pull")
        account = _peer_person(uow, peer.local_account)
    result = PullResult(peer.name, cursor=peer.pull_cursor)
    try:
        token = _token(peer, environ)
        with closing(remote_factory(peer, token)) as remote:
            for page in remote.pages(result.cursor, page_size):
                _import_page(uow_factory, actor, peer, account, page, clock(), result)
                if on_page is not None:
                    on_page(result)
                if cancelled():
                    result.stopped_early = True
                    break
    except Exception as exc:
        _failed(uow_factory, actor, peer.name, "pull", exc, clock())
        raise
    _finished(uow_factory, peer.name, clock(), _refusals(result.refused))
    return result


def _import_page(
    uow_factory: Callable[[], UnitOfWork],
    actor: Actor,
    peer: PeerRecord,
    account: Person,
    page: RemotePage,
    now: datetime,
    result: PullResult,
) -> None:
    """One page: import as the peer's account, then move the cursor and log, in one go."""
    result.pages += 1
    result.received += len(page.objects)
    with uow_factory() as uow:
        imported: ImportResult | None = None
        if page.objects:
            imported = import_objects(
                uow, person_actor(account), list(page.objects), now,
                default_tlp=Tlp.GREEN, allowed_tlps=peer.tlps & FEDERATED_TLPS,
                validate=full_problems,
            )
        cursor = page.date_added_last or result.cursor
        current = _peer(uow, peer.name)
        uow.peers.update(replace(current, pull_cursor=cursor))
        refused = [(f.id, f.message) for f in imported.failures] if imported else []
        record(uow, actor, "federation.pulled", peer.name, now, {
            "from": peer.api_root_url, "collection": peer.collection_id,
            "as": account.email, "received": len(page.objects),
            "stored": [f"{i}@{v}" for i, v in imported.successes] if imported else [],
            "refused": [{"id": i, "reason": r} for i, r in refused],
            "cursor": cursor,
        })
        uow.commit()
    result.cursor = cursor
    if imported is not None:
        result.stored += len(imported.successes)
        result.refused.extend(refused)
        result.reports_created.extend(imported.reports_created)
        result.reports_updated.extend(imported.reports_updated)


# -- push ---------------------------------------------------------------------------------------


@dataclass
class PushResult:
    peer: str
    batches: int = 0
    offered: int = 0
    from_peer: int = 0
    other_levels: int = 0
    sent: int = 0
    accepted: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    cursor: tuple[datetime, int] | None = None
    stopped_early: bool = False

    def summary(self) -> str:
        text = (f"pushed {self.sent} objects in {self.batches} batches to {self.peer}: "
                f"{self.accepted} accepted, {len(self.refused)} refused; not sent: "
                f"{self.from_peer} that came from the peer, {self.other_levels} at other TLP levels")
        return text + (" (stopped early)" if self.stopped_early else "")


def push(
    uow_factory: Callable[[], UnitOfWork],
    actor: Actor,
    name: str,
    clock: Callable[[], datetime],
    *,
    remote_factory: RemoteFactory = TaxiiRemote,
    environ: Mapping[str, str] | None = None,
    on_batch: Callable[[PushResult], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    batch_size: int = PUSH_BATCH,
) -> PushResult:
    """Send what the peer's account may read (CLEAR and GREEN) and the remote has not had yet."""
    actor.require(Permission.MANAGE_INSTANCE)
    with uow_factory() as uow:
        peer = _peer(uow, name)
        _require_direction(peer, "push")
        account = _peer_person(uow, peer.local_account)
    result = PushResult(peer.name, cursor=peer.push_cursor)
    try:
        token = _token(peer, environ)
        with closing(remote_factory(peer, token)) as remote:
            while _push_batch(uow_factory, actor, peer, account, remote, clock, batch_size, result):
                if on_batch is not None:
                    on_batch(result)
                if cancelled():
                    result.stopped_early = True
                    break
    except Exception as exc:
        _failed(uow_factory, actor, peer.name, "push", exc, clock())
        raise
    _finished(uow_factory, peer.name, clock(), _refusals(result.refused))
    return result


def _push_batch(
    uow_factory: Callable[[], UnitOfWork],
    actor: Actor,
    peer: PeerRecord,
    account: Person,
    remote: Remote,
    clock: Callable[[], datetime],
    batch_size: int,
    result: PushResult,
) -> bool:
    """Send one batch; True while there may be more."""
    with uow_factory() as uow:
        objects, position = outbound_page(uow, person_actor(account), result.cursor, batch_size)
        at_levels = [o for o in objects if o.audience.tlp in peer.tlps]
        sending = [o for o in at_levels if not _from_peer(o, account.org_id)]
    if not objects:
        return False
    status = remote.add([json.loads(o.body) for o in sending]) if sending else None
    if status is not None and status.status != "complete":
        raise RemoteError(
            collection_url(peer),
            f"the remote had not finished storing the batch after {STATUS_TIMEOUT} s "
            f"({status.pending_count} pending); it will be sent again",
        )
    now = clock()
    cursor = position or result.cursor
    with uow_factory() as uow:
        current = _peer(uow, peer.name)
        uow.peers.update(replace(current, push_cursor=cursor))
        record(uow, actor, "federation.pushed", peer.name, now, {
            "to": peer.api_root_url, "collection": peer.collection_id, "as": account.email,
            "sent": [f"{o.stix_id}@{o.version}" for o in sending],
            "refused": [{"id": i, "reason": r} for i, r in (status.failures if status else [])],
        })
        uow.commit()
    result.batches += 1
    result.offered += len(objects)
    result.from_peer += len(at_levels) - len(sending)
    result.other_levels += len(objects) - len(at_levels)
    result.sent += len(sending)
    result.accepted += status.success_count if status else 0
    result.refused.extend(status.failures if status else [])
    result.cursor = cursor
    return len(objects) >= batch_size


def _from_peer(stored: StoredObject, peer_org: str) -> bool:
    """Objects that came from the peer (imported, or reports imported from it) go back never:
    the peer has them, and echoing them would make them look like ours. A row's audience names
    the organisation it belongs to (the report's, or the importer's), so no report is read."""
    return stored.audience.org_id == peer_org


# -- shared -------------------------------------------------------------------------------------


def _require_direction(peer: PeerRecord, wanted: str) -> None:
    if peer.direction not in (wanted, "both"):
        raise InvalidInput("direction", f"peer {peer.name} is set up to {peer.direction} only")


def _refusals(refused: list[tuple[str, str]]) -> str | None:
    if not refused:
        return None
    first_id, first_reason = refused[0]
    return f"{len(refused)} objects refused in the last run; first {first_id}: {first_reason}"


def _finished(
    uow_factory: Callable[[], UnitOfWork], name: str, now: datetime, error: str | None
) -> None:
    with uow_factory() as uow:
        current = _peer(uow, name)
        uow.peers.update(replace(current, last_run_at=now, last_error=error))
        uow.commit()


def _failed(
    uow_factory: Callable[[], UnitOfWork],
    actor: Actor,
    name: str,
    direction: str,
    exc: Exception,
    now: datetime,
) -> None:
    """Keep the failure on the peer and in the audit log; the caller re-raises it."""
    message = f"{direction} failed: {str(exc).strip() or type(exc).__name__}"[:2000]
    with uow_factory() as uow:
        current = uow.peers.get(name)
        if current is None:
            return
        uow.peers.update(replace(current, last_run_at=now, last_error=message))
        record(uow, actor, f"federation.{direction}_failed", name, now, {"error": message})
        uow.commit()
