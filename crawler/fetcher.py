"""Fetching with httpx: one client per host sharing one SSLContext, politeness, manual redirects.

A failed fetch is data (a `PageSnapshot` or `DocumentProbe` with ``error`` set), never an
exception that ends the crawl. Redirects are followed here so that each hop passes the
address guard and only http(s) is followed.
"""

from __future__ import annotations

import hashlib
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from crawler.address_guard import PrivateAddressError, ensure_public
from crawler.decoding import decode_html
from crawler.politeness import Politeness
from crawler.settings import CrawlSettings
from crawler.snapshot import DocumentProbe, PageSnapshot

__all__ = ["FetchedBytes", "Fetcher", "classify_error"]

_REDIRECTS = {301, 302, 303, 307, 308}
_HEAD_REFUSED = {400, 403, 405, 406, 501}


def classify_error(exc: BaseException) -> str:
    """A short machine-readable reason for a failed request."""
    if isinstance(exc, PrivateAddressError):
        return f"refused_private_address: {exc}"
    if isinstance(exc, httpx.TimeoutException):
        return f"timeout: {type(exc).__name__}"
    if isinstance(exc, httpx.ConnectError):
        cause = exc.__context__ or exc.__cause__
        if isinstance(cause, ssl.SSLError) or "SSL" in str(exc) or "certificate" in str(exc):
            return f"tls_error: {exc}"
        return f"connection_failed: {exc}"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too_many_redirects"
    return f"{type(exc).__name__}: {exc}"


@dataclass(frozen=True)
class FetchedBytes:
    """A raw GET answer (body capped at the settings' ``max_body_bytes``); ``error`` when it failed."""

    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    body: bytes
    error: str | None = None


class Fetcher:
    """Fetches pages and probes documents politely; use as an async context manager."""

    def __init__(self, settings: CrawlSettings) -> None:
        self.settings = settings
        self._ssl = ssl.create_default_context()
        self._politeness = Politeness(settings.per_host_connections, settings.per_host_delay)
        self._clients: dict[str, httpx.AsyncClient] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

    def _client(self, host: str) -> httpx.AsyncClient:
        if host not in self._clients:
            self._clients[host] = httpx.AsyncClient(
                verify=self._ssl,
                timeout=self.settings.timeout,
                follow_redirects=False,
                headers={"User-Agent": self.settings.user_agent},
                limits=httpx.Limits(max_connections=self.settings.per_host_connections),
            )
        return self._clients[host]

    async def _send(self, method: str, url: str) -> tuple[httpx.Response, bytes, str]:
        """Send with redirects followed by hand; returns the response, body and final URL."""
        for _ in range(self.settings.max_redirects + 1):
            await ensure_public(url, self.settings.allow_private)
            host = urlsplit(url).netloc
            async with self._politeness.slot(host).turn():
                request = self._client(host).build_request(method, url)
                response = await self._client(host).send(request, stream=True)
                try:
                    body = await self._read_capped(response) if method == "GET" else b""
                finally:
                    await response.aclose()
            location = response.headers.get("location")
            if response.status_code in _REDIRECTS and location:
                url = urljoin(url, location)
                if urlsplit(url).scheme not in ("http", "https"):
                    raise httpx.UnsupportedProtocol(f"redirect to a non-HTTP address: {url}")
                continue
            return response, body, url
        raise httpx.TooManyRedirects(f"more than {self.settings.max_redirects} redirects")

    async def _read_capped(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.settings.max_body_bytes:
                break
            chunks.append(chunk)
        return b"".join(chunks)

    async def fetch_page(self, url: str) -> PageSnapshot:
        """GET an HTML page; failures come back as a snapshot with ``error`` set."""
        started = time.perf_counter()
        try:
            response, body, final_url = await self._send("GET", url)
        except (httpx.HTTPError, PrivateAddressError, OSError) as exc:
            return PageSnapshot(url=url, final_url=url, status=0, error=classify_error(exc))
        content_type = response.headers.get("content-type")
        text, encoding = decode_html(body, content_type)
        return PageSnapshot(
            url=url,
            final_url=final_url,
            status=response.status_code,
            content_type=content_type,
            encoding=encoding,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
            sha256=hashlib.sha256(body).hexdigest(),
            body=text,
        )

    async def probe_document(self, url: str) -> DocumentProbe:
        """HEAD a linked document (GET when HEAD is refused) and record status, type and size."""
        try:
            response, body, final_url = await self._send("HEAD", url)
            if response.status_code in _HEAD_REFUSED:
                response, body, final_url = await self._send("GET", url)
        except (httpx.HTTPError, PrivateAddressError, OSError) as exc:
            return DocumentProbe(url=url, status=0, error=classify_error(exc))
        length = response.headers.get("content-length")
        return DocumentProbe(
            url=url,
            final_url=final_url,
            status=response.status_code,
            content_type=response.headers.get("content-type"),
            size=int(length) if length and length.isdigit() else (len(body) or None),
        )

    async def fetch_bytes(self, url: str) -> FetchedBytes:
        """GET a file as bytes, undecoded; failures come back with ``error`` set."""
        try:
            response, body, final_url = await self._send("GET", url)
        except (httpx.HTTPError, PrivateAddressError, OSError) as exc:
            return FetchedBytes(url, url, 0, httpx.Headers(), b"", classify_error(exc))
        return FetchedBytes(url, final_url, response.status_code, response.headers, body)
