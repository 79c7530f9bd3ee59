"""Keep finished sites from a thread of their own, so that storing never stalls the crawl.

Storing a site (hashing and compressing each page, one SQLite transaction) takes
milliseconds, tens of them with a multi-MB staff page. On the event loop that is time every
other site's round trips wait, and the hosts that answer slowest, whose sites are the longest
chains of round trips, wait for it at every step. One keeper thread stores the sites instead,
one at a time in the order they finish; hashing, compression and SQLite release the GIL while
they work. A site is handed on only once it is stored, which an interrupted run relies on.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from crawler.discovery import SubsectionTarget
from crawler.fetcher import StoredPages
from crawler.settings import CrawlSettings
from crawler.site_crawler import SiteTarget, crawl_sites
from crawler.snapshot import SiteSnapshot

__all__ = ["SiteKeeper", "crawl_and_keep"]


class SiteKeeper(StoredPages, Protocol):
    """Where a crawl keeps its finished sites and reads last night's pages from (`StoredPages`,
    called on the event loop's thread)."""

    def keep(self, snapshot: SiteSnapshot) -> None:
        """Store one finished site (called on the keeper thread only, one site at a time)."""


async def crawl_and_keep(
    targets: Iterable[SiteTarget],
    subsections: Sequence[SubsectionTarget],
    settings: CrawlSettings,
    keeper: SiteKeeper,
) -> AsyncIterator[SiteSnapshot]:
    """Crawl `targets` (as `crawl_sites` does) and yield each site once `keeper` has stored it."""
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="site-keeper") as thread:
        async for snapshot in crawl_sites(targets, subsections, settings, keeper):
            await loop.run_in_executor(thread, keeper.keep, snapshot)
            yield snapshot
