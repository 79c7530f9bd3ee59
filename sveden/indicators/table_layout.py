"""The department table layout: one row per indicator, one column per year and plan/fact.

```
indicator            | title (optional) | 2019 план | 2019 факт | 2020 план | …
internet_speed_share | Интернет …       | 19        | 29,4      | 32        |
```

The first column holds the indicator id from the catalogue; a `title` column is for people and
is ignored; every other header is `<year> план` or `<year> факт` (`plan`/`fact` also accepted).
Blank rows are skipped. Both the CSV and the XLSX reader hand their cells to `read_table`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sveden.indicators.catalogue import Catalogue
from sveden.indicators.models import FIRST_YEAR, LAST_YEAR, IndicatorSeries, IndicatorValue
from sveden.indicators.numbers import EMPTY_MARKS, parse_number, value_problem
from sveden.indicators.table_problem import TableProblem

__all__ = [
    "FACT_WORD",
    "INDICATOR_HEADERS",
    "PLAN_WORD",
    "TITLE_HEADERS",
    "Cell",
    "column_letter",
    "read_table",
    "year_header",
]

INDICATOR_HEADERS = ("indicator", "показатель")
TITLE_HEADERS = ("title", "наименование", "название")
PLAN_WORD = "план"
FACT_WORD = "факт"
_YEAR_HEADER = re.compile(r"^(\d{4})\s+(план|факт|plan|fact)$", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    """One cell as read: text from CSV, a number or text from XLSX; `percent_format` for XLSX «0%»."""

    value: str | float | None
    percent_format: bool = False


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def year_header(year: int, which: Literal["plan", "fact"]) -> str:
    """The header of a year column, e.g. «2019 план»."""
    return f"{year} {PLAN_WORD if which == 'plan' else FACT_WORD}"


@dataclass(frozen=True)
class _Column:
    year: int
    which: Literal["plan", "fact"]


def _text(cell: Cell) -> str:
    if cell.value is None:
        return ""
    if isinstance(cell.value, float):
        return f"{cell.value:g}"
    return cell.value.strip()


def _header(
    path: Path, sheet: str | None, row: int, cells: Sequence[Cell], problems: list[TableProblem]
) -> dict[int, _Column] | None:
    names = [_text(cell).lower() for cell in cells]
    if not names or names[0] not in INDICATOR_HEADERS:
        problems.append(
            TableProblem(
                path, row, "A", "the first column must be headed «indicator» (or «показатель»)", sheet
            )
        )
        return None
    columns: dict[int, _Column] = {}
    seen: dict[tuple[int, str], str] = {}
    for index, name in enumerate(names[1:], start=1):
        letter = column_letter(index)
        if name == "" or name in TITLE_HEADERS:
            continue
        match = _YEAR_HEADER.match(" ".join(name.split()))
        if match is None:
            problems.append(
                TableProblem(
                    path, row, letter, f"header «{name}» is not «<year> план» or «<year> факт»", sheet
                )
            )
            continue
        year = int(match.group(1))
        which: Literal["plan", "fact"] = "plan" if match.group(2).lower() in ("план", "plan") else "fact"
        if not FIRST_YEAR <= year <= LAST_YEAR:
            problems.append(
                TableProblem(
                    path, row, letter, f"year {year} is out of range {FIRST_YEAR}–{LAST_YEAR}", sheet
                )
            )
            continue
        if (year, which) in seen:
            problems.append(
                TableProblem(path, row, letter, f"column «{name}» repeats column {seen[year, which]}", sheet)
            )
            continue
        seen[year, which] = letter
        columns[index] = _Column(year, which)
    return columns


def read_table(
    path: Path,
    rows: Sequence[tuple[int, Sequence[Cell]]],
    catalogue: Catalogue,
    source: str | None,
    sheet: str | None = None,
) -> tuple[list[IndicatorSeries], list[TableProblem]]:
    """Series and every problem of a table given as (row number, cells), header first."""
    problems: list[TableProblem] = []
    rows = [(number, cells) for number, cells in rows if any(_text(cell) for cell in cells)]
    if not rows:
        return [], [TableProblem(path, None, None, "the table is empty", sheet)]
    header_row, header_cells = rows[0]
    columns = _header(path, sheet, header_row, header_cells, problems)
    if columns is None:
        return [], problems
    series: list[IndicatorSeries] = []
    first_row: dict[str, int] = {}
    for number, cells in rows[1:]:
        indicator_id = _text(cells[0]) if cells else ""
        indicator = catalogue.get(indicator_id)
        if not indicator_id:
            problems.append(TableProblem(path, number, "A", "the indicator id is missing", sheet))
            continue
        if indicator is None or indicator.kind != "reported":
            what = "is measured by the audit, not reported" if indicator else "is not in the catalogue"
            problems.append(
                TableProblem(path, number, "A", f"unknown indicator «{indicator_id}»: it {what}", sheet)
            )
            continue
        if indicator_id in first_row:
            problems.append(
                TableProblem(
                    path,
                    number,
                    "A",
                    f"indicator «{indicator_id}» is already on row {first_row[indicator_id]}",
                    sheet,
                )
            )
            continue
        first_row[indicator_id] = number
        figures: dict[int, dict[str, float]] = {}
        for index, cell in enumerate(cells[1:], start=1):
            letter = column_letter(index)
            column = columns.get(index)
            if column is None:
                unheaded = index >= len(header_cells) or not _text(header_cells[index])
                if unheaded and _text(cell) not in EMPTY_MARKS:
                    problems.append(TableProblem(path, number, letter, "a value under no header", sheet))
                continue
            if isinstance(cell.value, float):
                value: float | str | None = cell.value * 100 if cell.percent_format else cell.value
                if cell.percent_format and indicator.unit != "percent":
                    value = f"«{cell.value:.0%}»: a percent cell in an indicator measured in {indicator.unit}"
            else:
                value = parse_number(cell.value or "", indicator)
            if isinstance(value, str):
                problems.append(TableProblem(path, number, letter, value, sheet))
                continue
            if value is None:
                continue
            value = round(value, 6)
            message = value_problem(value, indicator)
            if message is not None:
                problems.append(TableProblem(path, number, letter, message, sheet))
                continue
            figures.setdefault(column.year, {})[column.which] = value
        series.append(
            IndicatorSeries(
                indicator=indicator_id,
                source=source,
                where=f"{path.name}{f', лист «{sheet}»' if sheet else ''}, строка {number}",
                values=tuple(
                    IndicatorValue(year=year, plan=pair.get("plan"), fact=pair.get("fact"))
                    for year, pair in sorted(figures.items())
                ),
            )
        )
    return series, problems
