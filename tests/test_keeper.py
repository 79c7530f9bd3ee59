"""Finished sites are stored from a thread of their own: the crawl's event loop goes on meanwhile,
and a site is handed on only once it is stored."""

from __future__ import annotations

import asyncio
import threading
from contextlib import closing
from pathlib import Path

from crawler import event_loop
from crawler.fetcher import StoredPage
from crawler.keeper import crawl_and_keep
from crawler.settings import CrawlSettings
from crawler.site_crawler import SiteTarget
from crawler.snapshot import SiteSnapshot
from sveden.snapshot_store import RunWriter, SnapshotStore


class _SlowKeeper:
    """Keeps the first site only once the event loop has shown it is still running."""

    def __init__(self) -> None:
        self.loop_ran = threading.Event()
        self.kept: list[str] = []
        self.threads: set[str] = set()

    def stored_validators(self, url: str) -> tuple[str | None, str | None] | None:
        return None

    def stored_page(self, url: str) -> StoredPage | None:
        return None

    def keep(self, snapshot: SiteSnapshot) -> None:
        self.threads.add(threading.current_thread().name)
        if not self.kept:
            assert self.loop_ran.wait(timeout=5), "the event loop stood still while a site was stored"
        self.kept.append(snapshot.school_id)


def test_the_event_loop_runs_while_a_site_is_stored_and_sites_come_out_once_stored() -> None:
    keeper = _SlowKeeper()
    targets = [SiteTarget(f"school-{n}", None) for n in range(3)]  # no address: no request needed

    async def run() -> list[tuple[str, list[str]]]:
        async def heartbeat() -> None:
            await asyncio.sleep(0.05)
            keeper.loop_ran.set()

        beating = asyncio.create_task(heartbeat())
        out = [
            (snapshot.school_id, list(keeper.kept))
            async for snapshot in crawl_and_keep(targets, [], CrawlSettings(), keeper)
        ]
        await beating
        return out

    out = event_loop.run(run())
    assert [school for school, _ in out] == ["school-0", "school-1", "school-2"]
    for school, kept_then in out:
        assert school in kept_then  # handed on after it was stored, never before
    assert keeper.threads and threading.main_thread().name not in keeper.threads


def test_run_writer_stores_from_the_keeper_thread(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with SnapshotStore(path) as store:
        run = store.start_run()
    targets = [SiteTarget("school-1", None), SiteTarget("school-2", None)]

    async def run_crawl() -> list[str]:
        with closing(RunWriter(path, run)) as writer:
            return [
                snapshot.school_id async for snapshot in crawl_and_keep(targets, [], CrawlSettings(), writer)
            ]

    assert event_loop.run(run_crawl()) == ["school-1", "school-2"]
    with SnapshotStore(path) as store:
        assert store.school_ids(run) == {"school-1", "school-2"}
