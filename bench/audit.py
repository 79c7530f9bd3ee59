"""CPU time to check one school, against a raw lxml parse of the same pages, in one run.

    .venv/bin/python -m bench.audit [--repeat N]

Two schools: the demo's compliant school (all 14 subsections, 16 lean synthetic pages),
crawled once from a real loopback server, and — when ../shared/corpus is present — a real
section (the VIKON generator's pages, with the menus, scripts and tables real sites carry).
For each, alternately and N times, its pages are parsed with raw lxml (``etree.HTML``: the
floor, no check can avoid parsing) and the school is audited with `audit_site` (parse,
microdata, statuses, documents, section checks, scores). Reported: CPU ms per school for
both and their ratio (target ≤ 5).
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
from checks.rulebook import Rulebook, load_rulebook
from crawler.fetcher import Fetcher
from crawler.settings import CrawlSettings
from crawler.site_crawler import SiteTarget, crawl_site
from crawler.snapshot import PageSnapshot, SectionSnapshot, SiteSnapshot, SubsectionSnapshot
from sveden.demo_sites import serve_demo
from sveden.pipeline import subsection_targets

DEMO = Path(__file__).resolve().parents[1] / "demo"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
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


def _corpus_school() -> SiteSnapshot | None:
    """The real VIKON section of the developer corpus (../shared/corpus) as a snapshot, when present.

    Real pages carry menus, scripts and long tables around the marked items, as school sites do;
    the demo's pages are lean. The corpus is read where it lies, never copied.
    """
    pages_dir = CORPUS / "pages"
    if not pages_dir.is_dir():
        return None
    base = "http://corpus.invalid"

    def page(name: str, path: str) -> PageSnapshot:
        body = (pages_dir / name).read_bytes().decode("utf-8")
        return PageSnapshot(url=base + path, final_url=base + path, status=200, body=body)

    index = page("vikon-ntspi-sveden-index.html", "/sveden/")
    subsections = tuple(
        SubsectionSnapshot(
            key=key,
            url=base + f"/sveden/{key}",
            found_by="standard_path",
            pages=(page(name, f"/sveden/{key}"),),
        )
        for key, name in (
            ("common", "vikon-ntspi-common.html"),
            ("struct", "vikon-ntspi-struct.html"),
            ("document", "vikon-ntspi-document.html"),
            ("catering", "vikon-ntspi-catering.html"),
        )
    )
    section = SectionSnapshot(
        url=index.url, found_by="standard_path", page=index, linked_from_home=True, linked_from_menu=True
    )
    return SiteSnapshot(
        school_id="corpus",
        url=base + "/",
        fetched_at="2026-11-23T00:00:00+00:00",
        reachability="ok",
        home=index,
        section=section,
        subsections=subsections,
    )


def _measure(name: str, site: SiteSnapshot, rulebook: Rulebook, repeat: int) -> None:
    pages = [page for page in (site.home, site.section.page if site.section else None) if page is not None]
    pages += [page for sub in site.subsections for page in sub.pages]
    pages = list({id(page): page for page in pages}.values())
    bodies = [page.text for page in pages]
    subject = AuditSubject(id="bench", name="bench", municipality="", kind="general_school", url=site.url)

    def parse_all() -> None:
        for body in bodies:
            etree.HTML(body, etree.HTMLParser())

    def audit() -> None:
        audit_site(site, rulebook, subject, AS_OF, "2026-11-23T00:00:00+00:00")

    audit()  # warm caches (rulebook look-ups, regexes)
    parse_ms, audit_ms = [], []
    for _ in range(repeat):
        parse_ms.append(_cpu_ms(parse_all))
        audit_ms.append(_cpu_ms(audit))
    parse, checked = statistics.median(parse_ms), statistics.median(audit_ms)
    size_kb = sum(len(body.encode()) for body in bodies) / 1024
    print(
        f"{name:<34} {len(bodies):>5} {size_kb:>7.0f} {parse:>10.2f} {checked:>10.2f} {checked / parse:>7.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rulebook = load_rulebook()
    print(f"{'school':<34} {'pages':>5} {'KB':>7} {'parse ms':>10} {'audit ms':>10} {'ratio':>7}")
    _measure("demo: compliant school (synthetic)", _crawl_compliant_school(), rulebook, args.repeat)
    corpus = _corpus_school()
    if corpus is None:
        print("real pages: ../shared/corpus not available, skipped")
    else:
        _measure("real pages: VIKON section (corpus)", corpus, rulebook, args.repeat)
    print("CPU ms per school, median of", args.repeat, "alternating runs; target ratio <= 5")


if __name__ == "__main__":
    main()
