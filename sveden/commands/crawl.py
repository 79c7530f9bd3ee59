"""`sveden crawl`: fetch every school's site into a new run of the snapshot store."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from checks.rulebook import load_rulebook
from crawler.settings import CrawlSettings
from sveden.commands.common import (
    STORE_NAME,
    add_allow_private,
    add_data_dir,
    add_registry,
    crawl_progress,
    load_registry_or_report,
)
from sveden.pipeline import crawl_into_store
from sveden.registry import Registry
from sveden.snapshot_store import SnapshotStore

__all__ = ["add_parser", "crawl_registry"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "crawl",
        help="fetch every school's site into the snapshot store",
        description="Crawl every school of the registry that has a site address into a new run of the store.",
    )
    add_registry(parser)
    add_data_dir(parser)
    add_allow_private(parser)
    parser.set_defaults(handler=run)
    return parser


def crawl_registry(registry: Registry, store: SnapshotStore, settings: CrawlSettings) -> int:
    """Crawl with a progress bar on stderr; returns the run id."""
    rulebook = load_rulebook()
    with crawl_progress(len(registry.schools())) as on_site:
        run_id = asyncio.run(crawl_into_store(registry, store, rulebook, settings, on_site))
    print(f"crawl: run {run_id}, {len(registry.schools())} schools", file=sys.stderr)
    return run_id


def run(args: argparse.Namespace) -> int:
    """Crawl the registry."""
    registry = load_registry_or_report(args.registry)
    if registry is None:
        return 1
    with SnapshotStore(args.data / STORE_NAME) as store:
        crawl_registry(registry, store, CrawlSettings(allow_private=args.allow_private))
    return 0
