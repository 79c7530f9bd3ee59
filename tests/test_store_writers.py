"""Several writers (crawl workers' keeper threads) store sites into one store at once."""

from __future__ import annotations

import threading
from contextlib import closing
from pathlib import Path

from crawler.snapshot import PageSnapshot, SiteSnapshot
from sveden.snapshot_store import RunWriter, SnapshotStore


def _site(school: str, body: str) -> SiteSnapshot:
    url = f"http://{school}.example/"
    home = PageSnapshot(url=url, final_url=url, status=200, body=body)
    return SiteSnapshot(
        school_id=school, url=url, fetched_at="2026-12-07T00:00:00+00:00", reachability="ok", home=home
    )


def test_writers_storing_the_same_page_body_at_once_all_succeed(tmp_path: Path) -> None:
    # Identical pages (a shared not-found page, a template) are stored once by their hash;
    # two writers may both find a body missing and both insert it.
    path = tmp_path / "store.sqlite3"
    with SnapshotStore(path) as store:
        run = store.start_run()
    writers, rounds = 4, 150
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        with closing(RunWriter(path, run)) as writer:
            start.wait()
            for n in range(rounds):
                try:
                    writer.keep(_site(f"w{worker}-{n}", f"<title>Страница {n}</title>"))
                except BaseException as exc:
                    failures.append(exc)

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with SnapshotStore(path) as store:
        assert len(store.school_ids(run)) == writers * rounds
        assert store.snapshot(run, "w3-7") is not None
