"""Crawl one school's site into a `SiteSnapshot`, and many sites concurrently."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from crawler.address_guard import PrivateAddressError, ensure_public
from crawler.discovery import (
    SECTION_SLUGS,
    SubsectionTarget,
    find_section_link,
    find_subsection_link,
    same_page,
    standard_subsection_url,
)
from crawler.fetcher import Fetcher
from crawler.food import crawl_food
from crawler.https_probe import probe_https
from crawler.links import Link, extract_links
from crawler.settings import CrawlSettings
from crawler.snapshot import (
    DocumentProbe,
    FoundBy,
    PageSnapshot,
    SectionSnapshot,
    SiteSnapshot,
    SubsectionSnapshot,
)

__all__ = ["SiteTarget", "crawl_site", "crawl_sites"]


@dataclass(frozen=True)
class SiteTarget:
    """A school to crawl: its id and home page address (None when not on record)."""

    school_id: str
    url: str | None


#: Answers that mean "this page exists, but you must log in".
_WALLED = frozenset({401, 403})


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _reachability_of(error: str) -> str:
    if error.startswith("tls_error"):
        return "tls_error"
    if error.startswith("refused_private_address"):
        return "refused_private_address"
    return "unreachable"


class _SiteCrawl:
    """State of one site's crawl: the page budget and the trace of how things were found."""

    def __init__(self, fetcher: Fetcher, target: SiteTarget, subsections: Sequence[SubsectionTarget]) -> None:
        self.fetcher = fetcher
        self.target = target
        self.subsections = subsections
        self.pages_left = fetcher.settings.max_pages_per_site
        self.trace: list[str] = []

    async def fetch(self, url: str) -> PageSnapshot | None:
        """Fetch a page unless the site's page budget is spent."""
        if self.pages_left <= 0:
            self.trace.append(f"page budget spent, not fetched: {url}")
            return None
        self.pages_left -= 1
        return await self.fetcher.fetch_page(url)

    async def run(self, home_url: str) -> SiteSnapshot:
        """Home page, section, subsections, documents."""
        fetched_at = _now()
        home = await self.fetcher.fetch_page(home_url)
        if not home.ok:
            detail = home.error or f"HTTP {home.status}"
            reach = _reachability_of(home.error) if home.error else "unreachable"
            return self.snapshot(fetched_at, reach, detail, home=home)
        home_links = extract_links(home.body, home.final_url)
        section = await self._find_section(home, home_links)
        food = await crawl_food(self.fetcher, home.final_url, dt.date.fromisoformat(fetched_at[:10]))
        https = await probe_https(self.fetcher, home)
        if section is None:
            return self.snapshot(
                fetched_at, "no_section", "раздел не найден", home=home, food=food, https=https
            )
        subsections = await self._find_subsections(section)
        documents = await self._probe_documents(subsections)
        return self.snapshot(
            fetched_at,
            "ok",
            "",
            home=home,
            section=section,
            subsections=subsections,
            documents=documents,
            food=food,
            https=https,
        )

    def snapshot(self, fetched_at: str, reachability: str, detail: str, **parts: object) -> SiteSnapshot:
        """The snapshot of this crawl with the trace so far."""
        return SiteSnapshot.model_validate(
            {
                "school_id": self.target.school_id,
                "url": self.target.url,
                "fetched_at": fetched_at,
                "reachability": reachability,
                "reachability_detail": detail,
                "discovery_trace": tuple(self.trace),
                **parts,
            }
        )

    async def _find_section(self, home: PageSnapshot, links: list[Link]) -> SectionSnapshot | None:
        candidate = find_section_link(links, home.final_url)
        attempts: list[tuple[str, FoundBy]] = []
        if candidate is not None:
            attempts.append((candidate[0].url, candidate[1]))
        attempts.append((urljoin(home.final_url, "/sveden/"), "standard_path"))
        attempts.extend((urljoin(home.final_url, slug), "slug_dictionary") for slug in SECTION_SLUGS)
        for url, found_by in attempts:
            page = await self.fetch(url)
            if page is None:
                return None
            self.trace.append(f"section? {url} → {page.status or page.error} ({found_by})")
            if page.ok:
                home_links = [link for link in links if same_page(link.url, page.final_url)]
                return SectionSnapshot(
                    url=page.final_url,
                    found_by=found_by,
                    page=page,
                    linked_from_home=bool(home_links),
                    linked_from_menu=any(link.in_menu for link in home_links),
                )
        return None

    async def _find_subsections(self, section: SectionSnapshot) -> tuple[SubsectionSnapshot, ...]:
        links = extract_links(section.page.body, section.url)
        found: list[SubsectionSnapshot] = []
        for target in self.subsections:
            located = find_subsection_link(links, section.url, target)
            if located is None and urlsplit(section.url).path.rstrip("/").lower() == "/sveden":
                located = (standard_subsection_url(section.url, target), "standard_path")
            if located is None:
                self.trace.append(f"{target.key}: no link in the section index")
                continue
            page = await self.fetch(located[0])
            walled = page is not None and page.error is None and page.status in _WALLED
            if page is None or not (page.ok or walled):
                status = "not fetched" if page is None else (page.error or page.status)
                self.trace.append(f"{target.key}: {located[0]} → {status}")
                continue
            self.trace.append(f"{target.key}: {page.final_url} ({located[1]}, HTTP {page.status})")
            # A page behind a login (401/403) is a subsection that exists but is closed (order 1493 p.4).
            pages = [page, *await self._add_ref_pages(page)] if page.ok else [page]
            found.append(
                SubsectionSnapshot(
                    key=target.key, url=page.final_url, found_by=located[1], pages=tuple(pages)
                )
            )
        return tuple(found)

    async def _add_ref_pages(self, page: PageSnapshot) -> list[PageSnapshot]:
        refs = [link.url for link in extract_links(page.body, page.final_url) if link.itemprop == "addRef"]
        pages: list[PageSnapshot] = []
        for url in dict.fromkeys(refs):
            if len(pages) >= self.fetcher.settings.max_add_refs:
                break
            fetched = await self.fetch(url)
            if fetched is not None and fetched.ok:
                pages.append(fetched)
        return pages

    async def _probe_documents(
        self, subsections: tuple[SubsectionSnapshot, ...]
    ) -> tuple[DocumentProbe, ...]:
        urls: dict[str, None] = {}
        for subsection in subsections:
            for page in subsection.pages:
                for link in extract_links(page.body, page.final_url):
                    if link.marked:
                        urls[link.url] = None
        limit = self.fetcher.settings.max_documents_per_site
        probes = await asyncio.gather(*(self.fetcher.probe_document(url) for url in list(urls)[:limit]))
        return tuple(probes)


async def crawl_site(
    fetcher: Fetcher, target: SiteTarget, subsections: Sequence[SubsectionTarget]
) -> SiteSnapshot:
    """Crawl one site within its time budget; never raises for a site's faults."""
    crawl = _SiteCrawl(fetcher, target, subsections)
    if target.url is None:
        return crawl.snapshot(_now(), "no_url", "адрес сайта не указан")
    try:
        await ensure_public(target.url, fetcher.settings.allow_private)
    except PrivateAddressError as exc:
        return crawl.snapshot(_now(), "refused_private_address", str(exc))
    try:
        return await asyncio.wait_for(crawl.run(target.url), fetcher.settings.site_budget)
    except TimeoutError:
        return crawl.snapshot(_now(), "unreachable", "превышено время на проверку сайта")


async def crawl_sites(
    targets: Sequence[SiteTarget], subsections: Sequence[SubsectionTarget], settings: CrawlSettings
) -> AsyncIterator[SiteSnapshot]:
    """Crawl many sites concurrently, yielding each snapshot as soon as it is ready."""
    gate = asyncio.Semaphore(settings.concurrent_sites)
    async with Fetcher(settings) as fetcher:

        async def one(target: SiteTarget) -> SiteSnapshot:
            async with gate:
                return await crawl_site(fetcher, target, subsections)

        for next_done in asyncio.as_completed([one(target) for target in targets]):
            yield await next_done
