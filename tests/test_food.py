"""`/food/`: the crawler reads a real folder on loopback, the check judges the files by date."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import socket
import zipfile
from dataclasses import replace
from pathlib import Path

from checks.audit import AuditSubject, audit_site
from checks.food_check import check_food, next_school_day
from checks.rulebook import Rulebook
from crawler.fetcher import Fetcher
from crawler.food import crawl_food
from crawler.snapshot import FoodFile, FoodSnapshot, PageSnapshot, SiteSnapshot
from tests.conftest import AS_OF, fast_settings
from tests.static_server import serve_folder, xlsx_bytes

FRIDAY = dt.date(2026, 11, 27)
SATURDAY_MENU = "2026-11-28-sm.xlsx"
MONDAY_MENU = "2026-11-30-sm.xlsx"
YEARLY = ("kp2026.xlsx", "tm2026-sm.xlsx", "findex.xlsx")
PDF = b"%PDF-1.4\n%%EOF\n"
SCHOOL = AuditSubject(
    id="s",
    name="МБОУ СОШ",
    municipality="м",
    kind="general_school",
    url=None,
    public=True,
    has_primary_grades=True,
)


def _crawl(tmp_path: Path, files: dict[str, bytes], crawl_date: dt.date = FRIDAY) -> FoodSnapshot:
    """Serve `files` in `/food/` of a site on loopback and crawl the folder."""
    folder = tmp_path / "site" / "food"
    (tmp_path / "site").mkdir(parents=True)
    if files:
        folder.mkdir()
    for name, body in files.items():
        (folder / name).write_bytes(body)

    async def crawl(base_url: str) -> FoodSnapshot:
        async with Fetcher(fast_settings()) as fetcher:
            return await crawl_food(fetcher, base_url, crawl_date)

    with serve_folder(tmp_path / "site") as base_url:
        return asyncio.run(crawl(base_url))


def _complete(*daily: str) -> dict[str, bytes]:
    return {name: xlsx_bytes(name) for name in (*daily, *YEARLY)}


def test_next_school_day_skips_the_weekend() -> None:
    assert next_school_day(FRIDAY) == dt.date(2026, 11, 30)
    assert next_school_day(dt.date(2026, 11, 28)) == dt.date(2026, 11, 30)
    assert next_school_day(dt.date(2026, 11, 30)) == dt.date(2026, 12, 1)


def test_friday_crawl_needs_the_monday_menu(tmp_path: Path) -> None:
    food = _crawl(tmp_path / "with", _complete("2026-11-27-sm.xlsx", MONDAY_MENU))
    monday = food.file(MONDAY_MENU)
    assert monday is not None and monday.ok and monday.valid_xlsx and monday.listed
    assert monday.size and monday.size > 1000
    assert monday.last_modified
    result = check_food(food, SCHOOL, FRIDAY)
    assert result.outcome == "pass", result.detail
    assert result.basis == "practice"
    assert "ГД-1158/01" in result.detail and "практика" in result.detail
    # Control: a Saturday menu does not stand in for Monday's.
    without = _crawl(tmp_path / "without", _complete("2026-11-27-sm.xlsx", SATURDAY_MENU))
    result = check_food(without, SCHOOL, FRIDAY)
    assert result.outcome == "fail"
    assert MONDAY_MENU in result.detail and "30.11.2026" in result.detail
    assert "нет в списке файлов папки" in result.detail  # the listing is trusted, nothing probed
    assert without.file(MONDAY_MENU) is None
    assert SATURDAY_MENU not in result.detail


def test_renamed_pdf_and_zip_without_workbook_are_not_xlsx(tmp_path: Path) -> None:
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    files = _complete(MONDAY_MENU) | {"findex.xlsx": PDF, "tm2026-sm.xlsx": not_a_workbook.getvalue()}
    food = _crawl(tmp_path, files)
    findex = food.file("findex.xlsx")
    assert findex is not None and findex.ok and not findex.valid_xlsx
    result = check_food(food, SCHOOL, FRIDAY)
    assert result.outcome == "fail"
    assert "не является файлом XLSX" in result.detail
    assert "findex.xlsx" in result.detail and "tm2026-sm.xlsx" in result.detail
    assert MONDAY_MENU not in result.detail


def test_missing_yearly_files_are_named(tmp_path: Path) -> None:
    food = _crawl(tmp_path, {MONDAY_MENU: xlsx_bytes()})
    result = check_food(food, SCHOOL, FRIDAY)
    assert result.outcome == "fail"
    for name in YEARLY:
        assert f"нет файла {name} (HTTP 404)" in result.detail
    assert "меню на следующий учебный день" not in result.detail


def test_folder_without_listing_is_probed_on_weekdays(tmp_path: Path) -> None:
    files = _complete(MONDAY_MENU) | {"index.html": b"<html><body>menu</body></html>"}
    food = _crawl(tmp_path, files)
    assert food.listed_names == ()
    probed = {
        found.name for found in food.files if found.name.endswith("-sm.xlsx") and "tm" not in found.name
    }
    assert probed == {f"2026-{day}-sm.xlsx" for day in ("11-27", "11-30", "12-01", "12-02", "12-03")}
    result = check_food(food, SCHOOL, FRIDAY)
    assert result.outcome == "pass", result.detail
    assert "не отдаёт список файлов" in result.detail


def test_site_without_folder(tmp_path: Path) -> None:
    food = _crawl(tmp_path, {})
    result = check_food(food, SCHOOL, FRIDAY)
    assert result.outcome == "fail"
    assert "не найдена (HTTP 404)" in result.detail and MONDAY_MENU in result.detail
    empty = _crawl(tmp_path / "empty", {"readme.txt": b"menu soon"})
    assert "нет ни одного нужного файла" in check_food(empty, SCHOOL, FRIDAY).detail


def test_applicability_by_registry(tmp_path: Path) -> None:
    food = _crawl(tmp_path, {})
    private = replace(SCHOOL, public=False)
    no_primary = replace(SCHOOL, has_primary_grades=False)
    kindergarten = replace(SCHOOL, kind="preschool")
    unknown = replace(SCHOOL, has_primary_grades=None)
    for subject in (private, no_primary, kindergarten):
        assert check_food(food, subject, FRIDAY).outcome == "not_applicable"
    assert "негосударственная" in check_food(food, private, FRIDAY).detail
    warned = check_food(food, unknown, FRIDAY)
    assert warned.outcome == "warn"
    assert "предупреждение, а не нарушение" in warned.detail
    assert check_food(food, SCHOOL, FRIDAY).outcome == "fail"  # control


def _site_crawled_at(fetched_at: str) -> SiteSnapshot:
    url = "http://school.example/"
    files = tuple(
        FoodFile(name=name, url=url + "food/" + name, status=200, valid_xlsx=True, listed=True)
        for name in ("2026-11-27-sm.xlsx", *YEARLY)
    )
    return SiteSnapshot(
        school_id="s",
        url=url,
        fetched_at=fetched_at,
        reachability="no_section",
        home=PageSnapshot(
            url=url, final_url=url, status=200, body="<html lang=ru><title>Школа</title></html>"
        ),
        food=FoodSnapshot(
            url=url + "food/", status=200, listed_names=tuple(f.name for f in files), files=files
        ),
    )


def test_school_day_is_taken_in_the_region_time_zone(rulebook: Rulebook) -> None:
    """Thursday 20:00 UTC: still Thursday in Moscow (Friday's menu is due), Friday in Vladivostok."""
    site = _site_crawled_at("2026-11-26T20:00:00+00:00")
    moscow = audit_site(site, rulebook, SCHOOL, AS_OF, "now")
    far_east = replace(SCHOOL, timezone="Asia/Vladivostok")
    vladivostok = audit_site(site, rulebook, far_east, AS_OF, "now")
    assert moscow.extras["food"].outcome == "pass"
    assert vladivostok.extras["food"].outcome == "fail"
    assert MONDAY_MENU in vladivostok.extras["food"].detail


def test_site_that_stops_answering_costs_one_request() -> None:
    async def crawl() -> FoodSnapshot:
        async with Fetcher(fast_settings()) as fetcher:
            return await crawl_food(fetcher, f"http://127.0.0.1:{_closed_port()}/", FRIDAY)

    food = asyncio.run(crawl())
    assert food.error is not None and food.files == ()
    result = check_food(food, SCHOOL, FRIDAY)
    assert result.outcome == "not_checked" and "проверить не удалось" in result.detail


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
