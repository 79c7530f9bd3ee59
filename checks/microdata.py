"""Microdata as MR v9 §5 reads it: elements carrying ``itemprop``, with their one-level context.

Each marked element keeps its tokens (``itemprop`` is a space-separated list; stray quotes
around tokens are tolerated), the tokens of its marked ancestors (a child counts only inside
its parent, never as a later sibling), its value (``content``/``href``/``src`` or text, with a
label printed inside the element dropped) and whether a visitor can see it. Properties of
another vocabulary's item (a schema.org breadcrumb: the nearest enclosing ``itemscope`` has a
foreign ``itemtype``) are not sveden data and are left out.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, cast

from lxml import etree

__all__ = [
    "BLOCK_TAGS",
    "MarkedElement",
    "PageScan",
    "element_text",
    "is_hidden",
    "marked_elements",
    "scan_page",
]

_TOKEN_JUNK = "\"'`«»,;"
_JUNK = re.compile("[\"'`«»,;]")
_SVEDEN_TYPE = "obrnadzor.gov.ru"
#: Class names that CSS frameworks and site constructors use to hide content.
_HIDING_CLASSES = frozenset(
    {"hide", "hidden", "d-none", "invisible", "is-hidden", "uk-hidden", "visually-hidden", "sr-only"}
)
#: A cheap first look: a class list or style that cannot hide anything has none of these.
_MAY_HIDE = re.compile("hid|hide|none|invisible|only", re.IGNORECASE)
#: Elements that start a new block of text: their text never runs into their neighbours'.
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIPPED = frozenset({"script", "style", "template", "noscript"})
#: ``iter(etree.Element)`` walks elements only, skipping comments (lxml's idiom; the stubs lack it).
_ELEMENTS: Any = etree.Element
_INNER_HREFS = etree.XPath(".//a/@href", smart_strings=False)
_LABEL_TAGS = frozenset({"strong", "b", "label", "em", "span", "th", "dt"})


class MarkedElement(NamedTuple):
    """One element with an ``itemprop`` attribute, as found on one page (a tuple: pages hold hundreds)."""

    page_url: str
    tag: str
    raw: str
    tokens: tuple[str, ...]
    ancestor_tokens: frozenset[str]
    text: str
    links: tuple[str, ...]
    visible: bool
    line: int | None = None

    @property
    def snippet(self) -> str:
        """A short reconstruction of the element's opening tag and text (not its whole markup)."""
        href = f' href="{self.links[0]}"' if self.links and self.tag == "a" else ""
        shown = self.text if len(self.text) <= 120 else self.text[:119] + "…"
        return f'<{self.tag} itemprop="{self.raw.strip()}"{href}>{shown}</{self.tag}>'

    @property
    def link(self) -> str | None:
        """The first address the element gives (its own ``href``/``src``, else a link inside it)."""
        return self.links[0] if self.links else None

    @property
    def value(self) -> str:
        """What the item says: its text, else the address it links to."""
        return self.text or (self.link or "")


def marked_elements(root: etree._Element, page_url: str, scan: PageScan | None = None) -> list[MarkedElement]:
    """Every element of a parsed page that carries sveden ``itemprop`` tokens, in document order."""
    marked, hiding = scan or scan_page(root)
    ancestry = _Ancestry(hiding)
    found: list[MarkedElement] = []
    for element, raw in marked:
        tokens = _tokens(raw)
        parent = element.getparent()
        above = ancestry.of(parent) if parent is not None else _TOP
        if not tokens or (above.item_type and _SVEDEN_TYPE not in above.item_type):
            continue  # empty, or a property of another vocabulary's item (schema.org breadcrumb)
        tag = str(element.tag)
        found.append(
            MarkedElement(
                page_url,
                tag,
                raw,
                tokens,
                above.tokens,
                _value_text(element, tag, hiding),
                _links(element),
                not above.hidden and element not in hiding,
                cast(int | None, element.sourceline),
            )
        )
    return found


class PageScan(NamedTuple):
    """What one pass over a page finds: marked elements (with their raw itemprop) and hiding ones."""

    marked: list[tuple[etree._Element, str]]
    hiding: set[etree._Element]


def scan_page(root: etree._Element) -> PageScan:
    """One pass over a page: the elements with an ``itemprop``, and those that hide their content.

    (A Python loop over ``iter`` is faster here than two XPath queries.)
    """
    marked: list[tuple[etree._Element, str]] = []
    hiding: set[etree._Element] = set()
    for node in root.iter(_ELEMENTS):
        names = node.keys()  # one call per node; most nodes have no attributes at all
        if not names:
            continue
        if "itemprop" in names:
            marked.append((node, node.get("itemprop") or ""))
        if ("class" in names or "style" in names or "hidden" in names or "type" in names) and is_hidden(node):
            hiding.add(node)
    return PageScan(marked, hiding)


class _Context(NamedTuple):
    """What an element and its ancestors say about the elements inside it."""

    tokens: frozenset[str]  # itemprop tokens of the element and its ancestors
    hidden: bool  # the element or an ancestor hides its content
    item_type: str | None  # itemtype of the nearest itemscope ("" without a type; None: no item)


_TOP = _Context(frozenset(), False, None)


class _Ancestry:
    """The `_Context` of each element of a page, computed once per element (rows share ancestors)."""

    def __init__(self, hiding: set[etree._Element]) -> None:
        self._hiding = hiding
        self._known: dict[etree._Element, _Context] = {}

    def of(self, node: etree._Element) -> _Context:
        chain: list[etree._Element] = []
        current: etree._Element | None = node
        while current is not None and current not in self._known:
            chain.append(current)
            current = current.getparent()
        context = self._known[current] if current is not None else _TOP
        for element in reversed(chain):
            context = self._step(context, element)
            self._known[element] = context
        return context

    def _step(self, above: _Context, element: etree._Element) -> _Context:
        names = element.keys()
        if not names:
            return above
        tokens = above.tokens
        if "itemprop" in names:
            tokens = tokens | set(_tokens(element.get("itemprop") or ""))
        item_type = above.item_type
        if "itemscope" in names:
            item_type = element.get("itemtype") or ""
        return _Context(tokens, above.hidden or element in self._hiding, item_type)


def is_hidden(node: etree._Element) -> bool:
    """Whether the element itself hides its content from visitors (style, class, attribute)."""
    names = node.keys()
    if not names:
        return False
    if "hidden" in names:
        return True
    if node.tag == "input" and (node.get("type") or "").lower() == "hidden":
        return True
    classes = node.get("class") or ""
    if _MAY_HIDE.search(classes) and _HIDING_CLASSES.intersection(classes.lower().split()):
        return True
    style = node.get("style") or ""
    if not _MAY_HIDE.search(style):
        return False
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if (name == "display" and value.startswith("none")) or (
            name == "visibility" and value.startswith("hidden")
        ):
            return True
    return False


def element_text(element: etree._Element, hiding: set[etree._Element]) -> str:
    """An element's visible text, a space at block boundaries (labels and values do not run together).

    `hiding`: the page's elements that hide their content (`scan_page`).
    """
    if len(element) == 0:
        text = element.text or ""
    else:
        parts: list[str] = []
        _collect_text(element, parts, hiding)
        text = "".join(parts)
    if "\u200b" in text:
        text = text.replace("\u200b", "")
    return " ".join(text.split())


def _collect_text(node: etree._Element, parts: list[str], hiding: set[etree._Element]) -> None:
    block = node.tag in BLOCK_TAGS
    if block:
        parts.append(" ")
    if node.text:
        parts.append(node.text)
    for child in node:
        if isinstance(child.tag, str) and child.tag not in _SKIPPED and child not in hiding:
            _collect_text(child, parts, hiding)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(" ")


def _tokens(raw: str) -> tuple[str, ...]:
    if not _JUNK.search(raw):
        return tuple(raw.split())
    return tuple(token for token in (part.strip(_TOKEN_JUNK) for part in raw.split()) if token)


def _value_text(element: etree._Element, tag: str, hiding: set[etree._Element]) -> str:
    """The element's value text; a label printed inside it («Дата создания:») is dropped."""
    if tag == "meta":
        return (element.get("content") or "").strip()
    text = element_text(element, hiding)
    if not text and tag == "img":
        return (element.get("alt") or "").strip()
    if len(element) == 0:
        return text
    first = next((child for child in element if isinstance(child.tag, str)), None)
    if first is not None and first.tag in _LABEL_TAGS and not (element.text or "").strip():
        label = element_text(first, hiding)
        if label.endswith(":") and text.startswith(label):
            return text[len(label) :].strip()
    return text


def _links(element: etree._Element) -> tuple[str, ...]:
    """The element's own address, else the addresses of the links inside it (a container of documents)."""
    names = element.keys()
    for attribute in ("href", "src", "data"):
        if attribute in names:
            value = str(element.get(attribute) or "").strip()
            if value and value != "#":
                return (value,)
    if len(element) == 0:
        return ()
    hrefs = (str(href).strip() for href in cast(list[str], _INNER_HREFS(element)))
    return tuple(dict.fromkeys(href for href in hrefs if href and href != "#"))
