"""TCP connections for httpcore: resolve, refuse non-public addresses, connect with asyncio.

The address check happens here, on every new connection and after DNS resolution, so it also
covers redirects to another host and a name that resolves differently the second time (DNS
rebinding): the socket connects to the very address that was checked, while TLS still
verifies the certificate against the host name. Streams are plain asyncio streams, which
cost less CPU per request than httpcore's default anyio backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

from crawler.address_guard import non_public_address
from crawler.faults import DnsError, PrivateAddressError

__all__ = ["GuardedBackend"]

_READ_ERRORS = (OSError, EOFError, asyncio.IncompleteReadError)


class _AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection as an asyncio reader/writer pair, with httpcore's exceptions."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc) or "read timed out") from exc
        except _READ_ERRORS as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc) or "write timed out") from exc
        except _READ_ERRORS as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        self._writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):  # the server may have dropped it already
            await self._writer.wait_closed()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            self._writer.close()
            raise httpcore.ConnectTimeout("TLS handshake timed out") from exc
        except (OSError, ssl.SSLError) as exc:
            self._writer.close()
            raise httpcore.ConnectError(str(exc)) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # A kept-alive connection the server has closed reads EOF: httpcore drops it.
            return self._reader.at_eof() or self._writer.is_closing()
        if info in ("ssl_object", "socket", "server_addr", "client_addr"):
            key = {"server_addr": "peername", "client_addr": "sockname"}.get(info, info)
            return self._writer.get_extra_info(key)
        return None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Opens connections only to public addresses, unless `allow_private`."""

    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private

    async def _addresses(self, host: str, port: int) -> list[str]:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise DnsError(f"{host}: {exc.strerror or exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self._allow_private:
            refused = next((a for a in addresses if non_public_address(a)), None)
            if refused is not None:
                raise PrivateAddressError(f"{host} resolves to non-public address {refused}")
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._addresses(host, port)
        last_error: BaseException | None = None
        try:
            async with asyncio.timeout(timeout):
                for address in addresses:
                    try:
                        reader, writer = await asyncio.open_connection(address, port, limit=2**20)
                    except OSError as exc:
                        last_error = exc
                        continue
                    return _AsyncioStream(reader, writer)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"{host}: no connection in {timeout} s") from exc
        raise httpcore.ConnectError(str(last_error)) from last_error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.UnsupportedProtocol("unix sockets are never used")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
