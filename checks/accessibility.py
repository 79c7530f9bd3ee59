"""Accessibility signals of ПП РФ № 102 (07.02.2026) that can be read from HTML.

Over the home page and the section's pages: a page language set to Russian, a non-empty
``<title>``, text alternatives of images (``alt=""`` marks a decorative image and is allowed,
as are images hidden from assistive technology) and labels of form fields (``<label for>``,
a wrapping ``<label>``, ``aria-label``, ``aria-labelledby`` or ``title``). The rest of ПП 102
(keyboard, zoom, contrast, documents) needs a browser or the files, and is not judged here.
In force from 01.03.2026 for state and municipal organizations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from checks.parsed_page import ParsedPage
from checks.results import ExtraCheck, Outcome

__all__ = [
    "ACCESSIBILITY_FROM",
    "ACCESSIBILITY_LEGAL_REF",
    "ACCESSIBILITY_TITLE",
    "PageSignals",
    "check_accessibility",
    "page_signals",
]

ACCESSIBILITY_TITLE = "Доступность для людей с инвалидностью (признаки в HTML)"
ACCESSIBILITY_FROM = dt.date(2026, 3, 1)
ACCESSIBILITY_LEGAL_REF = (
    "ПП РФ от 07.02.2026 № 102 (с 01.03.2026, для государственных и муниципальных организаций): "
    "подп. «а» — совместимость с программами экранного доступа (язык страницы), «г» — текстовые "
    "альтернативы изображений, «е» — заголовки страниц, «м» — подписи полей форм."
)
#: Offending pages named in the detail, per signal.
_SHOWN_URLS = 3
_UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass(frozen=True)
class PageSignals:
    """The readable accessibility signals of one page."""

    url: str
    lang: str | None
    has_title: bool
    images_without_alt: int
    unlabelled_fields: int

    @property
    def russian(self) -> bool:
        """The page declares Russian (``ru``, ``ru-RU`` …) as its language."""
        return (self.lang or "").strip().lower().split("-")[0] == "ru"


def _labelled(field: etree._Element, label_targets: set[str]) -> bool:
    if field.get("id") and field.get("id") in label_targets:
        return True
    if any(ancestor.tag == "label" for ancestor in field.iterancestors()):
        return True
    return any((field.get(name) or "").strip() for name in ("aria-label", "aria-labelledby", "title"))


def _decorative(image: etree._Element) -> bool:
    return image.get("aria-hidden") == "true" or image.get("role") in ("presentation", "none")


def page_signals(page: ParsedPage) -> PageSignals:
    """Read the signals of one parsed page."""
    root = page.root
    if root is None:
        return PageSignals(page.url, None, False, 0, 0)
    html = root if root.tag == "html" else root.getroottree().getroot()
    title: etree._Element | None = None
    images_without_alt = 0
    label_targets: set[str] = set()
    fields: list[etree._Element] = []
    for element in root.iter("title", "img", "label", "input", "select", "textarea"):  # one walk
        if element.tag == "title":
            title = element if title is None else title
        elif element.tag == "img":
            images_without_alt += element.get("alt") is None and not _decorative(element)
        elif element.tag == "label":
            label_targets.add(element.get("for") or "")
        elif element.tag != "input" or (element.get("type") or "text").lower() not in _UNLABELLED_INPUT_TYPES:
            fields.append(element)
    return PageSignals(
        url=page.url,
        lang=html.get("lang") or html.get("xml:lang"),
        has_title=title is not None and bool((title.text or "").strip()),
        images_without_alt=images_without_alt,
        unlabelled_fields=sum(not _labelled(field, label_targets) for field in fields),
    )


def _listed(urls: Sequence[str]) -> str:
    shown = ", ".join(urls[:_SHOWN_URLS])
    return shown + (f" и ещё {len(urls) - _SHOWN_URLS}" if len(urls) > _SHOWN_URLS else "")


def check_accessibility(pages: Sequence[ParsedPage], public: bool | None, as_of: dt.date) -> ExtraCheck:
    """Judge the signals over `pages` (home page first) on `as_of`."""

    def result(outcome: Outcome, detail: str) -> ExtraCheck:
        return ExtraCheck(
            outcome=outcome,
            basis="law",
            title=ACCESSIBILITY_TITLE,
            detail=detail,
            legal_ref=ACCESSIBILITY_LEGAL_REF,
            url=pages[0].url if pages else None,
        )

    if as_of < ACCESSIBILITY_FROM:
        return result("not_applicable", "требования ПП РФ № 102 действуют с 01.03.2026")
    if public is False:
        return result(
            "not_applicable", "ПП РФ № 102 обязателен для государственных и муниципальных организаций"
        )
    signals = [page_signals(page) for page in pages if page.page.ok]
    if not signals:
        return result("not_checked", "нет загруженных страниц")
    no_lang = [s.url for s in signals if not s.russian]
    no_title = [s.url for s in signals if not s.has_title]
    images = [s for s in signals if s.images_without_alt]
    fields = [s for s in signals if s.unlabelled_fields]
    problems: list[str] = []
    if no_lang:
        problems.append(
            f'не указан русский язык страницы (<html lang="ru">): {len(no_lang)} стр. — {_listed(no_lang)}'
        )
    if no_title:
        problems.append(f"пустой или отсутствующий <title>: {len(no_title)} стр. — {_listed(no_title)}")
    if images:
        count = sum(s.images_without_alt for s in images)
        problems.append(
            f"изображения без атрибута alt: {count} на {len(images)} стр. — "
            f"{_listed([s.url for s in images])}"
        )
    if fields:
        count = sum(s.unlabelled_fields for s in fields)
        problems.append(
            f"поля форм без подписи (label, aria-label): {count} на {len(fields)} стр. — "
            f"{_listed([s.url for s in fields])}"
        )
    checked = f"проверено страниц: {len(signals)}"
    if problems:
        return result("fail", f"{'; '.join(problems)} ({checked})")
    return result(
        "pass",
        f"язык страниц, заголовки, alt у изображений и подписи полей форм в порядке ({checked}); "
        "клавиатура, масштаб и контраст здесь не проверяются",
    )
