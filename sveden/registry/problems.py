"""Problems found in registry files, located as ``file:line: field: message``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sveden.registry.yaml_source import Location, YamlDocument

__all__ = ["RegistryProblem", "field_name", "from_validation", "located_problem"]


@dataclass(frozen=True)
class RegistryProblem:
    """One thing wrong in a registry file."""

    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


def field_name(loc: Iterable[str | int]) -> str:
    """A pydantic location as the field path people read: ``regions[0].municipalities[1].id``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(document)"


def from_validation(document: YamlDocument, exc: ValidationError) -> Iterable[RegistryProblem]:
    """Every error of a pydantic validation of `document`, located at its line."""
    for error in exc.errors():
        # Union members add their class name to `loc`; they are not keys of the file.
        loc: Location = tuple(
            part for part in error["loc"] if isinstance(part, int) or not part[:1].isupper()
        )
        loc = tuple(part for part in loc if not (isinstance(part, str) and "[" in part))
        yield RegistryProblem(document.path, document.line_of(loc), field_name(loc), _message(error))


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "literal_error":
        return f"{error['msg'].lower()}, got {error['input']!r}"
    if kind == "string_type":
        return f"must be text, got {type(error['input']).__name__} {error['input']!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, got {error['input']!r}"
    if kind in ("int_type", "int_parsing"):
        return f"must be a whole number, got {error['input']!r}"
    if kind in ("float_type", "float_parsing"):
        return f"must be a number (a decimal point, not a comma), got {error['input']!r}"
    if kind in ("less_than_equal", "greater_than_equal"):
        limit = "at most" if kind == "less_than_equal" else "at least"
        bound = error["ctx"]["le" if kind == "less_than_equal" else "ge"]
        return f"{error['input']!r} is out of range: must be {limit} {bound}"
    if kind == "string_pattern_mismatch":
        return f"{error['input']!r} is not a valid id (lower-case latin letters, digits and hyphens)"
    text = str(error["msg"])
    return text.removeprefix("Value error, ")


def located_problem(document: YamlDocument, loc: Location, message: str) -> RegistryProblem:
    """A problem at the line of `loc` in `document`."""
    return RegistryProblem(document.path, document.line_of(loc), field_name(loc), message)
