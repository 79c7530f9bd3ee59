"""Indicator figures and roadmap activities: checked against the catalogue and read from linked files.

A municipality's `indicators` may list inline series or files beside `schools.yaml`: a YAML file
(``source:`` and ``series: [...]``), or a department table as CSV or XLSX (see
`sveden.indicators.table_layout`). `activities` may list inline activities or YAML files
(``activities: [...]``). Every problem is reported with its location; nothing stops at the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from sveden.indicators.catalogue import Catalogue
from sveden.indicators.csv_table import read_csv_table
from sveden.indicators.models import Activity, ActivityFile, IndicatorFile, IndicatorSeries, Slug
from sveden.indicators.numbers import value_problem
from sveden.indicators.table_problem import TableProblem
from sveden.indicators.xlsx_table import read_xlsx_table
from sveden.registry.models import Municipality, Region, Registry
from sveden.registry.problems import RegistryProblem, from_validation, located_problem
from sveden.registry.yaml_source import Location, YamlDocument, YamlSyntaxError, load_yaml

__all__ = ["Problem", "activity_problems", "indicator_problems", "linked_file_problems", "read_linked_files"]

Problem = RegistryProblem | TableProblem


class _SeriesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: Slug | None = None
    series: tuple[IndicatorSeries, ...]


class _ActivitiesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    activities: tuple[Activity, ...]


def _mappings(items: Any) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def _unknown_source(
    document: YamlDocument, loc: Location, value: Any, sources: set[str]
) -> Iterable[RegistryProblem]:
    if isinstance(value, str) and value not in sources:
        yield located_problem(document, loc, f"unknown source {value!r}")


def indicator_problems(
    document: YamlDocument, loc: Location, entries: Any, catalogue: Catalogue, sources: set[str]
) -> Iterable[RegistryProblem]:
    """Inline series under `loc`: catalogued reported indicators, declared sources, possible values."""
    seen: dict[tuple[str, Any], int] = {}
    for index, entry in _mappings(entries):
        yield from _unknown_source(document, (*loc, index, "source"), entry.get("source"), sources)
        indicator_id = entry.get("indicator")
        if not isinstance(indicator_id, str):
            continue
        indicator = catalogue.get(indicator_id)
        if indicator is None or indicator.kind != "reported":
            what = "is measured by the audit, not reported" if indicator else "is not in the catalogue"
            yield located_problem(
                document, (*loc, index, "indicator"), f"unknown indicator {indicator_id!r}: it {what}"
            )
            continue
        key = (indicator_id, entry.get("source"))
        if key in seen:
            yield located_problem(
                document,
                (*loc, index, "indicator"),
                f"{indicator_id!r} from this source is already given at line {seen[key]}",
            )
        seen[key] = document.line_of((*loc, index))
        for v_index, value in _mappings(entry.get("values")):
            for which in ("plan", "fact"):
                number = value.get(which)
                if isinstance(number, int | float) and not isinstance(number, bool):
                    message = value_problem(float(number), indicator)
                    if message is not None:
                        yield located_problem(document, (*loc, index, "values", v_index, which), message)


def activity_problems(
    document: YamlDocument, loc: Location, entries: Any, sources: set[str]
) -> Iterable[RegistryProblem]:
    """Inline activities under `loc` cite declared sources."""
    for index, entry in _mappings(entries):
        yield from _unknown_source(document, (*loc, index, "source"), entry.get("source"), sources)


def _read_series_file(
    path: Path, default_source: str | None, catalogue: Catalogue, sources: set[str]
) -> tuple[list[IndicatorSeries], list[Problem]]:
    try:
        document = load_yaml(path)
    except YamlSyntaxError as exc:
        return [], [RegistryProblem(path, exc.line, "(file)", exc.message)]
    problems: list[Problem] = list(
        _unknown_source(
            document,
            ("source",),
            document.data.get("source") if isinstance(document.data, dict) else None,
            sources,
        )
    )
    series_raw = document.data.get("series") if isinstance(document.data, dict) else None
    problems += indicator_problems(document, ("series",), series_raw, catalogue, sources)
    try:
        parsed = _SeriesFile.model_validate(document.data)
    except ValidationError as exc:
        return [], [*problems, *from_validation(document, exc)]
    source = parsed.source or default_source
    series = [item if item.source else item.model_copy(update={"source": source}) for item in parsed.series]
    return series, problems


def _read_activities_file(path: Path, sources: set[str]) -> tuple[list[Activity], list[Problem]]:
    try:
        document = load_yaml(path)
    except YamlSyntaxError as exc:
        return [], [RegistryProblem(path, exc.line, "(file)", exc.message)]
    raw = document.data.get("activities") if isinstance(document.data, dict) else None
    problems: list[Problem] = list(activity_problems(document, ("activities",), raw, sources))
    try:
        parsed = _ActivitiesFile.model_validate(document.data)
    except ValidationError as exc:
        return [], [*problems, *from_validation(document, exc)]
    return list(parsed.activities), problems


def _read_indicator_file(
    base: Path, entry: IndicatorFile, catalogue: Catalogue, sources: set[str]
) -> tuple[list[IndicatorSeries], list[Problem]]:
    path = base / entry.file
    if not path.is_file():
        return [], [TableProblem(path, None, None, "file not found")]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        series, table_problems = read_csv_table(path, catalogue, entry.source)
        return series, list(table_problems)
    if suffix == ".xlsx":
        series, table_problems = read_xlsx_table(path, catalogue, entry.source)
        return series, list(table_problems)
    if suffix in (".yaml", ".yml"):
        return _read_series_file(path, entry.source, catalogue, sources)
    return [], [TableProblem(path, None, None, "unknown table format: use .csv, .xlsx or .yaml")]


def _read_activities(
    base: Path, entries: tuple[Activity | ActivityFile, ...], sources: set[str], problems: list[Problem]
) -> tuple[Activity, ...]:
    activities: list[Activity] = []
    for entry in entries:
        if isinstance(entry, Activity):
            activities.append(entry)
            continue
        path = base / entry.file
        if not path.is_file():
            problems.append(TableProblem(path, None, None, "file not found"))
            continue
        found, file_problems = _read_activities_file(path, sources)
        activities += found
        problems += file_problems
    return tuple(activities)


def _repeated_years(
    registry_path: Path, municipality: Municipality, series: list[IndicatorSeries]
) -> list[Problem]:
    """A year of an indicator from one source given twice (e.g. inline and in a table)."""
    first: dict[tuple[str, str | None, int], str] = {}
    problems: list[Problem] = []
    for item in series:
        where = item.where or "inline"
        for value in item.values:
            key = (item.indicator, item.source, value.year)
            if key in first and first[key] != where:
                problems.append(
                    TableProblem(
                        registry_path,
                        None,
                        None,
                        f"{municipality.id}: {item.indicator} for {value.year} is given twice "
                        f"(«{first[key]}» and «{where}»)",
                    )
                )
            first.setdefault(key, where)
    return problems


def _municipality(
    registry_path: Path,
    municipality: Municipality,
    catalogue: Catalogue,
    sources: set[str],
    problems: list[Problem],
) -> Municipality:
    base = registry_path.parent
    series: list[IndicatorSeries] = []
    for entry in municipality.indicators:
        if isinstance(entry, IndicatorSeries):
            series.append(entry)
            continue
        found, file_problems = _read_indicator_file(base, entry, catalogue, sources)
        series += found
        problems += file_problems
    problems += _repeated_years(registry_path, municipality, series)
    activities = _read_activities(base, municipality.activities, sources, problems)
    return municipality.model_copy(update={"indicators": tuple(series), "activities": activities})


def read_linked_files(
    registry: Registry, registry_path: Path, catalogue: Catalogue
) -> tuple[Registry, list[Problem]]:
    """The registry with every linked file read into series and activities, and every problem found."""
    base = registry_path.parent
    sources = {source.id for source in registry.sources}
    problems: list[Problem] = []
    regions: list[Region] = []
    for region in registry.regions:
        municipalities = tuple(
            _municipality(registry_path, municipality, catalogue, sources, problems)
            for municipality in region.municipalities
        )
        activities = _read_activities(base, region.activities, sources, problems)
        regions.append(region.model_copy(update={"municipalities": municipalities, "activities": activities}))
    return registry.model_copy(update={"regions": tuple(regions)}), problems


def linked_file_problems(
    data: Any, registry_path: Path, catalogue: Catalogue, sources: set[str]
) -> list[Problem]:
    """Problems of the files that raw registry data links (used when the registry itself is invalid)."""
    base = registry_path.parent
    problems: list[Problem] = []
    regions = data.get("regions") if isinstance(data, dict) else None
    for _, region in _mappings(regions):
        for holder in [region, *(m for _, m in _mappings(region.get("municipalities")))]:
            for _, entry in _mappings(holder.get("indicators")):
                try:
                    linked = IndicatorFile.model_validate(entry)
                except ValidationError:
                    continue
                problems += _read_indicator_file(base, linked, catalogue, sources)[1]
            for _, entry in _mappings(holder.get("activities")):
                try:
                    activity_file = ActivityFile.model_validate(entry)
                except ValidationError:
                    continue
                _read_activities(base, (activity_file,), sources, problems)
    return problems
