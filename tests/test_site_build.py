"""The public site: a real `mkdocs build` of the demo results, pages and escaping checked."""

from __future__ import annotations

import csv
import html
from pathlib import Path

import pytest

from checks.results import AuditedSchool, Results
from checks.rulebook import Rulebook
from sveden.site_build import build_site
from tests.conftest import ROOT
from tests.demo_expectations import DEMO_EXPECTATIONS


def test_every_page_exists(built_site: Path) -> None:
    assert (built_site / "index.html").is_file()
    assert (built_site / "municipalities" / "svetloozersk" / "index.html").is_file()
    for school_id in DEMO_EXPECTATIONS:
        assert (built_site / "schools" / school_id / "index.html").is_file(), school_id
    for name in ("results.json", "schools.csv", "findings.csv", "methodology/index.html"):
        assert (built_site / name).is_file(), name


def test_pages_show_scores(built_site: Path, demo_results: Results) -> None:
    municipality = (built_site / "municipalities" / "svetloozersk" / "index.html").read_text(encoding="utf-8")
    for school in demo_results.schools:
        page = (built_site / "schools" / school.id / "index.html").read_text(encoding="utf-8")
        shown = "—" if school.score is None else f"{school.score:.1f}".replace(".", ",")
        assert f'<strong class="sv-score">{shown}</strong>' in page, school.id
        assert school.name.split("«")[0].strip() in municipality
    nosh = (built_site / "schools" / "svetloozersk-nosh-10" / "index.html").read_text(encoding="utf-8")
    assert "адрес сайта не указан" in nosh


def test_values_from_school_sites_are_escaped(built_site: Path, demo_results: Results) -> None:
    page = (built_site / "schools" / demo_results.schools[0].id / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


def test_failed_build_keeps_the_published_site(built_site: Path, tmp_path: Path) -> None:
    published = tmp_path / "public"
    published.mkdir()
    (published / "index.html").write_text("yesterday", encoding="utf-8")
    with pytest.raises(Exception, match=r"site-data\.json"):
        build_site(ROOT / "mkdocs.yml", tmp_path / "no-data", published)
    assert (published / "index.html").read_text(encoding="utf-8") == "yesterday"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["public"]


def test_school_page_lists_what_to_fix(built_site: Path) -> None:
    page = (built_site / "schools" / "svetloozersk-sosh-3" / "index.html").read_text(encoding="utf-8")
    todo = page[page.index('<ol class="sv-todo">') : page.index("</ol>", page.index('<ol class="sv-todo">'))]
    for code in DEMO_EXPECTATIONS["svetloozersk-sosh-3"].failing_codes:
        assert f"<code>{code}</code>" in todo, code
    compliant = (built_site / "schools" / "svetloozersk-sosh-1" / "index.html").read_text(encoding="utf-8")
    assert 'class="sv-todo"' not in compliant


def test_school_page_shows_extras_with_their_basis(built_site: Path, demo_results: Results) -> None:
    by_id = {school.id: school for school in demo_results.schools}
    page = (built_site / "schools" / "svetloozersk-sosh-3" / "index.html").read_text(encoding="utf-8")
    extras = page[page.index('<table class="sv-table sv-extras">') :]
    extras = extras[: extras.index("</table>")]
    rows = extras.split("<tr class=")[1:]
    assert len(rows) == len(by_id["svetloozersk-sosh-3"].extras) == 5
    food = next(row for row in rows if "/food/" in row.split("</td>")[0])
    assert "сложившаяся практика" in food and "findex.xlsx" in food
    accessibility = next(row for row in rows if "ПП РФ от 07.02.2026 № 102" in row)
    assert "<td>закон<br>" in accessibility
    assert "Не входят в балл по приказу № 1493" in page
    methodology = (built_site / "methodology" / "index.html").read_text(encoding="utf-8")
    assert "Дополнительные проверки" in methodology and "ГД-1158/01" in methodology


def test_schools_csv_has_the_extras_score(built_site: Path, demo_results: Results) -> None:
    with (built_site / "schools.csv").open(encoding="utf-8", newline="") as file:
        rows = {row["id"]: row for row in csv.DictReader(file)}
    for school in demo_results.schools:
        expected = "" if school.extras_score is None else str(school.extras_score)
        assert rows[school.id]["extras_score"] == expected, school.id
    assert rows["svetloozersk-sosh-1"]["extras_score"] != rows["svetloozersk-sosh-3"]["extras_score"]


def test_methodology_lists_every_rule_with_its_legal_reference(built_site: Path, rulebook: Rulebook) -> None:
    page = (built_site / "methodology" / "index.html").read_text(encoding="utf-8")
    for rule in rulebook.rules:
        row = page[page.index(f"<code>{rule.code}</code>") :]
        row = row[: row.index("</tr>")]
        assert html.escape(rule.legal_ref, quote=True).replace("&#x27;", "&#39;") in row, rule.code


def test_school_page_shows_the_prefilled_fix_escaped(
    built_site: Path, demo_by_id: dict[str, AuditedSchool]
) -> None:
    item = next(
        i for i in demo_by_id["svetloozersk-sosh-3"].all_items() if i.code == "SV-CATERING-MEALS-OBJADDRESS"
    )
    assert "456791" in item.fix
    page = (built_site / "schools" / "svetloozersk-sosh-3" / "index.html").read_text(encoding="utf-8")
    assert html.escape(item.fix.splitlines()[0], quote=True).replace("&quot;", "&#34;") in page
