"""`sveden validate`: check the registry and the rulebook without touching the network."""

from __future__ import annotations

import argparse
from typing import Any

from checks.rulebook import RulebookError, load_rulebook
from sveden.commands.common import add_registry, load_registry_or_report

__all__ = ["add_parser"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help="check schools.yaml and the rulebook; print file:line: field: message for each problem",
        description="Validate the registry and the rulebook. Exit 0 when valid, 1 when a problem is found.",
    )
    add_registry(parser)
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Print every problem; exit 1 if there is any."""
    ok = True
    try:
        rulebook = load_rulebook()
    except RulebookError as exc:
        print(exc)
        ok = False
    registry = load_registry_or_report(args.registry)
    if registry is None:
        return 1
    if ok:
        count = len(registry.schools())
        print(f"{args.registry}: {count} schools, {len(rulebook.rules)} rules: valid")
    return 0 if ok else 1
