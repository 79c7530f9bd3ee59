"""What an answer really is, from its first bytes: school servers mislabel files often.

A PDF or a Word file served as ``text/html`` must not be decoded and parsed as a page, and a
page served without a Content-Type (or as ``text/plain``) is still a page. The signatures
follow the WHATWG MIME Sniffing Standard (§7.1 for HTML, the binary-byte rule of §7.1) plus
the document formats school sites link.
"""

from __future__ import annotations

__all__ = ["is_html", "sniff_type"]

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),  # docx, xlsx, odt are zip files
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),  # doc, xls, ppt
    (b"{\\rtf", "application/rtf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"\x1f\x8b\x08", "application/gzip"),
)
_HTML_STARTS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a ",
    b"<style",
    b"<title",
    b"<b ",
    b"<br",
    b"<p",
    b"<!--",
    b"<meta",
)
_BINARY_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_TEXT_BYTES = bytes(byte for byte in range(256) if byte not in _BINARY_BYTES)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _essence(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def sniff_type(declared: str | None, body: bytes) -> str:
    """The MIME type the body's first bytes show, falling back to the declared one."""
    head = body[:1445]
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    if head.startswith(_BOMS):
        return _essence(declared) or "text/html"  # a BOM marks text
    if head.translate(None, _TEXT_BYTES):  # what is left are binary bytes
        return "application/octet-stream"
    if head.lstrip().lower().startswith(_HTML_STARTS):
        return "text/html"
    return _essence(declared) or "text/html"


def is_html(sniffed: str) -> bool:
    """Whether a sniffed type is a page the crawler parses."""
    return sniffed in ("text/html", "application/xhtml+xml", "text/plain")
