"""`sveden audit URL`: audit one site now, for its webmaster (writes nothing to the store)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any
from urllib.parse import urlsplit

from checks.audit import AuditSubject, audit_site
from checks.report import render_report
from checks.rulebook import load_rulebook
from crawler.fetcher import Fetcher
from crawler.site_crawler import SiteTarget, crawl_site
from sveden.commands.common import add_allow_private, add_as_of, add_crawl_options, crawl_settings
from sveden.pipeline import now_utc, subsection_targets, today_in
from sveden.registry import SCHOOL_KINDS

__all__ = ["EXIT_CANNOT_AUDIT", "EXIT_FAILS", "EXIT_OK", "add_parser"]

EXIT_OK = 0
EXIT_FAILS = 1
EXIT_CANNOT_AUDIT = 3


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "audit",
        help="audit one site now and print what to fix",
        description=(
            "Audit one school site (URL = its home page) and print a Russian report grouped by "
            "subsection, or with --json one audited-school object on stdout. Exit codes: 0 no "
            "required rule fails; 1 a required rule fails; 3 could not audit (unreachable, TLS, "
            "robots, refused address); 2 usage error."
        ),
    )
    parser.add_argument("url", help="the site's home page, e.g. https://school.example/")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    parser.add_argument(
        "--kind",
        choices=SCHOOL_KINDS,
        default="general_school",
        help="organization kind (default: general_school)",
    )
    add_as_of(parser)
    add_crawl_options(parser)
    add_allow_private(parser)
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Crawl, check, print; the exit code tells the outcome."""
    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        print(f"sveden audit: not an http(s) address: {args.url!r}", file=sys.stderr)
        return 2
    rulebook = load_rulebook()
    try:
        settings = crawl_settings(args)
    except ValueError as exc:
        print(f"sveden audit: {exc}", file=sys.stderr)
        return 2
    as_of = args.as_of or today_in("Europe/Moscow")

    async def crawl() -> Any:
        async with Fetcher(settings) as fetcher, fetcher.lease(args.url):
            return await crawl_site(fetcher, SiteTarget("audit", args.url), subsection_targets(rulebook))

    snapshot = asyncio.run(crawl())  # one site: asyncio's own loop (uvloop pays off on whole crawls)
    subject = AuditSubject(
        id=parts.hostname, name=parts.hostname, municipality="", kind=args.kind, url=args.url
    )
    result = audit_site(snapshot, rulebook, subject, as_of, now_utc())
    if args.json:
        print(result.model_dump_json(indent=1))
    else:
        print(render_report(result, rulebook), end="")
    if result.reachability not in ("ok", "no_section"):
        if args.json:
            print(f"sveden audit: could not audit: {result.reachability_detail}", file=sys.stderr)
        return EXIT_CANNOT_AUDIT
    failing_required = [
        item for item in result.failing_items() if rulebook.by_code[item.code].required == "yes"
    ]
    return EXIT_FAILS if failing_required else EXIT_OK
