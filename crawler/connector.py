"""TCP connections for httpcore: resolve, refuse non-public addresses, connect with asyncio.

Failures are raised as `crawler.faults` errors right here, where their cause is known (httpcore
re-raises them unchanged, but drops the cause of its own exceptions).

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

from crawler.address_guard import AddressPolicy
from crawler.faults import (
    ConnectTimeoutError,
    DnsError,
    DroppedConnectionError,
    PrivateAddressError,
    RefusedConnectionError,
    TlsError,
)

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
            raise DroppedConnectionError(str(exc) or type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        if self._writer.is_closing():  # uvloop raises RuntimeError on a write to a closed socket
            raise DroppedConnectionError("the server closed the connection")
        try:
            self._writer.write(buffer)
            if not self._writer.transport.get_write_buffer_size():
                return  # all of it went to the socket: nothing to wait for
            async with asyncio.timeout(timeout):
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc) or "write timed out") from exc
        except _READ_ERRORS as exc:
            raise DroppedConnectionError(str(exc) or type(exc).__name__) from exc

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
            raise ConnectTimeoutError("TLS handshake timed out") from exc
        except (ssl.SSLError, ssl.CertificateError) as exc:
            self._writer.close()
            raise TlsError(str(exc)) from exc
        except OSError as exc:
            self._writer.close()
            raise DroppedConnectionError(f"during the TLS handshake: {exc}") from exc
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
    """Opens connections only to addresses the `AddressPolicy` permits."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy

    async def _addresses(self, host: str, port: int) -> list[str]:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise DnsError(f"{host}: {exc.strerror or exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        refused = next((address for address in addresses if self._policy.refuses(address)), None)
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
            raise ConnectTimeoutError(f"{host}: no connection in {timeout} s") from exc
        if isinstance(last_error, ConnectionRefusedError):
            raise RefusedConnectionError(str(last_error)) from last_error
        raise DroppedConnectionError(f"{host}: {last_error}") from last_error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.UnsupportedProtocol("unix sockets are never used")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
