"""A simulated farm of school sites: one asyncio server on 0.0.0.0, each 127.100.x.y a host.

The listener is bound once to 0.0.0.0; a connection's local address tells which school host
it reached, so a thousand hosts cost one socket, not a thousand. Each host has a fixed latency
per answer (50–300 ms; slow hosts about 1 s), and a kind: a normal site, a slow one, one whose
subsection page is a multi-MB staff list, one that answers 503 to everything, one that resets
every connection. Sites have the MR v9 shape: home → /sveden/ → 14 subsections, two document
links each. The farm runs in its own process and logs every request and the peak number of
connections per host and how many it opened, which the benchmark reads back over a pipe.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import random
import socket
from collections import Counter, defaultdict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Literal, cast

import uvloop

from checks.rulebook import load_rulebook

__all__ = ["HostSpec", "farm_hosts", "serve"]

Kind = Literal["normal", "slow", "large", "unavailable", "resetting"]

#: The 14 subsections, in the rulebook's (MR v9 table 3.1) order.
SUBSECTIONS = tuple(subsection.key for subsection in load_rulebook().subsections)


@dataclass(frozen=True)
class HostSpec:
    """One simulated school host."""

    address: str
    latency: float
    kind: Kind
    gzip: bool
    cp1251: bool
    robots: bool


def farm_hosts(count: int, seed: int = 1493) -> list[HostSpec]:
    """`count` hosts on 127.100.0.1 and up, with kinds and latencies drawn from `seed`."""
    rng = random.Random(seed)
    hosts = []
    for index in range(count):
        address = f"127.100.{index // 250}.{index % 250 + 1}"
        draw = rng.random()
        kind: Kind = (
            "slow"
            if draw < 0.05
            else "large"
            if draw < 0.10
            else "unavailable"
            if draw < 0.13
            else "resetting"
            if draw < 0.15
            else "normal"
        )
        latency = rng.uniform(0.9, 1.1) if kind == "slow" else rng.uniform(0.05, 0.3)
        hosts.append(
            HostSpec(
                address=address,
                latency=round(latency, 3),
                kind=kind,
                gzip=rng.random() < 0.3,
                cp1251=rng.random() < 0.15,
                robots=rng.random() < 0.3,
            )
        )
    return hosts


def _filler(words: int, rng: random.Random) -> str:
    vocabulary = [
        "образовательной",
        "организации",
        "учреждение",
        "педагогический",
        "состав",
        "программа",
        "обучения",
        "школа",
        "класс",
        "учитель",
        "директор",
        "заместитель",
        "расписание",
        "документ",
        "приказ",
        "положение",
        "сведения",
        "основные",
        "структура",
        "органы",
        "управления",
        "питание",
        "стипендии",
    ]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def _page(title: str, body: str, cp1251: bool) -> bytes:
    charset = "windows-1251" if cp1251 else "utf-8"
    menu = "".join(f'<li><a href="/sveden/{key}">{key}</a></li>' for key in SUBSECTIONS)
    text = (
        f'<!doctype html><html lang="ru"><head><meta charset="{charset}"><title>{title}</title></head>'
        f'<body><nav class="menu"><ul><li><a href="/">Главная</a></li>'
        f'<li><a href="/sveden/">Сведения об образовательной организации</a></li>{menu}</ul></nav>'
        f"<main>{body}</main><footer>© Школа</footer></body></html>"
    )
    return text.encode(charset, errors="replace")


_VARIANTS = 4


class _Pages:
    """Page bodies shared by all hosts: a few variants per page and charset, plain and gzip.

    A plain body is kept in two pieces, before and after its ``<main>`` tag, where each host
    puts its own marker; a gzip body in one.
    """

    def __init__(self, rng: random.Random) -> None:
        self.bodies: dict[tuple[str, int, bool, bool], tuple[bytes, ...]] = {}
        for variant in range(_VARIANTS):
            for cp1251 in (False, True):
                self._add("/", variant, cp1251, _page("Главная", f"<p>{_filler(1500, rng)}</p>", cp1251))
                index = "".join(f'<p><a href="/sveden/{key}">{key}</a></p>' for key in SUBSECTIONS)
                self._add("/sveden/", variant, cp1251, _page("Сведения", index, cp1251))
                for key in SUBSECTIONS:
                    self._add(f"/sveden/{key}", variant, cp1251, _subsection(key, 4000, rng, cp1251))
                # The multi-MB staff list of "large" hosts (about 5 MB in UTF-8, under the cap).
                self._add("/staff-large", variant, cp1251, _subsection("employees", 200_000, rng, cp1251))

    def _add(self, path: str, variant: int, cp1251: bool, body: bytes) -> None:
        start, _, rest = body.partition(b"<main>")
        self.bodies[(path, variant, cp1251, False)] = (start, rest)
        self.bodies[(path, variant, cp1251, True)] = (gzip.compress(body, 6),)


def _subsection(key: str, words: int, rng: random.Random, cp1251: bool) -> bytes:
    docs = "".join(f'<a itemprop="{key}Doc" href="/files/{key}-{n}.pdf">Документ {n}</a>' for n in (1, 2))
    body = f'<div itemprop="{key}"><p itemprop="fullName">{_filler(words, rng)}</p>{docs}</div>'
    return _page(key, body, cp1251)


_PDF = b"%PDF-1.7\n" + b"0" * 120_000
_ROBOTS = b"User-agent: *\nDisallow: /admin/\n"


class _Site:
    """How one host answers."""

    def __init__(self, spec: HostSpec, pages: _Pages, variant: int) -> None:
        self.spec = spec
        self._pages = pages
        self._variant = variant
        self._charset = "windows-1251" if spec.cp1251 else "utf-8"
        self._marker = f"<main><p>{spec.address}</p>".encode("ascii")

    def answer(self, method: str, path: str, accepts_gzip: bool) -> list[bytes]:
        """The answer's bytes, in pieces written as they are (a page is not copied to be sent)."""
        if self.spec.kind == "unavailable":
            return _response(503, [b"busy"], "text/plain", method)
        if path == "/robots.txt":
            if not self.spec.robots:
                return _response(404, [b"not found"], "text/plain", method)
            return _response(200, [_ROBOTS], "text/plain", method)
        if path.startswith("/files/"):
            return _response(200, [_PDF], "application/pdf", method)
        if self.spec.kind == "large" and path == "/sveden/employees":
            path = "/staff-large"
        zipped = self.spec.gzip and accepts_gzip
        pieces = self._pages.bodies.get((path, self._variant, self.spec.cp1251, zipped))
        if pieces is None:
            page = _page("404", "<h1>Страница не найдена</h1>", False)
            return _response(404, [page], "text/html; charset=utf-8", method)
        if not zipped:
            # Each school's pages differ, as in reality (the store keeps each distinct body once).
            pieces = (pieces[0], self._marker, pieces[1])
        content_type = f"text/html; charset={self._charset}"
        return _response(200, list(pieces), content_type, method, "gzip" if zipped else None)


def _response(
    status: int, body: list[bytes], content_type: str, method: str, encoding: str | None = None
) -> list[bytes]:
    length = sum(len(piece) for piece in body)
    head = f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n"
    if encoding:
        head += f"Content-Encoding: {encoding}\r\n"
    return [(head + "\r\n").encode("latin-1"), *([] if method == "HEAD" else body)]


class _Stats:
    def __init__(self) -> None:
        self.requests: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.open: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.opened: Counter[str] = Counter()


class _Connection(asyncio.Protocol):
    def __init__(self, sites: dict[str, _Site], stats: _Stats) -> None:
        self._sites = sites
        self._stats = stats
        self._buffer = b""
        self._site: _Site | None = None
        self._transport: asyncio.Transport | None = None
        self._busy_until = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        address = transport.get_extra_info("sockname")[0]
        self._site = self._sites.get(address)
        self._address = address
        self._stats.open[address] += 1
        self._stats.opened[address] += 1
        self._stats.peak[address] = max(self._stats.peak[address], self._stats.open[address])
        if self._site is None or self._site.spec.kind == "resetting":
            self._stats.requests[address].append(("CONNECT", ""))
            sock = transport.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self._transport.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stats.open[self._address] -= 1

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while b"\r\n\r\n" in self._buffer:
            head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            accepts_gzip = any(
                line.lower().startswith("accept-encoding:") and "gzip" in line.lower() for line in lines[1:]
            )
            self._stats.requests[self._address].append((method, path))
            assert self._site is not None
            answer = self._site.answer(method, path, accepts_gzip)
            loop = asyncio.get_running_loop()
            # HTTP/1.1 answers in order: a pipelined request waits for the one before it.
            due = max(loop.time(), self._busy_until) + self._site.spec.latency
            self._busy_until = due
            loop.call_at(due, self._send, answer)

    def _send(self, answer: list[bytes]) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.writelines(answer)


def serve(hosts: list[HostSpec], control: Connection) -> None:
    """Serve the farm until told to stop; answers ``"stats"`` on `control`."""
    pages = _Pages(random.Random(7))
    sites = {spec.address: _Site(spec, pages, index % _VARIANTS) for index, spec in enumerate(hosts)}
    stats = _Stats()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: _Connection(sites, stats), "0.0.0.0", 0, backlog=4096, reuse_address=True
        )
        control.send(server.sockets[0].getsockname()[1])
        stop = asyncio.Event()

        def on_command() -> None:
            os.set_blocking(control.fileno(), True)  # uvloop's add_reader made it non-blocking
            command = control.recv()
            if command == "stats":
                control.send((dict(stats.requests), dict(stats.peak), dict(stats.opened)))
            else:
                stop.set()

        loop.add_reader(control.fileno(), on_command)
        await stop.wait()
        server.close()

    # uvloop: the farm should take as little as possible of the CPU the crawler is measured on.
    uvloop.run(main())
