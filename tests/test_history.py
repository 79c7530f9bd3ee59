"""A failed night never replaces a school's last good result with nothing."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

from checks.results import AuditedSchool
from checks.rulebook import Rulebook
from sveden.demo_sites import ServedDemo
from sveden.registry import Registry
from sveden.snapshot_store import SnapshotStore
from tests.conftest import crawl_and_audit, only_school


def test_unreachable_school_keeps_last_good_result_marked_stale(
    tmp_path: Path, demo_registry: Registry, served_demo: ServedDemo, rulebook: Rulebook
) -> None:
    store = tmp_path / "sveden.sqlite3"
    first = crawl_and_audit(only_school(demo_registry, "svetloozersk-sosh-3"), store, rulebook)
    (good,) = first.schools
    assert good.score is not None and not good.stale
    refused = served_demo.base_urls["127.0.1.8"]
    second = crawl_and_audit(only_school(demo_registry, "svetloozersk-sosh-3", url=refused), store, rulebook)
    (kept,) = second.schools
    assert kept.stale
    assert kept.score == good.score
    assert kept.reachability == "unreachable"
    assert kept.audited_at == good.audited_at


def test_first_night_unreachable_has_no_score(
    tmp_path: Path, demo_registry: Registry, served_demo: ServedDemo, rulebook: Rulebook
) -> None:
    refused = served_demo.base_urls["127.0.1.8"]
    (school,) = crawl_and_audit(
        only_school(demo_registry, "svetloozersk-sosh-3", url=refused), tmp_path / "s.sqlite3", rulebook
    ).schools
    assert school.score is None and not school.stale


def _as_schema_1(audit: AuditedSchool) -> bytes:
    """The JSON an audit had under results schema 1 (no scored, fix, detail, legacy_markup)."""
    data = audit.model_dump(mode="json")
    for section in data["sections"]:
        section.pop("legacy_markup")
    for item in [*data["section_checks"], *(i for s in data["sections"] for i in s["items"])]:
        item.pop("scored")
        item.pop("fix")
        item["evidence"].pop("detail")
        item["evidence"].pop("line")
    return json.dumps(data).encode()


def test_results_stored_by_the_previous_schema_are_still_read(
    tmp_path: Path, demo_by_id: dict[str, AuditedSchool]
) -> None:
    """An upgrade must not lose last night's results: schema-1 audits in the store still load."""
    audit = demo_by_id["svetloozersk-sosh-3"]
    path = tmp_path / "old.sqlite3"
    with SnapshotStore(path) as store:
        run_id = store.start_run()
        store.put_audit(run_id, audit)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE audits SET body = ?", (zlib.compress(_as_schema_1(audit)),))
    with SnapshotStore(path) as store:
        old = store.last_good_audit(audit.id, before_run=run_id + 1)
    assert old is not None and old.score == audit.score
    failing = [item.code for item in old.all_items() if item.outcome == "fail"]
    assert failing == [item.code for item in audit.failing_items()]
    assert all(item.scored for item in old.all_items() if item.outcome in ("pass", "fail"))
