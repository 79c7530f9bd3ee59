"""CPU meters for `bench.crawl`: where the crawl's CPU goes (fetching, parsing, storing).

The crawl runs in worker processes; each meters itself through the `MeteredWriter` it opens
as its keeper and leaves its figures in a folder when it closes it (`workers_figures` adds
them up).
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import crawler.fetcher
import crawler.site_crawler
from sveden.snapshot_store import RunWriter, SnapshotStore

__all__ = ["CpuMeter", "MeteredWriter", "instrument", "workers_figures"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class CpuMeter:
    """CPU seconds spent inside chosen functions (the crawler is single-threaded)."""

    seconds: dict[str, float] = field(default_factory=dict)

    def wrap(self, kind: str, function: F) -> F:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[kind] = self.seconds.get(kind, 0.0) + time.thread_time() - started

        return timed  # type: ignore[return-value]


def instrument(meter: CpuMeter) -> None:
    """Time the parsing steps where the crawler calls them (bench only; no product hooks)."""
    for module, name in (
        (crawler.fetcher, "decode_html"),
        (crawler.fetcher, "meta_refresh_url"),
        (crawler.site_crawler, "extract_links"),
        (crawler.site_crawler, "find_section_link"),
        (crawler.site_crawler, "find_subsection_link"),
    ):
        setattr(module, name, meter.wrap("parse", getattr(module, name)))
    SnapshotStore.put_snapshot = meter.wrap("store", SnapshotStore.put_snapshot)  # type: ignore[method-assign]


class MeteredWriter(RunWriter):
    """A crawl worker's `RunWriter` that meters the worker it is opened in and, when the worker
    closes it, leaves the worker's CPU figures in `folder` (one JSON file per worker)."""

    def __init__(self, folder: Path, path: Path, run_id: int) -> None:
        super().__init__(path, run_id)
        self._folder = folder
        self._meter = CpuMeter()
        instrument(self._meter)

    def close(self) -> None:
        super().close()
        figures = {
            "cpu": time.process_time(),
            "parse": self._meter.seconds.get("parse", 0.0),
            "store": self._meter.seconds.get("store", 0.0),
            "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        (self._folder / f"{os.getpid()}.json").write_text(json.dumps(figures), encoding="utf-8")


def workers_figures(folder: Path) -> tuple[float, float, float, float]:
    """CPU, parse and store seconds of all crawl workers, and the largest worker's peak RSS (MiB)."""
    figures = [json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*.json")]
    cpu, parse, store = (sum(f[kind] for f in figures) for kind in ("cpu", "parse", "store"))
    return cpu, parse, store, max(f["rss"] for f in figures)
