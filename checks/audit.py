"""Audit one site snapshot against the rules in force: findings, section scores, school score.

`audit_site` is a pure function of (snapshot, rulebook, subject, date): no network, no clock.
Every page is parsed once per audit (`ParsedPage`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from checks.accessibility import check_accessibility
from checks.documents import DocumentVerdict, judge_document
from checks.fix_snippet import fix_snippet
from checks.food_check import check_food
from checks.https_check import check_https
from checks.item_status import ItemContext, ItemFinding, item_status
from checks.microdata import MarkedElement
from checks.page_inventory import inventory_of
from checks.parsed_page import ParsedPage
from checks.pos_widget import check_pos_widget
from checks.results import AuditedSchool, Evidence, ExtraCheck, ItemResult, LegacyMarkup, SectionResult
from checks.rulebook import Rule, Rulebook
from checks.scoring import counts_in_score, extras_score_of, outcome_of, score_of
from checks.text_fallback import TextLine
from checks.vocabulary import Vocabulary
from crawler.discovery import page_key
from crawler.snapshot import DocumentProbe, PageSnapshot, SiteSnapshot, SubsectionSnapshot

__all__ = ["AuditSubject", "audit_site"]

_MINISTRIES = {"minobrnauki.gov.ru": "Минобрнауки России", "edu.gov.ru": "Минпросвещения России"}
_ABSENT_HINT = (
    "Если этого у организации нет, методические рекомендации просят оставить элемент с текстом "
    "«отсутствует»; укажите в реестре, что условие не выполняется, чтобы пункт не проверялся. "
)


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


class _Pages:
    """Each page of the snapshot parsed once, on first use, and what is derived from it."""

    def __init__(self, site: SiteSnapshot) -> None:
        self._parsed: dict[int, ParsedPage] = {}
        self._page_keys: dict[str, tuple[str, str, str]] = {}
        self._verdicts: dict[tuple[str, bool], DocumentVerdict] = {}
        self.by_subsection = {sub.key: self._subsection_elements(sub) for sub in site.subsections}
        self.by_token = {key: _index(elements) for key, elements in self.by_subsection.items()}
        self.documents = {document.url: document for document in site.documents}

    def get(self, page: PageSnapshot) -> ParsedPage:
        key = id(page)
        if key not in self._parsed:
            self._parsed[key] = ParsedPage(page)
        return self._parsed[key]

    def _subsection_elements(self, subsection: SubsectionSnapshot) -> list[MarkedElement]:
        return [element for page in subsection.pages for element in self.get(page).elements]

    def lines(self, subsection: SubsectionSnapshot) -> list[TextLine]:
        return [line for page in subsection.pages for line in self.get(page).lines]

    def judge(self, probe: DocumentProbe, expect_document: bool) -> DocumentVerdict:
        """`judge_document`, once per document (items of a subsection share documents)."""
        key = (probe.url, expect_document)
        if key not in self._verdicts:
            self._verdicts[key] = judge_document(probe, expect_document)
        return self._verdicts[key]

    def page_key(self, url: str) -> tuple[str, str, str]:
        """The identity of the page an address names (see `crawler.discovery.page_key`)."""
        if url not in self._page_keys:
            self._page_keys[url] = page_key(url)
        return self._page_keys[url]

    def linked_pages(self, page: PageSnapshot) -> set[tuple[str, str, str]]:
        """The identities of the pages a page links to."""
        return {self.page_key(url) for url in self.get(page).link_urls}


def _index(elements: list[MarkedElement]) -> dict[str, list[MarkedElement]]:
    """Elements by each of their tokens."""
    index: dict[str, list[MarkedElement]] = {}
    for element in elements:
        for token in element.tokens:
            index.setdefault(token, []).append(element)
    return index


@dataclass(frozen=True)
class _Audit:
    site: SiteSnapshot
    rulebook: Rulebook
    subject: AuditSubject
    vocabulary: Vocabulary
    pages: _Pages


def audit_site(
    site: SiteSnapshot, rulebook: Rulebook, subject: AuditSubject, as_of: dt.date, audited_at: str
) -> AuditedSchool:
    """Check `site` against the rules in force on `as_of`."""
    by_subsection: dict[str | None, list[Rule]] = {}
    for rule in rulebook.rules_in_force(as_of):
        if rule.check != "section":
            by_subsection.setdefault(rule.subsection, []).append(rule)
    checked = site.reachability in ("ok", "no_section")
    audit = _Audit(site, rulebook, subject, rulebook.vocabulary, _Pages(site))
    sections: list[SectionResult] = []
    if checked:
        for subsection in rulebook.subsections:
            section_rules = by_subsection.get(subsection.key)
            if section_rules:
                sections.append(_section_result(audit, subsection.key, subsection.title, section_rules))
    section_checks = _section_checks(audit, as_of) if checked else []
    extras = _extras(audit, as_of)
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


def _condition_holds(rule: Rule, subject: AuditSubject) -> bool | None:
    return None if rule.condition is None else subject.conditions.get(rule.condition)


def _applies(rule: Rule, subject: AuditSubject) -> bool:
    return rule.applies_to_kind(subject.kind) and _condition_holds(rule, subject) is not False


def _section_result(audit: _Audit, key: str, title: str, rules: list[Rule]) -> SectionResult:
    site, pages = audit.site, audit.pages
    found = site.subsection(key)
    page_url = found.url if found is not None else None
    context = ItemContext(
        subsection=key,
        page_url=page_url or "",
        elements=pages.by_subsection.get(key, []),
        by_token=pages.by_token.get(key, {}),
        lines=(lambda: pages.lines(found)) if found is not None else list,
        vocabulary=audit.vocabulary,
        documents=pages.documents,
        judge=pages.judge,
        section_tokens=pages.by_token,
    )
    items: list[ItemResult] = []
    for rule in rules:
        if not _applies(rule, audit.subject):
            finding = ItemFinding("not_applicable", Evidence(url=page_url))
        elif rule.check == "subsection_page":
            finding = ItemFinding("present" if found else "missing", Evidence(url=page_url))
        elif found is None:
            finding = ItemFinding("missing", Evidence())
        else:
            finding = item_status(rule, context)
        items.append(_item(audit, rule, finding, key))
    return SectionResult(
        key=key,
        title=title,
        url=page_url,
        found_by=found.found_by if found is not None else "none",
        score=score_of(items, audit.rulebook),
        items=tuple(items),
        legacy_markup=_legacy_markup(audit, key, context.elements),
    )


def _legacy_markup(audit: _Audit, key: str, elements: Sequence[MarkedElement]) -> tuple[LegacyMarkup, ...]:
    """Outdated names on the subsection's pages that no current rule claims (``workTimeFil``)."""
    tokens = audit.pages.by_token.get(key, {})
    if all(audit.vocabulary.meaning(token, key).kind != "legacy" for token in tokens):
        return ()
    wanted = audit.vocabulary.names(key)
    inventory = inventory_of(elements, audit.vocabulary, key)
    return tuple(
        LegacyMarkup(
            itemprop=token,
            count=count,
            replacement=inventory.replacements[token],
            note=inventory.notes[token],
            url=inventory.first_urls[token],
        )
        for token, count in inventory.legacy.items()
        if not set(inventory.replacements[token]) & wanted
    )


def _item(audit: _Audit, rule: Rule, finding: ItemFinding, subsection: str | None) -> ItemResult:
    holds = _condition_holds(rule, audit.subject)
    scored = counts_in_score(rule, holds) and finding.status != "not_applicable"
    replacement: tuple[str, ...] = ()
    hint = rule.hint
    if finding.status == "legacy" and finding.found_name:
        replacement = audit.vocabulary.meaning(finding.found_name, subsection).current
        names = " и ".join(f"«{name}»" for name in replacement) or f"«{rule.itemprop}»"
        hint = f"Устаревшая разметка: переименуйте itemprop=«{finding.found_name}» в {names}. {hint}"
    elif finding.status == "outside_parent":
        hint = f"Элемент размечен вне элемента itemprop=«{rule.parent}»: перенесите его внутрь. {hint}"
    elif finding.status == "present_without_markup":
        hint = (
            "Сведения на странице есть, но без микроразметки: "
            f"добавьте атрибут itemprop=«{rule.itemprop}». {hint}"
        )
    elif finding.status == "hidden":
        hint = (
            "Сведения размечены, но скрыты от посетителей: "
            f"сделайте их видимыми (приказ № 1493, п. 27). {hint}"
        )
    elif finding.status == "misplaced":
        hint = f"Сведения размечены в другом подразделе: перенесите их на эту страницу. {hint}"
    if rule.condition is not None and holds is None and finding.status not in ("present", "not_applicable"):
        hint = _ABSENT_HINT + hint
    return ItemResult(
        code=rule.code,
        title=rule.title,
        itemprop=rule.itemprop,
        parent=rule.parent,
        status=finding.status,
        outcome=outcome_of(rule, finding.status, scored),
        scored=scored,
        evidence=finding.evidence,
        hint=hint,
        fix=fix_snippet(rule, finding, replacement),
    )


def _section_pages(site: SiteSnapshot) -> list[PageSnapshot]:
    pages = [site.section.page] if site.section is not None else []
    pages.extend(sub.pages[0] for sub in site.subsections)
    return pages


_NO_SECTION_PAGES = ItemFinding("not_checked", Evidence(value="раздел не найден: нет страниц для проверки"))


def _section_link_check(in_menu: bool) -> Callable[[_Audit], ItemFinding]:
    """Order 1493 p.3: the section is reachable from the home page (and from its main menu)."""

    def check(audit: _Audit) -> ItemFinding:
        site = audit.site
        home_url = site.home.final_url if site.home else None
        if site.section is None:
            return ItemFinding("missing", Evidence(url=home_url))
        linked = site.section.linked_from_menu if in_menu else site.section.linked_from_home
        return ItemFinding("present" if linked else "missing", Evidence(url=home_url, value=site.section.url))

    return check


def _check_navigation(audit: _Audit) -> ItemFinding:
    """Every subsection page links back to the section index or to all other found subsections."""
    site = audit.site
    if site.section is None:
        return _NO_SECTION_PAGES
    pages = audit.pages
    index = pages.page_key(site.section.url)
    lacking: list[str] = []
    for sub in site.subsections:
        linked = pages.linked_pages(sub.pages[0])
        others = {pages.page_key(other.url) for other in site.subsections if other is not sub}
        if index not in linked and not others <= linked:
            lacking.append(sub.url)
    if lacking:
        return ItemFinding(
            "missing",
            Evidence(url=lacking[0], value=f"без общей навигации: {len(lacking)} стр.", count=len(lacking)),
        )
    return ItemFinding("present", Evidence(url=site.section.url, count=len(site.subsections)))


def _check_no_registration(audit: _Audit) -> ItemFinding:
    site = audit.site
    for page in _section_pages(site):
        root = audit.pages.get(page).root
        has_password = root is not None and any(
            (field.get("type") or "").lower() == "password" for field in root.iter("input")
        )
        if page.status in (401, 403) or has_password:
            detail = f"HTTP {page.status}" + (", форма входа с паролем" if has_password else "")
            return ItemFinding("missing", Evidence(url=page.final_url, value=detail))
    if site.section is None:
        return _NO_SECTION_PAGES
    return ItemFinding("present", Evidence(url=site.section.url))


def _check_standard_paths(audit: _Audit) -> ItemFinding:
    """MR v9 table 3.1: subsections at /sveden/<key>; one found elsewhere is reported, not called missing."""
    site = audit.site
    if site.section is None:
        return _NO_SECTION_PAGES
    elsewhere = [sub for sub in site.subsections if sub.found_by != "standard_path"]
    if not elsewhere:
        return ItemFinding("present", Evidence(url=site.section.url, count=len(site.subsections)))
    listed = "; ".join(f"{sub.key}: {sub.url}" for sub in elsewhere)
    return ItemFinding(
        "missing",
        Evidence(url=elsewhere[0].url, value=f"не по стандартному адресу: {listed}", count=len(elsewhere)),
    )


_SECTION_CHECKS: dict[str, Callable[[_Audit], ItemFinding]] = {
    "SV-SECTION-MAINPAGE-LINK": _section_link_check(in_menu=False),
    "SV-SECTION-MENU-LINK": _section_link_check(in_menu=True),
    "SV-SECTION-NAVIGATION": _check_navigation,
    "SV-SECTION-NO-REGISTRATION": _check_no_registration,
    "SV-SECTION-STANDARD-PATHS": _check_standard_paths,
}


def _section_checks(audit: _Audit, as_of: dt.date) -> list[ItemResult]:
    return [
        _item(audit, rule, _SECTION_CHECKS[rule.code](audit), None)
        for rule in audit.rulebook.rules_in_force(as_of)
        if rule.check == "section" and rule.code in _SECTION_CHECKS
    ]


def _crawl_day(site: SiteSnapshot, timezone: str) -> dt.date:
    """The local date of the crawl in the region's time zone."""
    return dt.datetime.fromisoformat(site.fetched_at).astimezone(ZoneInfo(timezone)).date()


def _ministries_links(audit: _Audit) -> ExtraCheck:
    site = audit.site
    assert site.home is not None
    hosts = {
        audit.pages.page_key(url)[0].rsplit(":", 1)[0].removeprefix("www.")
        for page in [site.home, *_section_pages(site)]
        for url in audit.pages.get(page).link_urls
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


def _extras(audit: _Audit, as_of: dt.date) -> dict[str, ExtraCheck]:
    """The checks outside order 1493's items, when the home page answered."""
    site, subject = audit.site, audit.subject
    if site.home is None or not site.home.ok:
        return {}
    pages = [audit.pages.get(page) for page in [site.home, *_all_section_pages(site)]]
    return {
        "https": check_https(site.https),
        "ministries_links": _ministries_links(audit),
        "food": check_food(site.food, subject, _crawl_day(site, subject.timezone)),
        "accessibility": check_accessibility(pages, subject.public, as_of),
        "pos_widget": check_pos_widget(pages[0]),
    }


def _all_section_pages(site: SiteSnapshot) -> list[PageSnapshot]:
    """The section index and every page of every subsection (addRef pages included)."""
    pages = [site.section.page] if site.section is not None else []
    pages.extend(page for sub in site.subsections for page in sub.pages)
    return pages
