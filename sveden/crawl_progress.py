"""What a crawl shows while it runs and when it ends, on stderr.

On a terminal: a rich progress bar with sites done, pages per second and errors, then a
summary. Elsewhere (CI logs, a pipe): one JSON object per line, one per site and one summary,
for machines to read.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from crawler.snapshot import SiteSummary

__all__ = ["CrawlTally", "crawl_progress"]

_AUDITABLE = ("ok", "no_section")


@dataclass
class CrawlTally:
    """Running totals of a crawl."""

    total: int
    resumed: int = 0
    sites: int = 0
    pages: int = 0
    not_modified: int = 0
    documents: int = 0
    errors: int = 0
    reachability: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def add(self, site: SiteSummary) -> dict[str, object]:
        """Count one site; returns its own figures."""
        site_error = site.reachability not in _AUDITABLE and site.reachability != "no_url"
        self.sites += 1
        self.pages += site.pages
        self.not_modified += site.not_modified
        self.documents += site.documents
        self.errors += len(site.faults) + site_error
        self.reachability[site.reachability] += 1
        self.faults.update(site.faults)
        return {
            "school_id": site.school_id,
            "reachability": site.reachability,
            "pages": site.pages,
            "documents": site.documents,
            "errors": len(site.faults) + site_error,
        }

    @property
    def elapsed(self) -> float:
        """Seconds since the crawl started."""
        return time.monotonic() - self.started

    @property
    def pages_per_second(self) -> float:
        """Pages fetched per second so far."""
        return self.pages / self.elapsed if self.elapsed > 0 else 0.0

    def summary(self) -> dict[str, object]:
        """The end-of-crawl figures."""
        return {
            "sites": self.sites + self.resumed,
            "crawled": self.sites,
            "resumed": self.resumed,
            "pages": self.pages,
            "not_modified": self.not_modified,
            "documents": self.documents,
            "errors": self.errors,
            "seconds": round(self.elapsed, 1),
            "pages_per_second": round(self.pages_per_second, 1),
            "reachability": dict(sorted(self.reachability.items())),
            "faults": dict(sorted(self.faults.items())),
        }


def _human_summary(run_id: int, tally: CrawlTally) -> str:
    figures = tally.summary()
    parts = ", ".join(f"{name} {count}" for name, count in sorted(tally.reachability.items()))
    faults = ", ".join(f"{name} {count}" for name, count in tally.faults.most_common())
    return (
        f"crawl: run {run_id}: {figures['sites']} sites ({tally.resumed} already stored), "
        f"{tally.pages} pages ({tally.not_modified} unchanged, 304), {tally.documents} documents, "
        f"{tally.errors} errors in {tally.elapsed:.0f} s, {tally.pages_per_second:.1f} pages/s\n"
        f"  sites: {parts or 'none'}\n  faults: {faults or 'none'}"
    )


@contextmanager
def crawl_progress(
    run_id: int, total: int, resumed: int, stream: TextIO | None = None
) -> Iterator[Callable[[SiteSummary], None]]:
    """Yield the per-site callback; show progress and, at the end, the summary on `stream`."""
    out = stream or sys.stderr
    tally = CrawlTally(total=total, resumed=resumed)
    if not out.isatty():

        def log_line(summary: SiteSummary) -> None:
            site = tally.add(summary)
            event = {"event": "site", "run": run_id, "done": tally.sites + resumed, "total": total, **site}
            print(json.dumps(event, ensure_ascii=False), file=out, flush=True)

        yield log_line
        summary = {"event": "summary", "run": run_id, "total": total, **tally.summary()}
        print(json.dumps(summary, ensure_ascii=False), file=out, flush=True)
        return
    columns = (
        TextColumn("сайты"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} стр/с · ошибок {task.fields[errors]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    console = Console(file=out)
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("crawl", total=total, completed=resumed, rate=0.0, errors=0)

        def advance(summary: SiteSummary) -> None:
            tally.add(summary)
            progress.update(task, advance=1, rate=tally.pages_per_second, errors=tally.errors)

        yield advance
    console.print(_human_summary(run_id, tally), highlight=False, soft_wrap=True)
