"""Load and validate `schools.yaml`; every problem is reported as ``file:line: field: message``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sveden.indicators.catalogue import Catalogue, load_catalogue
from sveden.registry.linked_files import (
    Problem,
    activity_problems,
    indicator_problems,
    linked_file_problems,
    read_linked_files,
)
from sveden.registry.models import Registry
from sveden.registry.problems import RegistryProblem, from_validation, located_problem
from sveden.registry.yaml_source import Location, YamlDocument, YamlSyntaxError, load_yaml

__all__ = ["RegistryError", "RegistryProblem", "load_registry"]


class RegistryError(ValueError):
    """The registry file or a file it links has problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
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
    catalogue = load_catalogue()
    problems: list[Problem] = list(_cross_reference_problems(document, catalogue))
    try:
        registry = Registry.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(from_validation(document, exc))
        problems += linked_file_problems(document.data, path, catalogue, _declared_sources(document.data))
    else:
        registry, linked_problems = read_linked_files(registry, path, catalogue)
        problems += linked_problems
    if problems:
        raise RegistryError(sorted(problems, key=lambda problem: _order(path, problem)))
    return registry


def _declared_sources(data: Any) -> set[str]:
    return {source["id"] for _, source in _items(data, "sources") if isinstance(source.get("id"), str)}


def _order(path: Path, problem: Problem) -> tuple[bool, str, int]:
    """This file's problems first, by line; then each linked file's, in the order found."""
    line = problem.line if isinstance(problem, RegistryProblem) else 0
    return (problem.path != path, str(problem.path), line)


def _items(value: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings under `value[key]` with their indexes; anything malformed is left to pydantic."""
    items = value.get(key) if isinstance(value, dict) else None
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def _cross_reference_problems(document: YamlDocument, catalogue: Catalogue) -> Iterable[RegistryProblem]:
    """Unique ids; facts, figures and activities citing only declared sources and catalogued indicators.

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
        yield from _unknown_sources(document, r_loc, region.get("sources"), source_ids)
        yield from activity_problems(document, (*r_loc, "activities"), region.get("activities"), source_ids)
        for m_index, municipality in _items(region, "municipalities"):
            m_loc: Location = (*r_loc, "municipalities", m_index)
            yield from _duplicate(
                document, seen["municipality"], municipality.get("id"), (*m_loc, "id"), "municipality"
            )
            yield from _unknown_sources(document, m_loc, municipality.get("sources"), source_ids)
            yield from indicator_problems(
                document, (*m_loc, "indicators"), municipality.get("indicators"), catalogue, source_ids
            )
            yield from activity_problems(
                document, (*m_loc, "activities"), municipality.get("activities"), source_ids
            )
            for c_index, school in _items(municipality, "schools"):
                c_loc: Location = (*m_loc, "schools", c_index)
                yield from _duplicate(document, seen["school"], school.get("id"), (*c_loc, "id"), "school")
                if school.get("url_evidence") and not school.get("url"):
                    yield located_problem(document, (*c_loc, "url_evidence"), "given without url")
                for f_index, fact in _items(school, "facts"):
                    source_id = fact.get("source")
                    if isinstance(source_id, str) and source_id not in source_ids:
                        yield located_problem(
                            document, (*c_loc, "facts", f_index, "source"), f"unknown source {source_id!r}"
                        )


def _unknown_sources(
    document: YamlDocument, loc: Location, listed: Any, source_ids: set[str]
) -> Iterable[RegistryProblem]:
    for index, source_id in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(source_id, str) and source_id not in source_ids:
            yield located_problem(document, (*loc, "sources", index), f"unknown source {source_id!r}")


def _duplicate(
    document: YamlDocument, seen: set[str], value: Any, loc: Location, what: str
) -> Iterable[RegistryProblem]:
    if not isinstance(value, str):
        return
    if value in seen:
        yield located_problem(document, loc, f"duplicate {what} id {value!r}")
    seen.add(value)
