"""School food files in `/food/`: the next school day's menu, the yearly files, valid XLSX.

Order 1493 p.19(2) and ПП РФ № 1802 p.13 oblige state and municipal general-education schools
to publish a daily menu for primary grades; the machine-readable `/food/` format (file names,
XLSX) comes from letter Минпросвещения № ГД-1158/01 of 17.05.2021 as quoted by schools and
tools, whose primary text was not verified. So the check's basis is common practice.

The day judged is the crawl's date in the region's time zone (the files are facts of that
moment; ``--as-of`` selects rules, not files). School days are Monday to Friday: the crawl
does not know holidays.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from checks.results import ExtraCheck, Outcome
from crawler.food import daily_menu_name, year_file_names
from crawler.snapshot import FoodSnapshot

if TYPE_CHECKING:
    from checks.audit import AuditSubject

__all__ = ["FOOD_LEGAL_REF", "FOOD_TITLE", "check_food", "next_school_day"]

FOOD_TITLE = "Меню питания в папке /food/"
FOOD_LEGAL_REF = (
    "Сложившаяся практика: формат папки /food/ (файлы YYYY-MM-DD-sm.xlsx, kpГГГГ.xlsx, "
    "tmГГГГ-sm.xlsx, findex.xlsx) описан в письме Минпросвещения России от 17.05.2021 "
    "№ ГД-1158/01 в пересказе школ и разработчиков; первоисточник не проверен. Обязанность "
    "публиковать ежедневное меню — приказ Рособрнадзора № 1493, п. 19(2); ПП РФ № 1802, п. 13."
)
_PRACTICE_NOTE = (
    "Это сложившаяся практика (письмо Минпросвещения № ГД-1158/01 от 17.05.2021; текст письма "
    "не проверен), а не требование приказа № 1493."
)


def next_school_day(day: dt.date) -> dt.date:
    """The first weekday (Monday–Friday) after `day`."""
    following = day + dt.timedelta(days=1)
    while following.weekday() >= 5:
        following += dt.timedelta(days=1)
    return following


def _not_applicable(subject: AuditSubject) -> str | None:
    if subject.kind != "general_school":
        return "не общеобразовательная организация: формат /food/ установлен для школ"
    if subject.public is False:
        return "негосударственная школа: формат /food/ установлен для государственных и муниципальных школ"
    if subject.has_primary_grades is False:
        return "в школе нет начальных классов: меню в /food/ публикуется для 1–4 классов"
    return None


def _unknown(subject: AuditSubject) -> bool:
    """The registry does not say whether the requirement applies (warn instead of fail)."""
    return subject.public is None or subject.has_primary_grades is None


def _problems(food: FoodSnapshot, due: dt.date) -> list[str]:
    problems: list[str] = []
    required = [daily_menu_name(due), *year_file_names(due.year)]
    for name in required:
        found = food.file(name)
        if found is None or not found.ok:
            reason = f"HTTP {found.status}" if found and found.status else "нет в списке файлов папки"
            if found and found.error:
                reason = "нет ответа"
            what = f"меню на следующий учебный день {due:%d.%m.%Y}" if name == required[0] else "файла"
            problems.append(f"нет {what} {name} ({reason})")
    invalid = [found.name for found in food.files if found.ok and not found.valid_xlsx]
    if invalid:
        problems.append(
            "не является файлом XLSX (переименованный PDF, XLS или страница): " + ", ".join(invalid)
        )
    return problems


def check_food(food: FoodSnapshot | None, subject: AuditSubject, today: dt.date) -> ExtraCheck:
    """Judge the `/food/` folder for a crawl made on `today` (the region's local date)."""

    def result(outcome: Outcome, detail: str) -> ExtraCheck:
        return ExtraCheck(
            outcome=outcome,
            basis="practice",
            title=FOOD_TITLE,
            detail=detail,
            legal_ref=FOOD_LEGAL_REF,
            url=food.url if food else None,
        )

    reason = _not_applicable(subject)
    if reason is not None:
        return result("not_applicable", reason)
    if food is None:
        return result("not_checked", "папка /food/ в этом запуске не загружалась")
    if food.error is not None:
        return result("not_checked", f"сайт не ответил на запрос папки {food.url}: проверить не удалось")
    due = next_school_day(today)
    required = ", ".join([daily_menu_name(due), *year_file_names(due.year)])
    if not any(found.ok for found in food.files) and not food.listed_names:
        if 200 <= food.status < 300:
            detail = f"в папке {food.url} нет ни одного нужного файла: {required}."
        else:
            detail = f"папка {food.url} не найдена (HTTP {food.status}); нужны файлы {required}."
    else:
        problems = _problems(food, due)
        listing = "" if food.listed_names else " Папка не отдаёт список файлов (листинг каталога)."
        if not problems:
            return result("pass", f"Есть {required}; все файлы — корректные XLSX.{listing} {_PRACTICE_NOTE}")
        detail = "; ".join(problems) + "." + listing
    if _unknown(subject):
        unknown = (
            "В реестре нет сведений, что это государственная или муниципальная школа с начальными классами"
        )
        return result(
            "warn", f"{detail} {unknown}, поэтому это предупреждение, а не нарушение. {_PRACTICE_NOTE}"
        )
    return result("fail", f"{detail} {_PRACTICE_NOTE}")
