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
        help="check schools.yaml, its indicator tables and the rulebook; print every problem located",
        description=(
            "Validate the registry, the indicator tables and roadmap files it links (YAML, CSV, XLSX) and "
            "the rulebook. Exit 0 when valid, 1 when a problem is found."
        ),
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
        municipalities = [m for region in registry.regions for m in region.municipalities]
        figures = sum(
            (value.plan is not None) + (value.fact is not None)
            for m in municipalities
            for series in m.reported()
            for value in series.values
        )
        activities = sum(len(m.roadmap()) for m in municipalities) + sum(
            len(region.roadmap()) for region in registry.regions
        )
        print(
            f"{args.registry}: {len(registry.schools())} schools, {figures} reported figures, "
            f"{activities} roadmap activities, {len(rulebook.rules)} rules: valid"
        )
    return 0 if ok else 1
