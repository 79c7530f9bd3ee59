"""The webmaster's report in Russian: what is wrong, where, and the exact fix (pure renderer)."""

from __future__ import annotations

from checks.results import AuditedSchool, ExtraCheck, ItemResult, LegacyMarkup
from checks.rulebook import Rulebook

__all__ = ["BASIS_LABELS", "render_report"]

_REACHABILITY = {
    "unreachable": "сайт недоступен",
    "tls_error": "ошибка сертификата HTTPS",
    "blocked_by_robots": "проверка запрещена robots.txt",
    "refused_private_address": (
        "адрес во внутренней сети: проверка запрещена (для своего сервера: --allow-private)"
    ),
    "no_url": "адрес сайта не указан",
    "no_section": "раздел «Сведения об образовательной организации» не найден",
}
_OUTCOME = {"fail": "НАРУШЕНИЕ", "warn": "ВНИМАНИЕ"}
_EXTRA_OUTCOME = {
    **_OUTCOME,
    "pass": "выполнено",
    "not_applicable": "не применяется",
    "not_checked": "не проверено",
}
#: How sure the basis of an extra check is, as the reader must see it.
BASIS_LABELS = {"law": "закон", "recommendation": "рекомендация", "practice": "сложившаяся практика"}
_STATUS = {
    "empty": "пустое значение",
    "placeholder": "заглушка вместо значения",
    "legacy": "устаревшее имя атрибута",
    "misplaced": "размещено в другом подразделе",
    "outside_parent": "вне родительского элемента",
    "hidden": "скрыто от посетителей",
    "present_without_markup": "есть, но без разметки",
    "missing": "не найдено",
    "broken_link": "ссылка не открывается",
}


def _item_lines(item: ItemResult, rulebook: Rulebook) -> list[str]:
    status = _STATUS.get(item.status, item.status)
    lines = [f"  [{_OUTCOME[item.outcome]}] {item.title} ({item.code}): {status}"]
    if item.evidence.url:
        where = f" (строка {item.evidence.line})" if item.evidence.line else ""
        lines.append(f"      где: {item.evidence.url}{where}")
    if item.evidence.value:
        lines.append(f"      найдено: {item.evidence.value[:160]}")
    if item.evidence.detail:
        lines.append(f"      подробнее: {item.evidence.detail[:200]}")
    lines.append(f"      как исправить: {item.hint}")
    lines.extend(f"        {line}" for line in item.fix.splitlines())
    rule = rulebook.by_code.get(item.code)
    if rule is not None:
        lines.append(f"      основание: {rule.legal_ref}")
    if not item.scored:
        lines.append("      (не входит в балл)")
    return lines


def _legacy_lines(legacy: tuple[LegacyMarkup, ...]) -> list[str]:
    lines: list[str] = []
    for markup in legacy:
        instead = f"; используйте {', '.join(markup.replacement)}" if markup.replacement else ""
        lines.append(f'  [ВНИМАНИЕ] устаревшая разметка itemprop="{markup.itemprop}" ({markup.count} шт.)')
        lines.append(f"      {markup.note}{instead}")
    return lines


def render_report(school: AuditedSchool, rulebook: Rulebook) -> str:
    """A plain-text report grouped by subsection, failures first within each group."""
    lines = [f"Проверка сайта {school.url} на {school.rules_as_of} (правила в редакции на эту дату)"]
    if school.reachability not in ("ok", "no_section"):
        detail = f" ({school.reachability_detail})" if school.reachability_detail else ""
        lines.append(
            f"Проверить не удалось: {_REACHABILITY.get(school.reachability, school.reachability)}{detail}"
        )
        return "\n".join(lines) + "\n"
    if school.reachability == "no_section":
        lines.append(_REACHABILITY["no_section"])
    score = "—" if school.score is None else f"{school.score:.1f}"
    lines.append(f"Балл: {score} из 100; нарушений: {len(school.failing_items())}")
    groups: list[tuple[str, str | None, tuple[ItemResult, ...], tuple[LegacyMarkup, ...]]] = [
        ("Раздел в целом", None, school.section_checks, ())
    ]
    groups.extend(
        (section.title, section.url, section.items, section.legacy_markup) for section in school.sections
    )
    for title, url, items, legacy in groups:
        flagged = sorted(
            (item for item in items if item.outcome in _OUTCOME), key=lambda item: item.outcome != "fail"
        )
        if not flagged and not legacy:
            continue
        lines.append("")
        lines.append(f"{title}" + (f" — {url}" if url else ""))
        for item in flagged:
            lines.extend(_item_lines(item, rulebook))
        lines.extend(_legacy_lines(legacy))
    if len(lines) == 2:
        lines.append("Нарушений не найдено.")
    if school.extras:
        lines.extend(_extras_lines(school))
    return "\n".join(lines) + "\n"


def _extras_lines(school: AuditedSchool) -> list[str]:
    score = "—" if school.extras_score is None else f"{school.extras_score:.1f}"
    lines = ["", f"Дополнительные проверки (не входят в балл по приказу № 1493): {score} из 100"]
    for key, extra in school.extras.items():
        lines.extend(_extra_lines(key, extra))
    return lines


def _extra_lines(key: str, extra: ExtraCheck) -> list[str]:
    outcome, basis = _EXTRA_OUTCOME[extra.outcome], BASIS_LABELS[extra.basis]
    lines = [f"  [{outcome}] {extra.title or key} ({basis}): {extra.detail}"]
    if extra.outcome in _OUTCOME and extra.legal_ref:
        lines.append(f"      основание: {extra.legal_ref}")
    return lines
