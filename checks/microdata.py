"""Microdata as MR v9 §5 reads it: elements carrying ``itemprop``, with their one-level context.

Each marked element keeps its tokens (``itemprop`` is a space-separated list; stray quotes
around tokens are tolerated), the tokens of its marked ancestors (a child counts only inside
its parent, never as a later sibling), its value (``href``/``content``/``src`` or text) and
whether a visitor can see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

__all__ = ["MarkedElement", "parse_marked_elements"]

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TOKEN_JUNK = "\"'`«»,;"


@dataclass(frozen=True)
class MarkedElement:
    """One element with an ``itemprop`` attribute, as found on one page."""

    page_url: str
    tag: str
    tokens: tuple[str, ...]
    ancestor_tokens: frozenset[str]
    text: str
    link: str | None
    visible: bool
    snippet: str

    @property
    def value(self) -> str:
        """What the item says: its text, else the address it links to."""
        return self.text or (self.link or "")


def parse_marked_elements(html: str, page_url: str) -> list[MarkedElement]:
    """Every element of `html` that carries an ``itemprop``, in document order."""
    if not html.strip():
        return []
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    found: list[MarkedElement] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        raw = element.get("itemprop")
        if raw is None:
            continue
        tokens = _tokens(raw)
        if not tokens:
            continue
        text = _text(element)
        link = _link(element)
        found.append(
            MarkedElement(
                page_url=page_url,
                tag=element.tag.lower(),
                tokens=tokens,
                ancestor_tokens=frozenset(_ancestor_tokens(element)),
                text=text,
                link=link,
                visible=_visible(element),
                snippet=_snippet(element, raw, text, link),
            )
        )
    return found


def _tokens(raw: str) -> tuple[str, ...]:
    return tuple(token for token in (part.strip(_TOKEN_JUNK) for part in raw.split()) if token)


def _ancestor_tokens(element: lxml.html.HtmlElement) -> list[str]:
    tokens: list[str] = []
    for ancestor in element.iterancestors():
        raw = ancestor.get("itemprop")
        if raw:
            tokens.extend(_tokens(raw))
    return tokens


def _text(element: lxml.html.HtmlElement) -> str:
    if element.tag == "meta":
        return (element.get("content") or "").strip()
    text = _SPACES.sub(" ", element.text_content()).strip()
    if not text and element.tag == "img":
        text = (element.get("alt") or "").strip()
    return text.replace("\u200b", "")


def _link(element: lxml.html.HtmlElement) -> str | None:
    for attribute in ("href", "src", "data"):
        value = str(element.get(attribute) or "").strip()
        if value and value != "#":
            return value
    return None


def _visible(element: lxml.html.HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        if node.get("hidden") is not None or _HIDDEN_STYLE.search(node.get("style") or ""):
            return False
        if node.tag == "input" and (node.get("type") or "").lower() == "hidden":
            return False
    return True


def _snippet(element: lxml.html.HtmlElement, raw: str, text: str, link: str | None) -> str:
    """A short reconstruction of the element's opening tag and text (not its whole markup)."""
    href = f' href="{link}"' if link else ""
    shown = text if len(text) <= 120 else text[:119] + "…"
    return f'<{element.tag} itemprop="{raw.strip()}"{href}>{shown}</{element.tag}>'
