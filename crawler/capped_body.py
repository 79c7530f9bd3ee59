"""Reading an answer's body under a size cap that applies to the *decoded* bytes.

A multi-megabyte staff list is real and must fit; a gzip bomb (a few KB that inflate to
gigabytes) must not fill memory, so the cap counts bytes after ``Content-Encoding`` is undone
and reading stops as soon as it is reached.
"""

from __future__ import annotations

import zlib

__all__ = ["ACCEPT_ENCODING", "CappedBody"]

#: What the crawler asks for: only codings the standard library undoes.
ACCEPT_ENCODING = "gzip, deflate"


class CappedBody:
    """Accumulates decoded body bytes up to `limit`.

    Usage::

        body = CappedBody(response_headers.get("content-encoding"), limit=8_000_000)
        for chunk in chunks:
            if not body.feed(chunk):
                break  # cap reached: stop reading
        data, truncated = body.result()
    """

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        coding = (content_encoding or "").strip().lower()
        self._inflater = (
            zlib.decompressobj(wbits=47)  # gzip or zlib header, detected
            if coding in ("gzip", "x-gzip")
            else zlib.decompressobj()
            if coding == "deflate"
            else None
        )
        self._raw_deflate = coding == "deflate"
        self._limit = limit
        self._chunks: list[bytes] = []
        self._size = 0
        self.truncated = False

    def _keep(self, data: bytes) -> bool:
        room = self._limit - self._size
        if len(data) > room:
            data = data[:room]
            self.truncated = True
        self._chunks.append(data)
        self._size += len(data)
        return not self.truncated

    def feed(self, chunk: bytes) -> bool:
        """Add a received chunk; False once the cap is reached (or the coding is corrupt)."""
        if self._inflater is None:
            return self._keep(chunk)
        try:
            # max_length bounds the memory one chunk can inflate to.
            data = self._inflater.decompress(chunk, self._limit - self._size + 1)
        except zlib.error:
            if self._raw_deflate and self._size == 0:
                # Some servers send raw deflate without the zlib header.
                self._inflater, self._raw_deflate = zlib.decompressobj(wbits=-15), False
                return self.feed(chunk)
            self.truncated = True
            return False
        if not self._keep(data):
            return False
        if self._inflater.unconsumed_tail:
            self.truncated = True
            return False
        return True

    def result(self) -> tuple[bytes, bool]:
        """The decoded bytes and whether the cap (or a corrupt coding) cut them short."""
        return b"".join(self._chunks), self.truncated
