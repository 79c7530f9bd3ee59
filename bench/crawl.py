"""Crawl benchmark: the crawler, with its default politeness, against a simulated farm of schools.

Run ``python -m bench.crawl`` (``make bench``); ``--hosts`` sets the farm size (default 1,000).

Reports, from one run:

* wall time against the lower bound the default politeness settings allow, and their ratio
  (efficiency). Per host the bound is the largest of: its request starts spaced by the mean
  per-host delay, ``(n − 1)·delay + latency``; its requests two at a time, ``⌈n / 2⌉·latency``;
  its chain of dependent requests (robots.txt → home → section → subsection → document),
  ``depth·latency``. The farm's bound is the largest host bound, or the sum of host bounds
  shared among the sites in flight, whichever is larger. Backoff waits are left out, so it is
  a true lower bound;
* when the last site of each host kind finished (with the crawl CPU-bound, the hosts that
  answer slowest go first, so they should not be the last);
* CPU ms per request: fetching (everything but parsing and the store), parsing (decoding,
  link extraction, discovery), storing;
* peak RSS, and RSS as the crawl passes each quarter of the registry (flat = memory does not
  grow with the registry);
* the same requests replayed by plain aiohttp (one session, two connections per host, same
  number of hosts in flight, same event loop), and its CPU ms per request: the baseline.

The farm runs in a separate process, so CPU figures are the crawler's own. The load average,
a reference loop's time and the CPU time taken by other guests of a virtual machine's host are
printed because the machine may be shared: a CPU-bound crawl is slower when the machine is.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import timeit
from collections.abc import AsyncIterator
from contextlib import closing
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from bench.farm import HostSpec, farm_hosts, serve
from bench.worker_meter import CpuMeter, MeteredWriter, instrument, workers_figures
from checks.rulebook import load_rulebook
from crawler import event_loop
from crawler.discovery import SubsectionTarget
from crawler.keeper import crawl_and_keep
from crawler.settings import CrawlSettings
from crawler.site_crawler import SiteTarget
from crawler.snapshot import SiteSummary
from crawler.worker_pool import crawl_in_workers
from sveden.pipeline import subsection_targets
from sveden.snapshot_store import RunWriter, SnapshotStore

__all__ = ["main"]


def _reference_ms() -> float:
    """Milliseconds of a fixed pure-Python loop (best of five): how fast this machine is now.
    Shared machines vary; a crawl that is CPU-bound varies with them."""
    return min(timeit.repeat("sum(range(1_000_000))", number=1, repeat=5)) * 1000


def _stolen_share(before: Any, after: Any) -> float | None:
    """Share of CPU time the hypervisor gave to others between two `psutil.cpu_times()`
    (None where the system does not report it)."""
    if not hasattr(before, "steal"):
        return None
    total = sum(after) - sum(before)
    return (after.steal - before.steal) / total if total > 0 else 0.0


def _raise_open_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 16_384 if hard == resource.RLIM_INFINITY else min(hard, 16_384)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


@dataclass
class _CrawlFigures:
    wall: float
    cpu: float
    store_cpu: float
    sites: int
    rss_by_quarter: list[float]
    finished: dict[str, float]
    reachability: dict[str, int]
    faults: dict[str, int]


async def _crawl(
    targets: list[SiteTarget],
    subsections: list[SubsectionTarget],
    settings: CrawlSettings,
    store: SnapshotStore,
    meter: CpuMeter,
    workers_folder: Path,
) -> _CrawlFigures:
    run = store.start_run()
    process = psutil.Process()
    quarters = [math.ceil(len(targets) * q / 4) for q in (1, 2, 3, 4)]
    rss: list[float] = []
    reachability: dict[str, int] = {}
    faults: dict[str, int] = {}
    finished: dict[str, float] = {}
    cpu_started, started = time.process_time(), time.perf_counter()
    done = 0

    async def sites() -> AsyncIterator[SiteSummary]:
        # As `sveden.pipeline.crawl_into_store` does it.
        if settings.workers > 1:
            writer = partial(MeteredWriter, workers_folder, store.path, run)
            async for site in crawl_in_workers(targets, subsections, settings, writer):
                yield site
        else:
            with closing(RunWriter(store.path, run)) as keeper:
                async for snapshot in crawl_and_keep(targets, subsections, settings, keeper):
                    yield SiteSummary.of(snapshot)

    async for site in sites():
        done += 1
        finished[site.school_id] = time.perf_counter() - started
        reachability[site.reachability] = reachability.get(site.reachability, 0) + 1
        for fault in site.faults:
            faults[fault] = faults.get(fault, 0) + 1
        if done in quarters:
            rss.append(process.memory_info().rss / 2**20)
    store.finish_run(run, "complete")
    return _CrawlFigures(
        wall=time.perf_counter() - started,
        cpu=time.process_time() - cpu_started,
        store_cpu=meter.seconds.get("store", 0.0),
        sites=done,
        rss_by_quarter=rss,
        finished=finished,
        reachability=dict(sorted(reachability.items())),
        faults=dict(sorted(faults.items())),
    )


def _depth(paths: list[str]) -> int:
    if any(path.startswith("/files/") for path in paths):
        return 5
    if any(path.startswith("/sveden/") and path != "/sveden/" for path in paths):
        return 4
    return 3 if "/sveden/" in paths else 2 if "/" in paths else 1


def _lower_bound(
    hosts: list[HostSpec], requests: dict[str, list[tuple[str, str]]], settings: CrawlSettings
) -> float:
    bounds = []
    for spec in hosts:
        paths = [path for method, path in requests.get(spec.address, []) if method != "CONNECT"]
        count = len(paths)
        if count == 0:
            continue
        bounds.append(
            max(
                (count - 1) * settings.per_host_delay + spec.latency,
                math.ceil(count / settings.per_host_connections) * spec.latency,
                _depth(paths) * spec.latency,
            )
        )
    return max(max(bounds), sum(bounds) / settings.concurrent_sites)


def _last_finished(hosts: list[HostSpec], finished: dict[str, float]) -> dict[str, float]:
    """When the last site of each host kind was done, in seconds from the crawl's start."""
    last: dict[str, float] = {}
    for n, spec in enumerate(hosts):
        seconds = finished.get(f"school-{n}")
        if seconds is not None:
            last[spec.kind] = max(last.get(spec.kind, 0.0), seconds)
    return dict(sorted(last.items(), key=lambda item: item[1]))


async def _aiohttp_replay(
    port: int, requests: dict[str, list[tuple[str, str]]], settings: CrawlSettings
) -> tuple[float, float, int]:
    """The same requests with plain aiohttp; returns wall seconds, CPU seconds, failures."""
    failures = 0
    hosts_in_flight = asyncio.Semaphore(settings.concurrent_sites)
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=settings.per_host_connections)
    headers = {"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"}
    cpu_started, started = time.process_time(), time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def one(method: str, url: str) -> None:
            nonlocal failures
            try:
                async with session.request(method, url, allow_redirects=False) as response:
                    await response.read()
            except (aiohttp.ClientError, OSError):
                failures += 1

        async def host(address: str, wanted: list[tuple[str, str]]) -> None:
            async with hosts_in_flight:
                await asyncio.gather(
                    *(one(method, f"http://{address}:{port}{path}") for method, path in wanted)
                )

        await asyncio.gather(
            *(
                host(address, [(m, p) for m, p in wanted if m != "CONNECT"])
                for address, wanted in requests.items()
            )
        )
    return time.perf_counter() - started, time.process_time() - cpu_started, failures


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.crawl", description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=1000, help="school hosts in the farm (default: 1000)")
    args = parser.parse_args(argv)
    _raise_open_files()
    hosts = farm_hosts(args.hosts)
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    farm = context.Process(target=serve, args=(hosts, child), daemon=True)
    farm.start()
    port = int(parent.recv())
    # The default settings; only the farm's loopback network is let through the address guard.
    settings = replace(CrawlSettings(), allowed_networks=("127.100.0.0/16",))
    targets = [SiteTarget(f"school-{n}", f"http://{spec.address}:{port}/") for n, spec in enumerate(hosts)]
    load_before = os.getloadavg()
    reference = _reference_ms()
    times_before = psutil.cpu_times()
    meter = CpuMeter()
    instrument(meter)
    with tempfile.TemporaryDirectory() as folder, SnapshotStore(Path(folder) / "bench.sqlite3") as store:
        cpu_dir = Path(folder) / "cpu"
        cpu_dir.mkdir()
        subsections = subsection_targets(load_rulebook())
        figures = event_loop.run(_crawl(targets, subsections, settings, store, meter, cpu_dir))
        workers_cpu, workers_parse, workers_store, workers_rss = workers_figures(cpu_dir)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    parent.send("stats")
    requests, peaks, opened = parent.recv()
    farm_cpu = sum(psutil.Process(farm.pid).cpu_times()[:2])
    load_after_crawl = os.getloadavg()
    stolen = _stolen_share(times_before, psutil.cpu_times())
    # On the same event loop as the crawler, so that only the HTTP clients differ.
    base_wall, base_cpu, base_failures = event_loop.run(_aiohttp_replay(port, requests, settings))
    parent.send("stop")
    farm.join(timeout=10)

    total = sum(sum(method != "CONNECT" for method, _ in wanted) for wanted in requests.values())
    bound = _lower_bound(hosts, requests, settings)
    parse_cpu = meter.seconds.get("parse", 0.0) + workers_parse
    crawl_cpu = figures.cpu + workers_cpu
    store_cpu = figures.store_cpu + workers_store
    fetch_cpu = crawl_cpu - parse_cpu - store_cpu

    def per_request(seconds: float) -> float:
        return seconds * 1000 / total

    kinds: dict[str, int] = {}
    over_cap: dict[str, int] = {}
    for spec in hosts:
        kinds[spec.kind] = kinds.get(spec.kind, 0) + 1
        if peaks.get(spec.address, 0) > settings.per_host_connections:
            over_cap[spec.kind] = over_cap.get(spec.kind, 0) + 1
    reopened = {spec.kind for spec in hosts if spec.kind != "resetting" and opened.get(spec.address, 0) > 2}
    lines = [
        f"farm: {len(hosts)} hosts {kinds}, latency 50–300 ms (slow ≈ 1 s); {os.cpu_count()} CPUs",
        f"load average before {load_before[0]:.2f}, after crawl {load_after_crawl[0]:.2f}, "
        f"at end {os.getloadavg()[0]:.2f}; reference loop {reference:.1f} ms before the crawl "
        "(sum(range(10**6)); lower is faster); CPU time taken by other guests of the host during the crawl "
        + ("not reported" if stolen is None else f"{stolen:.1%}"),
        f"settings (defaults): {settings.concurrent_sites} sites in flight in {settings.workers} processes, "
        f"{settings.per_host_connections} connections/host, delay {settings.per_host_delay} s ±50 %, "
        f"retries {settings.retry.max_retries}",
        f"sites: {figures.sites} {figures.reachability}; faults of pages and documents: {figures.faults}; "
        f"requests: {total}; "
        f"peak connections to one host: {max(peaks.values())} (hosts above the cap, by kind: {over_cap}); "
        f"connections opened per host: at most {max(opened.values())}, "
        f"hosts that opened more than 2 (resetting ones aside), by kind: {sorted(reopened) or 'none'}",
        f"wall {figures.wall:.1f} s; lower bound {bound:.1f} s; efficiency {bound / figures.wall:.2f}",
        "last site of each kind finished at: "
        + ", ".join(
            f"{kind} {seconds:.1f} s" for kind, seconds in _last_finished(hosts, figures.finished).items()
        ),
        f"CPU per request: fetch {per_request(fetch_cpu):.3f} ms, parse {per_request(parse_cpu):.3f} ms, "
        f"store {per_request(store_cpu):.3f} ms, total {per_request(crawl_cpu):.3f} ms "
        f"({settings.workers} worker processes: {workers_cpu:.1f} s CPU; parent {figures.cpu:.1f} s; "
        f"the farm during the crawl: {farm_cpu:.1f} s)",
        f"aiohttp baseline: wall {base_wall:.1f} s, CPU {per_request(base_cpu):.3f} ms/request "
        f"({base_failures} failed); fetch CPU ratio {fetch_cpu / base_cpu:.2f}×",
        f"peak RSS: parent {peak_rss:.0f} MiB, largest worker {workers_rss:.0f} MiB; "
        "parent RSS at 25/50/75/100 % of sites: "
        + " / ".join(f"{value:.0f}" for value in figures.rss_by_quarter)
        + " MiB",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
