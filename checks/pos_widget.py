"""The Gosuslugi «Платформа обратной связи» (ПОС) widget on the home page.

The embed, as published by the platform: ``<script src="https://pos.gosuslugi.ru/bin/script.min.js">``,
a container ``#js-show-iframe-wrapper`` and an inline ``Widget("https://pos.gosuslugi.ru/form", <id>)``.
Sites without the script often link the form itself (``https://pos.gosuslugi.ru/form/…``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from checks.parsed_page import ParsedPage
from checks.results import ExtraCheck, Outcome

__all__ = ["POS_LEGAL_REF", "POS_TITLE", "PosEmbed", "check_pos_widget", "find_pos_embed"]

POS_TITLE = "Виджет «Платформа обратной связи» (Госуслуги)"
POS_LEGAL_REF = (
    "Сложившаяся практика: платформа обратной связи работает по ПП РФ от 10.11.2020 № 1802 "
    "(эксперимент по приёму обращений через Госуслуги); федеральная обязанность школ размещать "
    "виджет на своём сайте не подтверждена — обычно его требуют региональные органы власти."
)
_POS_HOST = "pos.gosuslugi.ru"
_WIDGET_CALL = re.compile(r"""Widget\(\s*["']https://pos\.gosuslugi\.ru/form/?["']\s*,\s*["']?(\d+)""")


@dataclass(frozen=True)
class PosEmbed:
    """What of the ПОС embed a page carries."""

    script: bool
    widget_id: str | None
    wrapper: bool
    form_link: bool


def _is_pos(url: str, path_prefix: str) -> bool:
    parts = urlsplit(url.strip() if url.startswith(("http:", "https:")) else "https:" + url.strip())
    return parts.hostname == _POS_HOST and parts.path.startswith(path_prefix)


def find_pos_embed(root: etree._Element | None) -> PosEmbed:
    """The ПОС parts found in a parsed page."""
    if root is None:
        return PosEmbed(script=False, widget_id=None, wrapper=False, form_link=False)
    scripts = list(root.iter("script"))
    script = any(_is_pos(tag.get("src") or "", "/bin/script") for tag in scripts)
    calls = (_WIDGET_CALL.search(tag.text or "") for tag in scripts)
    widget_id = next((call.group(1) for call in calls if call), None)
    wrapper = bool(root.xpath("//*[@id='js-show-iframe-wrapper']"))
    targets = [tag.get("href") or "" for tag in root.iter("a")] + [
        tag.get("src") or "" for tag in root.iter("iframe")
    ]
    form_link = any(_is_pos(target, "/form") for target in targets if target)
    return PosEmbed(script=script, widget_id=widget_id, wrapper=wrapper, form_link=form_link)


def check_pos_widget(home: ParsedPage) -> ExtraCheck:
    """Pass: the script and its ``Widget(…)`` call; warn: parts of it or only a link; fail: nothing."""
    embed = find_pos_embed(home.root)

    def result(outcome: Outcome, detail: str) -> ExtraCheck:
        return ExtraCheck(
            outcome=outcome,
            basis="practice",
            title=POS_TITLE,
            detail=detail,
            legal_ref=POS_LEGAL_REF,
            url=home.url,
        )

    if embed.script and embed.widget_id:
        return result("pass", f"на главной странице встроен виджет ПОС (номер формы {embed.widget_id})")
    if embed.script or embed.wrapper or embed.widget_id:
        return result(
            "warn",
            "виджет ПОС встроен не полностью: нужен скрипт https://pos.gosuslugi.ru/bin/script.min.js "
            'и вызов Widget("https://pos.gosuslugi.ru/form", номер)',
        )
    if embed.form_link:
        return result("warn", "на главной странице есть ссылка на форму ПОС, но виджет не встроен")
    return result(
        "fail",
        "на главной странице нет виджета «Платформа обратной связи» (скрипт pos.gosuslugi.ru не найден). "
        "Федеральная обязанность его размещать не подтверждена.",
    )
