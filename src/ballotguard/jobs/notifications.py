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


@REGISTRY.register(notifications.DELIVER_JOB)
def deliver_outbox(context: JobContext) -> str:
    bg = context.bg
    settings = bg.settings
    dispatcher = Dispatcher(settings, bg.clock)
    try:
        run = notifications.deliver(
            bg.uow, dispatcher, bg.clock,
            lease=timedelta(seconds=settings.notification_lease_seconds),
            batch=settings.notification_batch,
            max_attempts=settings.notification_max_attempts,
            stopping=context.stop.is_set,
        )
    finally:
        dispatcher.close()
    return run.summary()


@REGISTRY.register(notifications.REMIND_JOB)
def remind_and_escalate(context: JobContext) -> str:
    bg = context.bg
    with bg.uow() as uow:
        run = notifications.remind(uow, bg.clock(), bg.settings.notification_ack_hours,
                                   bg.settings.notification_reminders)
    return run.summary()
