"""Real HTTP(S) servers on distinct loopback addresses that misbehave on request.

Each host is its own listener on its own 127.x.y.z address (port 0), so the crawler sees
distinct hosts. A host answers from a table of paths; each answer can be delayed, dripped,
reset, left hanging or closed. Every host counts its open connections (the peak, and how
many it accepted) and logs every request it got, so tests can assert politeness from the
server's side.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Farm", "Host", "Reply", "Request", "Route", "html", "serve_farm"]

Action = Literal["answer", "reset", "hang", "close", "drip"]


@dataclass(frozen=True)
class Request:
    """One request a host received."""

    method: str
    path: str
    headers: dict[str, str]
    at: float


@dataclass(frozen=True)
class Reply:
    """How a host answers one path."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    action: Action = "answer"


def html(
    text: str, status: int = 200, headers: tuple[tuple[str, str], ...] = (), delay: float = 0.0
) -> Reply:
    """An HTML reply in UTF-8."""
    return Reply(status=status, body=text.encode("utf-8"), headers=headers, delay=delay)


Route = Reply | Callable[[Request], Reply]


@dataclass
class Host:
    """One served host: its routes, its request log and its connection counts."""

    address: str
    routes: Mapping[str, Route]
    tls: ssl.SSLContext | None = None
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    open_connections: int = 0
    peak_connections: int = 0
    opened_connections: int = 0

    @property
    def base_url(self) -> str:
        """``http(s)://address:port/``."""
        return f"{'https' if self.tls else 'http'}://{self.address}:{self.port}/"

    def url(self, path: str) -> str:
        """An absolute address on this host."""
        return self.base_url.rstrip("/") + path

    def hits(self, path: str) -> list[Request]:
        """The requests for `path`."""
        return [request for request in self.requests if request.path == path]

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        return [request.path for request in self.requests]

    def reply(self, request: Request) -> Reply:
        route = self.routes.get(request.path) or self.routes.get(request.path.split("?", 1)[0])
        if route is None:
            route = self.routes.get("*", html("<title>404</title><h1>Не найдено</h1>", status=404))
        return route(request) if callable(route) else route


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str]] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return method, path, headers


def _head(reply: Reply, length: int) -> bytes:
    lines = [f"HTTP/1.1 {reply.status} X"]
    if reply.content_type is not None:
        lines.append(f"Content-Type: {reply.content_type}")
    lines.extend(f"{name}: {value}" for name, value in reply.headers)
    if not any(name.lower() == "content-length" for name, _ in reply.headers):
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class Farm:
    """Hosts served from one event loop in a background thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self._servers: list[asyncio.Server] = []
        self._handlers: set[asyncio.Task[None]] = set()
        self.hosts: list[Host] = []

    def add(self, address: str, routes: Mapping[str, Route], tls: ssl.SSLContext | None = None) -> Host:
        """Serve `routes` on `address` (a fresh port); returns the host."""
        host = Host(address, routes, tls)
        future = asyncio.run_coroutine_threadsafe(self._start(host), self.loop)
        future.result(timeout=10)
        self.hosts.append(host)
        return host

    async def _start(self, host: Host) -> None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
            host.open_connections += 1
            host.opened_connections += 1
            host.peak_connections = max(host.peak_connections, host.open_connections)
            try:
                await self._serve_connection(host, reader, writer)
            finally:
                host.open_connections -= 1
                writer.close()

        server = await asyncio.start_server(handle, host.address, 0, ssl=host.tls, backlog=64)
        host.port = server.sockets[0].getsockname()[1]
        self._servers.append(server)

    async def _serve_connection(
        self, host: Host, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        while True:
            parsed = await _read_request(reader)
            if parsed is None:
                return
            method, path, headers = parsed
            request = Request(method, path, headers, time.monotonic())
            host.requests.append(request)
            reply = host.reply(request)
            if reply.delay:
                await asyncio.sleep(reply.delay)
            if reply.action == "hang":
                await asyncio.sleep(3600)
            if reply.action == "close":
                return
            if reply.action == "reset":
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return
            if reply.action == "drip":
                writer.write(_head(reply, len(reply.body)))
                for index in range(len(reply.body)):
                    writer.write(reply.body[index : index + 1])
                    await writer.drain()
                    await asyncio.sleep(0.2)
                continue
            writer.write(_head(reply, len(reply.body)) + (b"" if method == "HEAD" else reply.body))
            try:
                await writer.drain()
            except ConnectionError:
                return

    def close(self) -> None:
        """Stop every host."""

        async def stop() -> None:
            for server in self._servers:
                server.close()
            for task in list(self._handlers):
                task.cancel()
            await asyncio.gather(*self._handlers, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)


@contextmanager
def serve_farm() -> Iterator[Farm]:
    """A farm, stopped at the end."""
    farm = Farm()
    try:
        yield farm
    finally:
        farm.close()
