"""YAML reading that keeps line numbers and avoids YAML 1.1's surprise conversions.

`load_yaml` returns plain data plus a map from each value's location (the path of keys and
indexes, as pydantic reports it in an error's ``loc``) to its 1-based line, so validation
errors can name ``file:line``. Only ``true``/``false`` are booleans and dates stay strings:
``no``, ``on`` and ``2024-09-01`` are never converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Location", "YamlDocument", "YamlSyntaxError", "load_yaml"]

Location = tuple[str | int, ...]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with only JSON-like implicit types (no timestamps, no yes/no/on/off)."""


_DROPPED_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


class YamlSyntaxError(ValueError):
    """The file is not valid YAML, or repeats a key in one mapping."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class YamlDocument:
    """Plain data read from a YAML file, with the line of every value."""

    path: Path
    data: Any
    lines: dict[Location, int]

    def line_of(self, loc: Location) -> int:
        """The line of the deepest known location that `loc` starts with (1 if none)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


def load_yaml(path: Path) -> YamlDocument:
    """Read `path` as one YAML document, keeping the line of every value."""
    text = path.read_text(encoding="utf-8")
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(path, line, f"YAML syntax: {exc.problem}") from exc
    finally:
        loader.dispose()
    lines: dict[Location, int] = {}
    data = _to_data(path, loader, node, (), lines) if node is not None else None
    return YamlDocument(path=path, data=data, lines=lines)


def _to_data(
    path: Path, loader: _StrictLoader, node: yaml.Node, loc: Location, lines: dict[Location, int]
) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise YamlSyntaxError(path, key_node.start_mark.line + 1, f"{key}: key repeated")
            result[key] = _to_data(path, loader, value_node, (*loc, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(path, loader, item, (*loc, index), lines) for index, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
