"""`sveden build`: build the public site from the results with MkDocs."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sveden.commands.common import add_data_dir, add_site_options
from sveden.site_build import SiteBuildError, build_site

__all__ = ["add_parser"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "build",
        help="build the public site (MkDocs + Material) from the results",
        description="Build the site into --out; a failed build leaves the previous site in place.",
    )
    add_data_dir(parser)
    add_site_options(parser)
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Build the site."""
    try:
        build_site(args.config, args.data, args.out)
    except SiteBuildError as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    print(f"build: site in {args.out}/ (view it with `sveden serve`)", file=sys.stderr)
    return 0
