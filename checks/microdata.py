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
from dataclasses import dataclass

import lxml.html

__all__ = ["MarkedElement", "element_text", "is_hidden", "marked_elements"]

_SPACES = re.compile(r"\s+")
_TOKEN_JUNK = "\"'`«»,;"
_SVEDEN_TYPE = "obrnadzor.gov.ru"
#: Class names that CSS frameworks and site constructors use to hide content.
_HIDING_CLASSES = frozenset(
    {"hide", "hidden", "d-none", "invisible", "is-hidden", "uk-hidden", "visually-hidden", "sr-only"}
)
_BLOCKS = frozenset(
    {
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
    }
)
_SKIPPED = frozenset({"script", "style", "template", "noscript"})
_LABEL_TAGS = frozenset({"strong", "b", "label", "em", "span", "th", "dt"})


@dataclass(frozen=True)
class MarkedElement:
    """One element with an ``itemprop`` attribute, as found on one page."""

    page_url: str
    tag: str
    tokens: tuple[str, ...]
    ancestor_tokens: frozenset[str]
    text: str
    links: tuple[str, ...]
    visible: bool
    snippet: str
    line: int | None = None

    @property
    def link(self) -> str | None:
        """The first address the element gives (its own ``href``/``src``, else a link inside it)."""
        return self.links[0] if self.links else None

    @property
    def value(self) -> str:
        """What the item says: its text, else the address it links to."""
        return self.text or (self.link or "")


def marked_elements(root: lxml.html.HtmlElement, page_url: str) -> list[MarkedElement]:
    """Every element of a parsed page that carries sveden ``itemprop`` tokens, in document order."""
    found: list[MarkedElement] = []
    for element in root.iterfind(".//*[@itemprop]"):
        raw = element.get("itemprop") or ""
        tokens = _tokens(raw)
        if not tokens or _in_foreign_item(element):
            continue
        text = _value_text(element)
        links = _links(element)
        found.append(
            MarkedElement(
                page_url=page_url,
                tag=str(element.tag).lower(),
                tokens=tokens,
                ancestor_tokens=frozenset(_ancestor_tokens(element)),
                text=text,
                links=links,
                visible=not any(is_hidden(node) for node in (element, *element.iterancestors())),
                snippet=_snippet(str(element.tag).lower(), raw, text, links[0] if links else None),
                line=element.sourceline,
            )
        )
    return found


def is_hidden(node: lxml.html.HtmlElement) -> bool:
    """Whether the element itself hides its content from visitors (style, class, attribute)."""
    if node.get("hidden") is not None:
        return True
    if node.tag == "input" and (node.get("type") or "").lower() == "hidden":
        return True
    if _HIDING_CLASSES.intersection((node.get("class") or "").lower().split()):
        return True
    for declaration in (node.get("style") or "").split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if (name == "display" and value.startswith("none")) or (
            name == "visibility" and value.startswith("hidden")
        ):
            return True
    return False


def element_text(element: lxml.html.HtmlElement) -> str:
    """An element's visible text, a space at block boundaries (labels and values do not run together)."""
    parts: list[str] = []
    _collect_text(element, parts)
    return _SPACES.sub(" ", "".join(parts)).replace("\u200b", "").strip()


def _collect_text(node: lxml.html.HtmlElement, parts: list[str]) -> None:
    block = node.tag in _BLOCKS
    if block:
        parts.append(" ")
    if node.text:
        parts.append(node.text)
    for child in node:
        if isinstance(child.tag, str) and child.tag not in _SKIPPED and not is_hidden(child):
            _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(" ")


def _tokens(raw: str) -> tuple[str, ...]:
    return tuple(token for token in (part.strip(_TOKEN_JUNK) for part in raw.split()) if token)


def _in_foreign_item(element: lxml.html.HtmlElement) -> bool:
    """Whether the property belongs to an item of another vocabulary (schema.org and the like)."""
    for ancestor in element.iterancestors():
        if ancestor.get("itemscope") is not None:
            item_type = ancestor.get("itemtype") or ""
            return bool(item_type) and _SVEDEN_TYPE not in item_type
    return False


def _ancestor_tokens(element: lxml.html.HtmlElement) -> list[str]:
    tokens: list[str] = []
    for ancestor in element.iterancestors():
        raw = ancestor.get("itemprop")
        if raw:
            tokens.extend(_tokens(raw))
    return tokens


def _value_text(element: lxml.html.HtmlElement) -> str:
    """The element's value text; a label printed inside it («Дата создания:») is dropped."""
    if element.tag == "meta":
        return (element.get("content") or "").strip()
    text = element_text(element)
    if not text and element.tag == "img":
        return (element.get("alt") or "").strip()
    first = next((child for child in element if isinstance(child.tag, str)), None)
    if first is not None and first.tag in _LABEL_TAGS and not (element.text or "").strip():
        label = element_text(first)
        if label.endswith(":") and text.startswith(label):
            return text[len(label) :].strip()
    return text


def _links(element: lxml.html.HtmlElement) -> tuple[str, ...]:
    """The element's own address, else the addresses of the links inside it (a container of documents)."""
    for attribute in ("href", "src", "data"):
        value = str(element.get(attribute) or "").strip()
        if value and value != "#":
            return (value,)
    hrefs = (str(anchor.get("href") or "").strip() for anchor in element.iterfind(".//a[@href]"))
    return tuple(dict.fromkeys(href for href in hrefs if href and href != "#"))


def _snippet(tag: str, raw: str, text: str, link: str | None) -> str:
    """A short reconstruction of the element's opening tag and text (not its whole markup)."""
    href = f' href="{link}"' if link and tag == "a" else ""
    shown = text if len(text) <= 120 else text[:119] + "…"
    return f'<{tag} itemprop="{raw.strip()}"{href}>{shown}</{tag}>'
