"""Links of a page: absolute address, the href as written, visible text, and menu placement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

__all__ = [
    "Link",
    "extract_links",
    "link_urls",
    "links_of",
    "meta_refresh_url",
    "normalize_text",
    "parse_html",
    "resolve_href",
]

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[«»\"'.,:;!?()\[\]]")
#: A cheap test before parsing: a `<meta` tag that mentions refresh (scanning from its literal
#: "<" is ten times quicker than looking for "refresh" case-insensitively in Cyrillic text).
_REFRESH = re.compile(r"<meta[^>]*refresh", re.IGNORECASE)
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
    href: str = ""
    fragment: str = ""
    marked: bool = False


def normalize_text(text: str) -> str:
    """Case-, ё- and punctuation-insensitive form of a caption, for comparing link texts."""
    text = _PUNCTUATION.sub(" ", text.lower().replace("ё", "е").replace("\u200b", ""))
    return _SPACES.sub(" ", text).strip()


def parse_html(html: str) -> etree._Element | None:
    """The document tree of `html` (lxml recovers from malformed markup); None when there is none."""
    if not html.strip():
        return None
    try:
        root = etree.HTML(html, etree.HTMLParser())
    except (etree.ParserError, ValueError):
        return None
    return root if root is not None and len(root) else None


def extract_links(html: str, page_url: str) -> list[Link]:
    """Every followable link of `html`, resolved against `page_url` (fragments dropped)."""
    root = parse_html(html)
    return links_of(root, page_url) if root is not None else []


def _base_url(root: etree._Element, page_url: str) -> str:
    base = root.find(".//base[@href]")
    return urljoin(page_url, base.get("href", "")) if base is not None else page_url


def _followable(href: str) -> bool:
    return bool(href) and not href.startswith(("#", "javascript:", "mailto:", "tel:"))


def link_urls(root: etree._Element, page_url: str) -> set[str]:
    """The distinct absolute http(s) addresses a parsed page links to (fragments dropped)."""
    base_url = _base_url(root, page_url)
    origin = _origin(base_url)
    hrefs = {str(href).strip() for href in cast(list[str], _HREFS(root))}
    urls = {_resolve(base_url, origin, href) for href in hrefs if _followable(href)}
    return {url for url in urls if url.startswith(("http://", "https://"))}


def resolve_href(page_url: str, href: str) -> str:
    """The absolute address of `href` on the page at `page_url`, without its fragment."""
    return _resolve(page_url, _origin(page_url), href)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _resolve(base_url: str, origin: str, href: str) -> str:
    """`urljoin` without the fragment (see `_resolve_with_fragment`)."""
    return _resolve_with_fragment(base_url, origin, href)[0]


def _resolve_with_fragment(base_url: str, origin: str, href: str) -> tuple[str, str]:
    """`urldefrag(urljoin(base_url, href))`; site-absolute paths and absolute addresses (most
    links) without dot segments are taken as they are."""
    path, _, fragment = href.partition("#")
    if "/." not in path.split("?", 1)[0]:
        if path.startswith("/") and not path.startswith("//"):
            return origin + path, fragment
        if path.startswith(("http://", "https://")):
            return path, fragment
    url, fragment = urldefrag(urljoin(base_url, href))
    return url, fragment


def links_of(root: etree._Element, page_url: str) -> list[Link]:
    """Every followable link of a parsed page, in document order."""
    base_url = _base_url(root, page_url)
    origin = _origin(base_url)
    in_menus = _anchors_inside(_menus(root))
    in_items = _anchors_inside(_elements(_ITEMS, root))
    resolved: dict[str, tuple[str, str]] = {}
    links: list[Link] = []
    for anchor in _elements(_ANCHORS, root):
        href = (anchor.get("href") or "").strip()
        if not _followable(href):
            continue
        if href not in resolved:
            resolved[href] = _resolve_with_fragment(base_url, origin, href)
        url, fragment = resolved[href]
        if not url.startswith(("http://", "https://")):
            continue
        text = _SPACES.sub(" ", str(_STRING(anchor)) or anchor.get("title") or "").strip()
        itemprop = anchor.get("itemprop")
        links.append(
            Link(
                url=url,
                text=text,
                in_menu=anchor in in_menus,
                itemprop=itemprop,
                href=href,
                fragment=fragment,
                marked=anchor in in_items or bool(itemprop and itemprop.split() != ["addRef"]),
            )
        )
    return links


_ANCHORS = etree.XPath("//a[@href]")
_HREFS = etree.XPath("//a/@href", smart_strings=False)
_STRING = etree.XPath("string()", smart_strings=False)
#: Candidates for navigation containers: <nav>, <menu>, role=navigation, anything with a class or
#: id (`_menus` keeps those whose class/id names a menu; filtering here in Python is about twice
#: as quick as XPath string functions on every element).
_MENU_CANDIDATES = etree.XPath("//*[self::nav or self::menu or @role='navigation' or @class or @id]")
#: Elements that carry an item's value (an addRef link is navigation, not a value).
_ITEMS = etree.XPath("//*[@itemprop and normalize-space(@itemprop) != 'addRef' and not(self::a)]")


def _elements(xpath: etree.XPath, root: etree._Element) -> list[etree._Element]:
    return cast(list[etree._Element], xpath(root))


def _menus(root: etree._Element) -> list[etree._Element]:
    """Navigation containers, breadcrumbs aside: <nav>, <menu>, role=navigation, or a class/id
    naming a menu or navigation."""
    menus = []
    for element in _elements(_MENU_CANDIDATES, root):
        marker = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if "breadcrumb" in marker:
            continue
        if (
            element.tag in ("nav", "menu")
            or element.get("role") == "navigation"
            or "menu" in marker
            or "nav" in marker
        ):
            menus.append(element)
    return menus


def _anchors_inside(containers: list[etree._Element]) -> set[etree._Element]:
    """The anchors inside any of `containers`."""
    anchors: set[etree._Element] = set()
    for container in containers:
        anchors.update(container.iterfind(".//a"))
    return anchors


def meta_refresh_url(html: str, page_url: str, max_delay: float) -> str | None:
    """Where a ``<meta http-equiv="refresh" content="N; url=…">`` sends, if N ≤ `max_delay`."""
    if not _REFRESH.search(html[:20_000]):
        return None
    root = parse_html(html[:200_000])
    if root is None:
        return None
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        match = _REFRESH_CONTENT.match(meta.get("content") or "")
        if match is None or float(match.group(1)) > max_delay or not match.group(2):
            continue
        target = match.group(2).strip().strip("'\"").strip()
        return urldefrag(urljoin(page_url, target)).url if target else None
    return None
