"""The federation job kinds: a scheduled pull or push of one peer.

They act as the console operator (the peer was set up by an instance admin); the imports and
the sending are done as the peer's local ``federation_peer`` account, inside the service.
"""

from __future__ import annotations

from ballotguard.jobs.registry import REGISTRY, JobContext
from ballotguard.services import federation
from ballotguard.services.actors import OPERATOR


@REGISTRY.register(federation.PULL_JOB)
def pull_peer(context: JobContext) -> str:
    bg = context.bg
    result = federation.pull(
        bg.uow, OPERATOR, context.payload["peer"], bg.clock, cancelled=context.stop.is_set
    )
    return result.summary()


@REGISTRY.register(federation.PUSH_JOB)
def push_peer(context: JobContext) -> str:
    bg = context.bg
    result = federation.push(
        bg.uow, OPERATOR, context.payload["peer"], bg.clock, cancelled=context.stop.is_set
    )
    return result.summary()
