"""The `sveden` console script: one subcommand per module in `sveden.commands`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from sveden import __version__
from sveden.commands import COMMANDS

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="sveden",
        description=(
            "Audit Russian schools' official websites (the section «Сведения об образовательной "
            "организации», Rosobrnadzor order No. 1493) and publish the results as a static site."
        ),
    )
    parser.add_argument("--version", action="version", version=f"sveden {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output on stderr (-vv for debug)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_parser in COMMANDS:
        add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    level = os.environ.get("SVEDEN_LOG_LEVEL") or (
        "DEBUG" if args.verbose > 1 else "INFO" if args.verbose else "WARNING"
    )
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
