"""Per-host politeness: at most N connections and a jittered delay between requests.

This is the only place that sleeps or counts connections.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["HostSlot", "Politeness"]


class HostSlot:
    """The connection cap and request pacing of one host."""

    def __init__(self, connections: int, delay: float) -> None:
        self._semaphore = asyncio.Semaphore(connections)
        self._delay = delay
        self._pace = asyncio.Lock()
        self._next_start = 0.0

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for a free connection and for the delay since the last request to pass."""
        async with self._semaphore:
            async with self._pace:
                wait = self._next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_start = time.monotonic() + self._delay * random.uniform(0.5, 1.5)
            yield


class Politeness:
    """Host slots, created on first use."""

    def __init__(self, connections: int, delay: float) -> None:
        self._connections = connections
        self._delay = delay
        self._slots: dict[str, HostSlot] = {}

    def slot(self, host: str) -> HostSlot:
        """The slot of `host` (``name:port``)."""
        if host not in self._slots:
            self._slots[host] = HostSlot(self._connections, self._delay)
        return self._slots[host]
