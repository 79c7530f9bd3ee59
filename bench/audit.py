"""CPU time to check one school, against a raw lxml parse of the same pages, in one run.

    .venv/bin/python -m bench.audit [--repeat N]

The demo's compliant school (all 14 subsections, ~16 pages) is crawled once from a real
loopback server; then, alternately and N times each, its pages are parsed with raw lxml
(``etree.HTML``: the floor, no check can avoid parsing) and the school is audited with `audit_site`
(parse, microdata, statuses, documents, section checks, scores). Reported: CPU ms per
school for both and their ratio (target ≤ 5).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from checks.audit import AuditSubject, audit_site
from checks.rulebook import load_rulebook
from crawler.fetcher import Fetcher
from crawler.settings import CrawlSettings
from crawler.site_crawler import SiteTarget, crawl_site
from crawler.snapshot import SiteSnapshot
from sveden.demo_sites import serve_demo
from sveden.pipeline import subsection_targets

DEMO = Path(__file__).resolve().parents[1] / "demo"
AS_OF = dt.date(2026, 11, 23)


def _crawl_compliant_school() -> SiteSnapshot:
    settings = CrawlSettings(allow_private=True, per_host_delay=0.0)
    targets = subsection_targets(load_rulebook())
    with serve_demo(DEMO, port=0) as served:
        url = served.base_urls["127.0.1.1"]

        async def run() -> SiteSnapshot:
            async with Fetcher(settings) as fetcher:
                return await crawl_site(fetcher, SiteTarget("bench", url), targets)

        return asyncio.run(run())


def _cpu_ms(work: Callable[[], object]) -> float:
    started = time.process_time()
    work()
    return (time.process_time() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rulebook = load_rulebook()
    site = _crawl_compliant_school()
    pages = [page for page in (site.home, site.section.page if site.section else None) if page is not None]
    pages += [page for sub in site.subsections for page in sub.pages]
    bodies = [page.body for page in pages]
    subject = AuditSubject(id="bench", name="bench", municipality="", kind="general_school", url=site.url)

    def parse_all() -> None:
        for body in bodies:
            etree.HTML(body, etree.HTMLParser())

    def audit() -> None:
        audit_site(site, rulebook, subject, AS_OF, "2026-11-23T00:00:00+00:00")

    audit()  # warm caches (rulebook look-ups, regexes)
    parse_ms, audit_ms = [], []
    for _ in range(args.repeat):
        parse_ms.append(_cpu_ms(parse_all))
        audit_ms.append(_cpu_ms(audit))
    parse, checked = statistics.median(parse_ms), statistics.median(audit_ms)
    size_kb = sum(len(body.encode()) for body in bodies) / 1024
    print(f"school: {len(bodies)} pages, {size_kb:.0f} KB, {len(site.subsections)} subsections")
    print(f"raw lxml parse of all pages: {parse:.2f} ms CPU (median of {args.repeat})")
    print(f"audit_site (parse + checks + scores): {checked:.2f} ms CPU (median of {args.repeat})")
    print(f"ratio audit / raw parse: {checked / parse:.2f} (target <= 5)")


if __name__ == "__main__":
    main()
