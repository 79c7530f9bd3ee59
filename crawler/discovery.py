"""Finding the special section and its subsections from a site's links (pure functions).

Order: the standard path (MR v9: ``/sveden/`` and ``/sveden/<key>``), then link text (the
official titles and common short forms such as «Сведения об ОО»), then the slug dictionary
of known site constructors (Gosweb).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from crawler.links import Link, normalize_text
from crawler.snapshot import FoundBy

__all__ = [
    "SECTION_SLUGS",
    "SubsectionTarget",
    "find_section_link",
    "find_subsection_link",
    "is_section_text",
    "linked_subsections",
    "page_key",
    "page_path",
    "same_page",
    "section_index_hrefs",
    "standard_subsection_url",
]

#: Section roots of site constructors that do not use /sveden/ (Gosweb).
SECTION_SLUGS = ("/svedeniya-ob-obrazovatelnoy-organizatsii/", "/svedeniya-ob-organizatsii/")

_SECTION_TEXTS = (
    "сведения об образовательной организации",
    "сведения об образовательном учреждении",
    "сведения об организации",
    "сведения об оо",
    "сведения об оу",
    "сведения о школе",
)


@dataclass(frozen=True)
class SubsectionTarget:
    """What to look for: a subsection's key, standard path, captions and constructor slugs."""

    key: str
    path: str
    titles: tuple[str, ...]
    slugs: tuple[str, ...] = ()


_INDEX_FILE = re.compile(r"^index\.(?:html?|shtml|php|aspx?)$", re.IGNORECASE)
_PAGE_EXTENSION = re.compile(r"\.(?:html?|shtml|php|aspx?)$", re.IGNORECASE)
#: Query parameters that change how a page looks, not which page it is.
_PRESENTATION_PARAMS = frozenset({"set_template", "template", "tmpl", "print", "version", "special"})


@functools.lru_cache(maxsize=8192)
def page_key(url: str) -> tuple[str, str, str]:
    """The identity of the page an address names: host, `page_path` and `page_query`.

    Cached: a site's menu links the same addresses from every page."""
    netloc, path, query = _split(url)
    return netloc.lower(), _page_path(path), _page_query(path, query)


def _split(url: str) -> tuple[str, str, str]:
    """Host, path and query of an absolute http(s) address (a quicker `urlsplit` for page keys)."""
    scheme_end = url.find("://")
    if scheme_end < 0:
        parts = urlsplit(url)
        return parts.netloc, parts.path, parts.query
    rest = url[scheme_end + 3 :].split("#", 1)[0]
    rest, _, query = rest.partition("?")
    netloc, slash, path = rest.partition("/")
    return netloc, slash + path, query


def page_path(url: str) -> str:
    """The path that names a page, for comparing addresses.

    Lower-case and percent-decoded, without the trailing slash, an index file
    (``/sveden/index.php``) or a page extension (``/sveden/common.html``). A query string
    that a mirroring tool folded into a file name (``index.html@set_template=default.html``)
    is dropped here and kept by `page_query`.
    """
    return page_key(url)[1]


def _page_path(path: str) -> str:
    segments = [segment for segment in unquote(path).split("/") if segment]
    if segments:
        last = segments[-1].split("@", 1)[0]
        if _INDEX_FILE.match(last):
            segments.pop()
        else:
            segments[-1] = _PAGE_EXTENSION.sub("", last)
    return ("/" + "/".join(segments)).lower()


def page_query(url: str) -> str:
    """The query parameters that select a page (``?n=8``), presentation ones (``set_template``) aside."""
    return page_key(url)[2]


def _page_query(path: str, query: str) -> str:
    last = unquote(path).rsplit("/", 1)[-1]
    if "@" in last:
        query = "&".join(filter(None, (query, _PAGE_EXTENSION.sub("", last.split("@", 1)[1]))))
    kept = sorted(
        pair
        for pair in query.split("&")
        if pair and pair.split("=", 1)[0].lower() not in _PRESENTATION_PARAMS
    )
    return "&".join(kept)


def _host(url: str) -> str:
    return page_key(url)[0]


def same_page(first: str, second: str) -> bool:
    """Whether two addresses name the same page (host, case, trailing slash and index file aside)."""
    return page_key(first) == page_key(second)


def is_section_text(text: str) -> bool:
    """Whether a link caption names the special section («Сведения об ОО» and the like)."""
    normalized = normalize_text(text)
    return any(normalized.startswith(candidate) for candidate in _SECTION_TEXTS)


def find_section_link(links: list[Link], home_url: str) -> tuple[Link, FoundBy] | None:
    """The home page's link to the section: the standard path first, then by caption."""
    home_host = _host(home_url)
    local = [link for link in links if _host(link.url) == home_host]
    for link in local:
        if page_path(link.url) == "/sveden":
            return link, "standard_path"
    by_text = [link for link in local if is_section_text(link.text)]
    if by_text:
        by_text.sort(key=lambda link: not link.in_menu)
        return by_text[0], "link_text"
    for link in local:
        if any(page_path(link.url) == slug.rstrip("/") for slug in SECTION_SLUGS):
            return link, "slug_dictionary"
    return None


def find_subsection_link(
    links: list[Link], section_url: str, target: SubsectionTarget
) -> tuple[str, FoundBy] | None:
    """Where the section index links `target`: standard path, caption, or constructor slug."""
    section_host = _host(section_url)
    local = [link for link in links if _host(link.url) == section_host]
    standard = page_path(target.path)
    for link in local:
        if page_path(link.url) == standard:
            return link.url, "standard_path"
    captions = {normalize_text(title) for title in target.titles}
    for link in local:
        if normalize_text(link.text) in captions:
            return link.url, "link_text"
    slugs = {slug.strip("/").lower() for slug in target.slugs}
    for link in local:
        if page_path(link.url).rpartition("/")[2] in slugs:
            return link.url, "slug_dictionary"
    return None


def linked_subsections(
    links: list[Link], section_url: str, targets: list[SubsectionTarget]
) -> dict[str, list[str]]:
    """Which subsections a section page's navigation links, with each href as written.

    A link is navigation when it has no fragment (``#anchor_regDate`` points into an item)
    and leads either one level below the section root, named by a subsection's key or slug
    (an unknown name such as ``ovz`` is kept under its own name), or anywhere on the site
    with a subsection's official caption.
    """
    root = page_path(section_url)
    section_host = _host(section_url)
    by_name = {slug.strip("/").lower(): target.key for target in targets for slug in _names(target)}
    by_caption = {normalize_text(title): target.key for target in targets for title in target.titles}
    found: dict[str, list[str]] = {}
    for link in links:
        path = page_path(link.url)
        if link.fragment or page_query(link.url) or _host(link.url) != section_host:
            continue
        if not path.startswith(root.rstrip("/") + "/"):
            continue
        parent, _, last = path.rpartition("/")
        key = (
            by_name.get(last, last) if (parent or "/") == root else by_caption.get(normalize_text(link.text))
        )
        if key is not None and link.href not in found.setdefault(key, []):
            found[key].append(link.href)
    return found


def section_index_hrefs(links: list[Link], section_url: str) -> list[str]:
    """The hrefs, as written, of a page's links to the section's index page."""
    hrefs: list[str] = []
    for link in links:
        if not link.fragment and link.href not in hrefs and same_page(link.url, section_url):
            hrefs.append(link.href)
    return hrefs


def _names(target: SubsectionTarget) -> tuple[str, ...]:
    return (target.key, target.path.rstrip("/").rsplit("/", 1)[-1], *target.slugs)


def standard_subsection_url(site_url: str, target: SubsectionTarget) -> str:
    """The MR v9 address of a subsection on a site."""
    return urljoin(site_url, target.path)
