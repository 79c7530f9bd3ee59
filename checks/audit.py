"""Audit one site snapshot against the rules in force: findings, section scores, school score.

`audit_site` is a pure function of (snapshot, rulebook, subject, date): no network, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from checks.accessibility import check_accessibility
from checks.food_check import check_food
from checks.https_check import check_https
from checks.item_status import ItemFinding, item_status
from checks.microdata import MarkedElement, parse_marked_elements
from checks.pos_widget import check_pos_widget
from checks.results import AuditedSchool, Evidence, ExtraCheck, ItemResult, SectionResult
from checks.rulebook import Rule, Rulebook
from checks.scoring import extras_score_of, outcome_of, score_of
from crawler.discovery import same_page
from crawler.links import extract_links
from crawler.snapshot import PageSnapshot, SiteSnapshot

__all__ = ["AuditSubject", "audit_site"]

_MINISTRIES = {"minobrnauki.gov.ru": "Минобрнауки России", "edu.gov.ru": "Минпросвещения России"}


@dataclass(frozen=True)
class AuditSubject:
    """What the registry says about the audited organization."""

    id: str
    name: str
    municipality: str
    kind: str
    url: str | None
    conditions: Mapping[str, bool | None] = field(default_factory=dict)
    #: State or municipal (None: the registry does not say, e.g. `sveden audit URL`).
    public: bool | None = None
    has_primary_grades: bool | None = None
    #: The region's time zone: the local date of the crawl picks the next school day.
    timezone: str = "Europe/Moscow"


def audit_site(
    site: SiteSnapshot, rulebook: Rulebook, subject: AuditSubject, as_of: dt.date, audited_at: str
) -> AuditedSchool:
    """Check `site` against the rules in force on `as_of`."""
    rules = [rule for rule in rulebook.rules_in_force(as_of) if rule.check != "section"]
    checked = site.reachability in ("ok", "no_section")
    sections: list[SectionResult] = []
    if checked:
        for subsection in rulebook.subsections:
            section_rules = [rule for rule in rules if rule.subsection == subsection.key]
            if section_rules:
                sections.append(
                    _section_result(site, subsection.key, subsection.title, section_rules, subject)
                )
    section_checks = _section_checks(site, rulebook, as_of) if checked else []
    extras = _extras(site, subject, as_of)
    school = AuditedSchool(
        id=subject.id,
        name=subject.name,
        municipality=subject.municipality,
        kind=subject.kind,
        url=subject.url,
        audited_at=audited_at,
        rules_as_of=as_of.isoformat(),
        reachability=site.reachability,
        reachability_detail=site.reachability_detail,
        score=None,
        sections=tuple(sections),
        section_checks=tuple(section_checks),
        extras=extras,
        extras_score=extras_score_of(extras),
    )
    if not checked:
        return school
    return school.model_copy(update={"score": score_of(school.all_items(), rulebook)})


def _applies(rule: Rule, subject: AuditSubject) -> bool:
    if not rule.applies_to_kind(subject.kind):
        return False
    return rule.condition is None or subject.conditions.get(rule.condition) is not False


def _section_result(
    site: SiteSnapshot, key: str, title: str, rules: list[Rule], subject: AuditSubject
) -> SectionResult:
    found = site.subsection(key)
    elements: list[MarkedElement] = []
    if found is not None:
        for page in found.pages:
            elements.extend(parse_marked_elements(page.body, page.final_url))
    page_url = found.url if found is not None else None
    items: list[ItemResult] = []
    for rule in rules:
        if not _applies(rule, subject):
            finding = ItemFinding("not_applicable", Evidence(url=page_url))
        elif rule.check == "subsection_page":
            finding = ItemFinding("present" if found else "missing", Evidence(url=page_url))
        elif found is None:
            finding = ItemFinding("missing", Evidence())
        else:
            finding = item_status(rule, elements, site, found.url)
        items.append(_item(rule, finding))
    scored = [item for item in items if item.outcome in ("pass", "fail")]
    return SectionResult(
        key=key,
        title=title,
        url=page_url,
        found_by=found.found_by if found is not None else "none",
        score=round(100.0 * sum(i.outcome == "pass" for i in scored) / len(scored), 1) if scored else None,
        items=tuple(items),
    )


def _item(rule: Rule, finding: ItemFinding) -> ItemResult:
    hint = rule.hint
    if finding.status == "legacy" and finding.found_name:
        hint = (
            f"Устаревшая разметка: переименуйте itemprop=«{finding.found_name}» в «{rule.itemprop}». {hint}"
        )
    elif finding.status == "outside_parent":
        hint = f"Элемент размечен вне элемента itemprop=«{rule.parent}»: перенесите его внутрь. {hint}"
    return ItemResult(
        code=rule.code,
        title=rule.title,
        itemprop=rule.itemprop,
        parent=rule.parent,
        status=finding.status,
        outcome=outcome_of(rule, finding.status),
        evidence=finding.evidence,
        hint=hint,
    )


def _section_pages(site: SiteSnapshot) -> list[PageSnapshot]:
    pages = [site.section.page] if site.section is not None else []
    pages.extend(sub.pages[0] for sub in site.subsections)
    return pages


_NO_SECTION_PAGES = ItemFinding("not_checked", Evidence(value="раздел не найден: нет страниц для проверки"))


def _section_link_check(in_menu: bool) -> Callable[[SiteSnapshot], ItemFinding]:
    """Order 1493 p.3: the section is reachable from the home page (and from its main menu)."""

    def check(site: SiteSnapshot) -> ItemFinding:
        home_url = site.home.final_url if site.home else None
        if site.section is None:
            return ItemFinding("missing", Evidence(url=home_url))
        linked = site.section.linked_from_menu if in_menu else site.section.linked_from_home
        return ItemFinding("present" if linked else "missing", Evidence(url=home_url, value=site.section.url))

    return check


def _check_navigation(site: SiteSnapshot) -> ItemFinding:
    """Every subsection page links back to the section index or to all other found subsections."""
    if site.section is None:
        return _NO_SECTION_PAGES
    others = [sub.url for sub in site.subsections]
    lacking: list[str] = []
    for sub in site.subsections:
        targets = [link.url for link in extract_links(sub.pages[0].body, sub.url)]
        to_index = any(same_page(url, site.section.url) for url in targets)
        to_all = all(any(same_page(url, other) for url in targets) for other in others if other != sub.url)
        if not (to_index or to_all):
            lacking.append(sub.url)
    if lacking:
        return ItemFinding(
            "missing",
            Evidence(url=lacking[0], value=f"без общей навигации: {len(lacking)} стр.", count=len(lacking)),
        )
    return ItemFinding("present", Evidence(url=site.section.url, count=len(site.subsections)))


def _check_no_registration(site: SiteSnapshot) -> ItemFinding:
    for page in _section_pages(site):
        if page.status in (401, 403) or 'type="password"' in page.body.lower():
            return ItemFinding("missing", Evidence(url=page.final_url, value=f"HTTP {page.status}"))
    if site.section is None:
        return _NO_SECTION_PAGES
    return ItemFinding("present", Evidence(url=site.section.url))


_SECTION_CHECKS: dict[str, Callable[[SiteSnapshot], ItemFinding]] = {
    "SV-SECTION-MAINPAGE-LINK": _section_link_check(in_menu=False),
    "SV-SECTION-MENU-LINK": _section_link_check(in_menu=True),
    "SV-SECTION-NAVIGATION": _check_navigation,
    "SV-SECTION-NO-REGISTRATION": _check_no_registration,
}


def _section_checks(site: SiteSnapshot, rulebook: Rulebook, as_of: dt.date) -> list[ItemResult]:
    return [
        _item(rule, _SECTION_CHECKS[rule.code](site))
        for rule in rulebook.rules_in_force(as_of)
        if rule.check == "section" and rule.code in _SECTION_CHECKS
    ]


def _crawl_day(site: SiteSnapshot, timezone: str) -> dt.date:
    """The local date of the crawl in the region's time zone."""
    return dt.datetime.fromisoformat(site.fetched_at).astimezone(ZoneInfo(timezone)).date()


def _ministries_links(site: SiteSnapshot) -> ExtraCheck:
    assert site.home is not None
    hosts = {
        (urlsplit(link.url).hostname or "").removeprefix("www.")
        for page in [site.home, *_section_pages(site)]
        for link in extract_links(page.body, page.final_url)
    }
    missing = [name for host, name in _MINISTRIES.items() if host not in hosts]
    return ExtraCheck(
        outcome="fail" if missing else "pass",
        basis="law",
        title="Ссылки на сайты Минобрнауки и Минпросвещения",
        detail=("нет ссылок на официальные сайты: " + ", ".join(missing))
        if missing
        else "есть ссылки на официальные сайты Минобрнауки и Минпросвещения",
        legal_ref="ПП РФ от 20.10.2021 № 1802, п. 17",
        url=site.home.final_url,
    )


def _extras(site: SiteSnapshot, subject: AuditSubject, as_of: dt.date) -> dict[str, ExtraCheck]:
    """The checks outside order 1493's items, when the home page answered."""
    if site.home is None or not site.home.ok:
        return {}
    return {
        "https": check_https(site.https),
        "ministries_links": _ministries_links(site),
        "food": check_food(site.food, subject, _crawl_day(site, subject.timezone)),
        "accessibility": check_accessibility([site.home, *_all_section_pages(site)], subject.public, as_of),
        "pos_widget": check_pos_widget(site.home),
    }


def _all_section_pages(site: SiteSnapshot) -> list[PageSnapshot]:
    """The section index and every page of every subsection (addRef pages included)."""
    pages = [site.section.page] if site.section is not None else []
    pages.extend(page for sub in site.subsections for page in sub.pages)
    return pages
