"""Load and validate `schools.yaml`; every problem is reported as ``file:line: field: message``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sveden.registry.models import Registry
from sveden.registry.yaml_source import Location, YamlDocument, YamlSyntaxError, load_yaml

__all__ = ["RegistryError", "RegistryProblem", "load_registry"]


@dataclass(frozen=True)
class RegistryProblem:
    """One thing wrong in a registry file."""

    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class RegistryError(ValueError):
    """The registry file has problems; `problems` lists all of them."""

    def __init__(self, problems: list[RegistryProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def load_registry(path: Path) -> Registry:
    """Read and validate the registry at `path`, raising `RegistryError` with every problem."""
    try:
        document = load_yaml(path)
    except YamlSyntaxError as exc:
        raise RegistryError([RegistryProblem(path, exc.line, "(file)", exc.message)]) from exc
    except OSError as exc:
        raise RegistryError([RegistryProblem(path, 1, "(file)", exc.strerror or str(exc))]) from exc
    problems = list(_cross_reference_problems(document))
    try:
        registry = Registry.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(_from_validation(document, exc))
    if problems:
        raise RegistryError(sorted(problems, key=lambda problem: problem.line))
    return registry


def _field_name(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(document)"


def _from_validation(document: YamlDocument, exc: ValidationError) -> Iterable[RegistryProblem]:
    for error in exc.errors():
        # Union members add their class name to `loc`; they are not keys of the file.
        loc: Location = tuple(
            part for part in error["loc"] if isinstance(part, int) or not part[:1].isupper()
        )
        loc = tuple(part for part in loc if not (isinstance(part, str) and "[" in part))
        yield RegistryProblem(document.path, document.line_of(loc), _field_name(loc), _message(error))


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
    if kind == "string_pattern_mismatch":
        return f"{error['input']!r} is not a valid id (lower-case latin letters, digits and hyphens)"
    text = str(error["msg"])
    return text.removeprefix("Value error, ")


def _items(value: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings under `value[key]` with their indexes; anything malformed is left to pydantic."""
    items = value.get(key) if isinstance(value, dict) else None
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def _cross_reference_problems(document: YamlDocument) -> Iterable[RegistryProblem]:
    """Unique ids, and facts and municipalities citing only declared sources.

    Works on the raw data, so these problems are reported together with schema errors.
    """
    data = document.data
    source_ids: set[str] = set()
    for index, source in _items(data, "sources"):
        yield from _duplicate(document, source_ids, source.get("id"), ("sources", index, "id"), "source")
    seen: dict[str, set[str]] = {"region": set(), "municipality": set(), "school": set()}
    for r_index, region in _items(data, "regions"):
        r_loc: Location = ("regions", r_index)
        yield from _duplicate(document, seen["region"], region.get("id"), (*r_loc, "id"), "region")
        for m_index, municipality in _items(region, "municipalities"):
            m_loc: Location = (*r_loc, "municipalities", m_index)
            yield from _duplicate(
                document, seen["municipality"], municipality.get("id"), (*m_loc, "id"), "municipality"
            )
            for s_index, source_id in enumerate(municipality.get("sources") or []):
                if isinstance(source_id, str) and source_id not in source_ids:
                    yield _problem(document, (*m_loc, "sources", s_index), f"unknown source {source_id!r}")
            for c_index, school in _items(municipality, "schools"):
                c_loc: Location = (*m_loc, "schools", c_index)
                yield from _duplicate(document, seen["school"], school.get("id"), (*c_loc, "id"), "school")
                if school.get("url_evidence") and not school.get("url"):
                    yield _problem(document, (*c_loc, "url_evidence"), "given without url")
                for f_index, fact in _items(school, "facts"):
                    source_id = fact.get("source")
                    if isinstance(source_id, str) and source_id not in source_ids:
                        yield _problem(
                            document, (*c_loc, "facts", f_index, "source"), f"unknown source {source_id!r}"
                        )


def _duplicate(
    document: YamlDocument, seen: set[str], value: Any, loc: Location, what: str
) -> Iterable[RegistryProblem]:
    if not isinstance(value, str):
        return
    if value in seen:
        yield _problem(document, loc, f"duplicate {what} id {value!r}")
    seen.add(value)


def _problem(document: YamlDocument, loc: Location, message: str) -> RegistryProblem:
    return RegistryProblem(document.path, document.line_of(loc), _field_name(loc), message)
