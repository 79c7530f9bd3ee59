"""`sveden run`: the nightly job — crawl, check and build, publishing only what succeeded."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sveden.commands.check import check_latest
from sveden.commands.common import (
    STORE_NAME,
    add_allow_private,
    add_as_of,
    add_crawl_options,
    add_data_dir,
    add_registry,
    add_site_options,
    crawl_settings,
    load_registry_or_report,
)
from sveden.commands.crawl import crawl_registry
from sveden.site_build import build_site
from sveden.snapshot_store import SnapshotStore

__all__ = ["add_parser"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "run",
        help="crawl, check and build the site (the nightly job)",
        description="Validate, crawl, check and build. Results and the site are replaced only on success.",
    )
    add_registry(parser)
    add_data_dir(parser)
    add_site_options(parser)
    add_as_of(parser)
    add_crawl_options(parser)
    add_allow_private(parser)
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Everything, in order."""
    registry = load_registry_or_report(args.registry)
    if registry is None:
        return 1
    try:
        settings = crawl_settings(args)
    except ValueError as exc:
        print(f"sveden run: {exc}", file=sys.stderr)
        return 2
    with SnapshotStore(args.data / STORE_NAME) as store:
        crawl_registry(registry, store, settings)
    if not check_latest(registry, args.data, args.as_of):
        return 1
    build_site(args.config, args.data, args.out)
    return 0
