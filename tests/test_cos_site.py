"""ЦОС on the public site: the measured shares from the demo's results reach site-data.json and the pages."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from checks.results import Results
from checks.rulebook import Rulebook
from sveden.commands.check import check_latest
from sveden.commands.common import STORE_NAME
from sveden.registry import Registry, load_registry
from sveden.site_build import build_site, publish_results
from tests.conftest import AS_OF, ROOT, crawl_and_audit, only_school
from tests.demo_expectations import ALL_SUBSECTIONS, DEMO_EXPECTATIONS

#: Mandatory subsections of a general school: all but «Образовательные стандарты» (conditional).
MANDATORY = set(ALL_SUBSECTIONS) - {"eduStandarts"}


def _expected_counts() -> tuple[int, int]:
    """(audited, meeting the requirements), derived by hand from the demo's expectation table."""
    audited = [e for e in DEMO_EXPECTATIONS.values() if e.reachability in ("ok", "no_section")]
    meeting = [e for e in audited if set(e.subsections_found) >= MANDATORY and not e.failing_codes]
    return len(audited), len(meeting)


def test_measured_share_of_the_demo_is_in_the_site_data(
    tmp_path: Path, demo_registry: Registry, demo_results: Results, rulebook: Rulebook
) -> None:
    publish_results(demo_registry, demo_results, rulebook, tmp_path)
    data = json.loads((tmp_path / "site-data.json").read_text(encoding="utf-8"))
    measured = data["cos"]["municipalities"]["svetloozersk"]["measured"]
    audited, meeting = _expected_counts()
    assert (measured["schools"], measured["audited"], measured["meeting"]) == (12, audited, meeting)
    assert measured["meeting_share"] == round(100 * meeting / audited, 1)
    scores = [school.score for school in demo_results.schools if school.score is not None]
    assert measured["good_score"] == sum(score >= 90 for score in scores)
    comparison = data["cos"]["municipalities"]["svetloozersk"]["comparison"]
    # The demo department reports 92,5 % for 2025 (demo/roadmaps/svetloozersk-indicators.csv).
    assert (comparison["reported_year"], comparison["reported_fact"]) == (2025, 92.5)
    assert comparison["difference"] == round(measured["meeting_share"] - 92.5, 1)


def test_a_school_fixing_its_site_changes_the_measured_share(
    tmp_path: Path, demo_registry: Registry, demo_results: Results, rulebook: Rulebook
) -> None:
    """Control: the share follows the results (sosh-4 lacks only «inter»; give it the page)."""
    fixed = []
    for school in demo_results.schools:
        if school.id == "svetloozersk-sosh-4":
            compliant = next(s for s in demo_results.schools if s.id == "svetloozersk-sosh-1")
            school = school.model_copy(update={"sections": compliant.sections, "section_checks": ()})
        fixed.append(school)
    publish_results(
        demo_registry, demo_results.model_copy(update={"schools": tuple(fixed)}), rulebook, tmp_path
    )
    measured = json.loads((tmp_path / "site-data.json").read_text(encoding="utf-8"))["cos"]["municipalities"][
        "svetloozersk"
    ]["measured"]
    assert measured["meeting"] == _expected_counts()[1] + 1


def _text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_municipality_page_shows_plan_fact_status_and_the_comparison(built_site: Path) -> None:
    page = built_site / "municipalities" / "svetloozersk" / "index.html"
    text = _text(page)
    assert "Показатели: план и факт" in text
    assert "2025 90 % 92,5 % план выполнен" in text
    assert "2025 10 9 план не выполнен" in text
    assert "Школы с целевой моделью ЦОС (всего) отстаёт от плана" in text
    assert "Интернет не менее 100 Мб/с (в сёлах 50 Мб/с) и гарантированный трафик цель достигнута" in text
    assert "svetloozersk-indicators.csv, строка 2" in text
    assert "Разница: измерено − заявлено" in text
    assert re.search(r"Знаменатель — \d+ школ, сайт которых удалось проверить, из 12 в реестре", text)
    assert "срок истёк, о выполнении не сообщено" in text


def test_home_region_and_data_pages_summarise_and_offer_the_templates(built_site: Path) -> None:
    home = _text(built_site / "index.html")
    assert "Цифровая образовательная среда" in home
    assert "Светлоозёрск 3 1 1 1 0 3 (1)" in home
    region = _text(built_site / "regions" / "demo-oblast" / "index.html")
    assert "Светлоозёрск 3 1 1 1 0 3 (1)" in region
    data_page = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    for name in ("indicators-template.xlsx", "indicators-template.csv", "cos-figures.csv"):
        assert f'href="../{name}"' in data_page, name
        assert (built_site / name).is_file(), name
    figures = (built_site / "cos-figures.csv").read_text(encoding="utf-8-sig").splitlines()
    assert "demo-oblast,svetloozersk,sites_updated_share,percent,2025,90,92.5,on_track," in "\n".join(figures)


def test_real_registry_builds_with_its_roadmaps(tmp_path: Path, rulebook: Rulebook) -> None:
    """The bundled registry (no school audited yet) on a real `mkdocs build`: figures, statuses, Саратов."""
    registry = load_registry(ROOT / "schools.yaml")
    results = Results(generated_at="2026-11-23T01:00:00+00:00", rules_as_of="2026-11-23", schools=())
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    publish_results(registry, results, rulebook, data_dir)
    out = tmp_path / "public"
    build_site(ROOT / "mkdocs.yml", data_dir, out)
    kovrov = _text(out / "municipalities" / "kovrov" / "index.html")
    assert "2019 20 % 65,5 % план выполнен" in kovrov
    assert "2019 0 0 план выполнен 2020 9 —" in kovrov
    assert "более свежих фактических данных нет" in kovrov
    assert "2020 20 538,1 тыс. руб. —" in kovrov
    morshansk = _text(out / "municipalities" / "morshansk" / "index.html")
    assert morshansk.count("нет фактических данных") == 8
    assert "1.25 Участие в реализации программы профессиональной переподготовки" in morshansk
    saratov = _text(out / "regions" / "saratovskaya-oblast" / "index.html")
    assert "Документы региона не называют ни муниципалитетов, ни школ." in saratov
    assert "в срок до 30 октября 2019 года срок истёк, о выполнении не сообщено" in saratov
    assert "выполнено (2019-07-02" in saratov
    activities = (out / "cos-activities.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(activities) == 1 + 60


def test_sveden_check_publishes_every_night_and_the_year_end(
    tmp_path: Path, demo_registry: Registry, rulebook: Rulebook
) -> None:
    """Crawls on two nights, then `sveden check` (re-checks the last): both nights reach site-data.json."""
    registry = only_school(demo_registry, "svetloozersk-sosh-1")
    crawl_and_audit(registry, tmp_path / STORE_NAME, rulebook)
    with sqlite3.connect(tmp_path / STORE_NAME) as db:  # the first crawl ran the night before
        db.execute("UPDATE runs SET started_at = '2026-11-22T01:00:00+00:00'")
    crawl_and_audit(registry, tmp_path / STORE_NAME, rulebook)
    assert check_latest(registry, tmp_path, AS_OF)
    cos = json.loads((tmp_path / "site-data.json").read_text(encoding="utf-8"))["cos"]
    municipality = cos["municipalities"]["svetloozersk"]
    assert [(night["audited"], night["meeting"]) for night in municipality["nights"]] == [(1, 1)] * 2
    (year_end,) = municipality["year_ends"]
    assert year_end == municipality["nights"][-1]
    assert municipality["measured"]["meeting_share"] == 100.0
