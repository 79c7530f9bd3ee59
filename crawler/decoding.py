"""Bytes to text: charset from the HTTP header, then BOM and ``<meta>``, then detection."""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from bs4.dammit import UnicodeDammit

__all__ = ["DecodedHtml", "charset_from_content_type", "decode_html"]

_CHARSET = re.compile(r";\s*charset\s*=\s*(\"[^\"]*\"|'[^']*'|[^;\s]*)", re.IGNORECASE)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    match = _CHARSET.search(content_type)
    charset = match.group(1).strip().strip("'\"").strip() if match else ""
    return charset.lower() or None


class DecodedHtml(NamedTuple):
    """A decoded body: its text, the encoding used, and whether the body is exactly the text's
    UTF-8 encoding (then a digest of the body is one of the text's UTF-8 encoding too)."""

    text: str
    encoding: str | None
    utf8: bool = False


def decode_html(body: bytes, content_type: str | None) -> DecodedHtml:
    """Decode an HTML body."""
    declared = charset_from_content_type(content_type)
    if declared:
        # The header's charset comes first (as UnicodeDammit would try it); most pages say it.
        try:
            text = body.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
        else:  # strict UTF-8 decoding gives back exactly the bytes it decoded (a BOM too)
            return DecodedHtml(text, declared, codecs.lookup(declared).name == "utf-8")
    dammit = UnicodeDammit(
        body,
        known_definite_encodings=[declared] if declared else [],
        is_html=True,
    )
    if dammit.unicode_markup is None:
        return DecodedHtml(body.decode("utf-8", errors="replace"), None)
    return DecodedHtml(dammit.unicode_markup, dammit.original_encoding)
