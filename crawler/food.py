"""Fetch the school-food folder `/food/` of a site root (common-practice format, see checks/food_check).

The folder is usually a web-server directory listing. The crawler reads the listing, then fetches
the files a check needs: the daily menus ``YYYY-MM-DD-sm.xlsx`` of the days around the crawl
date (the listed ones; without a listing, the weekdays of the coming week are probed), the meal
calendar ``kpYYYY.xlsx``, the cyclic menu ``tmYYYY-sm.xlsx`` and ``findex.xlsx``. It records
facts only (status, size, Last-Modified, whether the body is a valid XLSX), never the bodies.
The crawler does not know the region's time zone, so the window is wide enough for any zone.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import zipfile
from urllib.parse import unquote, urljoin, urlsplit

from crawler.fetcher import FetchedBytes, Fetcher
from crawler.links import extract_links
from crawler.snapshot import FoodFile, FoodSnapshot

__all__ = ["FOOD_PATH", "crawl_food", "daily_menu_name", "is_valid_xlsx", "year_file_names"]

FOOD_PATH = "/food/"
#: Days before and after the crawl date (UTC) whose listed daily menus are fetched.
_DAYS_BEFORE, _DAYS_AFTER = 1, 8
#: Days after the crawl date probed for weekday menus when the folder has no listing.
_PROBE_DAYS = 6
#: File names recorded from a listing at most (a folder may hold years of menus).
_MAX_LISTED = 500
_LISTED_SUFFIXES = (".xlsx", ".pdf")
_ZIP_SIGNATURE = b"PK\x03\x04"


def daily_menu_name(day: dt.date) -> str:
    """The daily menu file of `day`: ``YYYY-MM-DD-sm.xlsx``."""
    return f"{day.isoformat()}-sm.xlsx"


def year_file_names(year: int) -> tuple[str, ...]:
    """The yearly files: meal calendar and cyclic menu of `year`, and the control index."""
    return (f"kp{year}.xlsx", f"tm{year}-sm.xlsx", "findex.xlsx")


def is_valid_xlsx(body: bytes) -> bool:
    """An Office Open XML workbook: a ZIP archive holding ``xl/workbook.xml``."""
    if not body.startswith(_ZIP_SIGNATURE):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _listed_names(index: FetchedBytes) -> tuple[str, ...]:
    """Names of the .xlsx/.pdf files the folder's index links, directly inside the folder."""
    if not 200 <= index.status < 300:
        return ()
    html = index.body.decode("utf-8", errors="replace")
    folder = urlsplit(index.final_url)
    folder_path = unquote(folder.path).rstrip("/") + "/"
    names: dict[str, None] = {}
    for link in extract_links(html, index.final_url):
        target = urlsplit(link.url)
        path = unquote(target.path)
        if target.netloc != folder.netloc or not path.lower().endswith(_LISTED_SUFFIXES):
            continue
        head, _, name = path.rpartition("/")
        if head + "/" == folder_path and name:
            names[name] = None
        if len(names) >= _MAX_LISTED:
            break
    return tuple(names)


def _food_file(name: str, fetched: FetchedBytes, listed: bool) -> FoodFile:
    ok = fetched.error is None and 200 <= fetched.status < 300
    length = fetched.headers.get("content-length")
    size = None
    if length and length.isdigit():
        size = int(length)
    elif ok:
        size = len(fetched.body)
    return FoodFile(
        name=name,
        url=fetched.url,
        status=fetched.status,
        size=size,
        last_modified=fetched.headers.get("last-modified"),
        content_type=fetched.headers.get("content-type"),
        valid_xlsx=ok and is_valid_xlsx(fetched.body),
        listed=listed,
        error=fetched.error,
    )


def _wanted_names(listed: tuple[str, ...], crawl_date: dt.date) -> list[str]:
    """The files to fetch, in order: daily menus, then the yearly files."""
    if listed:
        window = [crawl_date + dt.timedelta(days=n) for n in range(-_DAYS_BEFORE, _DAYS_AFTER + 1)]
        daily = [daily_menu_name(day) for day in window if daily_menu_name(day) in listed]
    else:
        window = [crawl_date + dt.timedelta(days=n) for n in range(_PROBE_DAYS + 1)]
        daily = [daily_menu_name(day) for day in window if day.weekday() < 5]
    years = dict.fromkeys((crawl_date.year, (crawl_date + dt.timedelta(days=_DAYS_AFTER)).year))
    yearly = dict.fromkeys(name for year in years for name in year_file_names(year))
    return [*daily, *yearly]


async def crawl_food(fetcher: Fetcher, home_url: str, crawl_date: dt.date) -> FoodSnapshot:
    """Read `/food/` of the site whose home page is `home_url`, as of `crawl_date` (UTC)."""
    folder_url = urljoin(home_url, FOOD_PATH)
    index = await fetcher.fetch_bytes(folder_url)
    if index.error is not None:  # the site stopped answering: do not spend its budget on files
        return FoodSnapshot(url=folder_url, status=0, error=index.error)
    listed = _listed_names(index)

    async def food_file(name: str) -> FoodFile:
        fetched = await fetcher.fetch_bytes(urljoin(folder_url, name))
        return _food_file(name, fetched, listed=name in listed)  # the body is not kept

    # Asked for together: the host's politeness slot lets them through two at a time, between
    # the site's other requests, instead of one round trip after another at the end of the crawl.
    files = await asyncio.gather(*(food_file(name) for name in _wanted_names(listed, crawl_date)))
    return FoodSnapshot(
        url=folder_url, status=index.status, error=index.error, listed_names=listed, files=tuple(files)
    )
