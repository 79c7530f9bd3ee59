"""The store keys each page body by the SHA-256 of its UTF-8 text; a page that came in UTF-8
brings that key from the fetcher (the digest of the bytes received), and the store trusts it."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.decoding import decode_html
from crawler.snapshot import PageSnapshot, SiteSnapshot
from sveden.blob_codec import unpack
from sveden.snapshot_store import SnapshotStore
from tests.crawl_helpers import crawl, school_site, settings
from tests.loopback_farm import Farm, Reply, Request, serve_farm

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_PAGE = "<title>Школа № 1</title><p>Сведения об образовательной организации</p>"


@pytest.fixture
def farm() -> Iterator[Farm]:
    with serve_farm() as served:
        yield served


@pytest.mark.parametrize(
    ("body", "content_type", "utf8"),
    [
        (_PAGE.encode(), "text/html; charset=utf-8", True),
        (_PAGE.encode(), "text/html; charset=UTF8", True),
        (("\ufeff" + _PAGE).encode(), "text/html; charset=utf-8", True),  # the BOM stays in the text
        (_PAGE.encode("cp1251"), "text/html; charset=windows-1251", False),
        (_PAGE.encode(), "text/html", False),  # detected, not declared
        (_PAGE.encode() + b"\xff\xfe broken", "text/html; charset=utf-8", False),  # not UTF-8 after all
    ],
    ids=["utf-8", "alias", "bom", "cp1251", "undeclared", "invalid"],
)
def test_decoding_says_when_the_body_is_the_texts_utf8(body: bytes, content_type: str, utf8: bool) -> None:
    decoded = decode_html(body, content_type)
    assert "Школа № 1" in decoded.text
    assert decoded.utf8 is utf8
    if utf8:
        assert decoded.text.encode("utf-8") == body


def test_corpus_pages_said_to_be_utf8_are(tmp_path: Path) -> None:
    pages = sorted(CORPUS.glob("pages/**/*.html")) if CORPUS.is_dir() else []
    if not pages:
        pytest.skip(f"no corpus pages under {CORPUS}")
    for path in pages:
        body = path.read_bytes()
        decoded = decode_html(body, "text/html; charset=utf-8")
        assert decoded.utf8 == (decoded.text.encode("utf-8") == body), path


def _bodies(store: Path) -> dict[str, bytes]:
    with sqlite3.connect(store) as db:
        return {str(key): unpack(blob) for key, blob in db.execute("SELECT sha256, body FROM bodies")}


def _pages(site: SiteSnapshot) -> list[PageSnapshot]:
    assert site.home is not None and site.section is not None
    return [site.home, site.section.page, *(page for sub in site.subsections for page in sub.pages)]


def test_every_stored_body_is_keyed_by_the_digest_of_its_utf8_text(farm: Farm, tmp_path: Path) -> None:
    routes = school_site()
    # One subsection in windows-1251, one in UTF-8 with a BOM and an ETag.
    routes["/sveden/common"] = Reply(
        body="<title>Основные сведения</title><p>Школа № 1</p>".encode("cp1251"),
        content_type="text/html; charset=windows-1251",
    )
    struct = Reply(
        body="\ufeff<title>Структура</title><p>Органы управления</p>".encode(), headers=(("ETag", '"v1"'),)
    )

    def conditional(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(status=304, headers=struct.headers, content_type=None)
        return struct

    routes["/sveden/struct"] = conditional
    host = farm.add("127.64.0.1", routes)
    path = tmp_path / "store.sqlite3"
    config = settings()
    with SnapshotStore(path) as store:
        first = crawl(config, host.base_url)
        by_path = {page.url.removeprefix(host.base_url.rstrip("/")): page for page in _pages(first)}
        assert sorted(by_path) == ["/", "/sveden/", "/sveden/common", "/sveden/struct"]
        assert by_path["/sveden/common"].body_sha256 is None  # windows-1251: the store hashes the text
        assert isinstance(by_path["/sveden/common"].body, str)
        assert by_path["/sveden/struct"].body == struct.body  # UTF-8: kept as received, BOM and all
        assert all(by_path[p].body_sha256 == by_path[p].sha256 for p in ("/", "/sveden/", "/sveden/struct"))
        store.put_snapshot(store.start_run(), first)
        stored = _bodies(path)
        assert len(stored) == 4
        assert {hashlib.sha256(body).hexdigest() for body in stored.values()} == set(stored)

        # The next night: the page with an ETag comes back as a 304 with its stored body and
        # key; the unchanged pages add no body.
        second_run = store.start_run()
        second = crawl(config, host.base_url, stored=store)
        assert [page.not_modified for page in _pages(second)] == [False, False, False, True]
        assert _pages(second)[-1].body == struct.body  # the stored UTF-8, not decoded to be kept
        store.put_snapshot(second_run, second)
        assert _bodies(path) == stored
        reloaded = store.snapshot(second_run, "school")
        assert reloaded is not None
        assert [page.text for page in _pages(reloaded)] == [page.text for page in _pages(first)]
        assert _pages(reloaded)[-1].text.startswith("\ufeff<title>Структура")
