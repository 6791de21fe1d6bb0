"""Bad input never returns a 500: hypothesis throws arbitrary JSON, query strings and forms at the
API and the UI, and every answer is a 2xx or a 4xx with a readable problem."""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Hub

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12),
                                                                       children, max_size=5),
    max_leaves=20,
)
REPORT_KEYS = ["title", "summary", "observed_at", "election", "phase", "vectors", "targets",
               "outcome", "impact", "techniques", "observables", "suspected_actor",
               "source_reliability", "tlp", "recipient_orgs", "recipient_people"]
REPORTISH = st.fixed_dictionaries({}, optional={k: JSON_VALUES for k in REPORT_KEYS})
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _is_problem(response) -> bool:  # type: ignore[no-untyped-def]
    if response.status_code >= 500:
        return False
    if response.status_code < 400:
        return True
    body = response.json()
    return bool(body.get("title")) and bool(body.get("detail"))


@FUZZ
@given(body=REPORTISH | JSON_VALUES)
def test_posting_any_json_as_a_report_is_never_a_500(hub: Hub, body: object) -> None:
    response = hub.client.post("/api/reports", content=json.dumps(body),
                               headers=hub.headers(hub.ea_analyst) | {
                                   "content-type": "application/json"})
    assert _is_problem(response), response.text


@FUZZ
@given(raw=st.binary(max_size=200))
def test_posting_raw_bytes_is_never_a_500(hub: Hub, raw: bytes) -> None:
    response = hub.client.post("/api/reports", content=raw,
                               headers=hub.headers(hub.ea_analyst) | {
                                   "content-type": "application/json"})
    assert _is_problem(response), response.text


@FUZZ
@given(params=st.dictionaries(
    st.sampled_from(["phase", "vector", "status", "tlp", "outcome", "org_id", "election", "q",
                     "limit", "cursor", "format"]),
    st.text(max_size=40), max_size=5))
def test_any_query_string_is_never_a_500(hub: Hub, params: dict[str, str]) -> None:
    for path in ("/api/reports", "/api/reports/export", "/api/stats"):
        response = hub.client.get(path, params=params, headers=hub.headers(hub.cert_analyst))
        assert response.status_code < 500, (path, params, response.text)


@FUZZ
@given(report_id=st.text(max_size=80), sha=st.text(max_size=80))
def test_any_path_parameter_is_never_a_500(hub: Hub, report_id: str, sha: str) -> None:
    headers = hub.headers(hub.cert_analyst)
    rid, digest = quote(report_id, safe=""), quote(sha, safe="")
    for path in (f"/api/reports/{rid}", f"/api/reports/{rid}/history",
                 f"/api/reports/{rid}/attachments/{digest}"):
        response = hub.client.get(path, headers=headers)
        assert response.status_code < 500, (path, response.text)
