"""Links of a page: absolute address, the href as written, visible text, and menu placement.

The crawler takes the links of every page it fetches with Lexbor (selectolax), an HTML5 parser
several times quicker than libxml2 on school pages; the checks, which need a full tree for
microdata, parse with lxml (`parse_html`, `link_urls`).
"""

from __future__ import annotations

import re
from typing import NamedTuple, cast
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = [
    "Link",
    "extract_links",
    "link_urls",
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
_REFRESH_BYTES = re.compile(rb"<meta[^>]*refresh", re.IGNORECASE)
_REFRESH_CONTENT = re.compile(
    r"^\s*(\d+(?:\.\d*)?)\s*(?:[;,]\s*(?:url\s*=\s*)?(.*))?$", re.IGNORECASE | re.DOTALL
)


class Link(NamedTuple):
    """One ``<a href>`` of a page.

    A named tuple: a crawl makes one per anchor of every page and holds a site's until it is
    done (about a hundred thousand at once per worker), and a named tuple is made in half the
    time of a frozen dataclass and takes half its memory.
    """

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


def extract_links(html: str | bytes, page_url: str) -> list[Link]:
    """Every followable link of `html` (text, or its UTF-8 bytes) in document order, resolved
    against `page_url` (or the page's ``<base href>``), fragments dropped."""
    if not html.strip():
        return []
    tree = LexborHTMLParser(html)
    base = tree.css_first("base[href]")
    base_url = urljoin(page_url, base.attributes.get("href") or "") if base is not None else page_url
    origin = _origin(base_url)
    in_menus = _anchors_inside(_menus(tree))
    in_items = _anchors_inside(
        [
            element
            for element in tree.css("[itemprop]")
            if element.tag != "a" and " ".join((element.attributes.get("itemprop") or "").split()) != "addRef"
        ]
    )
    resolved: dict[str, tuple[str, str]] = {}
    links: list[Link] = []
    for anchor in tree.css("a[href]"):
        attributes = anchor.attributes
        href = (attributes.get("href") or "").strip()
        if not _followable(href):
            continue
        if href not in resolved:
            resolved[href] = _resolve_with_fragment(base_url, origin, href)
        url, fragment = resolved[href]
        if not url.startswith(("http://", "https://")):
            continue
        text = _SPACES.sub(" ", anchor.text(deep=True) or attributes.get("title") or "").strip()
        itemprop = attributes.get("itemprop")
        links.append(
            Link(
                url=url,
                text=text,
                in_menu=anchor.mem_id in in_menus,
                itemprop=itemprop,
                href=href,
                fragment=fragment,
                marked=anchor.mem_id in in_items or bool(itemprop and itemprop.split() != ["addRef"]),
            )
        )
    return links


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


_HREFS = etree.XPath("//a/@href", smart_strings=False)
#: Candidates for navigation containers: <nav>, <menu>, role=navigation, anything with a class or
#: id (`_menus` keeps those whose class/id names a menu).
_MENU_CANDIDATES = "nav, menu, [role=navigation], [class], [id]"


def _menus(tree: LexborHTMLParser) -> list[LexborNode]:
    """Navigation containers, breadcrumbs aside: <nav>, <menu>, role=navigation, or a class/id
    naming a menu or navigation."""
    menus = []
    for element in tree.css(_MENU_CANDIDATES):
        attributes = element.attributes
        marker = f"{attributes.get('class') or ''} {attributes.get('id') or ''}".lower()
        if "breadcrumb" in marker:
            continue
        if (
            element.tag in ("nav", "menu")
            or attributes.get("role") == "navigation"
            or "menu" in marker
            or "nav" in marker
        ):
            menus.append(element)
    return menus


def _anchors_inside(containers: list[LexborNode]) -> set[int]:
    """The anchors inside any of `containers` (as Lexbor node ids; a container that is itself
    an anchor is not inside itself)."""
    anchors: set[int] = set()
    for container in containers:
        anchors.update(anchor.mem_id for anchor in container.css("a") if anchor.mem_id != container.mem_id)
    return anchors


def meta_refresh_url(html: str | bytes, page_url: str, max_delay: float) -> str | None:
    """Where a ``<meta http-equiv="refresh" content="N; url=…">`` sends, if N ≤ `max_delay`
    (`html`: text, or its UTF-8 bytes)."""
    if isinstance(html, bytes):
        if not _REFRESH_BYTES.search(html[:20_000]):
            return None
        html = html[:200_000].decode("utf-8", "replace")
    elif not _REFRESH.search(html[:20_000]):
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
