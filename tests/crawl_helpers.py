"""Helpers for crawler tests: settings for loopback farms and one-call fetches and crawls.

They run on `crawler.event_loop`, the loop crawls use in production (uvloop where it exists).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from crawler import event_loop
from crawler.discovery import SubsectionTarget
from crawler.fetcher import Fetcher, StoredPages
from crawler.settings import CrawlSettings, RetryPolicy
from crawler.site_crawler import SiteTarget, crawl_site
from crawler.snapshot import DocumentProbe, PageSnapshot, SiteSnapshot
from tests.loopback_farm import Reply, Route, html

__all__ = ["SUBSECTIONS", "crawl", "fetch", "probe", "school_site", "settings", "write_registry"]

#: Two subsections are enough to exercise discovery.
SUBSECTIONS = (
    SubsectionTarget(key="common", path="/sveden/common", titles=("Основные сведения",)),
    SubsectionTarget(key="struct", path="/sveden/struct", titles=("Структура и органы управления",)),
)


def settings(**overrides: Any) -> CrawlSettings:
    """Loopback allowed (127.0.0.0/8 only: link-local and metadata stay refused), no delay, short
    timeouts, no retries unless a test asks."""
    base = CrawlSettings(
        allowed_networks=("127.0.0.0/8",),
        per_host_delay=0.0,
        connect_timeout=1.0,
        read_timeout=1.0,
        request_timeout=5.0,
        site_budget=30.0,
        retry=RetryPolicy(max_retries=0, backoff_base=0.05),
    )
    return replace(base, **overrides)


def fetch(config: CrawlSettings, url: str, stored: StoredPages | None = None) -> PageSnapshot:
    """Fetch one page."""

    async def run() -> PageSnapshot:
        async with Fetcher(config, stored) as fetcher:
            return await fetcher.fetch_page(url)

    return event_loop.run(run())


def probe(config: CrawlSettings, url: str) -> DocumentProbe:
    """Probe one document."""

    async def run() -> DocumentProbe:
        async with Fetcher(config) as fetcher:
            return await fetcher.probe_document(url)

    return event_loop.run(run())


def crawl(config: CrawlSettings, url: str, stored: StoredPages | None = None) -> SiteSnapshot:
    """Crawl one site for the two `SUBSECTIONS`."""

    async def run() -> SiteSnapshot:
        async with Fetcher(config, stored) as fetcher:
            return await crawl_site(fetcher, SiteTarget("school", url), SUBSECTIONS)

    return event_loop.run(run())


def school_site(extra: int = 0, delay: float = 0.0, documents: int = 0) -> dict[str, Route]:
    """Routes of a small school site: home, section, two subsections, `extra` linked pages and
    `documents` linked PDF files."""
    links = "".join(f'<a href="/sveden/page-{n}">Страница {n}</a>' for n in range(extra))
    links += "".join(
        f'<a itemprop="docLink" href="/files/{n}.pdf">Документ {n}</a>' for n in range(documents)
    )
    routes: dict[str, Route] = {
        "/": html(
            '<title>Школа</title><nav><a href="/sveden/">Сведения об образовательной организации</a></nav>'
        ),
        "/sveden/": html(
            '<title>Сведения</title><a href="/sveden/common">Основные сведения</a>'
            '<a href="/sveden/struct">Структура и органы управления</a>'
        ),
        "/sveden/common": html(
            '<title>Основные сведения</title><p itemprop="fullName">Школа № 1</p>'
            + "".join(f'<a itemprop="addRef" href="/sveden/page-{n}">доп.</a>' for n in range(extra))
            + links,
            delay=delay,
        ),
        "/sveden/struct": html("<title>Структура</title><p>Органы управления</p>", delay=delay),
    }
    for n in range(documents):
        routes[f"/files/{n}.pdf"] = Reply(body=b"%PDF-1.7\n" + bytes(5000), content_type="application/pdf")
    for n in range(extra):
        routes[f"/sveden/page-{n}"] = html(f"<title>Страница {n}</title><p>текст {n}</p>", delay=delay)
    return routes


def write_registry(path: Path, urls: list[str]) -> None:
    """A registry of one municipality whose schools ``school-0``, ``school-1``… are at `urls`."""
    schools = "".join(
        f"""
          - id: school-{n}
            name: "Школа № {n}"
            kind: general_school
            url: {url}
            locality: urban
            public: true
"""
        for n, url in enumerate(urls)
    )
    path.write_text(
        f"""schema_version: 1
sources: []
regions:
  - id: test-oblast
    name: Тестовая область
    timezone: Europe/Moscow
    municipalities:
      - id: test-town
        name: Тестовск
        sources: []
        indicators: []
        schools:{schools}""",
        encoding="utf-8",
    )
