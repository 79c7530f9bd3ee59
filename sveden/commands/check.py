"""`sveden check`: audit the newest crawl's snapshots and write results.json (no fetching)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from checks.rulebook import load_rulebook
from sveden.commands.common import STORE_NAME, add_as_of, add_data_dir, add_registry, load_registry_or_report
from sveden.pipeline import audit_run, today_in
from sveden.registry import Registry
from sveden.site_build import publish_results
from sveden.snapshot_store import SnapshotStore

__all__ = ["add_parser", "check_latest"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help="audit the newest crawl and write results.json and CSV files",
        description="Check the snapshots of the newest crawl against the rulebook and write the results.",
    )
    add_registry(parser)
    add_data_dir(parser)
    add_as_of(parser)
    parser.set_defaults(handler=run)
    return parser


def check_latest(registry: Registry, data_dir: Path, as_of: dt.date | None) -> bool:
    """Audit the newest run into `data_dir`; False when there is no crawl to check."""
    rulebook = load_rulebook()
    with SnapshotStore(data_dir / STORE_NAME) as store:
        run_id = store.latest_run()
        if run_id is None:
            print(f"check: no crawl in {data_dir / STORE_NAME}; run `sveden crawl` first", file=sys.stderr)
            return False
        timezone = registry.regions[0].timezone if registry.regions else "Europe/Moscow"
        results = audit_run(registry, store, run_id, rulebook, as_of or today_in(timezone))
        history = list(store.audit_history())
    publish_results(registry, results, rulebook, data_dir, history)
    print(f"check: {len(results.schools)} schools → {data_dir / 'results.json'}", file=sys.stderr)
    return True


def run(args: argparse.Namespace) -> int:
    """Check the newest crawl."""
    registry = load_registry_or_report(args.registry)
    if registry is None:
        return 1
    return 0 if check_latest(registry, args.data, args.as_of) else 1
