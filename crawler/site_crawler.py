"""Crawl one school's site into a `SiteSnapshot`, and many sites concurrently.

Within a site, independent pages (the subsections once the section index is known, their
addRef pages, the documents) are requested together: the host's politeness slot still lets
only two through at a time, one start per delay, so the site finishes as fast as politeness
allows. Across sites, a fixed pool of workers takes targets one at a time and hands each
snapshot on as soon as it is ready, so memory follows the sites in flight, never the registry.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from crawler.discovery import (
    SECTION_SLUGS,
    SubsectionTarget,
    find_section_link,
    find_subsection_link,
    linked_subsections,
    same_page,
    section_index_hrefs,
    standard_subsection_url,
)
from crawler.fetcher import Fetcher, StoredPages
from crawler.food import crawl_food
from crawler.https_probe import probe_https
from crawler.links import Link, extract_links
from crawler.settings import CrawlSettings
from crawler.snapshot import (
    DocumentProbe,
    FoodSnapshot,
    FoundBy,
    HttpsProbe,
    PageSnapshot,
    SectionSnapshot,
    SiteSnapshot,
    SubsectionSnapshot,
)
from crawler.soft_404 import NONSENSE_PATH, Soft404, soft_404_of

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


def _reachability_of(fault: str | None) -> str:
    if fault in ("tls_error", "refused_private_address", "blocked_by_robots"):
        return fault
    return "unreachable"


class _SiteCrawl:
    """State of one site's crawl: the page budget and the trace of how things were found."""

    def __init__(self, fetcher: Fetcher, target: SiteTarget, subsections: Sequence[SubsectionTarget]) -> None:
        self.fetcher = fetcher
        self.target = target
        self.subsections = subsections
        self.pages_left = fetcher.settings.max_pages_per_site
        self.trace: list[str] = []
        self._soft_404: asyncio.Task[tuple[PageSnapshot | None, Soft404 | None]] | None = None
        self._probes: dict[str, asyncio.Task[DocumentProbe]] = {}
        self._extras: asyncio.Future[tuple[FoodSnapshot, HttpsProbe]] | None = None
        self._links: dict[int, tuple[PageSnapshot, list[Link]]] = {}

    def links(self, page: PageSnapshot) -> list[Link]:
        """The links of a fetched page, parsed once however often they are asked for."""
        if id(page) not in self._links:
            self._links[id(page)] = (page, extract_links(page.body, page.final_url))
        return self._links[id(page)][1]

    async def fetch(
        self, url: str, trace: list[str] | None = None, judge: bool = True
    ) -> PageSnapshot | None:
        """Fetch a page unless the site's page budget is spent; a soft-404 answer is a miss."""
        if self.pages_left <= 0:
            (self.trace if trace is None else trace).append(f"page budget spent, not fetched: {url}")
            return None
        self.pages_left -= 1
        page = await self.fetcher.fetch_page(url)
        soft_404 = (await self._soft_404)[1] if judge and page.ok and self._soft_404 is not None else None
        if soft_404 is not None and soft_404.matches(page):
            return page.model_copy(
                update={
                    "fault": "soft_404",
                    "error": "soft_404: the site's not-found page, answered with 200",
                }
            )
        return page

    async def _probe_soft_404(self, url: str) -> tuple[PageSnapshot | None, Soft404 | None]:
        probe = await self.fetch(url, judge=False)
        return probe, (soft_404_of(probe) if probe is not None else None)

    async def _probe_where_home_is(
        self, early: asyncio.Future[tuple[PageSnapshot | None, Soft404 | None]], home: PageSnapshot
    ) -> tuple[PageSnapshot | None, Soft404 | None]:
        """The probe asked with the home page if it reached the address a probe of the home
        page's final site asks for (as after an http → https redirect); else that probe."""
        wanted = urljoin(home.final_url, NONSENSE_PATH)
        probe, soft_404 = await early
        if probe is not None and wanted in (probe.url, *probe.redirect_chain, probe.final_url):
            return probe, soft_404
        return await self._probe_soft_404(wanted)

    def _probe_documents_of(self, pages: Sequence[PageSnapshot]) -> None:
        """Start probing the documents `pages` link, while the other subsections are fetched."""
        limit = self.fetcher.settings.max_documents_per_site
        for page in pages:
            for link in self.links(page):
                if link.marked and link.url not in self._probes and len(self._probes) < limit:
                    self._probes[link.url] = asyncio.ensure_future(self.fetcher.probe_document(link.url))

    async def run(self, home_url: str) -> SiteSnapshot:
        """robots.txt, home page and soft-404 probe together, section, subsections, documents."""
        try:
            return await self._run(home_url)
        finally:
            tasks = (self._soft_404, self._extras, *self._probes.values())
            pending = [task for task in tasks if task is not None and not task.done()]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _run(self, home_url: str) -> SiteSnapshot:
        fetched_at = _now()
        robots = await self.fetcher.robots(home_url)
        self.trace.append(robots.note)
        if robots.failure is not None:
            failure = robots.failure
            return self.snapshot(fetched_at, _reachability_of(failure.fault), f"{failure.fault}: {failure}")
        if not robots.allows(home_url):
            return self.snapshot(fetched_at, "blocked_by_robots", robots.note)
        # The not-found probe goes with the home page, on the host's other connection.
        early_probe = asyncio.ensure_future(self._probe_soft_404(urljoin(home_url, NONSENSE_PATH)))
        self._soft_404 = early_probe
        home = await self.fetcher.fetch_page(home_url)
        if not home.ok:
            detail = home.error or f"HTTP {home.status}"
            return self.snapshot(fetched_at, _reachability_of(home.fault), detail, home=home)
        self._soft_404 = asyncio.ensure_future(self._probe_where_home_is(early_probe, home))
        # The /food/ folder and both schemes do not depend on the section: asked for meanwhile.
        crawl_date = dt.date.fromisoformat(fetched_at[:10])
        self._extras = asyncio.gather(
            crawl_food(self.fetcher, home.final_url, crawl_date), probe_https(self.fetcher, home)
        )
        home_links = self.links(home)
        section = await self._find_section(home, home_links)
        probe, soft_404 = await self._soft_404
        if probe is not None and soft_404 is not None:
            self.trace.append(f"soft 404: {probe.url} answered {probe.status}")
        if section is None:
            food, https = await self._extras
            return self.snapshot(
                fetched_at, "no_section", "раздел не найден", home=home, food=food, https=https
            )
        subsections = await self._find_subsections(section)
        documents = await self._probe_documents(subsections)
        food, https = await self._extras
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
        links = self.links(section.page)
        traces: list[list[str]] = [[] for _ in self.subsections]
        found = await asyncio.gather(
            *(
                self._subsection(links, section, target, trace)
                for target, trace in zip(self.subsections, traces, strict=True)
            )
        )
        for trace in traces:  # in rulebook order, whatever order the answers came in
            self.trace.extend(trace)
        known = {target.key for target in self.subsections}
        for key, hrefs in linked_subsections(links, section.url, list(self.subsections)).items():
            if key not in known:  # e.g. «Доступная среда» at /sveden/ovz, a pre-1493 subsection
                self.trace.append(f"{key}: a subsection of the site's own ({', '.join(hrefs)})")
        subsections = tuple(subsection for subsection in found if subsection is not None)
        for subsection in subsections:
            back = section_index_hrefs(self.links(subsection.pages[0]), section.url)
            self.trace.append(
                f"{subsection.key}: back to the section index via {', '.join(back) or 'no link'}"
            )
        return subsections

    async def _subsection(
        self, links: list[Link], section: SectionSnapshot, target: SubsectionTarget, trace: list[str]
    ) -> SubsectionSnapshot | None:
        located = find_subsection_link(links, section.url, target)
        if located is None and urlsplit(section.url).path.rstrip("/").lower() == "/sveden":
            located = (standard_subsection_url(section.url, target), "standard_path")
        if located is None:
            trace.append(f"{target.key}: no link in the section index")
            return None
        page = await self.fetch(located[0], trace)
        walled = page is not None and page.error is None and page.status in _WALLED
        if page is None or not (page.ok or walled):
            status = "not fetched" if page is None else (page.error or page.status)
            trace.append(f"{target.key}: {located[0]} → {status}")
            return None
        trace.append(f"{target.key}: {page.final_url} ({located[1]}, HTTP {page.status})")
        # A page behind a login (401/403) is a subsection that exists but is closed (order 1493 p.4).
        pages = [page, *await self._add_ref_pages(page, trace)] if page.ok else [page]
        self._probe_documents_of(pages)
        return SubsectionSnapshot(key=target.key, url=page.final_url, found_by=located[1], pages=tuple(pages))

    async def _add_ref_pages(self, page: PageSnapshot, trace: list[str]) -> list[PageSnapshot]:
        refs = [link.url for link in self.links(page) if link.itemprop == "addRef"]
        wanted = list(dict.fromkeys(refs))[: self.fetcher.settings.max_add_refs]
        fetched = await asyncio.gather(*(self.fetch(url, trace) for url in wanted))
        return [page for page in fetched if page is not None and page.ok]

    async def _probe_documents(
        self, subsections: tuple[SubsectionSnapshot, ...]
    ) -> tuple[DocumentProbe, ...]:
        urls: dict[str, None] = {}
        for subsection in subsections:
            for page in subsection.pages:
                for link in self.links(page):
                    if link.marked:
                        urls[link.url] = None
        # The first `limit` in page order, whichever subsection happened to answer first.
        wanted = list(urls)[: self.fetcher.settings.max_documents_per_site]
        for url in wanted:
            if url not in self._probes:
                self._probes[url] = asyncio.ensure_future(self.fetcher.probe_document(url))
        return tuple(await asyncio.gather(*(self._probes[url] for url in wanted)))


async def crawl_site(
    fetcher: Fetcher, target: SiteTarget, subsections: Sequence[SubsectionTarget]
) -> SiteSnapshot:
    """Crawl one site within its time budget; never raises for a site's faults."""
    crawl = _SiteCrawl(fetcher, target, subsections)
    if target.url is None:
        return crawl.snapshot(_now(), "no_url", "адрес сайта не указан")
    if urlsplit(target.url).scheme not in ("http", "https"):
        return crawl.snapshot(_now(), "unreachable", f"non_http_scheme: {target.url}")
    async with fetcher.lease(target.url):
        try:
            async with asyncio.timeout(fetcher.settings.site_budget):
                return await crawl.run(target.url)
        except TimeoutError:
            detail = f"site_budget: превышено время на проверку сайта ({fetcher.settings.site_budget:g} с)"
            return crawl.snapshot(_now(), "unreachable", detail)


async def crawl_sites(
    targets: Iterable[SiteTarget],
    subsections: Sequence[SubsectionTarget],
    settings: CrawlSettings,
    stored: StoredPages | None = None,
) -> AsyncIterator[SiteSnapshot]:
    """Crawl many sites concurrently, yielding each snapshot as soon as it is ready.

    `settings.concurrent_sites` workers share one iterator of targets; at most that many
    finished snapshots wait for the consumer, so memory does not grow with the registry.
    """
    pending = iter(targets)
    ready: asyncio.Queue[SiteSnapshot | BaseException | None] = asyncio.Queue(settings.concurrent_sites)
    async with Fetcher(settings, stored) as fetcher:

        async def worker() -> None:
            for target in pending:
                await ready.put(await crawl_site(fetcher, target, subsections))

        async def run_workers() -> None:
            try:
                await asyncio.gather(*(worker() for _ in range(settings.concurrent_sites)))
            except Exception as exc:  # a bug, not a site's fault: hand it to the consumer
                await ready.put(exc)
            else:
                await ready.put(None)

        workers = asyncio.create_task(run_workers())
        try:
            while (item := await ready.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            workers.cancel()
            await asyncio.gather(workers, return_exceptions=True)
