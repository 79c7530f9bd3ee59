"""The status of one itemprop rule on one subsection's pages (pure; no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

from checks.microdata import MarkedElement
from checks.results import Evidence, ItemStatus
from checks.rulebook import Rule
from crawler.snapshot import SiteSnapshot

__all__ = ["ItemFinding", "item_status"]

_PLACEHOLDER = re.compile(
    r"^(?:нет данных|н/д|n/a|-+|—+|–+|\.{2,}|…+|\?+|x{3,}|х{3,}|test|тест|todo|заполнить|"
    r"lorem ipsum.*|текст|значение|указать)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ItemFinding:
    """A status with its evidence and, for legacy markup, the name found."""

    status: ItemStatus
    evidence: Evidence
    found_name: str | None = None


def _is_placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.match(value.strip()))


def item_status(rule: Rule, elements: list[MarkedElement], site: SiteSnapshot, page_url: str) -> ItemFinding:
    """Decide present / empty / placeholder / hidden / broken_link / outside_parent / legacy / missing."""
    name = rule.itemprop or ""
    named = [element for element in elements if name in element.tokens]
    if rule.parent is not None:
        inside = [element for element in named if rule.parent in element.ancestor_tokens]
        if not inside and named:
            first = named[0]
            return ItemFinding(
                "outside_parent", Evidence(url=first.page_url, snippet=first.snippet, value=first.value)
            )
        named = inside
    if not named:
        return _missing_or_legacy(rule, elements, page_url)
    visible = [element for element in named if element.visible]
    if not visible:
        return ItemFinding("hidden", _evidence(named))
    filled = [element for element in visible if element.value]
    if not filled:
        return ItemFinding("empty", _evidence(visible))
    real = [element for element in filled if not _is_placeholder(element.text or "")]
    if not real:
        return ItemFinding("placeholder", _evidence(filled))
    linked = [element for element in real if element.link and element.tag == "a"]
    if linked and len(linked) == len(real):
        broken = [element for element in linked if _is_broken(site, element)]
        if len(broken) == len(linked):
            return ItemFinding("broken_link", _evidence(broken))
    return ItemFinding("present", _evidence(real))


def _missing_or_legacy(rule: Rule, elements: list[MarkedElement], page_url: str) -> ItemFinding:
    wanted = (rule.itemprop or "").lower()
    for element in elements:
        for token in element.tokens:
            if token.lower() == wanted:
                evidence = Evidence(
                    url=element.page_url, snippet=element.snippet, value=element.value, count=1
                )
                return ItemFinding("legacy", evidence, found_name=token)
    return ItemFinding("missing", Evidence(url=page_url))


def _is_broken(site: SiteSnapshot, element: MarkedElement) -> bool:
    probe = site.document(urldefrag(urljoin(element.page_url, element.link or "")).url)
    return probe is not None and not probe.ok


def _evidence(elements: list[MarkedElement]) -> Evidence:
    first = elements[0]
    return Evidence(url=first.page_url, snippet=first.snippet, value=first.value, count=len(elements))
