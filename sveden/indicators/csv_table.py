"""Read a department table saved as CSV (UTF-8, with or without BOM; comma or semicolon)."""

from __future__ import annotations

import csv
from pathlib import Path

from sveden.indicators.catalogue import Catalogue
from sveden.indicators.models import IndicatorSeries
from sveden.indicators.table_layout import Cell, read_table
from sveden.indicators.table_problem import TableProblem

__all__ = ["read_csv_table"]


def read_csv_table(
    path: Path, catalogue: Catalogue, source: str | None
) -> tuple[list[IndicatorSeries], list[TableProblem]]:
    """Series and problems of the CSV table at `path`.

    Excel in a Russian locale saves CSV with semicolons, so the delimiter is the one the header uses.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return [], [TableProblem(path, None, None, "not UTF-8 text: save the table as «CSV UTF-8»")]
    except OSError as exc:
        return [], [TableProblem(path, None, None, exc.strerror or str(exc))]
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    rows = [(number, [Cell(value) for value in values]) for number, values in enumerate(reader, start=1)]
    return read_table(path, rows, catalogue, source)
