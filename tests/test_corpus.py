"""The engine against real «Сведения» pages (../shared/corpus), served at their own paths on loopback.

The corpus is third-party test data: it is read where it lies and never copied into this
repository; these tests skip when it is absent (a user's clone, GitHub Actions).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from checks.audit import AuditSubject, audit_site
from checks.page_inventory import inventory_of
from checks.parsed_page import ParsedPage
from checks.rulebook import Rulebook
from checks.text_fallback import find_labelled_value
from checks.vocabulary import Vocabulary
from crawler.discovery import linked_subsections, section_index_hrefs
from crawler.fetcher import Fetcher
from crawler.links import extract_links
from crawler.snapshot import PageSnapshot
from sveden.pipeline import subsection_targets
from tests.conftest import AS_OF, crawl_one, fast_settings
from tests.page_server import Page, serve_pages

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
pytestmark = pytest.mark.skipif(
    not (CORPUS / "expected.yaml").is_file(), reason="real-page corpus not available"
)

#: One loopback host per source site, so that pages sharing a path (/sveden/common) do not collide.
_HOSTS = {
    "F4ilji/ntspi-new": "127.0.4.1",
    "Ldska/ldska.github.io": "127.0.4.2",
    "deshtuka/dsrosinka": "127.0.4.3",
    "qzya/edu-website-requirements": "127.0.4.4",
}


def _entries() -> list[dict[str, Any]]:
    if not (CORPUS / "expected.yaml").is_file():
        return []
    entries: list[dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))[
        "entries"
    ]
    return entries


def _served_path(entry: dict[str, Any]) -> str:
    """Where the page is served: its url_path; mirrors and fragments at their file path."""
    if entry["source"]["repo"] == "Ldska/ldska.github.io" or entry["url_path"] is None:
        return "/" + str(entry["source"]["path"])
    return str(entry["url_path"])


def _body(entry: dict[str, Any]) -> bytes:
    raw: bytes = (CORPUS / str(entry["file"])).read_bytes()
    if entry["file"].endswith(".php"):  # the two include lines a PHP server would have run
        raw = b"\n".join(line for line in raw.split(b"\n") if not line.lstrip().startswith(b"<?php"))
    return raw


def _home_for(repo: str) -> bytes:
    """A derived home page linking the section, for crawling a corpus site as a whole."""
    href = "/sveden.html" if repo == "Ldska/ldska.github.io" else "/sveden/"
    link = f'<a href="{href}">Сведения об образовательной организации</a>'
    return f'<html><body><nav class="menu">{link}</nav></body></html>'.encode()


@pytest.fixture(scope="module")
def corpus_hosts() -> Iterator[dict[str, str]]:
    """Each source site served on its own loopback address: repo → base URL."""
    tables: dict[str, dict[str, Page]] = {repo: {"/": Page(_home_for(repo))} for repo in _HOSTS}
    for entry in _entries():
        tables[entry["source"]["repo"]][_served_path(entry)] = Page(_body(entry), "text/html")
    with (
        serve_pages(_HOSTS["F4ilji/ntspi-new"], tables["F4ilji/ntspi-new"]) as vikon,
        serve_pages(_HOSTS["Ldska/ldska.github.io"], tables["Ldska/ldska.github.io"]) as rfeducation,
        serve_pages(_HOSTS["deshtuka/dsrosinka"], tables["deshtuka/dsrosinka"]) as kindergarten,
        serve_pages(
            _HOSTS["qzya/edu-website-requirements"], tables["qzya/edu-website-requirements"]
        ) as order831,
    ):
        yield {
            "F4ilji/ntspi-new": vikon,
            "Ldska/ldska.github.io": rfeducation,
            "deshtuka/dsrosinka": kindergarten,
            "qzya/edu-website-requirements": order831,
        }


def _fetch(url: str) -> PageSnapshot:
    async def run() -> PageSnapshot:
        async with Fetcher(fast_settings()) as fetcher:
            return await fetcher.fetch_page(url)

    return asyncio.run(run())


@pytest.fixture(scope="module")
def fetched(corpus_hosts: dict[str, str]) -> dict[str, ParsedPage]:
    """Every corpus page fetched over HTTP by the crawler and parsed: file → page."""
    pages = {}
    for entry in _entries():
        snapshot = _fetch(corpus_hosts[entry["source"]["repo"]] + _served_path(entry))
        assert snapshot.ok, snapshot.error
        pages[entry["file"]] = ParsedPage(snapshot)
    return pages


ENTRIES = _entries()
IDS = [entry["file"].removeprefix("pages/") for entry in ENTRIES]


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_corpus_file_is_unchanged(entry: dict[str, Any]) -> None:
    raw = (CORPUS / entry["file"]).read_bytes()
    assert (len(raw), hashlib.sha256(raw).hexdigest()) == (entry["size_bytes"], entry["sha256"])


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_itemprops_found_equal_expected_minus_foreign(
    entry: dict[str, Any], fetched: dict[str, ParsedPage], rulebook: Rulebook
) -> None:
    page = fetched[entry["file"]]
    inventory = inventory_of(page.elements, Vocabulary(rulebook), entry["page_subsection"])
    expected = Counter(entry["itemprops"]) - Counter(entry["foreign_itemprops"])
    assert inventory.found() == expected
    assert not inventory.hidden


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["legacy_aliases_seen"]], ids=lambda e: e["file"])
def test_legacy_aliases_reported_with_current_names(
    entry: dict[str, Any], fetched: dict[str, ParsedPage], rulebook: Rulebook
) -> None:
    inventory = inventory_of(fetched[entry["file"]].elements, Vocabulary(rulebook), entry["page_subsection"])
    for written, current in entry["legacy_aliases_seen"].items():
        names = tuple(name.strip() for name in current.split("(")[0].split("+"))
        assert inventory.legacy[written] >= 1, written
        assert inventory.replacements[written] == names, written
    assert set(inventory.legacy) == set(entry["legacy_aliases_seen"])


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_subsections_discovered_from_navigation(
    entry: dict[str, Any], fetched: dict[str, ParsedPage], corpus_hosts: dict[str, str], rulebook: Rulebook
) -> None:
    section_url = corpus_hosts[entry["source"]["repo"]] + "/sveden/"
    page = fetched[entry["file"]]
    links = extract_links(page.page.body, page.url)
    found = linked_subsections(links, section_url, subsection_targets(rulebook))
    assert {key: sorted(hrefs) for key, hrefs in found.items()} == {
        key: sorted(hrefs) for key, hrefs in entry["linked_subsections"].items()
    }
    assert sorted(section_index_hrefs(links, section_url)) == sorted(entry["section_index_links"])


def test_vikon_address_keeps_visible_addresses_apart(fetched: dict[str, ParsedPage]) -> None:
    (address,) = [e for e in fetched["pages/vikon-ntspi-common.html"].elements if e.tokens == ("address",)]
    assert "Дополнительный юридический адрес" not in address.text  # inside <p style = "display: none";>
    assert "Машиностроителей, 11 Фактический адрес:" in address.text


def test_breadcrumb_name_is_not_a_struct_unit(fetched: dict[str, ParsedPage], rulebook: Rulebook) -> None:
    page = fetched["pages/vikon-ntspi-struct.html"]
    inventory = inventory_of(page.elements, Vocabulary(rulebook), "struct")
    assert (inventory.current["name"], inventory.foreign["noInfo"]) == (31, 3)


def test_hidden_markup_is_reported_hidden(tmp_path: Path, rulebook: Rulebook) -> None:
    """Derived fixture: the VIKON common page with its regDate block hidden the ways real sites do."""
    original = (CORPUS / "pages/vikon-ntspi-common.html").read_text(encoding="utf-8")
    marker = 'itemprop="regDate"'
    assert original.count(marker) == 1
    for hiding in ('style = "display : none";', 'class="vikon-text-block hide"', "hidden"):
        derived = original.replace(marker, f"{marker} {hiding}")
        page = ParsedPage(PageSnapshot(url="http://x/", final_url="http://x/", status=200, body=derived))
        inventory = inventory_of(page.elements, Vocabulary(rulebook), "common")
        assert inventory.hidden == Counter({"regDate": 1}), hiding


def _subject(url: str) -> AuditSubject:
    return AuditSubject(id="corpus", name="", municipality="", kind="general_school", url=url)


def test_vikon_site_crawled_and_audited(corpus_hosts: dict[str, str], rulebook: Rulebook) -> None:
    base = corpus_hosts["F4ilji/ntspi-new"]
    site = crawl_one(base, rulebook)
    assert {sub.key: sub.found_by for sub in site.subsections} == {
        key: "standard_path" for key in ("common", "struct", "document", "catering")
    }
    assert "ovz: a subsection of the site's own (/sveden/ovz)" in site.discovery_trace
    assert "common: back to the section index via /sveden/, /sveden" in site.discovery_trace
    school = audit_site(site, rulebook, _subject(base), AS_OF, "2026-11-23T00:00:00+00:00")
    items = {item.code: item for item in school.all_items()}
    assert items["SV-COMMON-REGDATE"].status == "present"
    assert items["SV-STRUCT-STRUCTORGUPRAV-NAME"].evidence.count == 31
    common = next(section for section in school.sections if section.key == "common")
    assert {legacy.itemprop for legacy in common.legacy_markup} == {
        "workTimeFil",
        "telephoneFil",
        "workTimeRep",
        "telephoneRep",
    }


def test_rfeducation_mirror_crawled_and_legacy_reported(
    corpus_hosts: dict[str, str], rulebook: Rulebook
) -> None:
    base = corpus_hosts["Ldska/ldska.github.io"]
    site = crawl_one(base, rulebook)
    assert site.section is not None and site.section.url.endswith("/sveden.html")
    common = site.subsection("common")
    assert common is not None and common.found_by == "standard_path"
    school = audit_site(site, rulebook, _subject(base), AS_OF, "2026-11-23T00:00:00+00:00")
    items = {item.code: item for item in school.all_items()}
    for code, written in (
        ("SV-COMMON-REGDATE", "RegDate"),
        ("SV-COMMON-EMAIL", "E-mail"),
        ("SV-COMMON-FULLNAME", "Name"),
    ):
        assert items[code].status == "legacy", code
        assert f"«{written}»" in items[code].hint


def test_kindergarten_without_markup_reads_as_present_without_markup(
    fetched: dict[str, ParsedPage], rulebook: Rulebook
) -> None:
    """No microdata at all: the all-<th> table is read by captions, and said to lack markup."""
    page = fetched["pages/kindergarten-osnovnye-svedeniya.html"]
    labels = {
        rule.itemprop: rule.labels for rule in rulebook.rules if rule.subsection == "common" and rule.labels
    }
    found = {
        name: find_labelled_value(page.lines, labels[name]) for name in ("regDate", "telephone", "email")
    }
    assert {name: value[1] if value else None for name, value in found.items()} == {
        "regDate": "Июль 1988 года",
        "telephone": "8 (42352) 3 – 94 – 08",
        "email": "ds10_rosinka@mail.ru",
    }
