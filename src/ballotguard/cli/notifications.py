"""``ballotguard notifications``: victim notifications of breaches and attempted breaches, and the
outbox that delivers them (e-mail over SMTP, signed webhooks). docs/notifications.md explains them.

The commands act as the operator at the console: they see every notification.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.markup import escape

from ballotguard.cli.common import (
    JSON_OPTION,
    console,
    instance,
    plain,
    print_json,
    print_table,
)
from ballotguard.services import notifications as service
from ballotguard.services.actors import OPERATOR

app = typer.Typer(help=__doc__, no_args_is_help=True)
webhooks_app = typer.Typer(
    help="Where organisations receive their notifications as signed webhooks (Standard "
    "Webhooks, Ed25519).",
    no_args_is_help=True,
)
app.add_typer(webhooks_app, name="webhooks")

ID = Annotated[str, typer.Argument(help="The notification's id (see `notifications list`).")]


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else "-"


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option(
        "--status", help="Only this status: pending, sent, acknowledged, overdue, no_contact, "
        "cancelled.")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """Every victim notification, newest first, with its status."""
    with instance() as bg, bg.uow() as uow:
        views = service.list_notifications(uow, OPERATOR, bg.clock(),
                                           bg.settings.notification_ack_hours, status)
    if as_json:
        print_json([service_plain(v) for v in views])
        return
    print_table(
        f"{len(views)} notifications",
        ["id", "status", "organisation", "outcome", "report", "sent", "acknowledged"],
        [[v.notification.id, v.status, v.org_name, v.notification.outcome,
          v.report_title or v.notification.report_id, _when(v.notification.sent_at),
          _when(v.notification.acknowledged_at)] for v in views],
    )


def service_plain(view: service.NotificationView) -> dict[str, object]:
    n = plain(view.notification)
    assert isinstance(n, dict)
    n.pop("ack_token_hash", None)
    return {**n, "status": view.status, "organisation": view.org_name,
            "reporter": view.reporter_name, "report_title": view.report_title,
            "messages": [{k: v for k, v in plain(m).items() if k != "body"}
                         for m in view.messages]}


@app.command("show")
def show(notification_id: ID, as_json: bool = JSON_OPTION) -> None:
    """One notification and every message the outbox holds for it."""
    with instance() as bg, bg.uow() as uow:
        view = service.get_notification(uow, OPERATOR, notification_id, bg.clock(),
                                        bg.settings.notification_ack_hours)
    data = service_plain(view)
    if as_json:
        print_json(data)
        return
    for key in ("id", "status", "organisation", "reporter", "report_id", "report_title",
                "outcome", "target_kind", "description", "details_included", "created_at",
                "sent_at", "acknowledged_at", "acknowledged_by", "reminders_sent",
                "escalated_at"):
        console.print(f"[bold]{key}[/bold]: {escape(str(data.get(key)))}")
    print_table("messages", ["id (idempotency key)", "purpose", "channel", "recipient", "state",
                             "attempts", "sent", "last error"],
                [[m["id"], m["purpose"], m["channel"], m["recipient"], m["state"],
                  m["attempts"], m["sent_at"] or "-", m["last_error"] or "-"]
                 for m in data["messages"]])  # type: ignore[attr-defined]


@app.command("deliver")
def deliver(
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, help="Send at most this many messages, then stop.")] = None,
    remind: Annotated[bool, typer.Option(
        "--remind/--no-remind", help="First write the reminders and escalations that are due."
    )] = True,
) -> None:
    """Send what the outbox holds now (the background job does the same every minute)."""
    from ballotguard.delivery import Dispatcher

    with instance() as bg:
        settings = bg.settings
        if remind:
            with bg.uow() as uow:
                reminded = service.remind(uow, bg.clock(), settings.notification_ack_hours,
                                          settings.notification_reminders)
            console.print(reminded.summary())
        dispatcher = Dispatcher(settings, bg.clock)
        try:
            run = service.deliver(
                bg.uow, dispatcher, bg.clock,
                lease=timedelta(seconds=settings.notification_lease_seconds),
                batch=settings.notification_batch,
                max_attempts=settings.notification_max_attempts, limit=limit)
        finally:
            dispatcher.close()
    console.print(run.summary())


@app.command("ack")
def ack(
    notification_id: ID,
    by: Annotated[str, typer.Option(
        "--by", help="Who confirmed it and how, e.g. 'Zofia Wren by phone'.")],
) -> None:
    """Record that the victim organisation confirmed a notification by other means."""
    with instance() as bg, bg.uow() as uow:
        done = service.acknowledge(uow, OPERATOR, notification_id, bg.clock(), by)
    console.print(f"acknowledged {done.id} ({escape(done.acknowledged_by or '')})")


@webhooks_app.command("list")
def webhooks_list(as_json: bool = JSON_OPTION) -> None:
    """Every registered webhook."""
    with instance() as bg, bg.uow() as uow:
        hooks = service.list_webhooks(uow, OPERATOR)
    if as_json:
        print_json(hooks)
        return
    print_table(f"{len(hooks)} webhooks", ["id", "organisation", "url", "added", "by"],
                [[h.id, h.org_id, h.url, _when(h.created_at), h.created_by] for h in hooks])


@webhooks_app.command("add")
def webhooks_add(
    org: Annotated[str, typer.Option("--org", help="The organisation's id.")],
    url: Annotated[str, typer.Option("--url", help="Where to POST, http:// or https://.")],
) -> None:
    """Send an organisation's notifications to this URL too, signed."""
    with instance() as bg, bg.uow() as uow:
        hook = service.add_webhook(uow, OPERATOR, org, url, bg.clock())
    console.print(f"added webhook {hook.id}")


@webhooks_app.command("remove")
def webhooks_remove(
    webhook_id: Annotated[str, typer.Argument(help="The webhook's id.")],
) -> None:
    """Stop sending to a webhook (messages already written stay in the outbox)."""
    with instance() as bg, bg.uow() as uow:
        service.remove_webhook(uow, OPERATOR, webhook_id, bg.clock())
    console.print(f"removed webhook {webhook_id}")


@webhooks_app.command("key")
def webhooks_key() -> None:
    """Print the public key receivers verify signatures with (creates the key if needed)."""
    from ballotguard.delivery import load_keys

    with instance() as bg:
        keys = load_keys(bg.settings)
    console.print(f"ed25519 public key (base64): {keys.public_base64()}")
    console.print(f"Standard Webhooks form: whpk_{keys.public_base64()}")
