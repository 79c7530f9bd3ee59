"""Every item status on fixture sites served for real: a windows-1251 school and a Cyrillic Gosweb path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from checks.audit import AuditSubject, audit_site
from checks.report import render_report
from checks.results import AuditedSchool, ItemResult
from checks.rulebook import Rulebook
from crawler.snapshot import SiteSnapshot
from tests.conftest import AS_OF, crawl_one
from tests.page_server import Page, pages_from_folder, serve_pages

SITES = Path(__file__).parent / "sites"


def _audit(site: SiteSnapshot, rulebook: Rulebook, conditions: Mapping[str, bool | None]) -> AuditedSchool:
    subject = AuditSubject(
        id="fixture",
        name="Школа",
        municipality="Энск",
        kind="general_school",
        url=site.url,
        conditions=conditions,
    )
    return audit_site(site, rulebook, subject, AS_OF, "2026-11-23T00:00:00+00:00")


def _status_school_pages() -> dict[str, Page]:
    pages = pages_from_folder(SITES / "status-school", encoding="windows-1251", content_type="text/html")
    pages["/private/rezhim.pdf"] = Page(
        b"", "text/html", 302, {"Location": "/login?next=/private/rezhim.pdf"}
    )
    pages["/login"] = Page(b"<form><input type=password></form>", "text/html; charset=utf-8")
    return pages


@pytest.fixture(scope="module")
def status_school(rulebook: Rulebook) -> Iterator[tuple[SiteSnapshot, AuditedSchool]]:
    with serve_pages("127.0.3.1", _status_school_pages()) as base_url:
        site = crawl_one(base_url, rulebook)
    yield site, _audit(site, rulebook, {"branches": False, "rep_offices": None})


def _items(school: AuditedSchool) -> dict[str, ItemResult]:
    return {item.code: item for item in school.all_items()}


def test_windows_1251_declared_only_in_meta_is_decoded(
    status_school: tuple[SiteSnapshot, AuditedSchool],
) -> None:
    site, school = status_school
    common = site.subsection("common")
    assert common is not None
    assert common.pages[0].encoding in ("windows-1251", "cp1251")
    assert _items(school)["SV-COMMON-REGDATE"].evidence.value == "01.09.1968"


@pytest.mark.parametrize(
    ("code", "status", "outcome"),
    [
        ("SV-COMMON-REGDATE", "present", "pass"),
        ("SV-COMMON-WORKTIME", "empty", "fail"),
        ("SV-COMMON-TELEPHONE", "placeholder", "fail"),
        ("SV-COMMON-EMAIL", "missing", "fail"),
        ("SV-COMMON-ADDRESS", "present_without_markup", "fail"),
        ("SV-COMMON-FULLNAME", "legacy", "fail"),
        ("SV-COMMON-SHORTNAME", "legacy", "warn"),
        ("SV-COMMON-UCHREDLAW-NAMEUCHRED", "outside_parent", "fail"),
        ("SV-COMMON-ADDRESSPLACESET", "hidden", "fail"),
        ("SV-COMMON-LICENSEDOCLINK", "broken_link", "fail"),
        ("SV-DOCUMENT-USTAVDOCLINK", "misplaced", "fail"),
        ("SV-DOCUMENT-LOCALACTSTUD", "placeholder", "fail"),
        ("SV-DOCUMENT-PRIEMDOCLINK", "broken_link", "fail"),
        ("SV-DOCUMENT-MODEDOCLINK", "broken_link", "fail"),
        ("SV-DOCUMENT-LOCALACTORDER", "present", "pass"),
        ("SV-COMMON-ADDRESSPLACEGIA", "present", "pass"),
        ("SV-COMMON-ADDRESSPLACEPRAC", "not_applicable", "not_applicable"),
        ("SV-STRUCT-FILINFO", "not_applicable", "not_applicable"),
        ("SV-STRUCT-REPINFO", "missing", "warn"),
    ],
)
def test_each_status(
    code: str, status: str, outcome: str, status_school: tuple[SiteSnapshot, AuditedSchool]
) -> None:
    item = _items(status_school[1])[code]
    assert (item.status, item.outcome) == (status, outcome)


def test_findings_explain_and_prefill_the_fix(status_school: tuple[SiteSnapshot, AuditedSchool]) -> None:
    items = _items(status_school[1])
    address = items["SV-COMMON-ADDRESS"]
    assert address.evidence.value == "123456, Энская область, г. Энск, ул. Школьная, д. 12"
    assert (
        address.fix == '<span itemprop="address">123456, Энская область, г. Энск, ул. Школьная, д. 12</span>'
    )
    full_name = items["SV-COMMON-FULLNAME"]
    assert "«Name»" in full_name.hint and "«fullName» и «shortName»" in full_name.hint
    full, short = full_name.fix.splitlines()
    name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 12»"
    assert full == f'<span itemprop="fullName">{name}</span>'
    assert short == '<span itemprop="shortName">МБОУ СШ № 12</span>'
    name_uchred = items["SV-COMMON-UCHREDLAW-NAMEUCHRED"]
    assert name_uchred.fix.startswith('<div itemprop="uchredLaw">')
    assert "Администрация города Энска" in name_uchred.fix
    assert "отсутствует" in items["SV-STRUCT-REPINFO"].hint
    assert not items["SV-STRUCT-REPINFO"].scored
    assert "404" in (items["SV-COMMON-LICENSEDOCLINK"].evidence.detail or "")
    assert "веб-страницу" in (items["SV-DOCUMENT-PRIEMDOCLINK"].evidence.detail or "")
    assert "входа" in (items["SV-DOCUMENT-MODEDOCLINK"].evidence.detail or "")
    assert "PDF" in (items["SV-DOCUMENT-LOCALACTORDER"].evidence.detail or "")
    assert "common" in (items["SV-DOCUMENT-USTAVDOCLINK"].evidence.detail or "")


def test_outdated_name_without_equivalent_is_listed(
    status_school: tuple[SiteSnapshot, AuditedSchool],
) -> None:
    common = next(section for section in status_school[1].sections if section.key == "common")
    assert [(legacy.itemprop, legacy.count, legacy.replacement) for legacy in common.legacy_markup] == [
        ("workTimeFil", 1, ())
    ]


def test_condition_confirmed_by_registry_turns_warning_into_failure(
    status_school: tuple[SiteSnapshot, AuditedSchool], rulebook: Rulebook
) -> None:
    site, unknown = status_school
    confirmed = _audit(site, rulebook, {"branches": False, "rep_offices": True})
    assert _items(unknown)["SV-STRUCT-REPINFO"].outcome == "warn"
    item = _items(confirmed)["SV-STRUCT-REPINFO"]
    assert (item.outcome, item.scored) == ("fail", True)
    assert confirmed.score is not None and unknown.score is not None and confirmed.score < unknown.score


def test_report_groups_by_subsection_with_fixes(
    status_school: tuple[SiteSnapshot, AuditedSchool], rulebook: Rulebook
) -> None:
    report = render_report(status_school[1], rulebook)
    common = report.index("Основные сведения —")
    document = report.index("Документы —")
    assert common < report.index('<span itemprop="address">123456', common) < document
    assert 'устаревшая разметка itemprop="workTimeFil"' in report


@pytest.fixture(scope="module")
def gosweb(rulebook: Rulebook) -> Iterator[tuple[SiteSnapshot, AuditedSchool]]:
    with serve_pages("127.0.3.2", pages_from_folder(SITES / "gosweb-cyrillic")) as base_url:
        site = crawl_one(base_url, rulebook)
    yield site, _audit(site, rulebook, {})


def test_cyrillic_gosweb_section_found_by_link_text(gosweb: tuple[SiteSnapshot, AuditedSchool]) -> None:
    site, school = gosweb
    assert site.section is not None and site.section.found_by == "link_text"
    found = {section.key: section for section in school.sections if section.url}
    assert set(found) == {"common", "document"}
    assert "основные-сведения" in (found["common"].url or "") or "%D0%BE" in (found["common"].url or "")
    assert found["common"].found_by == "link_text"
    items = _items(school)
    assert items["SV-COMMON-FULLNAME"].status == "present"
    assert items["SV-DOCUMENT-USTAVDOCLINK"].status == "present"  # a Cyrillic file name with a space


def test_non_standard_paths_are_their_own_finding(gosweb: tuple[SiteSnapshot, AuditedSchool]) -> None:
    item = _items(gosweb[1])["SV-SECTION-STANDARD-PATHS"]
    assert (item.status, item.outcome, item.scored) == ("missing", "warn", False)
    assert "common:" in (item.evidence.value or "") and "document:" in (item.evidence.value or "")


def test_rules_in_force_follow_the_audit_date(
    status_school: tuple[SiteSnapshot, AuditedSchool], rulebook: Rulebook
) -> None:
    """Before 01.09.2025 the copy marker and accreditation on «Основные сведения» are required."""
    site, today = status_school
    subject = AuditSubject(
        id="fixture", name="Школа", municipality="Энск", kind="general_school", url=site.url
    )
    earlier = _items(audit_site(site, rulebook, subject, dt.date(2025, 6, 1), "2025-06-01T00:00:00+00:00"))
    now = _items(today)
    assert (earlier["SV-COMMON-COPY"].outcome, earlier["SV-COMMON-COPY"].scored) == ("fail", True)
    assert "SV-COMMON-ACCREDITATIONDOCLINK" in earlier and "SV-EDUCATION-ACCREDITATIONDOCLINK" not in earlier
    assert "SV-COMMON-COPY" not in now and "SV-COMMON-ACCREDITATIONDOCLINK" not in now
    assert now["SV-EDUCATION-ACCREDITATIONDOCLINK"].outcome == "warn"  # transitional: moving to «Образование»


def test_evidence_gives_the_source_line(status_school: tuple[SiteSnapshot, AuditedSchool]) -> None:
    site, school = status_school
    common = site.subsection("common")
    assert common is not None
    source = common.pages[0].body.splitlines()
    telephone = _items(school)["SV-COMMON-TELEPHONE"].evidence
    assert telephone.line is not None and 'itemprop="telephone"' in source[telephone.line - 1]


@pytest.mark.parametrize("answer", ["password_form", "http_401"])
def test_registration_wall_on_a_section_page_fails(answer: str, rulebook: Rulebook) -> None:
    """Order 1493 p.4: a subsection behind a login form (or HTTP 401) is a violation."""
    pages = _status_school_pages()
    form = '<form><label>Пароль <input type="Password" name="p"></label></form>'
    login = f'<html lang="ru"><body>{form}</body></html>'
    if answer == "password_form":
        pages["/sveden/struct/"] = Page(login.encode(), "text/html; charset=utf-8")
    else:
        pages["/sveden/struct/"] = Page(login.encode(), "text/html; charset=utf-8", 401)
    with serve_pages("127.0.3.3", pages) as base_url:
        site = crawl_one(base_url, rulebook)
    item = _items(_audit(site, rulebook, {}))["SV-SECTION-NO-REGISTRATION"]
    assert (item.status, item.outcome) == ("missing", "fail")
    assert item.evidence.url is not None and item.evidence.url.endswith("/sveden/struct/")
    expected = "форма входа с паролем" if answer == "password_form" else "HTTP 401"
    assert expected in (item.evidence.value or "")


def test_no_registration_wall_passes(status_school: tuple[SiteSnapshot, AuditedSchool]) -> None:
    item = _items(status_school[1])["SV-SECTION-NO-REGISTRATION"]
    assert (item.status, item.outcome) == ("present", "pass")
