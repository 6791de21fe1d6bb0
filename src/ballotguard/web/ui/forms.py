"""Turning the report form into ``ReportContent`` and back, keeping what the user typed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from ballotguard.errors import InvalidInput
from ballotguard.sharing import ReportContent


def form_to_content(form: FormData) -> tuple[ReportContent | None, dict[str, str]]:
    """The content, or the errors by field name so the form can show them next to the inputs."""
    raw = _raw(form)
    try:
        return ReportContent.model_validate(raw), {}
    except ValidationError as exc:
        return None, {
            _field(e["loc"]): str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()
        }
    except InvalidInput as exc:
        return None, {exc.field: exc.reason}


def _field(location: tuple[Any, ...]) -> str:
    return str(location[0]) if location else "form"


def _raw(form: FormData) -> dict[str, Any]:
    target: dict[str, Any] = {
        "kind": form.get("target_kind") or "",
        "organisation_id": form.get("target_org") or None,
        "description": form.get("target_description") or "",
        "is_victim": form.get("target_is_victim") == "on",
    }
    actor_kind = form.get("actor_kind")
    return {
        "title": form.get("title", ""),
        "summary": form.get("summary", ""),
        "observed_at": _observed_at(str(form.get("observed_at", ""))),
        "election": form.get("election", ""),
        "phase": form.get("phase", ""),
        "vectors": form.getlist("vectors"),
        "targets": [target] if target["kind"] else [],
        "outcome": form.get("outcome", ""),
        "impact": form.get("impact") or "low",
        "techniques": _split(str(form.get("techniques", "")), ","),
        "observables": _observables(str(form.get("observables", ""))),
        "suspected_actor": {
            "kind": actor_kind,
            "name": form.get("actor_name", ""),
            "confidence": form.get("actor_confidence") or "low",
        }
        if actor_kind
        else None,
        "source_reliability": form.get("source_reliability") or "F",
        "tlp": form.get("tlp", ""),
        "recipient_orgs": form.getlist("recipient_orgs"),
        "recipient_people": form.getlist("recipient_people"),
    }


def _observed_at(text: str) -> str | datetime:
    """The form's datetime-local has no zone; the form says UTC, so read it as UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return text
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _split(text: str, sep: str) -> list[str]:
    return [part.strip() for part in text.split(sep) if part.strip()]


def _observables(text: str) -> list[dict[str, str]]:
    """One per line, ``kind value`` (e.g. ``ip 192.0.2.7``)."""
    found = []
    for line in _split(text, "\n"):
        kind, _, value = line.partition(" ")
        found.append({"kind": kind.strip().lower(), "value": value.strip()})
    return found
