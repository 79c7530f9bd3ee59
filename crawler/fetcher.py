"""Fetching: one httpx transport per host sharing one SSLContext, politeness, robots.txt, retries.

A failed fetch is data (a `PageSnapshot` or `DocumentProbe` with ``fault`` and ``error`` set),
never an exception that ends the crawl. Redirects, ``<meta http-equiv=refresh>`` included, are
followed here, one hop at a time, so that each hop is checked against robots.txt and only
http(s) is followed; the address guard runs on every new connection (`crawler.connector`).

One httpx transport (and connection pool) per host, not one shared client: a shared pool scans
all its connections on every request and slows down as hosts are added (DESIGN.md). Requests
are `httpx.Request`s sent through `crawler.transport.GuardedTransport`, httpx's transport
interface on aiohttp with the address guard under every connection. Hosts are leased by the
site crawls that use them and closed when the last lease ends, so open sockets follow the
sites in flight, not the size of the registry.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import re
import ssl
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import quote, urldefrag, urljoin, urlsplit, urlunsplit

import httpx

from crawler.address_guard import AddressPolicy
from crawler.capped_body import ACCEPT_ENCODING, CappedBody
from crawler.decoding import decode_html
from crawler.faults import (
    BlockedByRobotsError,
    FetchError,
    NonHttpSchemeError,
    RedirectLoopError,
    TooManyRedirectsError,
    TotalTimeoutError,
    classify,
)
from crawler.links import meta_refresh_url
from crawler.load_gate import LoadGate
from crawler.politeness import HostSlot
from crawler.retries import parse_retry_after, retry_delay
from crawler.robots import ALLOW_ALL, RobotsRules, robots_rules
from crawler.settings import CrawlSettings
from crawler.snapshot import DocumentProbe, PageSnapshot
from crawler.sniffing import is_html, sniff_type
from crawler.transport import GuardedTransport

__all__ = ["FetchedBytes", "Fetcher", "StoredPage", "StoredPages", "wire_url"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HEAD_REFUSED = frozenset({400, 403, 405, 406, 501})
#: Bytes read of a document fetched with GET to probe it (HEAD refused): its type and size only.
_PROBE_BYTES = 65_536
#: Hosts kept open after their last lease ends (documents on shared hosts, robots.txt reuse).
_IDLE_HOSTS = 256
#: A meta refresh with a longer delay is an auto-reload, not a redirect.
_MAX_REFRESH_DELAY = 30.0
#: An address that needs no encoding: printable ASCII without spaces, quotes or brackets.
_PLAIN_URL = re.compile(r"[A-Za-z0-9\-._~:/?@!$&'()*+,;=%]+")
_TRANSPORT_ERRORS = (FetchError, OSError, TimeoutError)


@dataclass(frozen=True)
class StoredPage:
    """A page kept from an earlier run, with the validators to ask whether it changed."""

    url: str
    status: int
    content_type: str | None
    encoding: str | None
    etag: str | None
    last_modified: str | None
    sha256: str | None
    #: The page's text in UTF-8, as the snapshot store keeps it.
    body: bytes
    #: The snapshot store's key of `body` (the SHA-256 of its UTF-8 text).
    body_sha256: str


class StoredPages(Protocol):
    """Where the fetcher finds the previous night's copy of a page (the snapshot store)."""

    def stored_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The ETag and Last-Modified of the newest stored copy of `url` that has either (asked
        before every page request, so without reading the body)."""

    def stored_page(self, url: str) -> StoredPage | None:
        """The newest stored copy of `url` that carries an ETag or Last-Modified."""


@dataclass(frozen=True)
class FetchedBytes:
    """A raw GET answer (body decoded from its Content-Encoding, capped at ``max_body_bytes``);
    ``error`` (``fault: detail``) when it failed. Header names are lower-case."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    error: str | None = None


@dataclass
class _Answer:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    truncated: bool = False


@dataclass
class _Host:
    transport: GuardedTransport
    slot: HostSlot
    robots: asyncio.Task[RobotsRules] | None = None
    leases: int = 0


@dataclass
class _Hops:
    """The addresses a request went through, shared by HTTP and meta-refresh redirects."""

    limit: int
    chain: list[str] = field(default_factory=list)

    def go(self, source: str, target: str) -> str:
        if target in self.chain or target == source:
            raise RedirectLoopError(f"redirect loop: {source} → {target}")
        if len(self.chain) >= self.limit:
            raise TooManyRedirectsError(f"more than {self.limit} redirects from {self.chain[0]}")
        self.chain.append(source)
        return target


def wire_url(url: str) -> str:
    """`url` as sent on the wire: IDN host in punycode, path and query percent-encoded."""
    if url.isascii() and _PLAIN_URL.fullmatch(url):
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = host
    netloc = ascii_host if parts.port is None else f"{ascii_host}:{parts.port}"
    if ":" in ascii_host:
        netloc = f"[{ascii_host}]" if parts.port is None else f"[{ascii_host}]:{parts.port}"
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=~?")
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _failure(exc: BaseException) -> tuple[FetchError, str]:
    fault = classify(exc)
    return fault, f"{fault.fault}: {fault}"


class Fetcher:
    """Fetches pages and probes documents politely; use as an async context manager.

    Usage::

        async with Fetcher(CrawlSettings()) as fetcher:
            async with fetcher.lease("https://school.example/"):
                page = await fetcher.fetch_page("https://school.example/sveden/")
    """

    def __init__(self, settings: CrawlSettings, stored: StoredPages | None = None) -> None:
        self.settings = settings
        self._stored = stored
        self._ssl = ssl.create_default_context()
        if settings.extra_ca_bundle is not None:
            self._ssl.load_verify_locations(cafile=str(settings.extra_ca_bundle))
        self._policy = AddressPolicy(settings.allow_private, settings.allowed_networks)
        self._gate = LoadGate(settings.max_loop_lag)
        self._hosts: dict[str, _Host] = {}
        self._idle: OrderedDict[str, None] = OrderedDict()
        self._base_headers = [
            (b"User-Agent", settings.user_agent.encode("ascii", "replace")),
            (b"Accept", b"text/html,application/xhtml+xml,*/*;q=0.8"),
            (b"Accept-Language", b"ru,en;q=0.5"),
            (b"Accept-Encoding", ACCEPT_ENCODING.encode("ascii")),
        ]

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        hosts, self._hosts = self._hosts, {}
        self._idle.clear()
        for host in hosts.values():
            await self._close(host)

    async def _close(self, host: _Host) -> None:
        if host.robots is not None and not host.robots.done():
            host.robots.cancel()
        await host.transport.aclose()

    def _host(self, netloc: str) -> _Host:
        host = self._hosts.get(netloc)
        if host is None:
            transport = GuardedTransport(
                self._ssl,
                self._policy,
                self.settings.per_host_connections,
                self.settings.connect_timeout,
                self.settings.read_timeout,
            )
            host = _Host(
                transport,
                HostSlot(self.settings.per_host_connections, self.settings.per_host_delay, self._gate),
            )
            self._hosts[netloc] = host
        self._idle.pop(netloc, None)
        return host

    @asynccontextmanager
    async def lease(self, url: str) -> AsyncIterator[None]:
        """Keep `url`'s host (connections, politeness, robots.txt) for the duration of a site crawl."""
        netloc = urlsplit(url).netloc.lower()
        self._host(netloc).leases += 1
        try:
            yield
        finally:
            await self._end_lease(netloc)

    async def _end_lease(self, netloc: str) -> None:
        host = self._hosts.get(netloc)
        if host is not None:
            host.leases -= 1
            if host.leases <= 0:
                await self._park(netloc)

    async def _park(self, netloc: str) -> None:
        """Move an unleased host to the idle list, closing the oldest idle ones beyond the cap."""
        self._idle[netloc] = None
        while len(self._idle) > _IDLE_HOSTS:
            oldest, _ = self._idle.popitem(last=False)
            host = self._hosts.pop(oldest, None)
            if host is not None and host.leases <= 0:
                await self._close(host)

    # -- robots.txt ---------------------------------------------------------------------------

    async def robots(self, url: str) -> RobotsRules:
        """The robots.txt rules of `url`'s host, fetched once per host."""
        if not self.settings.obey_robots:
            return ALLOW_ALL
        parts = urlsplit(url)
        host = self._host(parts.netloc.lower())
        if host.robots is None:
            host.robots = asyncio.ensure_future(
                self._load_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
            )
        if host.robots.done():
            return host.robots.result()
        return await asyncio.shield(host.robots)

    async def _load_robots(self, robots_url: str) -> RobotsRules:
        try:
            answer = await self._follow(
                "GET",
                robots_url,
                _Hops(self.settings.max_redirects),
                self.settings.max_robots_bytes,
                robots=False,
            )
        except _TRANSPORT_ERRORS as exc:
            return robots_rules(None, b"", failure=classify(exc))
        rules = robots_rules(answer.status, answer.body)
        delay = rules.crawl_delay()
        if delay is not None:
            self._host(urlsplit(robots_url).netloc.lower()).slot.slow_down(
                min(delay, self.settings.max_crawl_delay)
            )
        return rules

    # -- one request, with retries ------------------------------------------------------------

    def _conditional_headers(self, url: str) -> list[tuple[bytes, bytes]]:
        validators = self._stored.stored_validators(url) if self._stored is not None else None
        if validators is None:
            return []
        etag, last_modified = validators
        headers = []
        if etag:
            headers.append((b"If-None-Match", etag.encode("latin-1", "replace")))
        if last_modified:
            headers.append((b"If-Modified-Since", last_modified.encode("latin-1", "replace")))
        return headers

    async def _exchange_once(self, method: str, url: str, limit: int, conditional: bool) -> _Answer:
        parts = urlsplit(url)
        host = self._host(parts.netloc.lower())
        wire = wire_url(url)
        headers = list(self._base_headers)
        if conditional:
            headers.extend(self._conditional_headers(url))
        async with host.slot.turn():
            try:
                async with asyncio.timeout(self.settings.request_timeout):
                    # The transport directly, without a client's cookie jar, auth and event hooks:
                    # every header is set here and redirects are followed by `_follow`.
                    request = httpx.Request(method, wire, headers=headers)
                    response = await host.transport.handle_async_request(request)
                    async with contextlib.aclosing(response):
                        answer = _Answer(
                            url=url,
                            status=response.status_code,
                            headers={
                                name.decode("latin-1").lower(): value.decode("latin-1")
                                for name, value in response.headers.raw
                            },
                        )
                        if method == "GET":
                            # Raw bytes: `CappedBody` decodes them, counting the decoded size.
                            body = CappedBody(answer.headers.get("content-encoding"), limit)
                            async for chunk in response.aiter_raw():
                                if not body.feed(chunk):
                                    break
                            answer.body, answer.truncated = body.result()
                        else:
                            # A HEAD answer has no body, but its end must be read: otherwise the
                            # connection is closed and the next request opens another.
                            async for _ in response.aiter_raw():
                                pass
                        return answer
            except TimeoutError as exc:
                raise TotalTimeoutError(f"no complete answer in {self.settings.request_timeout} s") from exc

    async def _exchange(self, method: str, url: str, limit: int, conditional: bool) -> _Answer:
        """One request to `url`, asked again after throttling or transient faults."""
        slot = self._host(urlsplit(url).netloc.lower()).slot
        attempt = 0
        while True:
            try:
                answer = await self._exchange_once(method, url, limit, conditional)
            except _TRANSPORT_ERRORS as exc:
                delay = retry_delay(self.settings.retry, attempt, fault=classify(exc).fault)
                if delay is None:
                    raise
            else:
                retry_after = parse_retry_after(answer.headers.get("retry-after"), _now())
                delay = retry_delay(
                    self.settings.retry, attempt, status=answer.status, retry_after=retry_after
                )
                if delay is None:
                    return answer
            slot.defer(delay)
            attempt += 1

    async def _follow(
        self, method: str, url: str, hops: _Hops, limit: int, robots: bool = True, conditional: bool = False
    ) -> _Answer:
        """`url`'s answer after HTTP redirects, each hop checked for scheme and robots.txt;
        `conditional`: with the stored page's validators (pages only: `_page` handles the 304)."""
        current = url
        while True:
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https"):
                raise NonHttpSchemeError(f"not an http(s) address: {current}")
            # Leased for the request, so that a host reached only through a document link or a
            # redirect is closed once unused, like the sites' own hosts (`lease`, inlined: this
            # runs for every request).
            netloc = parts.netloc.lower()
            self._host(netloc).leases += 1
            try:
                rules = await self.robots(current) if robots else ALLOW_ALL
                if rules.failure is not None:  # the host did not even answer for robots.txt
                    raise type(rules.failure)(str(rules.failure))
                if not rules.allows(current):
                    raise BlockedByRobotsError(f"{rules.note}; disallows {current}")
                answer = await self._exchange(method, current, limit, conditional)
            finally:
                await self._end_lease(netloc)
            location = answer.headers.get("location")
            if answer.status not in _REDIRECTS or not location:
                return answer
            current = hops.go(current, urldefrag(urljoin(current, location.strip())).url)

    # -- pages and documents ------------------------------------------------------------------

    async def fetch_page(self, url: str) -> PageSnapshot:
        """GET an HTML page; failures come back as a snapshot with ``fault`` set."""
        started = time.perf_counter()
        hops = _Hops(self.settings.max_redirects)
        current = url
        try:
            while True:
                answer = await self._follow(
                    "GET", current, hops, self.settings.max_body_bytes, conditional=self._stored is not None
                )
                page = self._page(url, answer, hops, started)
                target = meta_refresh_url(page.body, answer.url, _MAX_REFRESH_DELAY) if page.ok else None
                if target is None or target == answer.url:
                    return page
                current = hops.go(answer.url, target)
        except _TRANSPORT_ERRORS as exc:
            fault, error = _failure(exc)
            return PageSnapshot(
                url=url,
                final_url=current,
                status=0,
                fault=fault.fault,
                error=error,
                redirect_chain=tuple(hops.chain),
                elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
            )

    def _page(self, url: str, answer: _Answer, hops: _Hops, started: float) -> PageSnapshot:
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        common = {
            "url": url,
            "final_url": answer.url,
            "redirect_chain": tuple(hops.chain),
            "elapsed_ms": elapsed,
        }
        stored = self._stored.stored_page(answer.url) if answer.status == 304 and self._stored else None
        if stored is not None:
            return PageSnapshot(
                **common,
                status=stored.status,
                content_type=stored.content_type,
                sniffed_type="text/html",
                encoding=stored.encoding,
                sha256=stored.sha256,
                body_sha256=stored.body_sha256,
                etag=answer.headers.get("etag", stored.etag),
                last_modified=answer.headers.get("last-modified", stored.last_modified),
                not_modified=True,
                body=stored.body,
            )
        content_type = answer.headers.get("content-type")
        sniffed = sniff_type(content_type, answer.body)
        validators = {
            "etag": answer.headers.get("etag"),
            "last_modified": answer.headers.get("last-modified"),
        }
        if answer.body and not is_html(sniffed):
            return PageSnapshot(
                **common,
                status=answer.status,
                content_type=content_type,
                sniffed_type=sniffed,
                sha256=hashlib.sha256(answer.body).hexdigest(),
                truncated=answer.truncated,
                fault="not_html",
                error=f"not_html: served as {content_type or 'no type'}, the content is {sniffed}",
            )
        decoded = decode_html(answer.body, content_type)
        sha256 = hashlib.sha256(answer.body).hexdigest()
        return PageSnapshot(
            **common,
            status=answer.status,
            content_type=content_type,
            sniffed_type=sniffed,
            encoding=decoded.encoding,
            sha256=sha256,
            truncated=answer.truncated,
            # Bytes that decode as UTF-8 are kept as they came: parsed and stored as they are.
            body=answer.body if decoded.utf8 else decoded.text,
            body_sha256=sha256 if decoded.utf8 else None,
            **validators,
        )

    async def fetch_bytes(self, url: str) -> FetchedBytes:
        """GET a file as bytes, undecoded as text; failures come back with ``error`` set."""
        try:
            answer = await self._follow(
                "GET", url, _Hops(self.settings.max_redirects), self.settings.max_body_bytes
            )
        except _TRANSPORT_ERRORS as exc:
            return FetchedBytes(url, url, 0, {}, b"", _failure(exc)[1])
        return FetchedBytes(url, answer.url, answer.status, answer.headers, answer.body)

    async def probe_document(self, url: str) -> DocumentProbe:
        """HEAD a linked document (GET when HEAD is refused) and record status, type and size."""
        hops = _Hops(self.settings.max_redirects)
        try:
            answer = await self._follow("HEAD", url, hops, 0)
            if answer.status in _HEAD_REFUSED:
                hops = _Hops(self.settings.max_redirects)
                answer = await self._follow("GET", url, hops, _PROBE_BYTES)
        except _TRANSPORT_ERRORS as exc:
            fault, error = _failure(exc)
            return DocumentProbe(url=url, final_url=None, status=0, fault=fault.fault, error=error)
        length = answer.headers.get("content-length", "")
        content_type = answer.headers.get("content-type")
        return DocumentProbe(
            url=url,
            final_url=answer.url,
            status=answer.status,
            content_type=content_type,
            sniffed_type=sniff_type(content_type, answer.body) if answer.body else None,
            size=int(length)
            if length.isdigit()
            else (len(answer.body) or None)
            if not answer.truncated
            else None,
        )
