"""Reading YAML documents with line numbers, so that a refused file says where it went wrong.

``yaml.compose`` keeps each node's position (its start mark); we construct the plain data from
the same nodes and keep a map from the path of every value (``("source", "url")``,
``("findings", "deception")``) to its 1-based line. Validation errors then point to the deepest
path that exists in the file: a wrong value at its own line, a missing field at its parent's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import yaml
from pydantic import ValidationError

from ballotguard.errors import InvalidDocument

Path = tuple[str | int, ...]
Lines = dict[Path, int]
ErrorFactory = Callable[[str, int, str], InvalidDocument]


class Located:
    """A document's data together with the line of every value in it."""

    def __init__(self, data: Any, lines: Lines, source_name: str, error: ErrorFactory) -> None:
        self.data = data
        self.lines = lines
        self.source_name = source_name
        self.error = error

    def line(self, path: Iterable[str | int], at_key: bool = False) -> int:
        """The line of the deepest part of ``path`` present in the document; with ``at_key``,
        the line of that part's key (where a missing field's parent is named)."""
        best = self.lines.get((), 1)
        prefix: Path = ()
        for part in path:
            if (*prefix, part) not in self.lines:
                break
            prefix = (*prefix, part)
            best = self.lines[prefix]
        if at_key:
            best = self.lines.get((*prefix, "<key>"), best)
        return best

    def fail(self, path: Iterable[str | int], reason: str, at_key: bool = False) -> InvalidDocument:
        return self.error(self.source_name, self.line(path, at_key), reason)

    def from_validation(self, exc: ValidationError, base: Path = ()) -> InvalidDocument:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        where = ".".join(str(part) for part in (*base, *loc)) or "document"
        message = str(first["msg"]).removeprefix("Value error, ")
        missing = first["type"] == "missing"
        if missing:
            message = "is missing"
        return self.fail((*base, *loc), f"{where}: {message}", at_key=missing)


def load(text: str, source_name: str, error: ErrorFactory) -> Located:
    """Parse one YAML document; refuse anything that is not valid YAML, with its line."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise error(source_name, 1, "the document is empty")
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "cannot be read"
        raise error(source_name, line, f"not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise error(source_name, 1, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: Lines = {}
    _walk(node, (), lines)
    return Located(data, lines, source_name, error)


def _walk(node: yaml.Node, path: Path, lines: Lines) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
            _walk(value, (*path, name), lines)
            # a key's own line, for errors about the key itself
            lines[(*path, name, "<key>")] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)
