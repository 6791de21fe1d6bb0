"""Who is looking at a page: name, organisation, CSRF token and what their roles allow."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from ballotguard.errors import BallotguardError
from ballotguard.sharing import permissions_of
from ballotguard.web.access import Caller, app_of, identify


def viewer_of(request: Request, caller: Caller | None = None) -> dict[str, Any] | None:
    """The page header's viewer, or None when nobody (valid) is signed in."""
    if caller is None:
        try:
            caller = identify(request)
        except BallotguardError:
            return None
    person = caller.actor.person
    if person is None:
        return None
    with app_of(request).uow() as uow:
        org = uow.orgs.get(person.org_id)
    return {"person": person, "org": org, "csrf": caller.csrf_token,
            "can": {p.value for p in permissions_of(person.roles)}}
