"""Wiring of the boxes: registry → crawler → snapshot store → checks → results → site."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

from checks.audit import AuditSubject, audit_site
from checks.results import AuditedSchool, Results
from checks.rulebook import Rulebook
from crawler.discovery import SubsectionTarget
from crawler.keeper import crawl_and_keep
from crawler.settings import CrawlSettings
from crawler.site_crawler import SiteTarget
from crawler.snapshot import SiteSnapshot, SiteSummary
from crawler.worker_pool import crawl_in_workers
from sveden.registry import Municipality, Region, Registry, School
from sveden.sharding import ShardSpec
from sveden.snapshot_store import RunWriter, SnapshotStore

__all__ = [
    "CrawlPlan",
    "audit_run",
    "crawl_into_store",
    "now_utc",
    "plan_crawl",
    "subject_of",
    "subsection_targets",
    "today_in",
]

log = logging.getLogger(__name__)


def now_utc() -> str:
    """The current time, ISO 8601 UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def today_in(timezone: str) -> dt.date:
    """Today's date in `timezone` (the region's), which picks the rules in force."""
    return dt.datetime.now(ZoneInfo(timezone)).date()


def subsection_targets(rulebook: Rulebook) -> list[SubsectionTarget]:
    """What the crawler looks for, from the rulebook's subsections."""
    return [
        SubsectionTarget(key=sub.key, path=sub.path, titles=(sub.title, *sub.aliases), slugs=sub.slugs)
        for sub in rulebook.subsections
    ]


def subject_of(region: Region, municipality: Municipality, school: School) -> AuditSubject:
    """What checks need to know about a registry school."""
    return AuditSubject(
        id=school.id,
        name=school.name,
        municipality=municipality.name,
        kind=school.kind,
        url=school.url,
        conditions=school.conditions.model_dump(),
        public=school.public,
        has_primary_grades=school.has_primary_grades,
        timezone=region.timezone,
    )


@dataclass(frozen=True)
class CrawlPlan:
    """Which run a crawl writes to and which schools it still has to fetch."""

    run_id: int
    resumed: bool
    #: Schools of the shard (all of the registry without one).
    total: int
    #: Schools already stored in the run by an interrupted crawl; not fetched again.
    done: frozenset[str]
    targets: tuple[SiteTarget, ...]


def plan_crawl(registry: Registry, store: SnapshotStore, shard: ShardSpec | None = None) -> CrawlPlan:
    """Resume the interrupted run of `shard`, if any, else open a new one."""
    run_id = store.unfinished_run(shard)
    resumed = run_id is not None
    if run_id is None:
        run_id = store.start_run(shard)
    done = frozenset(store.school_ids(run_id))
    schools = [school for _, _, school in registry.schools() if shard is None or shard.includes(school.id)]
    targets = tuple(SiteTarget(school.id, school.url) for school in schools if school.id not in done)
    if resumed:
        log.info("resuming run %d: %d schools already stored", run_id, len(done))
    return CrawlPlan(run_id, resumed, len(schools), done, targets)


async def crawl_into_store(
    registry: Registry,
    store: SnapshotStore,
    rulebook: Rulebook,
    settings: CrawlSettings,
    on_site: Callable[[SiteSummary], None] = lambda site: None,
    shard: ShardSpec | None = None,
    plan: CrawlPlan | None = None,
) -> int:
    """Crawl the registry (or one shard of it) into the store; returns the run id.

    An interrupted run of the same shard is resumed: schools it stored are not fetched again.
    Each site is stored as soon as it is crawled; pages stored earlier are revalidated with
    conditional requests.
    """
    plan = plan or plan_crawl(registry, store, shard)
    subsections = subsection_targets(rulebook)
    try:
        if settings.workers > 1:
            writer = partial(RunWriter, store.path, plan.run_id)
            async for site in crawl_in_workers(plan.targets, subsections, settings, writer):
                on_site(site)
        else:
            with closing(RunWriter(store.path, plan.run_id)) as keeper:
                async for snapshot in crawl_and_keep(plan.targets, subsections, settings, keeper):
                    on_site(SiteSummary.of(snapshot))
    except Exception:
        store.finish_run(plan.run_id, "failed")
        raise
    store.finish_run(plan.run_id, "complete")
    return plan.run_id


def audit_run(
    registry: Registry, store: SnapshotStore, run_id: int, rulebook: Rulebook, as_of: dt.date
) -> Results:
    """Check every snapshot of a run; a school that could not be audited keeps its last good audit."""
    audited_at = now_utc()
    schools: list[AuditedSchool] = []
    for region, municipality, school in registry.schools():
        snapshot = store.snapshot(run_id, school.id) or SiteSnapshot(
            school_id=school.id,
            url=school.url,
            fetched_at=audited_at,
            reachability="unreachable",
            reachability_detail="сайт не проверялся в этом запуске",
        )
        audit = audit_site(snapshot, rulebook, subject_of(region, municipality, school), as_of, audited_at)
        store.put_audit(run_id, audit)
        if audit.score is None and school.url is not None:
            previous = store.last_good_audit(school.id, before_run=run_id)
            if previous is not None:
                log.info(
                    "%s: %s, keeping the audit of %s", school.id, audit.reachability, previous.audited_at
                )
                audit = previous.model_copy(
                    update={
                        "stale": True,
                        "reachability": audit.reachability,
                        "reachability_detail": audit.reachability_detail,
                    }
                )
        schools.append(audit)
    return Results(generated_at=audited_at, rules_as_of=as_of.isoformat(), schools=tuple(schools))
