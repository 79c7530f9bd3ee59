"""HTTPS: real HTTP and TLS servers on loopback, a test CA trusted through SSL_CERT_FILE."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme

from checks.audit import AuditSubject, audit_site
from checks.https_check import check_https
from checks.rulebook import Rulebook
from crawler.fetcher import Fetcher
from crawler.https_probe import probe_https
from crawler.site_crawler import SiteTarget, crawl_site
from crawler.snapshot import HttpsProbe, SiteSnapshot
from tests.conftest import AS_OF, fast_settings

PAGE = "<!doctype html><html lang=ru><title>Школа</title><h1>Школа</h1>".encode()


def _handler(redirect_to: str | None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if redirect_to is not None:
                self.send_response(301)
                self.send_header("Location", redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler


@contextmanager
def _server(redirect_to: str | None = None, tls: ssl.SSLContext | None = None) -> Iterator[int]:
    """A server on 127.0.0.1 (port 0); yields its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(redirect_to))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _tls_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


@pytest.fixture
def trusted_ca(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """A test CA the crawler trusts (its default SSL context reads SSL_CERT_FILE)."""
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    return ca


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _probe(http_url: str, https_port: int | None = None) -> HttpsProbe:
    async def run() -> HttpsProbe:
        async with Fetcher(fast_settings()) as fetcher:
            home = await fetcher.fetch_page(http_url)
            return await probe_https(fetcher, home, https_port=https_port)

    return asyncio.run(run())


def test_redirect_to_https_passes_through_the_crawl(trusted_ca: trustme.CA, rulebook: Rulebook) -> None:
    with (
        _server(tls=_tls_context(trusted_ca)) as tls_port,
        _server(redirect_to=f"https://127.0.0.1:{tls_port}/") as http_port,
    ):
        http_url = f"http://127.0.0.1:{http_port}/"

        async def crawl() -> SiteSnapshot:
            async with Fetcher(fast_settings()) as fetcher:
                return await crawl_site(fetcher, SiteTarget("s", http_url), [])

        site = asyncio.run(crawl())
    subject = AuditSubject(id="s", name="s", municipality="m", kind="general_school", url=http_url)
    assert site.https is not None and site.https.http_final_url.startswith("https://")
    https = audit_site(site, rulebook, subject, AS_OF, "now").extras["https"]
    assert https.outcome == "pass", https.detail
    assert f"https://127.0.0.1:{tls_port}/" in https.detail
    assert https.basis == "practice" and "не подтверждено" in https.legal_ref


def test_https_without_redirect_warns(trusted_ca: trustme.CA) -> None:
    with _server(tls=_tls_context(trusted_ca)) as tls_port, _server() as http_port:
        probe = _probe(f"http://127.0.0.1:{http_port}/", https_port=tls_port)
    result = check_https(probe)
    assert result.outcome == "warn"
    assert "не перенаправляет" in result.detail


def test_no_https_fails(trusted_ca: trustme.CA) -> None:
    with _server() as http_port:
        probe = _probe(f"http://127.0.0.1:{http_port}/", https_port=_closed_port())
    result = check_https(probe)
    assert result.outcome == "fail"
    assert "не открывается по HTTPS" in result.detail and "не отвечает" in result.detail


def test_untrusted_certificate_fails(trusted_ca: trustme.CA) -> None:
    stranger = trustme.CA()
    with _server(tls=_tls_context(stranger)) as tls_port, _server() as http_port:
        probe = _probe(f"http://127.0.0.1:{http_port}/", https_port=tls_port)
    result = check_https(probe)
    assert result.outcome == "fail"
    assert "сертификат не принят" in result.detail
    # Control: the same server with a certificate of the trusted CA answers.
    with _server(tls=_tls_context(trusted_ca)) as tls_port, _server() as http_port:
        assert check_https(_probe(f"http://127.0.0.1:{http_port}/", https_port=tls_port)).outcome == "warn"


def test_no_probe_is_not_checked() -> None:
    assert check_https(None).outcome == "not_checked"
