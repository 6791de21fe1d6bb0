"""The notifications API: tracking by who may follow, acknowledgement by a member of the victim
organisation, webhooks managed by admins, the public webhook key; the acknowledgement page never
acknowledges on GET."""

from __future__ import annotations

import base64
from datetime import date, timedelta

from ballotguard.delivery import load_keys
from ballotguard.services import notifications, stakeholders
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.sharing import ContactTopic, Role, Sector, Target
from ballotguard.vocabulary import TargetKind
from support import world
from web.conftest import Hub, report_body


class Sender:
    def __init__(self, hub: Hub) -> None:
        self.keys = load_keys(hub.bg.settings)

    def send(self, message: object, notification: object) -> None:
        pass

    def token_hash(self, notification_id: str) -> str:
        return self.keys.ack_token_hash(notification_id)


def _owed(hub: Hub) -> str:
    """The CERT files a report naming the election authority as victim; it is delivered."""
    with hub.bg.uow() as uow:
        stakeholders.add_contact(uow, OPERATOR, hub.ea.id, ContactTopic.BREACH_NOTIFICATION,
                                 "Security desk", "security@ec.example", "+1",
                                 date(2026, 10, 1), hub.bg.clock())
    target = Target(kind=TargetKind.ELECTION_AUTHORITY, organisation_id=hub.ea.id)
    body = report_body(targets=[target.model_dump(mode="json")])
    created = hub.client.post("/api/reports", json=body, headers=hub.headers(hub.cert_analyst))
    assert created.status_code == 201, created.text
    notifications.deliver(hub.bg.uow, Sender(hub), hub.bg.clock, lease=timedelta(minutes=1),
                          batch=10, max_attempts=3)
    listed = hub.client.get("/api/notifications", headers=hub.headers(hub.cert_analyst)).json()
    assert len(listed) == 1
    return str(listed[0]["id"])


def test_tracking_and_acknowledgement(hub: Hub) -> None:
    nid = _owed(hub)
    one = hub.client.get(f"/api/notifications/{nid}", headers=hub.headers(hub.ea_admin))
    assert one.status_code == 200
    assert one.json()["status"] == "sent"
    assert [m["recipient"] for m in one.json()["messages"]] == ["security@ec.example"]
    assert hub.client.get(f"/api/notifications/{nid}",
                          headers=hub.headers(hub.platform_analyst)).status_code == 200  # GREEN
    denied = hub.client.post(f"/api/notifications/{nid}/acknowledge",
                             headers=hub.headers(hub.cert_analyst))
    assert denied.status_code == 403
    assert hub.client.get("/api/notifications",
                          headers=hub.headers(hub.panel_member)).status_code == 403
    done = hub.client.post(f"/api/notifications/{nid}/acknowledge",
                           headers=hub.headers(hub.ea_analyst))
    assert done.status_code == 200
    assert done.json()["status"] == "acknowledged"
    assert done.json()["acknowledged_by"] == hub.ea_analyst.email
    assert hub.client.post("/api/notifications/nope/acknowledge",
                           headers=hub.headers(hub.ea_analyst)).status_code == 404
    bad = hub.client.get("/api/notifications?status=lost", headers=hub.headers(hub.ea_admin))
    assert bad.status_code == 422


def test_the_link_page_confirms_only_on_post(hub: Hub) -> None:
    nid = _owed(hub)
    token = load_keys(hub.bg.settings).ack_token(nid)
    page = hub.client.get(f"/notifications/ack/{token}")
    assert page.status_code == 200 and "Confirm receipt" in page.text
    assert page.headers["cache-control"] == "no-store"
    with hub.bg.uow() as uow:
        assert uow.victim_notifications.get(nid).state == "sent"  # type: ignore[union-attr]
    confirmed = hub.client.post(f"/notifications/ack/{token}")
    assert confirmed.status_code == 200 and "Thank you" in confirmed.text
    with hub.bg.uow() as uow:
        found = uow.victim_notifications.get(nid)
    assert found is not None and found.state == "acknowledged" and found.acknowledged_by == "link"
    assert hub.client.get("/notifications/ack/not-a-token").status_code == 404
    assert hub.client.post("/notifications/ack/not-a-token").status_code == 404


def test_webhooks_are_managed_by_admins_and_the_key_is_public(hub: Hub) -> None:
    url = "https://ec.example/ballotguard-hook"
    body = {"organisation_id": hub.ea.id, "url": url}
    assert hub.client.post("/api/notifications/webhooks", json=body,
                           headers=hub.headers(hub.ea_analyst)).status_code == 403
    other = {"organisation_id": hub.cert.id, "url": url}
    assert hub.client.post("/api/notifications/webhooks", json=other,
                           headers=hub.headers(hub.ea_admin)).status_code == 403
    bad = {"organisation_id": hub.ea.id, "url": "ftp://ec.example/x"}
    assert hub.client.post("/api/notifications/webhooks", json=bad,
                           headers=hub.headers(hub.ea_admin)).status_code == 422
    added = hub.client.post("/api/notifications/webhooks", json=body,
                            headers=hub.headers(hub.ea_admin))
    assert added.status_code == 201
    listed = hub.client.get("/api/notifications/webhooks", headers=hub.headers(hub.ea_admin))
    assert [h["url"] for h in listed.json()] == [url]
    removed = hub.client.delete(f"/api/notifications/webhooks/{added.json()['id']}",
                                headers=hub.headers(hub.ea_admin))
    assert removed.status_code == 204
    key = hub.client.get("/api/notifications/webhook-key")
    assert key.status_code == 200
    assert len(base64.b64decode(key.json()["public_key"])) == 32
    assert key.json()["standard_webhooks"] == "whpk_" + key.json()["public_key"]


def test_an_org_admin_sees_only_their_own_organisation(hub: Hub) -> None:
    _owed(hub)
    party = world.org(hub.bg, "Party", Sector.POLITICAL_PARTY)
    admin = world.person(hub.bg, party, [Role.ORG_ADMIN])
    with hub.bg.uow() as uow:
        views = notifications.list_notifications(uow, person_actor(admin), hub.bg.clock(), 48)
    assert views == []
