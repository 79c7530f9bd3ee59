"""Crawl on several CPUs: one process per worker, each running its own event loop.

Parsing and HTTP in Python cost CPU, and one event loop uses one core: with hundreds of
polite hosts in flight a single process, not politeness, sets the pace. Workers split the
sites by host (a stable hash of the host name), so every school host is crawled by exactly
one worker and keeps its per-host limits; a document host linked by schools in different
workers may see the limits once per worker, as it does across matrix shards.

Each worker keeps its finished snapshots itself (through the `SiteKeeper` it opens: the
snapshot store, whose SQLite WAL lets several processes write in turn; see `crawler.keeper`)
and sends the parent only a small `SiteSummary` per site, so no page crosses a process
boundary twice. A worker whose parent dies (``kill -9``) exits on its own.

Workers are forked from a fork server that has imported the crawler and the parent's main
module once (see `_preload`): spawned workers would each import them again, about a second
for the CLI, before their first request; and a worker forked from the parent itself would
inherit whatever threads and event loop the parent runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import multiprocessing
import os
import sys
import threading
import types
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import closing
from dataclasses import replace
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from crawler import event_loop
from crawler.discovery import SubsectionTarget
from crawler.keeper import SiteKeeper, crawl_and_keep
from crawler.settings import CrawlSettings
from crawler.site_crawler import SiteTarget
from crawler.snapshot import SiteSummary

__all__ = ["ClosableKeeper", "crawl_in_workers", "partition_by_host"]


class ClosableKeeper(SiteKeeper, Protocol):
    """A `SiteKeeper` that a worker closes once its share is crawled."""

    def close(self) -> None:
        """Release what the keeper holds (called once, in the worker)."""


#: Opens, in a worker process, where that worker keeps its sites.
KeeperFactory = Callable[[], ClosableKeeper]


def partition_by_host(targets: Sequence[SiteTarget], workers: int) -> list[list[SiteTarget]]:
    """Split targets so that all sites of one host go to the same worker."""
    parts: list[list[SiteTarget]] = [[] for _ in range(workers)]
    for target in targets:
        host = (urlsplit(target.url).hostname or "") if target.url else target.school_id
        digest = hashlib.sha256(host.encode("utf-8")).digest()
        parts[int.from_bytes(digest[:8], "big") % workers].append(target)
    return parts


def _preload() -> list[str]:
    """What the fork server imports once for all workers: its setup, the crawler and the main
    module's imports.

    A worker runs the parent's main module again before its first request (as "spawn" does):
    with the main module's imports done in the fork server, that costs only its own body. A
    main run with ``-m`` is imported by its name; of a main script (such as the ``sveden``
    command), the modules of the functions it holds (a command's entry point). "__main__" too,
    for the Pythons that import a main script in the fork server (CPython gh-126631).
    """
    main = sys.modules["__main__"]
    spec = getattr(main, "__spec__", None)
    entry_points = {
        value.__module__
        for value in vars(main).values()
        if isinstance(value, types.FunctionType) and value.__module__ != "__main__"
    }
    names = ["crawler.fork_server", __name__, "__main__", *([spec.name] if spec else [])]
    return list(dict.fromkeys([*names, *sorted(entry_points)]))


def _start_fork_server() -> None:
    """Start the fork server, if not running, searching for modules where this process does.

    Before Python 3.12.8 and 3.13.1 the fork server ignores this process's ``sys.path`` and
    searches the working directory first (CPython gh-117378): a ``crawler`` package there, from
    another project or another checkout, would be what the workers run. The server is given
    this process's path in its environment instead, without the working directory (the
    workaround the fix names; its workers inherit that environment, this process keeps its own).
    """
    names = ("PYTHONPATH", "PYTHONSAFEPATH")
    saved = {name: os.environ.get(name) for name in names}
    os.environ["PYTHONPATH"] = os.pathsep.join(str(Path(path).absolute()) for path in sys.path)
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        forkserver.ensure_running()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()  # returns once the parent process is gone
        os._exit(1)


def _work(
    connection: Connection,
    targets: list[SiteTarget],
    subsections: list[SubsectionTarget],
    settings: CrawlSettings,
    open_keeper: KeeperFactory,
) -> None:
    """A worker process: crawl its share, keep each snapshot, send its summary."""
    threading.Thread(target=_exit_with_parent, daemon=True).start()

    async def run(keeper: ClosableKeeper) -> None:
        async for snapshot in crawl_and_keep(targets, subsections, settings, keeper):
            connection.send_bytes(SiteSummary.of(snapshot).model_dump_json().encode("utf-8"))

    try:
        with closing(open_keeper()) as keeper:
            event_loop.run(run(keeper))
    finally:
        connection.close()


def _share_of(settings: CrawlSettings, sites: int, total: int) -> CrawlSettings:
    """A worker's settings: its part of `concurrent_sites`, in proportion to its `sites`."""
    return replace(settings, concurrent_sites=max(1, math.ceil(settings.concurrent_sites * sites / total)))


async def crawl_in_workers(
    targets: Sequence[SiteTarget],
    subsections: Sequence[SubsectionTarget],
    settings: CrawlSettings,
    open_keeper: KeeperFactory,
) -> AsyncIterator[SiteSummary]:
    """Crawl `targets` in `settings.workers` processes; yields each site's summary once it is kept.

    `settings.concurrent_sites` is shared among the workers in proportion to their shares (a
    hash never splits hosts exactly evenly, and an even split would leave the last sites of
    the larger share to start late). `open_keeper` opens, in each worker, where sites are
    kept; it must be picklable.
    """
    shares = [share for share in partition_by_host(targets, max(1, settings.workers)) if share]
    if not shares:
        return
    context = multiprocessing.get_context("forkserver")
    # Takes effect when the fork server starts: at this process's first crawl in workers.
    context.set_forkserver_preload(_preload())
    _start_fork_server()
    loop = asyncio.get_running_loop()
    arrived: asyncio.Queue[bytes | None] = asyncio.Queue()
    processes = []
    readers = []
    for share in shares:
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(
            target=_work,
            args=(
                sending,
                share,
                list(subsections),
                _share_of(settings, len(share), len(targets)),
                open_keeper,
            ),
            daemon=True,
        )
        process.start()
        sending.close()
        processes.append(process)

        def read(connection: Connection = receiving) -> None:
            try:
                while True:
                    loop.call_soon_threadsafe(arrived.put_nowait, connection.recv_bytes())
            except (EOFError, OSError):
                loop.call_soon_threadsafe(arrived.put_nowait, None)
            finally:
                connection.close()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        readers.append(reader)
    try:
        finished = 0
        while finished < len(shares):
            data = await arrived.get()
            if data is None:
                finished += 1
                continue
            yield SiteSummary.model_validate_json(data)
        for process in processes:
            process.join(10)
        failed = [process.exitcode for process in processes if process.exitcode != 0]
        if failed:
            raise RuntimeError(f"a crawl worker failed (exit codes {failed})")
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
