"""Redirects, bad content and soft 404s, on real loopback servers."""

from __future__ import annotations

import gzip
import os
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from crawler.links import extract_links
from tests.crawl_helpers import crawl, fetch, probe, school_site, settings
from tests.loopback_farm import Farm, Reply, html, serve_farm


@pytest.fixture
def farm() -> Iterator[Farm]:
    with serve_farm() as served:
        yield served


def _redirect(location: str, status: int = 301) -> Reply:
    return Reply(status=status, headers=(("Location", location),), content_type=None)


# -- redirects ----------------------------------------------------------------------------------


def test_http_redirect_chain_is_followed_and_recorded(farm: Farm) -> None:
    host = farm.add(
        "127.61.0.1",
        {"/": _redirect("/a", 301), "/a": _redirect("/b", 302), "/b": html("<title>Школа</title>")},
    )
    page = fetch(settings(), host.base_url)
    assert page.ok
    assert page.final_url == host.url("/b")
    assert page.redirect_chain == (host.url("/"), host.url("/a"))


def test_redirect_to_another_host(farm: Farm) -> None:
    target = farm.add("127.61.0.3", {"/new/": html("<title>Новый сайт</title>")})
    old = farm.add("127.61.0.2", {"/": _redirect(target.url("/new/"))})
    page = fetch(settings(), old.base_url)
    assert page.final_url == target.url("/new/")
    assert "Новый сайт" in page.text


def test_http_to_https_redirect(farm: Farm, tmp_path: Path) -> None:
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.61.0.5").configure_cert(server)
    secure = farm.add("127.61.0.5", {"/": html("<title>HTTPS</title>")}, tls=server)
    plain = farm.add("127.61.0.4", {"/": _redirect(secure.base_url, 308)})
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    page = fetch(settings(extra_ca_bundle=bundle), plain.base_url)
    assert page.ok
    assert page.final_url.startswith("https://127.61.0.5:")


@pytest.mark.parametrize("charset", ["utf-8", "windows-1251"])  # kept as bytes; decoded to text
def test_meta_refresh_is_followed(farm: Farm, charset: str) -> None:
    refresh = '<title>Школа</title><meta http-equiv="refresh" content="0; url=/main/">'
    host = farm.add(
        "127.61.0.6" if charset == "utf-8" else "127.61.0.28",
        {
            "/": Reply(body=refresh.encode(charset), content_type=f"text/html; charset={charset}"),
            "/main/": html("<title>Главная</title>"),
        },
    )
    page = fetch(settings(), host.base_url)
    assert page.final_url == host.url("/main/")
    assert "Главная" in page.text
    assert page.redirect_chain == (host.url("/"),)


def test_redirect_loop_is_detected(farm: Farm) -> None:
    host = farm.add("127.61.0.7", {"/a": _redirect("/b"), "/b": _redirect("/a")})
    page = fetch(settings(), host.url("/a"))
    assert page.fault == "redirect_loop"


def test_meta_refresh_loop_is_detected(farm: Farm) -> None:
    host = farm.add(
        "127.61.0.8",
        {
            "/a": html('<meta http-equiv="refresh" content="0;url=/b">'),
            "/b": _redirect("/a"),
        },
    )
    assert fetch(settings(), host.url("/a")).fault == "redirect_loop"


def test_too_many_redirects(farm: Farm) -> None:
    routes: dict[str, Reply] = {f"/{n}": _redirect(f"/{n + 1}") for n in range(10)}
    routes["/10"] = html("<title>end</title>")
    host = farm.add("127.61.0.9", routes)
    assert fetch(settings(max_redirects=5), host.url("/0")).fault == "too_many_redirects"
    assert fetch(settings(max_redirects=10), host.url("/0")).ok  # control: the chain does end


def test_document_probe_records_where_it_ended(farm: Farm) -> None:
    host = farm.add(
        "127.61.0.10",
        {"/docs/charter.pdf": _redirect("/login?next=/docs/charter.pdf", 302), "/login": html("<form>")},
    )
    document = probe(settings(), host.url("/docs/charter.pdf"))
    assert document.status == 200
    assert document.final_url == host.url("/login?next=/docs/charter.pdf")


# -- security -----------------------------------------------------------------------------------


def test_private_addresses_are_refused_before_any_request(farm: Farm) -> None:
    host = farm.add("127.61.0.11", school_site())
    site = crawl(settings(allowed_networks=()), host.base_url)
    assert site.reachability == "refused_private_address"
    assert host.requests == []
    assert crawl(settings(), host.base_url).reachability == "ok"  # control: allowed, it answers


def test_redirect_to_the_metadata_address_is_refused(farm: Farm) -> None:
    host = farm.add("127.61.0.12", {"/": _redirect("http://169.254.169.254/latest/meta-data/")})
    page = fetch(settings(), host.base_url)
    assert page.fault == "refused_private_address"
    assert "169.254.169.254" in (page.error or "")


def test_redirect_to_a_name_resolving_to_a_refused_address_is_refused(farm: Farm) -> None:
    # Only 127.61.0.0/16 is allowed; "localhost" resolves to 127.0.0.1, checked after DNS.
    target = farm.add("127.0.0.1", {"/": html("<title>internal</title>")})
    host = farm.add("127.61.0.13", {"/": _redirect(f"http://localhost:{target.port}/")})
    page = fetch(settings(allowed_networks=("127.61.0.0/16",)), host.base_url)
    assert page.fault == "refused_private_address"
    assert target.requests == []


def test_non_http_redirects_are_never_followed(farm: Farm) -> None:
    host = farm.add("127.61.0.14", {"/": _redirect("file:///etc/passwd"), "/ftp": _redirect("ftp://x/")})
    assert fetch(settings(), host.base_url).fault == "non_http_scheme"
    assert fetch(settings(), host.url("/ftp")).fault == "non_http_scheme"


# -- bad content --------------------------------------------------------------------------------


def test_size_cap_truncates_a_huge_page(farm: Farm) -> None:
    big = b"<html><body>" + b"<p>staff</p>" * 300_000 + b"</body></html>"  # 3.6 MB
    host = farm.add("127.61.0.15", {"/": Reply(body=big)})
    capped = fetch(settings(max_body_bytes=1_000_000), host.base_url)
    assert capped.truncated
    assert len(capped.text) <= 1_000_000
    whole = fetch(settings(), host.base_url)  # the default cap fits a multi-MB staff page
    assert not whole.truncated
    assert len(whole.text) == len(big)


def test_gzip_bomb_is_cut_at_the_decoded_size(farm: Farm) -> None:
    bomb = gzip.compress(b"<html>" + b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    host = farm.add("127.61.0.16", {"/": Reply(body=bomb, headers=(("Content-Encoding", "gzip"),))})
    page = fetch(settings(max_body_bytes=2_000_000), host.base_url)
    assert page.truncated
    assert len(page.text) <= 2_000_000


def test_gzip_page_is_decoded(farm: Farm) -> None:
    body = gzip.compress("<title>Сжатая страница</title>".encode())
    host = farm.add("127.61.0.17", {"/": Reply(body=body, headers=(("Content-Encoding", "gzip"),))})
    page = fetch(settings(), host.base_url)
    assert "Сжатая страница" in page.text
    assert not page.truncated


def test_binary_served_as_html_is_not_parsed(farm: Farm) -> None:
    host = farm.add(
        "127.61.0.18",
        {
            "/pdf": Reply(body=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", content_type="text/html"),
            "/junk": Reply(body=os.urandom(4096) + b"\0", content_type="text/html; charset=utf-8"),
            "/untyped": Reply(body="<title>Без типа</title>".encode(), content_type=None),
        },
    )
    pdf = fetch(settings(), host.url("/pdf"))
    assert pdf.fault == "not_html"
    assert pdf.sniffed_type == "application/pdf"
    assert pdf.body == ""
    assert fetch(settings(), host.url("/junk")).fault == "not_html"
    untyped = fetch(settings(), host.url("/untyped"))  # control: a page without a type is a page
    assert untyped.ok
    assert "Без типа" in untyped.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<title>Школа № 1</title>".encode("cp1251"), "text/html; charset=windows-1251"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
            "<title>Школа № 1</title>".encode("cp1251"),
            "text/html",
        ),
        ("\ufeff<title>Школа № 1</title>".encode(), "text/html"),
        (
            "<html><title>Школа № 1</title><body>Сведения об образовательной организации. Основные "
            "сведения, структура и органы управления образовательной организацией, документы, "
            "образование, руководство, педагогический состав.</body></html>".encode("cp1251"),
            "text/html",
        ),
    ],
    ids=["header", "meta", "bom", "detected"],
)
def test_encodings(farm: Farm, body: bytes, content_type: str) -> None:
    host = farm.add("127.61.0.19", {"/": Reply(body=body, content_type=content_type)})
    assert "Школа № 1" in fetch(settings(), host.base_url).text


def test_malformed_html_still_yields_links(farm: Farm) -> None:
    broken = (
        '<html><body><div><table><tr><td><a href="/sveden/">Сведения об образовательной '
        "организации<td><p><b><i>незакрыто <a href='/x'>x</a></div></span></html></html><<<>>"
    )
    host = farm.add("127.61.0.20", {"/": html(broken)})
    page = fetch(settings(), host.base_url)
    urls = [link.url for link in extract_links(page.body, page.final_url)]
    assert host.url("/sveden/") in urls


# -- soft 404 -----------------------------------------------------------------------------------


def test_soft_404_site_has_no_section(farm: Farm) -> None:
    not_found = html("<title>Страница не найдена</title><h1>404</h1><p>Страница не найдена</p>")
    soft = farm.add("127.61.0.21", {"/": html("<title>Школа</title><p>Главная</p>"), "*": not_found})
    site = crawl(settings(), soft.base_url)
    assert site.reachability == "no_section"
    assert any("soft 404" in line for line in site.discovery_trace)
    # Control: the same not-found text with a real 404 status and a real section is found.
    honest = farm.add("127.61.0.22", school_site())
    assert crawl(settings(), honest.base_url).reachability == "ok"


def test_soft_404_site_keeps_its_real_pages(farm: Farm) -> None:
    not_found = html("<title>Страница не найдена</title><h1>404</h1>")
    routes = {**school_site(), "*": not_found}
    site = crawl(settings(), farm.add("127.61.0.23", routes).base_url)
    assert site.reachability == "ok"
    assert [sub.key for sub in site.subsections] == ["common", "struct"]


def test_soft_404_probe_asks_the_site_the_home_page_moved_to(farm: Farm) -> None:
    # The old address sends every path to the new site's home page; the new site answers 200
    # with its not-found page for anything else. The probe sent with the old home page lands on
    # the new home page, which says nothing about the new site's missing pages: it is asked again.
    not_found = html("<title>Страница не найдена</title><h1>404</h1><p>Страница не найдена</p>")
    moved = farm.add("127.61.0.25", {"/": html("<title>Школа</title><p>Главная</p>"), "*": not_found})
    old = farm.add("127.61.0.24", {"*": _redirect(moved.base_url)})
    site = crawl(settings(), old.base_url)
    assert site.reachability == "no_section"
    assert f"soft 404: {moved.url('/sveden-audit-no-such-page-4f1c9a/')} answered 200" in site.discovery_trace
    assert old.hits("/sveden-audit-no-such-page-4f1c9a/")  # the probe went along with the home page


def test_soft_404_probe_sent_with_the_home_page_serves_an_http_to_https_move(farm: Farm) -> None:
    # The usual move: the same path on the new address. The probe followed it: no second probe.
    not_found = html("<title>Страница не найдена</title><h1>404</h1><p>Страница не найдена</p>")
    moved = farm.add("127.61.0.27", {"/": html("<title>Школа</title><p>Главная</p>"), "*": not_found})
    old = farm.add("127.61.0.26", {"*": lambda request: _redirect(moved.url(request.path))})
    site = crawl(settings(), old.base_url)
    assert site.reachability == "no_section"
    assert len(moved.hits("/sveden-audit-no-such-page-4f1c9a/")) == 1
