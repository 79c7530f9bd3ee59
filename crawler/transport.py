"""httpx's transport interface on aiohttp: an `httpx.Request` in, an `httpx.Response` out.

One transport (an aiohttp session with its own connection pool) per host, all sharing one
`SSLContext`. aiohttp does the wire work with its C HTTP parser: in profiles of the
`bench.crawl` farm, the transport's share of the crawl's CPU fell from about a third (httpx's
default httpcore pool, pure-Python h11) to about a sixth. The address guard sits under every
connection (`crawler.connector`). Bodies come raw (`CappedBody` decodes them and
caps the decoded size), redirects are not followed (the fetcher follows them hop by hop), and
every failure is raised as its `crawler.faults` error, so nothing aiohttp-specific leaves
this module.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import aiohttp
import httpx
from yarl import URL

from crawler.address_guard import AddressPolicy
from crawler.connector import guarded_socket_factory
from crawler.faults import (
    ConnectTimeoutError,
    DnsError,
    DroppedConnectionError,
    FetchError,
    NonHttpSchemeError,
    ProtocolError,
    ReadTimeoutError,
    RefusedConnectionError,
    TlsError,
)

__all__ = ["GuardedTransport"]

#: Longest status or header line accepted (aiohttp's default of 8 KiB rejects real sites'
#: long cookies and link headers).
_MAX_LINE = 65_536


class GuardedTransport(httpx.AsyncBaseTransport):
    """Send one host's httpx requests through an aiohttp session.

    Usage::

        transport = GuardedTransport(ssl.create_default_context(), AddressPolicy(False), 2, 5.0, 10.0)
        response = await transport.handle_async_request(httpx.Request("GET", url))
    """

    def __init__(
        self,
        ssl_context: ssl.SSLContext,
        policy: AddressPolicy,
        connections: int,
        connect_timeout: float,
        read_timeout: float,
    ) -> None:
        connector = aiohttp.TCPConnector(
            limit=connections,
            ssl=ssl_context,
            resolver=aiohttp.ThreadedResolver(),
            keepalive_timeout=30.0,
            socket_factory=guarded_socket_factory(policy),
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout, sock_read=read_timeout),
            auto_decompress=False,
            max_line_size=_MAX_LINE,
            max_field_size=_MAX_LINE,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in request.headers.raw}
        with _faults():
            response = await self._session.request(
                request.method,
                URL(str(request.url), encoded=True),
                headers=headers,
                allow_redirects=False,
            )
        return httpx.Response(
            status_code=response.status, headers=response.raw_headers, stream=_Body(response)
        )

    async def aclose(self) -> None:
        await self._session.close()


class _Body(httpx.AsyncByteStream):
    """An aiohttp response body as an httpx stream."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _faults():
            async for chunk in self._response.content.iter_any():
                yield chunk

    async def aclose(self) -> None:
        # Back to the pool when read to the end; closed otherwise.
        self._response.release()


@contextmanager
def _faults() -> Iterator[None]:
    """Raise aiohttp's and the socket's errors as `crawler.faults` errors."""
    try:
        yield
    except FetchError:
        raise
    except aiohttp.ClientConnectorDNSError as exc:
        raise DnsError(str(exc)) from exc
    except (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError, ssl.SSLError) as exc:
        raise TlsError(str(exc)) from exc
    except aiohttp.ConnectionTimeoutError as exc:
        raise ConnectTimeoutError(str(exc) or "no connection in time") from exc
    except TimeoutError as exc:  # aiohttp's SocketTimeoutError among them
        raise ReadTimeoutError(str(exc) or "the server went silent") from exc
    except aiohttp.ClientConnectorError as exc:
        if isinstance(exc.os_error, ConnectionRefusedError):
            raise RefusedConnectionError(str(exc)) from exc
        raise DroppedConnectionError(str(exc)) from exc
    except (aiohttp.InvalidUrlClientError, aiohttp.NonHttpUrlClientError) as exc:
        raise NonHttpSchemeError(str(exc)) from exc
    except aiohttp.ClientResponseError as exc:  # not an HTTP answer
        raise ProtocolError(exc.message) from exc
    except (aiohttp.ClientError, OSError) as exc:  # disconnected, reset, cut-off payload
        raise DroppedConnectionError(str(exc) or type(exc).__name__) from exc
