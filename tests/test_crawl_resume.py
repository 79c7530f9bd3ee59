"""Kill a real `sveden crawl` with SIGKILL mid-crawl, run it again: nothing lost, nothing refetched."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawl_helpers import school_site, write_registry
from tests.loopback_farm import Farm, Reply, Request, html, serve_farm

FAST = 4
SLOW = 4


@pytest.fixture
def farm() -> Iterator[Farm]:
    with serve_farm() as served:
        yield served


def _crawl_command(registry: Path, data: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sveden.cli",
        "crawl",
        "--registry",
        str(registry),
        "--data",
        str(data),
        "--allow-private",
    ]


def _events(lines: list[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in lines if line.startswith("{")]


def _snapshots(store: Path) -> dict[str, bytes]:
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {
            str(school): bytes(body) for school, body in db.execute("SELECT school_id, body FROM snapshots")
        }


def _runs(store: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(store) as db:
        return [(int(run), str(status)) for run, status in db.execute("SELECT id, status FROM runs")]


def test_killed_crawl_resumes_without_refetching_finished_schools(farm: Farm, tmp_path: Path) -> None:
    slow = {"on": True}

    def slow_page(request: Request) -> Reply:
        if slow["on"]:
            return html("<title>Основные сведения</title>", delay=8.0)
        return html("<title>Основные сведения</title>")

    hosts = [farm.add(f"127.63.0.{n + 1}", school_site()) for n in range(FAST)]
    hosts += [
        farm.add(f"127.63.1.{n + 1}", {**school_site(), "/sveden/common": slow_page}) for n in range(SLOW)
    ]
    registry, data = tmp_path / "schools.yaml", tmp_path / "data"
    write_registry(registry, [host.base_url for host in hosts])
    store = data / "sveden.sqlite3"

    crawl = subprocess.Popen(_crawl_command(registry, data), stderr=subprocess.PIPE, text=True)
    assert crawl.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + 90
    while len(_events(lines)) < FAST and time.monotonic() < deadline:
        line = crawl.stderr.readline()
        if not line:
            break
        lines.append(line)
    assert len(_events(lines)) == FAST, lines
    os.kill(crawl.pid, signal.SIGKILL)
    crawl.wait()
    assert crawl.returncode == -signal.SIGKILL
    time.sleep(1.5)  # crawl workers notice their parent is gone within a second and stop

    stored_before = _snapshots(store)
    reported = {str(event["school_id"]) for event in _events(lines)}
    assert reported <= set(stored_before)  # every site reported done was stored
    schools = {f"school-{n}": host for n, host in enumerate(hosts)}
    unfinished = set(schools) - set(stored_before)
    assert unfinished  # the kill did land mid-crawl: the slow schools were not stored
    assert _runs(store) == [(1, "running")]

    for host in hosts:
        host.requests.clear()
    slow["on"] = False
    rerun = subprocess.run(_crawl_command(registry, data), capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "Warning" not in rerun.stderr  # the workers start quietly

    for school, host in schools.items():  # finished schools are not fetched again, the rest are
        assert (host.requests == []) == (school in stored_before), school
    stored_after = _snapshots(store)
    assert len(stored_after) == FAST + SLOW
    assert {school: stored_after[school] for school in stored_before} == stored_before
    assert _runs(store) == [(1, "complete")]  # the same run, resumed
    summary = _events(rerun.stderr.splitlines())[-1]
    assert summary["event"] == "summary"
    resumed = len(stored_before)
    assert (summary["resumed"], summary["crawled"], summary["sites"]) == (
        resumed,
        len(unfinished),
        FAST + SLOW,
    )
    site_events = [event for event in _events(rerun.stderr.splitlines()) if event["event"] == "site"]
    assert {event["reachability"] for event in site_events} == {"ok"}
    assert all(isinstance(event["pages"], int) and event["pages"] > 0 for event in site_events)


def _etag_page(request: Request) -> Reply:
    headers = (("ETag", '"v1"'),)
    if request.headers.get("if-none-match") == '"v1"':
        return Reply(status=304, headers=headers, content_type=None)
    return html("<title>Основные сведения</title><p itemprop='fullName'>Школа</p>", headers=headers)


def test_second_night_revalidates_through_the_real_command(farm: Farm, tmp_path: Path) -> None:
    hosts = [farm.add(f"127.63.2.{n + 1}", {**school_site(), "/sveden/common": _etag_page}) for n in range(3)]
    registry, data = tmp_path / "schools.yaml", tmp_path / "data"
    write_registry(registry, [host.base_url for host in hosts])
    first = subprocess.run(_crawl_command(registry, data), capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert _events(first.stderr.splitlines())[-1]["not_modified"] == 0
    second = subprocess.run(_crawl_command(registry, data), capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert _events(second.stderr.splitlines())[-1]["not_modified"] == 3  # one page per school
    for host in hosts:
        first_ask, second_ask = host.hits("/sveden/common")
        assert "if-none-match" not in first_ask.headers
        assert second_ask.headers["if-none-match"] == '"v1"'
    assert _runs(data / "sveden.sqlite3") == [(1, "complete"), (2, "complete")]
