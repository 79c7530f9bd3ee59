"""The blank department table users download from the site, as CSV and XLSX, from the catalogue."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sveden.indicators.catalogue import Catalogue
from sveden.indicators.table_layout import year_header
from sveden.indicators.xlsx_table import SHEET_NAME

__all__ = [
    "TEMPLATE_CSV",
    "TEMPLATE_XLSX",
    "TEMPLATE_YEARS",
    "template_csv",
    "template_rows",
    "template_xlsx",
]

TEMPLATE_CSV = "indicators-template.csv"
TEMPLATE_XLSX = "indicators-template.xlsx"
TEMPLATE_YEARS = tuple(range(2019, 2031))


def template_rows(catalogue: Catalogue) -> list[list[str]]:
    """Header plus one empty row per reported indicator (id and title filled in)."""
    header = ["indicator", "title"]
    for year in TEMPLATE_YEARS:
        header += [year_header(year, "plan"), year_header(year, "fact")]
    blanks = [""] * (len(header) - 2)
    return [header, *([item.id, item.short_title, *blanks] for item in catalogue.reported())]


def template_csv(catalogue: Catalogue) -> bytes:
    """The template as UTF-8 CSV with a BOM (so Excel opens the Cyrillic right)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(template_rows(catalogue))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(catalogue: Catalogue) -> bytes:
    """The template as an XLSX workbook with one sheet, «Показатели»."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    for row in template_rows(catalogue):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 60
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
