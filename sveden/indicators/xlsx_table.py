"""Read a department table saved as XLSX (openpyxl): the sheet «Показатели», else the first one."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from sveden.indicators.catalogue import Catalogue
from sveden.indicators.models import IndicatorSeries
from sveden.indicators.table_layout import Cell, read_table
from sveden.indicators.table_problem import TableProblem

__all__ = ["SHEET_NAME", "read_xlsx_table"]

SHEET_NAME = "Показатели"


def _cell(value: object, number_format: str) -> Cell:
    if isinstance(value, bool) or value is None:
        return Cell(None if value is None else str(value))
    if isinstance(value, int | float):
        return Cell(float(value), percent_format="%" in number_format)
    return Cell(str(value))


def read_xlsx_table(
    path: Path, catalogue: Catalogue, source: str | None
) -> tuple[list[IndicatorSeries], list[TableProblem]]:
    """Series and problems of the workbook at `path`; a cell formatted as percent counts as percent."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError) as exc:
        return [], [TableProblem(path, None, None, f"not a readable XLSX workbook ({exc})")]
    try:
        sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        rows = [
            (number, [_cell(cell.value, getattr(cell, "number_format", "General")) for cell in row])
            for number, row in enumerate(sheet.iter_rows(), start=1)
        ]
        return read_table(path, rows, catalogue, source, sheet=sheet.title)
    finally:
        workbook.close()
