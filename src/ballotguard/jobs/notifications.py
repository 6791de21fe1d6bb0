"""The notification job kinds: deliver the outbox, send reminders, escalate unacknowledged ones."""

from __future__ import annotations
