"""A failed night never replaces a school's last good result with nothing."""

from __future__ import annotations

from pathlib import Path

from checks.rulebook import Rulebook
from sveden.demo_sites import ServedDemo
from sveden.registry import Registry
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
