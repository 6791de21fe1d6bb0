"""Markdown of voting information pages to HTML: CommonMark with raw HTML disabled, so an
editor's page can never carry a script; markdown-it also refuses javascript: and data: links."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_MD = MarkdownIt("commonmark", {"html": False})


def render_markdown(text: str) -> Markup:
    return Markup(_MD.render(text))  # noqa: S704 - html is off: the output is escaped markup
