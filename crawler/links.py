"""Links of a page: absolute address, visible text, and whether they sit in a navigation menu."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

__all__ = ["Link", "extract_links", "meta_refresh_url", "normalize_text"]

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[«»\"'.,:;!?()\[\]]")
_MENU_HINT = re.compile(r"menu|nav", re.IGNORECASE)
_REFRESH = re.compile(rb"refresh", re.IGNORECASE)
_REFRESH_CONTENT = re.compile(
    r"^\s*(\d+(?:\.\d*)?)\s*(?:[;,]\s*(?:url\s*=\s*)?(.*))?$", re.IGNORECASE | re.DOTALL
)


@dataclass(frozen=True)
class Link:
    """One ``<a href>`` of a page."""

    url: str
    text: str
    in_menu: bool
    itemprop: str | None = None


def normalize_text(text: str) -> str:
    """Case-, ё- and punctuation-insensitive form of a caption, for comparing link texts."""
    text = _PUNCTUATION.sub(" ", text.lower().replace("ё", "е").replace("\u200b", ""))
    return _SPACES.sub(" ", text).strip()


def extract_links(html: str, page_url: str) -> list[Link]:
    """Every followable link of `html`, resolved against `page_url` (fragments dropped)."""
    if not html.strip():
        return []
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    base = root.find(".//base[@href]")
    base_url = urljoin(page_url, base.get("href", "")) if base is not None else page_url
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    menus: dict[lxml.html.HtmlElement, bool] = {}
    links: list[Link] = []
    for anchor in root.iter("a"):
        if not isinstance(anchor, lxml.html.HtmlElement):
            continue
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = _resolve(base_url, origin, href)
        if not url.startswith(("http://", "https://")):
            continue
        text = _SPACES.sub(" ", anchor.text_content() or anchor.get("title") or "").strip()
        links.append(
            Link(url=url, text=text, in_menu=_in_menu(anchor, menus), itemprop=anchor.get("itemprop"))
        )
    return links


def _resolve(base_url: str, origin: str, href: str) -> str:
    """`href` made absolute, without its fragment; root-relative paths take the short way."""
    if href.startswith("/") and not href.startswith("//") and "/." not in href and "\\" not in href:
        return origin + href.split("#", 1)[0]
    return urldefrag(urljoin(base_url, href)).url


def _in_menu(anchor: lxml.html.HtmlElement, menus: dict[lxml.html.HtmlElement, bool]) -> bool:
    """Whether an ancestor is a menu; `menus` remembers the answer for ancestors already seen."""
    walked: list[lxml.html.HtmlElement] = []
    found = False
    for ancestor in anchor.iterancestors():
        if ancestor in menus:
            found = menus[ancestor]
            break
        walked.append(ancestor)
        if ancestor.tag in ("nav", "menu") or (ancestor.get("role") or "") == "navigation":
            found = True
            break
        marker = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if _MENU_HINT.search(marker) and "breadcrumb" not in marker.lower():
            found = True
            break
    # Every ancestor walked below the answer shares it: inside a menu, or in no menu at all.
    for element in walked:
        menus[element] = found
    return found


def meta_refresh_url(html: str, page_url: str, max_delay: float) -> str | None:
    """Where a ``<meta http-equiv="refresh" content="N; url=…">`` sends, if N ≤ `max_delay`."""
    if not _REFRESH.search(html[:20_000].encode("utf-8", "ignore")):
        return None
    try:
        root = lxml.html.document_fromstring(html[:200_000])
    except (etree.ParserError, ValueError):
        return None
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        match = _REFRESH_CONTENT.match(meta.get("content") or "")
        if match is None or float(match.group(1)) > max_delay or not match.group(2):
            continue
        target = match.group(2).strip().strip("'\"").strip()
        url = urldefrag(urljoin(page_url, target)).url
        return url if target else None
    return None
