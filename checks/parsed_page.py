"""One fetched page parsed once per audit: its tree, marked elements, links and text lines."""

from __future__ import annotations

from functools import cached_property

import lxml.html

from checks.microdata import MarkedElement, marked_elements
from checks.text_fallback import text_lines
from crawler.links import Link, links_of, parse_html
from crawler.snapshot import PageSnapshot

__all__ = ["ParsedPage"]


class ParsedPage:
    """A page of a snapshot with the views checks need, each computed on first use."""

    def __init__(self, page: PageSnapshot) -> None:
        self.page = page
        self.url = page.final_url
        self.root: lxml.html.HtmlElement | None = parse_html(page.body)

    @cached_property
    def elements(self) -> list[MarkedElement]:
        """Its sveden ``itemprop`` elements."""
        return marked_elements(self.root, self.url) if self.root is not None else []

    @cached_property
    def links(self) -> list[Link]:
        """Its followable links."""
        return links_of(self.root, self.url) if self.root is not None else []

    @cached_property
    def lines(self) -> list[str]:
        """Its visible text, one line per block or table row."""
        return text_lines(self.root) if self.root is not None else []
