"""Lock-out after repeated login failures, so that a password cannot be guessed online.

Five failures lock the account for fifteen minutes (NIST SP 800-63B 5.2.2 asks for a limit of at
most 100; five is what election staff expect from their other systems). A success resets the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class LoginState:
    failed_attempts: int = 0
    locked_until: datetime | None = None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def after_failure(state: LoginState, now: datetime) -> LoginState:
    """Count a failure; the fifth in a row locks the account."""
    failures = state.failed_attempts + 1
    if failures >= MAX_FAILURES:
        return LoginState(0, now + LOCK_DURATION)
    return LoginState(failures, state.locked_until)


def after_success() -> LoginState:
    return LoginState()
