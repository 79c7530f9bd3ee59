"""Wiring of the boxes: registry → crawler → snapshot store → checks → results → site."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from checks.audit import AuditSubject, audit_site
from checks.results import AuditedSchool, Results
from checks.rulebook import Rulebook
from crawler.discovery import SubsectionTarget
from crawler.settings import CrawlSettings
from crawler.site_crawler import SiteTarget, crawl_sites
from crawler.snapshot import SiteSnapshot
from sveden.registry import Municipality, Region, Registry, School
from sveden.snapshot_store import SnapshotStore

__all__ = ["audit_run", "crawl_into_store", "now_utc", "subject_of", "subsection_targets", "today_in"]

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


async def crawl_into_store(
    registry: Registry,
    store: SnapshotStore,
    rulebook: Rulebook,
    settings: CrawlSettings,
    on_site: Callable[[SiteSnapshot], None] = lambda snapshot: None,
) -> int:
    """Crawl every school of the registry into a new run of the store; returns the run id."""
    run_id = store.start_run()
    targets = [SiteTarget(school.id, school.url) for _, _, school in registry.schools()]
    try:
        async for snapshot in crawl_sites(targets, subsection_targets(rulebook), settings):
            store.put_snapshot(run_id, snapshot)
            on_site(snapshot)
    except BaseException:
        store.finish_run(run_id, "failed")
        raise
    store.finish_run(run_id, "complete")
    return run_id


def audit_run(
    registry: Registry, store: SnapshotStore, run_id: int, rulebook: Rulebook, as_of: dt.date
) -> Results:
    """Check every snapshot of a run; a school that could not be audited keeps its last good audit."""
    snapshots = {snapshot.school_id: snapshot for snapshot in store.snapshots(run_id)}
    audited_at = now_utc()
    schools: list[AuditedSchool] = []
    for region, municipality, school in registry.schools():
        snapshot = snapshots.get(school.id) or SiteSnapshot(
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
