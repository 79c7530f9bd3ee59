"""The whole crawl + check on the demo sites, served by real HTTP servers on 127.0.1.N.

Every expectation comes from `demo_expectations.py`, derived by hand from the pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from checks.results import AuditedSchool
from checks.rulebook import Rule, Rulebook
from checks.scoring import EXTRA_WEIGHTS, SEVERITY_WEIGHTS
from sveden.demo_sites import serve_demo, with_served_urls
from sveden.registry import load_registry
from tests.conftest import AS_OF, DEMO, crawl_and_audit, only_school
from tests.demo_expectations import DEMO_EXPECTATIONS, DemoExpectation

#: Scored rules for a general school on AS_OF, counted by hand from the spec: 120 subsection
#: items and pages (see the demo brief in demo_expectations) + 4 section-level rules.
SCORED_RULES_GENERAL_SCHOOL = 124


def _scored_codes_of_missing_subsections(rulebook: Rulebook, expected: DemoExpectation) -> set[str]:
    present = set(expected.subsections_found)
    return {
        rule.code
        for rule in rulebook.rules_in_force(AS_OF)
        if rule.subsection not in present
        and rule.check != "section"
        and rule.required == "yes"
        and rule.applies_to_kind("general_school")
        and rule.condition is None
    }


def _scored_rules(rulebook: Rulebook) -> list[Rule]:
    return [
        rule
        for rule in rulebook.rules_in_force(AS_OF)
        if rule.required == "yes" and rule.applies_to_kind("general_school") and rule.condition is None
    ]


def _expected_score(rulebook: Rulebook, failing: set[str]) -> float:
    """100 × weight of passed / weight of all scored rules, weights by severity."""
    weights = {rule.code: SEVERITY_WEIGHTS[rule.severity] for rule in _scored_rules(rulebook)}
    total = sum(weights.values())
    return round(100 * (total - sum(weights[code] for code in failing)) / total, 1)


def test_scored_rule_count_matches_hand_count(rulebook: Rulebook) -> None:
    assert len(_scored_rules(rulebook)) == SCORED_RULES_GENERAL_SCHOOL


@pytest.mark.parametrize("school_id", sorted(DEMO_EXPECTATIONS))
def test_reachability_and_discovery(school_id: str, demo_by_id: dict[str, AuditedSchool]) -> None:
    expected = DEMO_EXPECTATIONS[school_id]
    school = demo_by_id[school_id]
    assert school.reachability == expected.reachability
    found = {
        section.key: (urlsplit(section.url).path, section.found_by)
        for section in school.sections
        if section.url
    }
    assert found == dict(expected.subsections_found)


@pytest.mark.parametrize("school_id", sorted(DEMO_EXPECTATIONS))
def test_findings_and_score(school_id: str, demo_by_id: dict[str, AuditedSchool], rulebook: Rulebook) -> None:
    expected = DEMO_EXPECTATIONS[school_id]
    school = demo_by_id[school_id]
    items = {item.code: item for item in school.all_items()}
    for code, status in expected.statuses.items():
        assert items[code].status == status, code
    failing = {code for code, item in items.items() if item.outcome == "fail"}
    if expected.reachability in ("unreachable", "no_url"):
        assert failing == set()
        assert school.score is None
        return
    expected_failing = set(expected.failing_codes) | _scored_codes_of_missing_subsections(rulebook, expected)
    assert failing == expected_failing
    if expected.reachability == "no_section":
        assert school.score == 0.0
        return
    assert school.score == _expected_score(rulebook, expected_failing)
    if expected.sample_value is not None:
        code, value = expected.sample_value
        assert items[code].evidence.value == value


def test_broken_school_scores_below_compliant(demo_by_id: dict[str, AuditedSchool]) -> None:
    assert demo_by_id["svetloozersk-sosh-1"].score == 100.0
    assert all(
        (school.score or 0) < 100.0
        for school_id, school in demo_by_id.items()
        if DEMO_EXPECTATIONS[school_id].failing_codes and school.score is not None
    )


def test_control_removing_one_item_moves_finding_and_score(tmp_path: Path, rulebook: Rulebook) -> None:
    """Change one page of a copy of the compliant site: the finding and the score must move."""
    demo_copy = tmp_path / "demo"
    shutil.copytree(DEMO, demo_copy)
    common = demo_copy / "sites" / "sosh-1" / "sveden" / "common.html"
    if not common.exists():
        common = demo_copy / "sites" / "sosh-1" / "sveden" / "common" / "index.html"
    html = common.read_text(encoding="utf-8")
    assert 'itemprop="regDate"' in html
    common.write_text(html.replace('itemprop="regDate"', 'data-was="regDate"'), encoding="utf-8")
    registry = load_registry(demo_copy / "schools.yaml")
    with serve_demo(demo_copy, port=0) as served:
        served_registry = with_served_urls(registry, served)
        only_sosh_1 = only_school(served_registry, "svetloozersk-sosh-1")
        results = crawl_and_audit(only_sosh_1, tmp_path / "store.sqlite3", rulebook)
    (school,) = results.schools
    items = {item.code: item for item in school.all_items()}
    # The date is still printed after its caption: found by the text fallback, without markup.
    assert items["SV-COMMON-REGDATE"].status == "present_without_markup"
    assert items["SV-COMMON-REGDATE"].outcome == "fail"
    assert school.score == _expected_score(rulebook, {"SV-COMMON-REGDATE"})


@pytest.mark.parametrize("school_id", sorted(DEMO_EXPECTATIONS))
def test_extras_and_extras_score(school_id: str, demo_by_id: dict[str, AuditedSchool]) -> None:
    expected = DEMO_EXPECTATIONS[school_id]
    school = demo_by_id[school_id]
    assert {key: extra.outcome for key, extra in school.extras.items()} == dict(expected.extras)
    passed = sum(EXTRA_WEIGHTS[key] for key, outcome in expected.extras.items() if outcome == "pass")
    failed = sum(EXTRA_WEIGHTS[key] for key, outcome in expected.extras.items() if outcome == "fail")
    assert school.extras_score == (round(100 * passed / (passed + failed), 1) if passed + failed else None)


def test_extras_details_name_what_is_wrong(demo_by_id: dict[str, AuditedSchool]) -> None:
    food_without_menus = demo_by_id["svetloozersk-sosh-2"].extras["food"].detail
    assert "меню на следующий учебный день" in food_without_menus
    assert "-sm.xlsx" in food_without_menus
    assert "kp20" not in food_without_menus  # the yearly files are there
    assert "ГД-1158/01" in food_without_menus and "практика" in food_without_menus
    assert "findex.xlsx" in demo_by_id["svetloozersk-sosh-3"].extras["food"].detail
    assert "alt" in demo_by_id["svetloozersk-sosh-3"].extras["accessibility"].detail
    assert "поля форм" in demo_by_id["svetloozersk-sosh-4"].extras["accessibility"].detail
    oosh_5 = demo_by_id["svetloozersk-oosh-5"].extras["accessibility"].detail
    assert "lang" in oosh_5 and "<title>" in oosh_5
    assert "alt" not in oosh_5
    assert demo_by_id["svetloozersk-sosh-1"].extras["pos_widget"].basis == "practice"
    assert demo_by_id["svetloozersk-sosh-1"].extras["accessibility"].basis == "law"
