"""Admission of request starts while the crawl is CPU-bound, slowest hosts first.

A site's crawl is a chain of round trips (robots.txt → home → section → subsections →
documents). When a process has more requests in flight than its event loop keeps up with,
every round trip also waits its turn on the loop, and the sites with the longest chains — the
hosts that answer slowest — finish last, long after all the others: the whole crawl waits for
them. The gate keeps the loop responsive instead: it lets a request start only while fewer
than `limit` are in flight, and adapts `limit` to the loop's lag (grown while the loop keeps
up and requests wait, shrunk while it lags). Waiting requests go in order of how long the
rest of their site would take at the host's own pace (each step the longer of the per-host
delay and the host's answer time, times `SITE_REQUESTS`): the slow hosts' chains run at their
own pace, and the quick sites, whose steps the delay sets, share the remaining CPU evenly. As
that credit is bounded, a quick host is passed over for a bounded time only, never starved.
A host that takes most of a second per step does not queue at all (up to a share of the
limit): the crawl would end up waiting for its chain, and it adds few requests per second.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools

__all__ = ["SITE_REQUESTS", "LoadGate"]

#: Requests of a typical site's crawl (section, 14 subsections, their documents, robots.txt).
SITE_REQUESTS = 50.0
#: Seconds between two measurements of the loop's lag.
_INTERVAL = 0.05
#: Hosts this slow (seconds per step at best) start their requests without queueing...
_UNQUEUED_PACE = 0.75
#: ...while such requests are fewer than this share of the limit.
_UNQUEUED_SHARE = 0.25


class LoadGate:
    """How many requests one event loop has in flight, and who starts next.

    Usage::

        gate = LoadGate(max_lag=0.05)
        unqueued = await gate.admit(pace=0.3)
        try:
            ...  # one request
        finally:
            gate.release(unqueued)
    """

    def __init__(self, max_lag: float, initial_limit: int = 256, min_limit: int = 16) -> None:
        self.max_lag = max_lag
        self.limit = float(initial_limit)
        self._min_limit = min_limit
        self.in_flight = 0
        #: Requests in flight that started without queueing (`_UNQUEUED_PACE`).
        self.unqueued = 0
        self._waiting: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._ticking = False

    async def admit(self, pace: float | None) -> bool:
        """Wait for a turn to start a request to a host whose steps take `pace` seconds at best
        (None: not known yet, as for a host's first request, which goes first). Returns whether
        it started without queueing as a slow host's; pass that to `release`."""
        if self.max_lag <= 0 or (self.in_flight < self.limit and not self._waiting):
            self.in_flight += 1
            self._start_ticking()
            return False
        if pace is not None and pace >= _UNQUEUED_PACE and self.unqueued < self.limit * _UNQUEUED_SHARE:
            self.in_flight += 1
            self.unqueued += 1
            self._start_ticking()
            return True
        loop = asyncio.get_running_loop()
        credit = float("inf") if pace is None else SITE_REQUESTS * pace
        turn: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiting, (loop.time() - credit, next(self._order), turn))
        self._start_ticking()
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # admitted just before being cancelled
                self.release()
            raise
        return False

    def release(self, unqueued: bool = False) -> None:
        """A request admitted by `admit` has ended (`unqueued`: what `admit` returned)."""
        self.in_flight -= 1
        self.unqueued -= unqueued
        self._wake()

    def _wake(self) -> None:
        while self._waiting and self.in_flight < self.limit:
            turn = heapq.heappop(self._waiting)[2]
            if not turn.done():  # a cancelled waiter left its place
                self.in_flight += 1
                turn.set_result(None)

    def _start_ticking(self) -> None:
        if not self._ticking and self.max_lag > 0:
            self._ticking = True
            loop = asyncio.get_running_loop()
            loop.call_later(_INTERVAL, self._tick, loop, loop.time() + _INTERVAL)

    def _tick(self, loop: asyncio.AbstractEventLoop, due: float) -> None:
        lag = loop.time() - due
        if lag > self.max_lag:
            self.limit = max(self._min_limit, self.limit * 0.9)
        elif self._waiting:
            self.limit = self.limit * 1.05 + 1
        self._wake()
        if self.in_flight or self._waiting:
            loop.call_later(_INTERVAL, self._tick, loop, loop.time() + _INTERVAL)
        else:
            self._ticking = False
