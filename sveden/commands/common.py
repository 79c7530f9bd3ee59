"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path

from crawler.settings import CrawlSettings
from sveden.registry import Registry, RegistryError, load_registry

__all__ = [
    "STORE_NAME",
    "add_allow_private",
    "add_as_of",
    "add_crawl_options",
    "add_data_dir",
    "add_registry",
    "add_site_options",
    "crawl_settings",
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


def add_crawl_options(parser: argparse.ArgumentParser) -> None:
    """The crawler settings worth changing from the command line (the rest: `CrawlSettings`)."""
    defaults = CrawlSettings()
    parser.add_argument(
        "--ca-bundle",
        type=Path,
        default=None,
        metavar="PEM",
        help="extra trusted CA certificates, e.g. the Russian national CA (verification stays on)",
    )
    parser.add_argument(
        "--contact-url",
        default=defaults.contact_url,
        help=f"contact address in the User-Agent (default: {defaults.contact_url})",
    )
    parser.add_argument(
        "--concurrent-sites",
        type=int,
        default=defaults.concurrent_sites,
        metavar="N",
        help=f"sites (hosts) crawled at once (default: {defaults.concurrent_sites})",
    )


def crawl_settings(args: argparse.Namespace) -> CrawlSettings:
    """Settings from the command line; raises ValueError for an unusable value."""
    settings = CrawlSettings(allow_private=getattr(args, "allow_private", False))
    ca_bundle = getattr(args, "ca_bundle", None)
    if ca_bundle is not None and not ca_bundle.is_file():
        raise ValueError(f"--ca-bundle {ca_bundle}: no such file")
    concurrent = getattr(args, "concurrent_sites", settings.concurrent_sites)
    if concurrent < 1:
        raise ValueError(f"--concurrent-sites must be at least 1: {concurrent}")
    return replace(
        settings,
        extra_ca_bundle=ca_bundle,
        contact_url=getattr(args, "contact_url", settings.contact_url),
        concurrent_sites=concurrent,
    )
