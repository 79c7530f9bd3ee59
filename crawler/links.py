"""Links of a page: absolute address, the href as written, visible text, and menu placement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

import lxml.html
from lxml import etree

__all__ = ["Link", "extract_links", "links_of", "normalize_text", "parse_html"]

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[«»\"'.,:;!?()\[\]]")
_MENU_HINT = re.compile(r"menu|nav", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """One ``<a href>`` of a page."""

    url: str
    text: str
    in_menu: bool
    itemprop: str | None = None
    href: str = ""
    fragment: str = ""
    marked: bool = False


def normalize_text(text: str) -> str:
    """Case-, ё- and punctuation-insensitive form of a caption, for comparing link texts."""
    text = _PUNCTUATION.sub(" ", text.lower().replace("ё", "е").replace("\u200b", ""))
    return _SPACES.sub(" ", text).strip()


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """The document tree of `html` (lxml recovers from malformed markup); None when there is none."""
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def extract_links(html: str, page_url: str) -> list[Link]:
    """Every followable link of `html`, resolved against `page_url` (fragments dropped)."""
    root = parse_html(html)
    return links_of(root, page_url) if root is not None else []


def links_of(root: lxml.html.HtmlElement, page_url: str) -> list[Link]:
    """Every followable link of a parsed page, in document order."""
    base = root.find(".//base[@href]")
    base_url = urljoin(page_url, base.get("href", "")) if base is not None else page_url
    links: list[Link] = []
    for anchor in root.iter("a"):
        if not isinstance(anchor, lxml.html.HtmlElement):
            continue
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url, fragment = urldefrag(urljoin(base_url, href))
        if not url.startswith(("http://", "https://")):
            continue
        text = _SPACES.sub(" ", anchor.text_content() or anchor.get("title") or "").strip()
        links.append(
            Link(
                url=url,
                text=text,
                in_menu=_in_menu(anchor),
                itemprop=anchor.get("itemprop"),
                href=href,
                fragment=fragment,
                marked=_marked(anchor),
            )
        )
    return links


def _marked(anchor: lxml.html.HtmlElement) -> bool:
    """Whether the link is an item's value: it, or an element around it, carries an itemprop."""
    for node in (anchor, *anchor.iterancestors()):
        tokens = (node.get("itemprop") or "").split()
        if tokens and tokens != ["addRef"]:
            return True
    return False


def _in_menu(anchor: lxml.html.HtmlElement) -> bool:
    for ancestor in anchor.iterancestors():
        if ancestor.tag in ("nav", "menu") or (ancestor.get("role") or "") == "navigation":
            return True
        marker = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if _MENU_HINT.search(marker) and "breadcrumb" not in marker.lower():
            return True
    return False
