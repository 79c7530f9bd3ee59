"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from crawler.snapshot import SiteSnapshot
from sveden.registry import Registry, RegistryError, load_registry

__all__ = [
    "STORE_NAME",
    "add_allow_private",
    "add_as_of",
    "add_data_dir",
    "add_registry",
    "add_site_options",
    "crawl_progress",
    "load_registry_or_report",
]

STORE_NAME = "sveden.sqlite3"


def add_registry(parser: argparse.ArgumentParser) -> None:
    """--registry PATH."""
    parser.add_argument(
        "--registry", type=Path, default=Path("schools.yaml"), help="registry file (default: schools.yaml)"
    )


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    """--data DIR."""
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("data"),
        help=f"folder of the snapshot store ({STORE_NAME}), results.json and CSV files (default: data)",
    )


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """--config and --out for the site build."""
    parser.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs config (default: mkdocs.yml)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("public"), help="where the site goes (default: public)"
    )


def add_allow_private(parser: argparse.ArgumentParser) -> None:
    """--allow-private."""
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="permit private, loopback (all of 127.0.0.0/8) and link-local addresses (refused by default)",
    )


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from exc


def add_as_of(parser: argparse.ArgumentParser) -> None:
    """--as-of YYYY-MM-DD."""
    parser.add_argument(
        "--as-of",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="check against the rules in force on this date (default: today, Moscow time)",
    )


def load_registry_or_report(path: Path) -> Registry | None:
    """Load the registry, printing every problem to stderr when it is invalid."""
    try:
        return load_registry(path)
    except RegistryError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None


@contextmanager
def crawl_progress(total: int) -> Iterator[Callable[[SiteSnapshot], None]]:
    """A progress bar on stderr (a log line per site when stderr is not a terminal)."""
    if not sys.stderr.isatty():
        done = 0

        def log_line(snapshot: SiteSnapshot) -> None:
            nonlocal done
            done += 1
            print(f"crawl {done}/{total} {snapshot.school_id}: {snapshot.reachability}", file=sys.stderr)

        yield log_line
        return
    columns = (TextColumn("сайты"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("crawl", total=total)
        yield lambda snapshot: progress.advance(task)
