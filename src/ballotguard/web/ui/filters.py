"""Template helpers: labels for vocabulary terms, dates people read, TLP badges."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from fastapi.templating import Jinja2Templates

from ballotguard.pdf.risk_plot import format_risk
from ballotguard.vocabulary import label


def term_label(value: object) -> str:
    if isinstance(value, StrEnum):
        return label(value)
    return str(value).replace("_", " ").capitalize()


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def tlp_class(value: object) -> str:
    return "tlp-" + str(value).lower().replace("+", "-")


def install(templates: Jinja2Templates) -> None:
    templates.env.filters["label"] = term_label
    templates.env.filters["when"] = when
    templates.env.filters["tlp_class"] = tlp_class
    templates.env.filters["risk"] = format_risk
