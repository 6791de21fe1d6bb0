"""Kinds of background work: a name and the function that does it.

A job row names its kind; the runner looks the kind up here. A kind that is stored but not
registered (a newer version wrote it, or a plug-in is missing) fails like any other error, with
its reason kept on the row, instead of being dropped silently.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ballotguard.bootstrap import Ballotguard


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a handler gets: the instance, the job's payload, when the run started, and a way to
    learn that the runner is stopping (long work checks it between steps and returns early)."""

    bg: Ballotguard
    payload: Mapping[str, str]
    started_at: datetime
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def stopping(self) -> bool:
        return self.stop.is_set()


Handler = Callable[[JobContext], str]
"""Does the work and returns one line saying what it did; raises to fail the run."""


class UnknownJobKind(LookupError):
    def __init__(self, kind: str) -> None:
        super().__init__(f"no handler is registered for job kind '{kind}'")
        self.kind = kind


class Registry:
    """Job kinds by name."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def register(self, kind: str) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            if kind in self._handlers and self._handlers[kind] is not handler:
                raise ValueError(f"job kind '{kind}' is registered twice")
            self._handlers[kind] = handler
            return handler

        return decorate

    def handler(self, kind: str) -> Handler:
        try:
            return self._handlers[kind]
        except KeyError:
            raise UnknownJobKind(kind) from None

    def __contains__(self, kind: object) -> bool:
        return kind in self._handlers

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._handlers))


REGISTRY = Registry()
"""The kinds this product knows; ``ballotguard.jobs`` registers them on import."""
