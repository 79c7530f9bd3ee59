"""Information printed on a page without markup: «Дата создания: 01.09.1975» with no ``itemprop``.

The page's visible text is cut into lines at block boundaries; a table row becomes one line
with its cells joined by «: » (so label/value cells, all-``<th>`` tables included, read as
«Label: value»). A rule's captions (``labels`` in the rulebook) are looked for at the start
of a line, followed by a separator and a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from lxml import etree

from checks.microdata import BLOCK_TAGS, element_text
from crawler.links import normalize_text

__all__ = ["TextLine", "find_labelled_value", "text_lines"]

_CELLS = frozenset({"td", "th"})
#: A table row is one line (its cells joined), so cells and rows do not break lines themselves.
_LINE_BREAKS = BLOCK_TAGS - _CELLS - {"tr"}
_SKIPPED = frozenset({"script", "style", "template", "noscript", "head"})
_SEPARATORS = re.compile(r":|\s[-–—]\s|[–—]")


class TextLine(NamedTuple):
    """One line of a page's text, and its case- and punctuation-insensitive form."""

    text: str
    normalized: str


def text_lines(root: etree._Element, hiding: set[etree._Element]) -> list[TextLine]:
    """The visible text of a page, one line per block and per table row (`hiding`: see `scan_page`)."""
    lines: list[TextLine] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).replace("\u200b", "").split()).strip(" :")
        if line:
            lines.append(TextLine(line, normalize_text(line)))
        current.clear()

    def walk(node: etree._Element) -> None:
        if node.tag in _SKIPPED or node in hiding:
            return
        if node.tag == "tr":
            flush()
            cells = [_cell_text(cell, hiding) for cell in node if cell.tag in _CELLS]
            current.append(": ".join(cell for cell in cells if cell))
            flush()
            return
        breaks = node.tag in _LINE_BREAKS
        if breaks:
            flush()
        if node.text:
            current.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                current.append(child.tail)
        if breaks:
            flush()

    walk(root)
    flush()
    return lines


def _cell_text(cell: etree._Element, hiding: set[etree._Element]) -> str:
    return element_text(cell, hiding).rstrip(":").strip()


def find_labelled_value(lines: Iterable[TextLine], labels: Iterable[str]) -> tuple[str, str] | None:
    """The first line that starts with one of `labels`, a separator and a value: (line, value)."""
    wanted = sorted({normalize_text(label) for label in labels}, key=len, reverse=True)
    for line in lines:
        for label in wanted:
            if not line.normalized.startswith(label):
                continue
            rest = _after_label(line.text, label)
            if rest:
                return line.text, rest
    return None


def _after_label(line: str, label: str) -> str | None:
    """The value after `label` (normalized) at the start of `line`, when a separator follows it."""
    for match in _SEPARATORS.finditer(line):
        if normalize_text(line[: match.start()]) == label:
            value = line[match.end() :].strip(" :-–—")
            return value or None
    return None
