"""medallion 3.0.0, the OASIS reference TAXII 2.1 server, as the peer of the TAXII benchmark.

medallion pins old Flask-era code that must not share Ballotguard's environment, so it lives in
its own virtual environment, ``bench/.venv-medallion`` (``make bench-medallion`` creates it; this
module creates it too when it is missing, with ``pip install medallion==3.0.0``). The server runs
as shipped: its ``medallion`` command (Flask's threaded development server, as medallion's own
documentation starts it), the memory backend, HTTP Basic users from its configuration, one API
root and one collection. Nothing of medallion is patched.

Two settings differ from medallion's defaults, both so that the benchmark can run at all:

- ``max_content_length`` of the API root is 100 MB, so an envelope of the benchmark's size fits;
- ``session_timeout`` of the memory backend is one day instead of 30 s: medallion keeps the rest
  of a paged result in memory under the ``next`` token and forgets it 30 s after the first page,
  which is shorter than a walk through a large collection takes.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

VERSION = "3.0.0"
VENV = Path(os.environ.get("BENCH_MEDALLION_VENV", Path(__file__).parent / ".venv-medallion"))
API_ROOT = "bench"
USER, PASSWORD = "bench", "bench-medallion-password"
MEDIA = "application/taxii+json;version=2.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_venv() -> str:
    """The medallion environment, created on first use; returns medallion's version."""
    python = VENV / "bin" / "python"
    if not (VENV / "bin" / "medallion").is_file():
        print(f"creating {VENV} with medallion=={VERSION}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"medallion=={VERSION}"],
                       check=True)
    found = subprocess.run(
        [str(python), "-c", "import medallion, flask; print(medallion.__version__)"],
        capture_output=True, text=True, check=True).stdout.strip()
    if found != VERSION:
        raise SystemExit(f"{VENV} holds medallion {found}, the benchmark is against {VERSION}: "
                         f"remove {VENV} and run again")
    return found


def package_versions() -> str:
    """medallion's and Flask's versions as installed, for the record."""
    out = subprocess.run(
        [str(VENV / "bin" / "python"), "-c",
         "import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' for p in "
         "('medallion', 'Flask', 'Werkzeug', 'Flask-HTTPAuth')))"],
        capture_output=True, text=True, check=True)
    return out.stdout.strip()


@dataclass
class Medallion:
    url: str
    objects_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(USER, PASSWORD)


def _configuration(directory: Path, port: int, collection_id: str) -> Path:
    root = f"http://127.0.0.1:{port}/{API_ROOT}/"
    data = {
        "/discovery": {"title": "medallion (benchmark)", "default": root, "api_roots": [root]},
        API_ROOT: {
            "information": {"title": "benchmark", "versions": [MEDIA],
                            "max_content_length": 100_000_000},
            "status": [],
            "collections": [{
                "id": collection_id, "title": "community", "can_read": True, "can_write": True,
                "media_types": ["application/stix+json;version=2.1"],
                "objects": [], "manifest": [],
            }],
        },
    }
    data_file = directory / "medallion-data.json"
    data_file.write_text(json.dumps(data), encoding="utf-8")
    config = {
        "backend": {"module": "medallion.backends.memory_backend",
                    "module_class": "MemoryBackend", "filename": str(data_file),
                    "session_timeout": 86_400},
        "users": {USER: PASSWORD},
        "taxii": {"max_page_size": 100},
    }
    path = directory / "medallion-config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path,
                  auth: httpx.Auth | None = None, headers: dict[str, str] | None = None,
                  timeout: float = 60) -> None:
    """Poll ``url`` until it answers (any status below 500), or fail with the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited ({process.returncode}):\n"
                             f"{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, auth=auth, headers=headers, timeout=5).status_code < 500:
                return
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server this benchmark started (by its process id), waiting for it to exit."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def medallion(directory: Path, collection_id: str) -> Iterator[Medallion]:
    """A fresh medallion on a free loopback port with one empty collection; stopped on exit."""
    port = free_port()
    config = _configuration(directory, port, collection_id)
    log = directory / f"medallion-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(VENV / "bin" / "medallion"), "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "WARN", str(config)],
            stdout=out, stderr=subprocess.STDOUT, cwd=directory)
    server = Medallion(f"http://127.0.0.1:{port}",
                       f"http://127.0.0.1:{port}/{API_ROOT}/collections/{collection_id}/objects/",
                       process, log)
    try:
        wait_until_up(f"{server.url}/taxii2/", process, log, auth=server.auth(),
                      headers={"Accept": MEDIA})
        yield server
    finally:
        stop(process)
