"""Loading technique names into this instance; the vocabulary document itself is pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ballotguard.ports import UnitOfWork
from ballotguard.services.actors import Actor
from ballotguard.services.audit import record
from ballotguard.sharing import Permission
from ballotguard.vocabulary import DisarmImport, read_disarm_bundle, vocabulary_document


def import_disarm(
    uow: UnitOfWork, actor: Actor, bundle: Mapping[str, Any], now: datetime
) -> DisarmImport:
    actor.require(Permission.MANAGE_INSTANCE)
    found = read_disarm_bundle(bundle)
    uow.techniques.upsert(found.techniques)
    record(
        uow,
        actor,
        "vocabulary.disarm_imported",
        "techniques",
        now,
        {"tactics": len(found.tactics), "techniques": len(found.techniques)},
    )
    uow.commit()
    return found


def document(uow: UnitOfWork) -> dict[str, Any]:
    return vocabulary_document(uow.techniques.list())
