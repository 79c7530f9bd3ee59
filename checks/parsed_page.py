"""One fetched page parsed once per audit: its tree, marked elements, linked addresses and text lines."""

from __future__ import annotations

from functools import cached_property

from lxml import etree

from checks.microdata import MarkedElement, PageScan, marked_elements, scan_page
from checks.text_fallback import TextLine, text_lines
from crawler.links import link_urls, parse_html
from crawler.snapshot import PageSnapshot

__all__ = ["ParsedPage"]


class ParsedPage:
    """A page of a snapshot with the views checks need, each computed on first use."""

    def __init__(self, page: PageSnapshot) -> None:
        self.page = page
        self.url = page.final_url
        self.root: etree._Element | None = parse_html(page.text)

    @cached_property
    def scan(self) -> PageScan:
        """One pass over it: marked and hiding elements."""
        return scan_page(self.root) if self.root is not None else PageScan([], set())

    @cached_property
    def elements(self) -> list[MarkedElement]:
        """Its sveden ``itemprop`` elements."""
        return marked_elements(self.root, self.url, self.scan) if self.root is not None else []

    @cached_property
    def link_urls(self) -> set[str]:
        """The distinct addresses it links to."""
        return link_urls(self.root, self.url) if self.root is not None else set()

    @cached_property
    def lines(self) -> list[TextLine]:
        """Its visible text, one line per block or table row."""
        return text_lines(self.root, self.scan.hiding) if self.root is not None else []
