"""Finding the special section and its subsections from a site's links (pure functions).

Order: the standard path (MR v9: ``/sveden/`` and ``/sveden/<key>``), then link text (the
official titles and common short forms such as «Сведения об ОО»), then the slug dictionary
of known site constructors (Gosweb).
"""

from __future__ import annotations

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
    "same_page",
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


def _path(url: str) -> str:
    return unquote(urlsplit(url).path).rstrip("/").lower() or "/"


def same_page(first: str, second: str) -> bool:
    """Whether two addresses name the same page (host, case of the path, trailing slash aside)."""
    a, b = urlsplit(first), urlsplit(second)
    return a.netloc.lower() == b.netloc.lower() and _path(first) == _path(second)


def is_section_text(text: str) -> bool:
    """Whether a link caption names the special section («Сведения об ОО» and the like)."""
    normalized = normalize_text(text)
    return any(normalized.startswith(candidate) for candidate in _SECTION_TEXTS)


def find_section_link(links: list[Link], home_url: str) -> tuple[Link, FoundBy] | None:
    """The home page's link to the section: the standard path first, then by caption."""
    host = urlsplit(home_url).netloc.lower()
    local = [link for link in links if urlsplit(link.url).netloc.lower() == host]
    for link in local:
        if _path(link.url) == "/sveden":
            return link, "standard_path"
    by_text = [link for link in local if is_section_text(link.text)]
    if by_text:
        by_text.sort(key=lambda link: not link.in_menu)
        return by_text[0], "link_text"
    for link in local:
        if any(_path(link.url) == slug.rstrip("/") for slug in SECTION_SLUGS):
            return link, "slug_dictionary"
    return None


def find_subsection_link(
    links: list[Link], section_url: str, target: SubsectionTarget
) -> tuple[str, FoundBy] | None:
    """Where the section index links `target`: standard path, caption, or constructor slug."""
    host = urlsplit(section_url).netloc.lower()
    local = [link for link in links if urlsplit(link.url).netloc.lower() == host]
    standard = target.path.rstrip("/").lower()
    for link in local:
        if _path(link.url) == standard:
            return link.url, "standard_path"
    captions = {normalize_text(title) for title in target.titles}
    for link in local:
        if normalize_text(link.text) in captions:
            return link.url, "link_text"
    for link in local:
        last = _path(link.url).rsplit("/", 1)[-1]
        if any(last == slug.strip("/").lower() for slug in target.slugs):
            return link.url, "slug_dictionary"
    return None


def standard_subsection_url(site_url: str, target: SubsectionTarget) -> str:
    """The MR v9 address of a subsection on a site."""
    return urljoin(site_url, target.path)
