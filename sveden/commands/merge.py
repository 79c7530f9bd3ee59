"""`sveden merge`: combine the stores of a sharded crawl into one run of the data store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sveden.commands.common import STORE_NAME, add_data_dir
from sveden.snapshot_store import MergeError, SnapshotStore

__all__ = ["add_parser"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "merge",
        help="combine shard stores (sveden crawl --shard i/n) into one run",
        description=(
            "Combine the newest complete run of each shard store into one new complete run of the "
            f"store in --data ({STORE_NAME}), ready for `sveden check`. The shards must be 1/n … n/n "
            "of one partition, each exactly once."
        ),
    )
    parser.add_argument("stores", type=Path, nargs="+", metavar="STORE", help="shard store files")
    add_data_dir(parser)
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Merge; exit 1 with the reason when the shards do not add up."""
    with SnapshotStore(args.data / STORE_NAME) as store:
        try:
            run_id = store.merge(args.stores)
        except MergeError as exc:
            print(f"sveden merge: {exc}", file=sys.stderr)
            return 1
        schools = len(store.school_ids(run_id))
    print(f"merge: run {run_id}, {schools} schools from {len(args.stores)} shards", file=sys.stderr)
    return 0
