"""The UI's sign-in, CSRF protection and lock-out, through HTTP as a browser would send it."""

from __future__ import annotations

import re

from conftest import PASSWORD, Hub


def _login(hub: Hub, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return hub.client.post("/login", data={"email": email, "password": password, "next": "/"},
                           follow_redirects=False)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def test_pages_redirect_to_sign_in_and_back(hub: Hub) -> None:
    response = hub.client.get("/reports", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/reports"
    signed_in = _login(hub, hub.ea_analyst.email)
    assert signed_in.status_code == 303
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert hub.client.get("/").status_code == 200


def test_wrong_password_says_so_without_saying_which_part(hub: Hub) -> None:
    response = _login(hub, hub.ea_analyst.email, "wrong password here")
    assert response.status_code == 401
    assert "wrong e-mail or password" in response.text
    unknown = _login(hub, "nobody@nowhere.example", "wrong password here")
    assert unknown.status_code == 401
    assert "wrong e-mail or password" in unknown.text


def test_five_failures_lock_the_account(hub: Hub) -> None:
    for _ in range(4):
        assert _login(hub, hub.cert_analyst.email, "not the password").status_code == 401
    locked = _login(hub, hub.cert_analyst.email, "not the password")
    assert locked.status_code == 429
    assert "locked" in locked.text
    assert _login(hub, hub.cert_analyst.email).status_code == 429
    hub.bg.clock.advance(minutes=16)  # type: ignore[attr-defined]
    assert _login(hub, hub.cert_analyst.email).status_code == 303


def test_form_posts_without_the_csrf_token_are_refused(hub: Hub) -> None:
    _login(hub, hub.ea_analyst.email)
    form = hub.client.get("/reports/new")
    token = _csrf(form.text)
    fields = {"title": "Fake polling-station closure posts", "observed_at": "2026-11-01T10:00",
              "election": "General election 2026", "phase": "voting_in_person",
              "vectors": "disinformation", "outcome": "successful", "impact": "moderate",
              "tlp": "GREEN", "source_reliability": "B"}
    refused = hub.client.post("/reports/new", data=fields, follow_redirects=False)
    assert refused.status_code == 403
    assert "CSRF" in refused.text
    forged = hub.client.post("/reports/new", data=fields | {"csrf_token": "forged"},
                             follow_redirects=False)
    assert forged.status_code == 403
    filed = hub.client.post("/reports/new", data=fields | {"csrf_token": token},
                            follow_redirects=False)
    assert filed.status_code == 303
    detail = hub.client.get(filed.headers["location"])
    assert "Fake polling-station closure posts" in detail.text
    assert "TLP:GREEN" in detail.text


def test_a_rejected_form_keeps_what_was_typed(hub: Hub) -> None:
    _login(hub, hub.ea_analyst.email)
    token = _csrf(hub.client.get("/reports/new").text)
    response = hub.client.post("/reports/new", data={
        "csrf_token": token, "title": "Leak of party e-mails", "summary": "A long summary",
        "observed_at": "2026-11-01T10:00", "election": "General election 2026",
        "phase": "campaign", "vectors": "hack_and_leak", "outcome": "successful", "tlp": "RED",
        "observables": "ip 999.1.1.1"})
    assert response.status_code == 422
    assert "Leak of party e-mails" in response.text
    assert "A long summary" in response.text
    assert "is not a valid ip" in response.text
    assert "must name at least one person" in response.text or "999.1.1.1" in response.text


def test_sign_out_ends_the_session(hub: Hub) -> None:
    _login(hub, hub.ea_analyst.email)
    token = _csrf(hub.client.get("/").text)
    out = hub.client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert hub.client.get("/", follow_redirects=False).status_code == 303
