"""`sveden demo`: serve the bundled demo school sites on loopback and run everything on them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from crawler.settings import CrawlSettings
from sveden.commands.check import check_latest
from sveden.commands.common import STORE_NAME, add_as_of, add_site_options, load_registry_or_report
from sveden.commands.crawl import crawl_registry
from sveden.demo_sites import serve_demo, with_served_urls
from sveden.site_build import build_site
from sveden.snapshot_store import SnapshotStore

__all__ = ["add_parser"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo",
        help="serve the demo school sites on 127.0.1.N, crawl, check and build the site",
        description=(
            "Serve the bundled demo sites (demo/sites) each on its own loopback address, crawl and "
            "check them (loopback allowed), and build the public site."
        ),
    )
    parser.add_argument("--demo-dir", type=Path, default=Path("demo"), help="demo folder (default: demo)")
    parser.add_argument(
        "--data", type=Path, default=Path("data/demo"), help="demo store and results (default: data/demo)"
    )
    parser.add_argument(
        "--port", type=int, default=None, help="port for the demo hosts (default: demo/hosts.yaml)"
    )
    add_site_options(parser)
    add_as_of(parser)
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Serve, crawl, check, build, and say how to look."""
    registry = load_registry_or_report(args.demo_dir / "schools.yaml")
    if registry is None:
        return 1
    settings = CrawlSettings(allow_private=True, site_budget=60.0)
    with serve_demo(args.demo_dir, args.port) as served:
        served_registry = with_served_urls(registry, served)
        with SnapshotStore(args.data / STORE_NAME) as store:
            crawl_registry(served_registry, store, settings)
    if not check_latest(registry, args.data, args.as_of):
        return 1
    build_site(args.config, args.data, args.out)
    print(
        f"demo: results in {args.data}/results.json, site in {args.out}/.\n"
        f"View it: `make serve` or `.venv/bin/sveden serve --dir {args.out}`, then open http://127.0.0.1:8000/",
        file=sys.stderr,
    )
    return 0
