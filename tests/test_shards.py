"""`sveden crawl --shard i/n` and `sveden merge`: four shards merged equal one unsharded crawl."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from checks.rulebook import Rulebook
from crawler.site_crawler import SiteTarget
from crawler.worker_pool import partition_by_host
from sveden.cli import main
from sveden.pipeline import audit_run, crawl_into_store
from sveden.registry import Registry
from sveden.results_io import write_results
from sveden.sharding import ShardSpec
from sveden.snapshot_store import SnapshotStore
from tests.conftest import AS_OF, fast_settings

#: Fields that record when something ran, not what was found.
TIMING = {"generated_at", "audited_at", "fetched_at", "elapsed_ms"}


def _without_timing(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_timing(item) for key, item in value.items() if key not in TIMING}
    if isinstance(value, list):
        return [_without_timing(item) for item in value]
    return value


def _results_json(registry: Registry, store_path: Path, rulebook: Rulebook, out: Path) -> Any:
    with SnapshotStore(store_path) as store:
        run_id = store.latest_run()
        assert run_id is not None
        results = audit_run(registry, store, run_id, rulebook, AS_OF)
    write_results(results, out)
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_four_shards_merged_equal_an_unsharded_crawl(
    demo_registry: Registry, rulebook: Rulebook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole_store = tmp_path / "whole" / "sveden.sqlite3"
    with SnapshotStore(whole_store) as store:
        asyncio.run(crawl_into_store(demo_registry, store, rulebook, fast_settings()))
    shard_stores = []
    for index in range(1, 5):
        path = tmp_path / f"shard-{index}" / "sveden.sqlite3"
        with SnapshotStore(path) as store:
            asyncio.run(
                crawl_into_store(demo_registry, store, rulebook, fast_settings(), shard=ShardSpec(index, 4))
            )
            assert store.school_ids(1)  # every shard holds some of the twelve schools
        shard_stores.append(path)

    merged_dir = tmp_path / "merged"
    assert main(["merge", *map(str, shard_stores), "--data", str(merged_dir)]) == 0
    assert "12 schools from 4 shards" in capsys.readouterr().err

    whole = _results_json(demo_registry, whole_store, rulebook, tmp_path / "whole-out")
    merged = _results_json(demo_registry, merged_dir / "sveden.sqlite3", rulebook, tmp_path / "merged-out")
    assert len(merged["schools"]) == 12
    assert {school["reachability"] for school in merged["schools"]} >= {"ok", "unreachable", "no_url"}
    assert _without_timing(merged) == _without_timing(whole)


def test_merge_refuses_shards_that_do_not_add_up(
    demo_registry: Registry, rulebook: Rulebook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_school = demo_registry.with_schools(lambda school: school if school.url is None else None)
    paths = []
    for index in (1, 3):
        path = tmp_path / f"shard-{index}.sqlite3"
        with SnapshotStore(path) as store:
            asyncio.run(
                crawl_into_store(one_school, store, rulebook, fast_settings(), shard=ShardSpec(index, 3))
            )
        paths.append(str(path))
    assert main(["merge", *paths, "--data", str(tmp_path / "out")]) == 1
    assert "shards missing: 2/3" in capsys.readouterr().err


def test_shard_partition_is_deterministic_and_complete() -> None:
    ids = [f"school-{n}" for n in range(1000)]
    shards = [ShardSpec(index, 4) for index in range(1, 5)]
    owners = [[shard.label for shard in shards if shard.includes(school)] for school in ids]
    assert all(len(owner) == 1 for owner in owners)  # every school in exactly one shard
    sizes = [sum(owner == [shard.label] for owner in owners) for shard in shards]
    assert min(sizes) > 200  # and the shards are balanced
    # Pinned: a school stays in its shard from night to night and from version to version
    # (the first 8 bytes of SHA-256 of the id, modulo n).
    pinned = {"school-7": "1/4", "kovrov-sosh-17": "3/4", "svetloozersk-sosh-1": "3/4"}
    assert {school: next(s.label for s in shards if s.includes(school)) for school in pinned} == pinned


@pytest.mark.parametrize("text", ["0/4", "5/4", "1/0", "a/b", "3"])
def test_bad_shard_is_a_usage_error(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["crawl", "--shard", text])
    assert exit_info.value.code == 2
    assert "shard" in capsys.readouterr().err


def test_worker_processes_crawl_the_same_as_one_process(
    demo_registry: Registry, rulebook: Rulebook, tmp_path: Path
) -> None:
    reachability = []
    for workers in (1, 3):
        with SnapshotStore(tmp_path / f"w{workers}.sqlite3") as store:
            settings = replace(fast_settings(), workers=workers)
            run = asyncio.run(crawl_into_store(demo_registry, store, rulebook, settings))
            reachability.append(
                {s.school_id: (s.reachability, len(s.subsections)) for s in store.snapshots(run)}
            )
    assert reachability[0] == reachability[1]
    assert len(reachability[0]) == 12


def test_sites_of_one_host_go_to_one_worker() -> None:
    targets = [SiteTarget(f"s{n}", f"http://host-{n % 7}.example/school-{n}/") for n in range(70)]
    parts = partition_by_host(targets, 3)
    hosts = [{urlsplit(t.url or "").hostname for t in part} for part in parts]
    assert sum(len(part) for part in parts) == 70
    assert all(not (a & b) for i, a in enumerate(hosts) for b in hosts[i + 1 :])  # no host in two
