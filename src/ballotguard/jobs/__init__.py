"""Background work as database rows: a registry of kinds, a runner that claims due jobs with a
lease, retries failures with back-off and keeps the last error, and reschedules recurring ones.

Jobs are rows, so they survive a restart. ``ballotguard serve`` runs a ``JobRunner`` thread;
``ballotguard jobs run`` runs what is due once (for cron, and for tests).
"""

from ballotguard.jobs import federation as _federation  # registers the federation kinds
from ballotguard.jobs import notifications as _notifications  # registers the notification kinds
from ballotguard.jobs.registry import REGISTRY, Handler, JobContext, Registry, UnknownJobKind
from ballotguard.jobs.runner import (
    LEASE,
    JobRun,
    JobRunner,
    after_failure,
    after_success,
    backoff,
    list_jobs,
    run_due,
)

__all__ = [
    "LEASE",
    "REGISTRY",
    "Handler",
    "JobContext",
    "JobRun",
    "JobRunner",
    "Registry",
    "UnknownJobKind",
    "after_failure",
    "after_success",
    "backoff",
    "list_jobs",
    "run_due",
]

del _federation, _notifications
