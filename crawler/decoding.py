"""Bytes to text: charset from the HTTP header, then BOM and ``<meta>``, then detection."""

from __future__ import annotations

import re

from bs4.dammit import UnicodeDammit

__all__ = ["charset_from_content_type", "decode_html"]

_CHARSET = re.compile(r";\s*charset\s*=\s*(\"[^\"]*\"|'[^']*'|[^;\s]*)", re.IGNORECASE)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    match = _CHARSET.search(content_type)
    charset = match.group(1).strip().strip("'\"").strip() if match else ""
    return charset.lower() or None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str | None]:
    """Decode an HTML body; returns the text and the encoding used."""
    declared = charset_from_content_type(content_type)
    if declared:
        # The header's charset comes first (as UnicodeDammit would try it); most pages say it.
        try:
            return body.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass
    dammit = UnicodeDammit(
        body,
        known_definite_encodings=[declared] if declared else [],
        is_html=True,
    )
    if dammit.unicode_markup is None:
        return body.decode("utf-8", errors="replace"), None
    return dammit.unicode_markup, dammit.original_encoding
