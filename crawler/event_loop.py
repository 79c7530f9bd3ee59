"""The event loop crawls run on: uvloop where it exists (Linux, macOS), else asyncio's own.

uvloop runs the same coroutines with about a fifth less CPU per request (measured with
`bench.crawl`), and a crawl is CPU-bound long before it is politeness-bound. For the same
reason the cyclic garbage collector runs less often while a crawl's loop runs: what was
loaded before (rulebook, modules) is frozen out of its scans, and the youngest generation is
collected every `GC_YOUNG_THRESHOLD` allocations instead of every 700.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

__all__ = ["GC_YOUNG_THRESHOLD", "run"]

T = TypeVar("T")

#: Net allocations between two collections of the youngest generation during a crawl.
GC_YOUNG_THRESHOLD = 50_000


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` to completion on a new event loop."""
    with _fewer_collections():
        try:
            import uvloop
        except ImportError:  # Windows: uvloop is not built there
            return asyncio.run(main)
        return uvloop.run(main)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect cycles less often for the duration of a crawl (every setting is restored)."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
