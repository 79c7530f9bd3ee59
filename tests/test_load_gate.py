"""The load gate: request starts beyond the limit wait, slowest hosts first, and the limit
follows the event loop's lag."""

from __future__ import annotations

import asyncio
import time

from crawler.load_gate import LoadGate


async def _admitted_order(gate: LoadGate, paces: list[float | None]) -> list[float | None]:
    order: list[float | None] = []

    async def request(pace: float | None) -> None:
        await gate.admit(pace)
        order.append(pace)

    waiting = [asyncio.create_task(request(pace)) for pace in paces]
    await asyncio.sleep(0)  # all of them queue behind the requests in flight
    for _ in paces:
        gate.release()
        await asyncio.sleep(0)
    await asyncio.gather(*waiting)
    return order


def test_waiting_requests_start_slowest_host_first() -> None:
    async def scenario() -> list[float | None]:
        gate = LoadGate(max_lag=10.0, initial_limit=2, min_limit=1)
        await gate.admit(0.1)
        await gate.admit(0.1)
        return await _admitted_order(gate, [0.05, 0.3, 0.7, None, 0.2])

    # A host not heard from yet first (its first answer tells its pace), then the slowest first.
    assert asyncio.run(scenario()) == [None, 0.7, 0.3, 0.2, 0.05]


def test_a_quick_host_that_waited_long_is_not_starved() -> None:
    async def scenario() -> list[float | None]:
        gate = LoadGate(max_lag=10.0, initial_limit=1, min_limit=1)
        await gate.admit(0.1)
        order: list[float | None] = []

        async def request(pace: float) -> None:
            await gate.admit(pace)
            order.append(pace)

        early = asyncio.create_task(request(0.05))
        # The later host is credited 50 × 0.01 s = 0.5 s more: less than the 0.6 s the early one waited.
        await asyncio.sleep(0.6)
        late = asyncio.create_task(request(0.06))
        await asyncio.sleep(0)
        gate.release()
        await asyncio.sleep(0)
        gate.release()
        await asyncio.gather(early, late)
        return order

    assert asyncio.run(scenario()) == [0.05, 0.06]


def test_cancelled_waiters_give_their_place_back() -> None:
    async def scenario() -> tuple[int, bool]:
        gate = LoadGate(max_lag=10.0, initial_limit=1, min_limit=1)
        await gate.admit(0.1)
        cancelled = asyncio.create_task(gate.admit(0.7))
        served = asyncio.create_task(gate.admit(0.1))
        await asyncio.sleep(0)
        cancelled.cancel()
        await asyncio.sleep(0)
        gate.release()
        await asyncio.wait_for(served, 1.0)
        return gate.in_flight, served.done()

    assert asyncio.run(scenario()) == (1, True)


def test_the_limit_shrinks_while_the_loop_lags_and_grows_while_requests_wait() -> None:
    async def scenario() -> tuple[float, float, float]:
        gate = LoadGate(max_lag=0.02, initial_limit=100, min_limit=4)
        for _ in range(100):
            await gate.admit(0.1)
        waiting = asyncio.create_task(gate.admit(0.1))
        start = gate.limit
        for _ in range(5):
            time.sleep(0.1)  # the loop is busy: every measurement sees a lag of about 0.1 s
            await asyncio.sleep(0.06)
        lagging = gate.limit
        await asyncio.wait_for(waiting, 5.0)  # once the loop keeps up, the limit grows again
        return start, lagging, gate.limit

    start, lagging, recovered = asyncio.run(scenario())
    assert lagging < start
    assert recovered > 100


def test_zero_lag_turns_the_gate_off() -> None:
    async def scenario() -> int:
        gate = LoadGate(max_lag=0.0, initial_limit=1, min_limit=1)
        for _ in range(50):
            await asyncio.wait_for(gate.admit(0.1), 0.1)
        return gate.in_flight

    assert asyncio.run(scenario()) == 50


def test_a_very_slow_hosts_request_starts_without_queueing_up_to_a_share_of_the_limit() -> None:
    async def scenario() -> tuple[list[bool], int, list[float]]:
        gate = LoadGate(max_lag=10.0, initial_limit=8, min_limit=1)
        for _ in range(8):
            await gate.admit(0.1)
        order: list[float] = []

        async def request(pace: float) -> None:
            await gate.admit(pace)
            order.append(pace)

        queued = asyncio.create_task(request(0.3))  # a quick host waits for a free place
        await asyncio.sleep(0)
        # Hosts a second per step start at once, two of them (a quarter of the limit of 8).
        unqueued = [await gate.admit(1.0), await gate.admit(1.0)]
        third = asyncio.create_task(request(1.0))  # the share is used: this one queues, first in line
        await asyncio.sleep(0)
        in_flight = gate.in_flight
        gate.release(unqueued=True)
        gate.release()
        gate.release()
        await asyncio.gather(queued, third)
        return unqueued, in_flight, order

    unqueued, in_flight, order = asyncio.run(scenario())
    assert unqueued == [True, True]
    assert in_flight == 10
    assert order == [1.0, 0.3]
