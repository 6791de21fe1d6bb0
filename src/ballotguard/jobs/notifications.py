"""The notification job kinds: deliver the outbox, send reminders, escalate unacknowledged ones.

Both are recurring jobs created with the first notification (``services.notifications
.ensure_jobs``). Delivery sends until the outbox is empty or the runner stops; each message is
marked sent in its own transaction, so stopping (or dying) loses at most the one in flight, which
the next run sends again with the same idempotency key once its lease lapses.
"""

from __future__ import annotations

from datetime import timedelta

from ballotguard.delivery import Dispatcher
from ballotguard.jobs.registry import REGISTRY, JobContext
from ballotguard.services import notifications


def _deliver(context: JobContext) -> notifications.DeliveryRun:
    bg = context.bg
    settings = bg.settings
    dispatcher = Dispatcher(settings, bg.clock)
    try:
        return notifications.deliver(
            bg.uow, dispatcher, bg.clock,
            lease=timedelta(seconds=settings.notification_lease_seconds),
            batch=settings.notification_batch,
            max_attempts=settings.notification_max_attempts,
            stopping=context.stop.is_set,
        )
    finally:
        dispatcher.close()


@REGISTRY.register(notifications.DELIVER_JOB)
def deliver_outbox(context: JobContext) -> str:
    return _deliver(context).summary()


@REGISTRY.register(notifications.REMIND_JOB)
def remind_and_escalate(context: JobContext) -> str:
    """Write the reminders and escalations that are due, then send them at once."""
    bg = context.bg
    with bg.uow() as uow:
        run = notifications.remind(uow, bg.clock(), bg.settings.notification_ack_hours,
                                   bg.settings.notification_reminders)
    if not run.reminded and not run.escalated:
        return run.summary()
    return f"{run.summary()}; {_deliver(context).summary()}"
