"""Soft 404: a site that answers 200 with its "page not found" page for any address.

Such a site would make every guessed address (``/sveden/``, the slug dictionary) look found.
The crawler asks once per site for an address that cannot exist; if that answers 200, any page
that reads like that answer (same title, nearly the same words) is treated as missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from crawler.snapshot import PageSnapshot

__all__ = ["NONSENSE_PATH", "Soft404", "soft_404_of"]

#: An address no school site has; a 200 answer to it is a soft 404.
NONSENSE_PATH = "/sveden-audit-no-such-page-4f1c9a/"
#: Share of common words above which a page reads like the not-found answer.
_SIMILAR = 0.9
_WORDS = re.compile(r"\w+")


def _title_and_words(page: PageSnapshot) -> tuple[str, frozenset[str]]:
    try:
        root = lxml.html.document_fromstring(page.text or "<html></html>")
    except (etree.ParserError, ValueError):
        return "", frozenset()
    title = (root.findtext(".//title") or "").strip().lower()
    for element in list(root.iter("script", "style")):
        if isinstance(element, lxml.html.HtmlElement):
            element.drop_tree()
    # The requested address often appears in a not-found page; it must not count.
    own = set(_WORDS.findall(unquote(urlsplit(page.url).path).lower()))
    text = root.text_content() if isinstance(root, lxml.html.HtmlElement) else ""
    return title, frozenset(_WORDS.findall(text.lower())) - own


@dataclass(frozen=True)
class Soft404:
    """What the site's not-found page looks like."""

    title: str
    words: frozenset[str]

    def matches(self, page: PageSnapshot) -> bool:
        """Whether `page` (answered 200) is really the not-found page."""
        title, words = _title_and_words(page)
        if title != self.title:
            return False
        union = words | self.words
        return not union or len(words & self.words) / len(union) >= _SIMILAR


def soft_404_of(probe: PageSnapshot) -> Soft404 | None:
    """The soft-404 signature of a site, from its answer to `NONSENSE_PATH` (None: a real 404)."""
    if not probe.ok:
        return None
    title, words = _title_and_words(probe)
    return Soft404(title, words)
