"""Per-host politeness: at most N connections and a jittered delay between request starts.

This is the only place that sleeps or counts connections. Backoff and ``Retry-After`` waits
come here too (`HostSlot.defer`), so a throttling host is held back for every request, not
only for the one that was refused. Between a free connection and the pacing, each request
also passes the process's `LoadGate`, which, when the crawl is CPU-bound, lets the hosts
whose sites take longest at their own pace start first.
"""

from __future__ import annotations

import asyncio
import random
import time

from crawler.load_gate import LoadGate

__all__ = ["HostSlot"]


class HostSlot:
    """The connection cap and request pacing of one host (``name:port``).

    Usage::

        slot = HostSlot(connections=2, delay=0.25, gate=LoadGate(max_lag=0.05))
        async with slot.turn():
            ...  # one request
    """

    def __init__(self, connections: int, delay: float, gate: LoadGate) -> None:
        self._semaphore = asyncio.Semaphore(connections)
        self._delay = delay
        self._gate = gate
        self._pace = asyncio.Lock()
        self._next_start = 0.0
        #: Seconds a request to this host takes, smoothed (None until one has ended).
        self.answer_time: float | None = None

    def slow_down(self, delay: float) -> None:
        """Raise the delay (a robots.txt ``Crawl-delay``); never lowers it."""
        self._delay = max(self._delay, delay)

    def defer(self, seconds: float) -> None:
        """Start nothing on this host for `seconds` (backoff, ``Retry-After``)."""
        self._next_start = max(self._next_start, time.monotonic() + seconds)

    def turn(self) -> _Turn:
        """Wait for a free connection and for the delay since the last start to pass."""
        return _Turn(self)

    async def _enter(self) -> bool:
        """Returns whether the gate let the request start without queueing (see `LoadGate`)."""
        await self._semaphore.acquire()
        try:
            unqueued = await self._gate.admit(self._best_pace())
        except BaseException:
            self._semaphore.release()
            raise
        try:
            async with self._pace:
                wait = self._next_start - time.monotonic()
                while wait > 0:  # a `defer` may push the start further while we sleep
                    await asyncio.sleep(wait)
                    wait = self._next_start - time.monotonic()
                self._next_start = time.monotonic() + self._delay * random.uniform(0.5, 1.5)
        except BaseException:
            self._gate.release(unqueued)
            self._semaphore.release()
            raise
        return unqueued

    def _best_pace(self) -> float | None:
        """Seconds each step of this host's chain of requests takes at best: the per-host delay
        or its answer time, whichever is longer (None until a request has ended)."""
        if self.answer_time is None:
            return None
        return max(self._delay, self.answer_time)

    def _exit(self, seconds: float, unqueued: bool) -> None:
        self.answer_time = seconds if self.answer_time is None else 0.7 * self.answer_time + 0.3 * seconds
        self._gate.release(unqueued)
        self._semaphore.release()


class _Turn:
    """One request's turn on a host (a plain class: cheaper than a generator per request)."""

    __slots__ = ("_slot", "_started", "_unqueued")

    def __init__(self, slot: HostSlot) -> None:
        self._slot = slot
        self._started = 0.0
        self._unqueued = False

    async def __aenter__(self) -> None:
        self._unqueued = await self._slot._enter()
        self._started = time.monotonic()

    async def __aexit__(self, *exc_info: object) -> None:
        self._slot._exit(time.monotonic() - self._started, self._unqueued)
