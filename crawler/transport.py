"""httpx's transport on a guarded httpcore pool: the address guard sits under every connection.

`httpx.AsyncHTTPTransport` builds its own httpcore pool on the default network backend; this
transport does what it does (an `httpx.Request` in, an `httpx.Response` out) on a pool whose
backend is `crawler.connector.GuardedBackend`, so every connection — first request,
redirect or DNS change alike — is checked after name resolution. httpcore's exceptions pass
through unchanged: `crawler.faults.classify` reads them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpcore
import httpx

__all__ = ["GuardedTransport"]


class GuardedTransport(httpx.AsyncBaseTransport):
    """Send httpx requests through an httpcore connection pool."""

    def __init__(self, pool: httpcore.AsyncConnectionPool) -> None:
        self._pool = pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=request.stream if isinstance(request.stream, httpx.AsyncByteStream) else None,
            extensions=request.extensions,
        )
        response = await self._pool.handle_async_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


class _ResponseStream(httpx.AsyncByteStream):
    """An httpcore response body as an httpx stream."""

    def __init__(self, response: httpcore.Response) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for part in self._response.aiter_stream():
            yield part

    async def aclose(self) -> None:
        await self._response.aclose()
