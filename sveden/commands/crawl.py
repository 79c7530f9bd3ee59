"""`sveden crawl`: fetch every school's site (or one shard of them) into the snapshot store."""

from __future__ import annotations

import argparse
import logging
import resource
import sys
from pathlib import Path
from typing import Any

from checks.rulebook import load_rulebook
from crawler import event_loop
from crawler.settings import CrawlSettings
from sveden.commands.common import (
    STORE_NAME,
    add_allow_private,
    add_crawl_options,
    add_data_dir,
    add_registry,
    crawl_settings,
    load_registry_or_report,
)
from sveden.crawl_progress import crawl_progress
from sveden.pipeline import crawl_into_store, plan_crawl
from sveden.registry import Registry
from sveden.sharding import ShardSpec
from sveden.snapshot_store import SnapshotStore

__all__ = ["add_parser", "crawl_registry", "raise_open_file_limit"]

log = logging.getLogger(__name__)

#: Open files per site in flight: two connections to its host, one to a document host, spare.
_FILES_PER_SITE = 4


def _shard(text: str) -> ShardSpec:
    try:
        return ShardSpec.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "crawl",
        help="fetch every school's site into the snapshot store",
        description=(
            "Crawl every school of the registry that has a site address into a run of the store. "
            "An interrupted crawl is resumed: schools already stored are not fetched again. "
            "With --shard i/n only the i-th of n deterministic parts of the registry is crawled "
            "(one GitHub Actions matrix job each); combine the shard stores with `sveden merge`."
        ),
    )
    add_registry(parser)
    add_data_dir(parser)
    parser.add_argument(
        "--shard", type=_shard, default=None, metavar="I/N", help="crawl only shard I of N (1-based)"
    )
    add_crawl_options(parser)
    add_allow_private(parser)
    parser.set_defaults(handler=run)
    return parser


def raise_open_file_limit(settings: CrawlSettings) -> None:
    """Raise the soft limit of open files to what the sites in flight need (up to the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = settings.concurrent_sites * _FILES_PER_SITE + 64
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        if new < wanted:
            log.warning(
                "open files limited to %d; %d sites in flight may need %d",
                new,
                settings.concurrent_sites,
                wanted,
            )


def crawl_registry(
    registry: Registry, store: SnapshotStore, settings: CrawlSettings, shard: ShardSpec | None = None
) -> int:
    """Crawl with progress and a summary on stderr; returns the run id."""
    rulebook = load_rulebook()
    raise_open_file_limit(settings)
    plan = plan_crawl(registry, store, shard)
    with crawl_progress(plan.run_id, plan.total, len(plan.done)) as on_site:
        return event_loop.run(crawl_into_store(registry, store, rulebook, settings, on_site, shard, plan))


def run(args: argparse.Namespace) -> int:
    """Crawl the registry."""
    registry = load_registry_or_report(args.registry)
    if registry is None:
        return 1
    try:
        settings = crawl_settings(args)
    except ValueError as exc:
        print(f"sveden crawl: {exc}", file=sys.stderr)
        return 2
    with SnapshotStore(Path(args.data) / STORE_NAME) as store:
        crawl_registry(registry, store, settings, args.shard)
    return 0
