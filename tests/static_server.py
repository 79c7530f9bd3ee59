"""A real HTTP server on loopback serving a folder (with the standard library's directory listing)."""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from openpyxl import Workbook

__all__ = ["serve_folder", "xlsx_bytes"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


@contextmanager
def serve_folder(root: Path, address: str = "127.0.0.1") -> Iterator[str]:
    """Serve `root` on a free port; yields the base URL (``http://address:port/``)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer((address, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{address}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def xlsx_bytes(text: str = "Меню") -> bytes:
    """A small real workbook."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("Школа", text))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
