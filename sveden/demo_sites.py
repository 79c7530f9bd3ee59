"""Serve the bundled demo school sites, each on its own loopback address (127.0.1.N).

`demo/hosts.yaml` maps addresses to site folders or to a fault: ``refuse`` (nothing
listens) or ``hang`` (the connection is accepted and never answered). A served host may have
a `/food/` folder made for the day it is served (see `sveden.demo_food`). Used by `sveden demo`
and by the tests, which pass port 0 and rewrite the registry's addresses.
"""

from __future__ import annotations

import mimetypes
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit, urlunsplit

import yaml
from pydantic import BaseModel, ConfigDict

from sveden.demo_food import FoodStyle, demo_today, food_body, food_listing
from sveden.registry import Registry, School

__all__ = [
    "DemoHosts",
    "ServedDemo",
    "load_demo_hosts",
    "resolve_site_path",
    "serve_demo",
    "with_served_urls",
]


class _DemoHost(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    address: str
    site: str | None = None
    behaviour: Literal["serve", "refuse", "hang"] = "serve"
    food: FoodStyle | None = None


class DemoHosts(BaseModel):
    """`demo/hosts.yaml`: the port and the host list."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    port: int
    hosts: tuple[_DemoHost, ...]


def load_demo_hosts(path: Path) -> DemoHosts:
    """Read `demo/hosts.yaml`."""
    return DemoHosts.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def resolve_site_path(root: Path, url_path: str) -> Path | None:
    """The file that serves `url_path` in a site folder, or None (404)."""
    relative = unquote(url_path).lstrip("/")
    base = (root / relative).resolve()
    if not base.is_relative_to(root.resolve()):
        return None
    candidates = (
        [base / "index.html"]
        if url_path.endswith("/") or not relative
        else [
            base.with_name(base.name + ".html"),
            base / "index.html",
            base,
        ]
    )
    return next((candidate for candidate in candidates if candidate.is_file()), None)


_NOT_FOUND = "<!doctype html><html lang=ru><title>404</title><h1>Страница не найдена</h1>".encode()
_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _food_answer(style: FoodStyle, url_path: str) -> tuple[bytes, str] | None:
    """Body and type of a `/food/` address of a host with food `style`, or None (404)."""
    name = unquote(url_path.removeprefix("/food/"))
    if not name:
        listing = food_listing(style, demo_today())
        return None if listing is None else (listing, "text/html; charset=utf-8")
    body = food_body(style, name, demo_today())
    return None if body is None else (body, _XLSX_TYPE)


def _handler(root: Path, food: FoodStyle | None) -> type[BaseHTTPRequestHandler]:
    class SiteHandler(BaseHTTPRequestHandler):
        server_version = "demo-school-site/1"

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, with_body: bool) -> None:
            url_path = urlsplit(self.path).path
            if food is not None and url_path.startswith("/food/"):
                self._send(_food_answer(food, url_path), with_body)
                return
            path = resolve_site_path(root, url_path)
            if path is None:
                self._send(None, with_body)
                return
            guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            # HTML goes without a charset parameter: the page's own <meta> decides.
            self._send((path.read_bytes(), "text/html" if path.suffix == ".html" else guessed), with_body)

        def _send(self, answer: tuple[bytes, str] | None, with_body: bool) -> None:
            """Answer 200 with (body, content type), or 404 when there is nothing."""
            self.send_response(404 if answer is None else 200)
            body, content_type = answer or (_NOT_FOUND, "text/html; charset=utf-8")
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep the demo quiet."""

    return SiteHandler


class _HangingServer:
    """Accepts connections and never answers (the "never answers" school)."""

    def __init__(self, address: str, port: int) -> None:
        self._socket = socket.create_server((address, port))
        self.port = self._socket.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self._socket.settimeout(0.2)
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._held.append(connection)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for connection in self._held:
            connection.close()
        self._socket.close()


@dataclass(frozen=True)
class ServedDemo:
    """Base URL of every demo address as actually served (port resolved)."""

    base_urls: dict[str, str]


@contextmanager
def serve_demo(demo_dir: Path, port: int | None = None) -> Iterator[ServedDemo]:
    """Serve every demo host; `port` 0 picks free ports, None uses the one in hosts.yaml."""
    hosts = load_demo_hosts(demo_dir / "hosts.yaml")
    chosen = hosts.port if port is None else port
    servers: list[ThreadingHTTPServer] = []
    hanging: list[_HangingServer] = []
    base_urls: dict[str, str] = {}
    try:
        for host in hosts.hosts:
            if host.behaviour == "refuse":
                base_urls[host.address] = f"http://{host.address}:{chosen or hosts.port}/"
            elif host.behaviour == "hang":
                hang = _HangingServer(host.address, chosen)
                hanging.append(hang)
                base_urls[host.address] = f"http://{host.address}:{hang.port}/"
            else:
                assert host.site is not None, f"{host.address}: a served host needs a site"
                server = ThreadingHTTPServer(
                    (host.address, chosen), _handler(demo_dir / "sites" / host.site, host.food)
                )
                server.daemon_threads = True
                servers.append(server)
                threading.Thread(target=server.serve_forever, daemon=True).start()
                base_urls[host.address] = f"http://{host.address}:{server.server_address[1]}/"
        yield ServedDemo(base_urls=base_urls)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        for hang in hanging:
            hang.close()


def with_served_urls(registry: Registry, served: ServedDemo) -> Registry:
    """The registry with each demo school's address pointed at the port it is really served on."""

    def served_url(school: School) -> School:
        host = urlsplit(school.url).hostname if school.url else None
        if school.url is None or host not in served.base_urls:
            return school
        parts = urlsplit(school.url)
        netloc = urlsplit(served.base_urls[host]).netloc
        return school.model_copy(
            update={"url": urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))}
        )

    return registry.with_schools(served_url)
