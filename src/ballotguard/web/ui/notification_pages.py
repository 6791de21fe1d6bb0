"""Notification tracking (sent, acknowledged, overdue, no contact) and the acknowledgement page.

The acknowledgement link's page shows what is being confirmed and a button; only the POST of that
button acknowledges. A GET never does: mail scanners and link previews open links on their own.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ballotguard.errors import NotificationClosed, NotificationNotFound
from ballotguard.services import notifications, reports
from ballotguard.sharing import Permission
from ballotguard.web.access import (
    PUBLIC,
    SIGNED_IN,
    Caller,
    GuardedRoute,
    app_of,
    identify,
    needs,
    rule,
)
from ballotguard.web.ui.pages import render

router = APIRouter(
    route_class=GuardedRoute, include_in_schema=False, default_response_class=HTMLResponse
)
CALLER = Depends(identify)
TRACK = needs(Permission.TRACK_NOTIFICATIONS)
STATUSES = ("sent", "overdue", "acknowledged", "no_contact", "pending", "cancelled")


@router.get("/notifications")
@rule(TRACK)
def tracking(request: Request, status: str | None = Query(None, max_length=20),
             report: str | None = Query(None, max_length=64,
                                        description="only the notifications of this report"),
             caller: Caller = CALLER) -> Response:
    bg = app_of(request)
    hours = bg.settings.notification_ack_hours
    unaddressed: list[str] = []
    with bg.uow() as uow:
        if report:
            subject = reports.readable_report(uow, caller.actor, report)
            every, unaddressed = notifications.for_report(uow, caller.actor, subject, bg.clock(),
                                                          hours)
        else:
            subject = None
            every = notifications.list_notifications(uow, caller.actor, bg.clock(), hours)
    counts = {s: sum(v.status == s for v in every) for s in STATUSES}
    shown = [v for v in every if status in (None, "") or v.status == status]
    return render(request, caller, "notifications.html", notifications=shown, counts=counts,
                  status=status or "", statuses=STATUSES, ack_hours=hours, total=len(every),
                  subject=subject, unaddressed=unaddressed)


@router.get("/notifications/ack/{token}")
@rule(PUBLIC)
def ack_page(request: Request, token: str, caller: Caller = CALLER) -> Response:
    """What the link confirms, and the button; looking acknowledges nothing."""
    with app_of(request).uow() as uow:
        try:
            found = notifications.by_token(uow, token)
        except NotificationNotFound:
            return render(request, caller, "notification_ack.html", 404, found=None, org=None,
                          token=token, done=False)
        org = uow.orgs.get(found.org_id)
    response = render(request, caller, "notification_ack.html", found=found, org=org,
                      token=token, done=found.state == "acknowledged")
    response.headers["cache-control"] = "no-store"
    response.headers["referrer-policy"] = "no-referrer"
    return response


@router.post("/notifications/ack/{token}")
@rule(PUBLIC)
def ack_confirm(request: Request, token: str, caller: Caller = CALLER) -> Response:
    bg = app_of(request)
    with bg.uow() as uow:
        try:
            found = notifications.acknowledge_by_token(uow, token, bg.clock())
        except NotificationNotFound:
            return render(request, caller, "notification_ack.html", 404, found=None, org=None,
                          token=token, done=False)
        except NotificationClosed as exc:
            return render(request, caller, "notification_ack.html", 409, found=None, org=None,
                          token=token, done=False, error=str(exc))
        org = uow.orgs.get(found.org_id)
    response = render(request, caller, "notification_ack.html", found=found, org=org,
                      token=token, done=True)
    response.headers["cache-control"] = "no-store"
    response.headers["referrer-policy"] = "no-referrer"
    return response


@router.get("/notifications/{notification_id}")
@rule(TRACK)
def detail(request: Request, notification_id: str, caller: Caller = CALLER) -> Response:
    bg = app_of(request)
    with bg.uow() as uow:
        view = notifications.get_notification(uow, caller.actor, notification_id, bg.clock(),
                                              bg.settings.notification_ack_hours)
    person = caller.actor.person
    member = person is not None and person.org_id == view.notification.org_id
    return render(request, caller, "notification.html", view=view, member=member,
                  ack_hours=bg.settings.notification_ack_hours)


@router.post("/notifications/{notification_id}/acknowledge")
@rule(SIGNED_IN)
def acknowledge(request: Request, notification_id: str, caller: Caller = CALLER) -> Response:
    bg = app_of(request)
    with bg.uow() as uow:
        notifications.acknowledge(uow, caller.actor, notification_id, bg.clock())
    return RedirectResponse(f"/notifications/{notification_id}", status_code=303)
