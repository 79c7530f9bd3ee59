"""The `/food/` folder of a demo site, made for the day it is served (menus dated around it).

Styles (set per host in `demo/hosts.yaml`): ``complete`` (a directory listing, daily menus for
the weekdays of three weeks around today, the yearly files), ``no_daily_menus`` (only the
yearly files), ``renamed_pdf`` (complete, but ``findex.xlsx`` is a PDF under an .xlsx name) and
``unlisted`` (complete files, no listing: the folder's index answers 404).
"""

from __future__ import annotations

import datetime as dt
import html
import io
from typing import Literal
from zoneinfo import ZoneInfo

from openpyxl import Workbook

__all__ = ["DEMO_TIMEZONE", "FoodStyle", "demo_today", "food_body", "food_listing", "food_names"]

FoodStyle = Literal["complete", "no_daily_menus", "renamed_pdf", "unlisted"]
#: The demo region's time zone (demo/schools.yaml).
DEMO_TIMEZONE = "Europe/Moscow"
_DAYS_BEFORE, _DAYS_AFTER = 7, 14
_FAKE_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_MEALS = (
    ("завтрак", "гор.блюдо", "Каша молочная овсяная", 200, 28.5, 245),
    ("завтрак", "гор.напиток", "Чай с сахаром", 200, 6.2, 60),
    ("обед", "1 блюдо", "Суп картофельный с горохом", 250, 24.0, 148),
    ("обед", "2 блюдо", "Котлета рыбная с рисом", 240, 71.3, 390),
)


def demo_today() -> dt.date:
    """Today in the demo region."""
    return dt.datetime.now(ZoneInfo(DEMO_TIMEZONE)).date()


def _daily_days(today: dt.date) -> list[dt.date]:
    days = (today + dt.timedelta(days=n) for n in range(-_DAYS_BEFORE, _DAYS_AFTER + 1))
    return [day for day in days if day.weekday() < 5]


def food_names(style: FoodStyle, today: dt.date) -> list[str]:
    """Every file of the folder on `today`."""
    years = dict.fromkeys((today.year, (today + dt.timedelta(days=_DAYS_AFTER)).year))
    yearly = [name for year in years for name in (f"kp{year}.xlsx", f"tm{year}-sm.xlsx")]
    daily = [] if style == "no_daily_menus" else [f"{day.isoformat()}-sm.xlsx" for day in _daily_days(today)]
    return [*daily, *yearly, "findex.xlsx"]


def _workbook(title: str, rows: list[tuple[str | float, ...]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("Школа", title))
    sheet.append(())
    sheet.append(("Приём пищи", "Раздел", "Блюдо", "Выход, г", "Цена", "Калорийность"))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def food_body(style: FoodStyle, name: str, today: dt.date) -> bytes | None:
    """The body of file `name` on `today`, or None when the folder has no such file."""
    if name not in food_names(style, today):
        return None
    if style == "renamed_pdf" and name == "findex.xlsx":
        return _FAKE_PDF
    return _workbook(f"Демонстрационная школа, {name}", list(_MEALS))


def food_listing(style: FoodStyle, today: dt.date) -> bytes | None:
    """An autoindex-style listing of the folder, or None when the server lists nothing."""
    if style == "unlisted":
        return None
    links = "\n".join(
        f'<a href="{html.escape(name)}">{html.escape(name)}</a>' for name in food_names(style, today)
    )
    head = "<!doctype html><html><head><title>Index of /food/</title></head><body><h1>Index of /food/</h1>"
    return f"{head}<pre>\n{links}\n</pre></body></html>".encode()
