"""The status of one itemprop rule on one subsection's pages (pure; no I/O).

Order of questions: is the exact name there (inside its parent, for a child)? If not: is an
outdated name there (legacy), is the exact name on another subsection's page (misplaced), or
is the information printed without markup (present_without_markup)? If it is there: visible,
filled, not a placeholder, a legitimate «отсутствует», and — for links — a working document?
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from checks.documents import DocumentVerdict
from checks.microdata import MarkedElement
from checks.results import Evidence, ItemStatus
from checks.rulebook import Rule
from checks.text_fallback import TextLine, find_labelled_value
from checks.vocabulary import Vocabulary
from crawler.links import resolve_href
from crawler.snapshot import DocumentProbe

__all__ = ["ItemContext", "ItemFinding", "item_status"]

_PLACEHOLDER = re.compile(
    r"^(?:нет данных|н/д|n/a|-+|—+|–+|\.{2,}|…+|\?+|x{3,}|х{3,}|test\w*|тест\w*|todo|заполнить|"
    r"lorem ipsum.*|\(?текст\)?|значение|указать|данные обновляются|дд\.мм\.гггг|"
    r"\(?0{3}\)? ?0{3}-0{2}-0{2}|адрес ?1.*)$",
    re.IGNORECASE,
)
_DECLARED_ABSENT = re.compile(
    r"^(?:0|нет|не предусмотрен\w*|не имеется|не осуществляется)\.?$|отсутству|^нет\s", re.IGNORECASE
)


#: Longer text is a row or a paragraph of facts, not a statement that something is absent.
_SHORT_VALUE = 120
_ABSENT_NOT_ALLOWED = "значение «нет»/«отсутствует» не подходит: эти сведения обязательны"


@dataclass(frozen=True)
class ItemFinding:
    """A status with its evidence; for legacy markup, the name found."""

    status: ItemStatus
    evidence: Evidence
    found_name: str | None = None


@dataclass(frozen=True)
class ItemContext:
    """What one subsection offers the checks: its elements and text, the rest of the section.

    ``by_token`` indexes the subsection's elements by itemprop token; ``lines`` reads the
    pages' text (only needed, and so only computed, for unmarked items); ``section_tokens``
    indexes every subsection's elements, for spotting misplaced ones.
    """

    subsection: str
    page_url: str
    elements: Sequence[MarkedElement]
    by_token: Mapping[str, Sequence[MarkedElement]]
    lines: Callable[[], Sequence[TextLine]]
    vocabulary: Vocabulary
    documents: Mapping[str, DocumentProbe]
    judge: Callable[[DocumentProbe, bool], DocumentVerdict]
    section_tokens: Mapping[str, Mapping[str, Sequence[MarkedElement]]]


def is_placeholder(value: str) -> bool:
    """Whether a value is template filler («нет данных», «-», «дд.мм.гггг», lorem ipsum …)."""
    return bool(_PLACEHOLDER.match(value.strip()))


def declares_absent(value: str) -> bool:
    """Whether a short value says the thing does not exist («отсутствует», «нет», «не предусмотрено», «0»)."""
    value = value.strip()
    return len(value) <= _SHORT_VALUE and bool(_DECLARED_ABSENT.search(value))


def item_status(rule: Rule, context: ItemContext) -> ItemFinding:
    """Decide the status of `rule` from the subsection's marked elements and text."""
    name = rule.itemprop or ""
    named = list(context.by_token.get(name, ()))
    parent = rule.parent
    if parent is not None:
        inside = [element for element in named if parent in element.ancestor_tokens]
        if named and not inside:
            return ItemFinding("outside_parent", _evidence(named))
        named = inside
    if not named:
        return _not_marked(rule, context)
    visible = [element for element in named if element.visible]
    if not visible:
        return ItemFinding("hidden", _evidence(named))
    filled = [element for element in visible if element.text or element.links]
    if not filled:
        return ItemFinding("empty", _evidence(visible))
    real = [element for element in filled if not (element.text and is_placeholder(element.text))]
    if not real:
        return ItemFinding("placeholder", _evidence(filled))
    if not rule.allows_absent and all(element.text and declares_absent(element.text) for element in real):
        return ItemFinding("placeholder", _evidence(real, _ABSENT_NOT_ALLOWED))
    return _links_status(rule, real, context.documents, context.judge)


def _not_marked(rule: Rule, context: ItemContext) -> ItemFinding:
    legacy = _legacy_element(rule, context)
    if legacy is not None:
        element, token = legacy
        return ItemFinding("legacy", _evidence([element]), found_name=token)
    if rule.parent is None:
        for subsection, by_token in context.section_tokens.items():
            misplaced = list(by_token.get(rule.itemprop or "", ()))
            if subsection != context.subsection and misplaced:
                detail = f"размечено в подразделе «{subsection}», а должно быть здесь"
                return ItemFinding("misplaced", _evidence(misplaced, detail))
    if rule.labels:
        found = find_labelled_value(context.lines(), rule.labels)
        if found is not None:
            line, value = found
            evidence = Evidence(url=context.page_url, snippet=line[:200], value=value, count=1)
            return ItemFinding("present_without_markup", evidence)
    return ItemFinding("missing", Evidence(url=context.page_url))


def _legacy_element(rule: Rule, context: ItemContext) -> tuple[MarkedElement, str] | None:
    """An element whose outdated name stands for the rule's itemprop (in its parent, for a child)."""
    for token, elements in context.by_token.items():
        meaning = context.vocabulary.meaning(token, context.subsection)
        if meaning.kind != "legacy" or rule.itemprop not in meaning.current:
            continue
        for element in elements:
            if rule.parent is None or _has_parent(element, rule.parent, context):
                return element, token
    return None


def _has_parent(element: MarkedElement, parent: str, context: ItemContext) -> bool:
    return any(
        parent in context.vocabulary.meaning(token, context.subsection).current
        for token in element.ancestor_tokens
    )


def _links_status(
    rule: Rule,
    real: list[MarkedElement],
    documents: Mapping[str, DocumentProbe],
    verdicts: Callable[[DocumentProbe, bool], DocumentVerdict],
) -> ItemFinding:
    """Present, unless every linked document of the item is broken, closed or not a document."""
    expect_document = (rule.itemprop or "").endswith("DocLink")
    problems: list[tuple[MarkedElement, str]] = []
    descriptions: list[str] = []
    probed = 0
    for element in real:
        if not element.links or _declares(element):
            continue
        for link in element.links:
            probe = documents.get(resolve_href(element.page_url, link))
            if probe is None:
                continue
            probed += 1
            verdict = verdicts(probe, expect_document)
            if verdict.problem is None:
                descriptions.append(verdict.description)
            else:
                problems.append((element, f"{link}: {verdict.problem}"))
    if probed and len(problems) == probed:
        return ItemFinding("broken_link", _evidence([item for item, _ in problems], problems[0][1]))
    detail = None
    if problems:
        detail = f"не открываются {len(problems)} из {probed} ссылок; {problems[0][1]}"
    elif descriptions:
        detail = "; ".join(dict.fromkeys(descriptions))
    return ItemFinding("present", _evidence(real, detail))


def _declares(element: MarkedElement) -> bool:
    return bool(element.text) and declares_absent(element.text) and element.tag != "a"


def _evidence(elements: list[MarkedElement], detail: str | None = None) -> Evidence:
    first = elements[0]
    return Evidence(
        url=first.page_url,
        line=first.line,
        snippet=first.snippet,
        value=first.value,
        count=len(elements),
        detail=detail,
    )
