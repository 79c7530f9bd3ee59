"""A real HTTP server on a loopback address answering from a table of pages (for fixture sites)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["Page", "pages_from_folder", "serve_pages"]


@dataclass(frozen=True)
class Page:
    """One answer: status, body and headers."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


def pages_from_folder(
    folder: Path, encoding: str = "utf-8", content_type: str | None = None
) -> dict[str, Page]:
    """A fixture site kept as files: ``a/index.html`` answers ``/a/``, ``b.html`` answers ``/b.html``.

    HTML files are stored in UTF-8 and served encoded with `encoding` (a windows-1251 site is
    kept readable in the repository and served as real windows-1251 bytes).
    """
    pages: dict[str, Page] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        relative = "/" + path.relative_to(folder).as_posix()
        if path.suffix == ".html":
            body = path.read_text(encoding="utf-8").encode(encoding)
            page = Page(body, content_type or f"text/html; charset={encoding}")
        else:
            page = Page(
                path.read_bytes(), "application/pdf" if path.suffix == ".pdf" else "application/octet-stream"
            )
        pages[relative] = page
        if relative.endswith("/index.html"):
            pages[relative.removesuffix("index.html")] = page
    return pages


@contextmanager
def serve_pages(address: str, pages: Mapping[str, Page]) -> Iterator[str]:
    """Serve `pages` on `address` (port chosen by the system); yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, with_body: bool) -> None:
            page = pages.get(unquote(urlsplit(self.path).path)) or Page(b"not found", "text/plain", 404)
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            for name, value in page.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if with_body:
                self.wfile.write(page.body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    server = ThreadingHTTPServer((address, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{address}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
