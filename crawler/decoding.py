"""Bytes to text: charset from the HTTP header, then BOM and ``<meta>``, then detection."""

from __future__ import annotations

from email.message import Message

from bs4.dammit import UnicodeDammit

__all__ = ["charset_from_content_type", "decode_html"]


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return charset.strip().lower() if isinstance(charset, str) and charset.strip() else None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str | None]:
    """Decode an HTML body; returns the text and the encoding used."""
    declared = charset_from_content_type(content_type)
    dammit = UnicodeDammit(
        body,
        known_definite_encodings=[declared] if declared else [],
        is_html=True,
    )
    if dammit.unicode_markup is None:
        return body.decode("utf-8", errors="replace"), None
    return dammit.unicode_markup, dammit.original_encoding
