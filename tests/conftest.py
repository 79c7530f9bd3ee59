"""Shared fixtures: the demo sites served for real on loopback, and one crawl of them."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from checks.results import AuditedSchool, Evidence, Results
from checks.rulebook import Rulebook, load_rulebook
from crawler.fetcher import Fetcher
from crawler.settings import CrawlSettings
from crawler.site_crawler import SiteTarget, crawl_site
from crawler.snapshot import SiteSnapshot
from sveden.demo_sites import ServedDemo, serve_demo, with_served_urls
from sveden.pipeline import audit_run, crawl_into_store, subsection_targets
from sveden.registry import Registry, load_registry
from sveden.site_build import build_site, publish_results
from sveden.snapshot_store import SnapshotStore

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo"
#: The date the demo expectations are written for (order 1493 as amended, MR v9).
AS_OF = dt.date(2026, 11, 23)


def fast_settings() -> CrawlSettings:
    """Test settings: no politeness delay, short timeouts (the "hang" host costs 1 s)."""
    return CrawlSettings(
        allow_private=True, per_host_delay=0.0, timeout=httpx.Timeout(1.0, connect=1.0), site_budget=30.0
    )


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return load_rulebook()


@pytest.fixture(scope="session")
def served_demo() -> Iterator[ServedDemo]:
    with serve_demo(DEMO, port=0) as served:
        yield served


@pytest.fixture(scope="session")
def demo_registry(served_demo: ServedDemo) -> Registry:
    return with_served_urls(load_registry(DEMO / "schools.yaml"), served_demo)


def only_school(registry: Registry, school_id: str, url: str | None = None) -> Registry:
    """The registry cut down to one school, optionally at another address."""
    return registry.with_schools(
        lambda school: (
            school.model_copy(update={"url": url or school.url}) if school.id == school_id else None
        )
    )


def crawl_one(base_url: str, rulebook: Rulebook) -> SiteSnapshot:
    """Crawl one fixture site (home page at `base_url` + "/") with the test settings."""

    async def run() -> SiteSnapshot:
        async with Fetcher(fast_settings()) as fetcher:
            return await crawl_site(
                fetcher, SiteTarget("fixture", base_url + "/"), subsection_targets(rulebook)
            )

    return asyncio.run(run())


def crawl_and_audit(registry: Registry, store_path: Path, rulebook: Rulebook) -> Results:
    """Crawl `registry` into the store at `store_path` and audit the run."""
    with SnapshotStore(store_path) as store:
        run_id = asyncio.run(crawl_into_store(registry, store, rulebook, fast_settings()))
        return audit_run(registry, store, run_id, rulebook, AS_OF)


@pytest.fixture(scope="session")
def demo_results(
    demo_registry: Registry, rulebook: Rulebook, tmp_path_factory: pytest.TempPathFactory
) -> Results:
    store = tmp_path_factory.mktemp("store") / "sveden.sqlite3"
    return crawl_and_audit(demo_registry, store, rulebook)


@pytest.fixture(scope="session")
def demo_by_id(demo_results: Results) -> dict[str, AuditedSchool]:
    return {school.id: school for school in demo_results.schools}


HOSTILE = '<script>alert("x")</script>[click](javascript:alert(1))'


def _with_hostile_value(results: Results) -> Results:
    """The demo results with a value "found on a school site" that tries to inject markup."""
    school = results.schools[0]
    section = school.sections[0]
    item = section.items[1].model_copy(
        update={"evidence": Evidence(url="javascript:alert(1)", value=HOSTILE)}
    )
    items = (section.items[0], item, *section.items[2:])
    sections = (section.model_copy(update={"items": items}), *school.sections[1:])
    return results.model_copy(
        update={"schools": (school.model_copy(update={"sections": sections}), *results.schools[1:])}
    )


@pytest.fixture(scope="session")
def built_site(
    tmp_path_factory: pytest.TempPathFactory,
    demo_registry: Registry,
    demo_results: Results,
    rulebook: Rulebook,
) -> Path:
    data_dir = tmp_path_factory.mktemp("data")
    out = tmp_path_factory.mktemp("site") / "public"
    publish_results(demo_registry, _with_hostile_value(demo_results), rulebook, data_dir)
    build_site(ROOT / "mkdocs.yml", data_dir, out)
    return out
