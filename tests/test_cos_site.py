"""ЦОС on the site: the measured indicator from the demo's results in site-data.json, and the pages."""

from __future__ import annotations

from pathlib import Path

from checks.results import Results
from checks.rulebook import Rulebook
from sveden.indicators.measured import mandatory_subsections, meets_requirements
from sveden.registry import Registry
from sveden.site_data import site_data_of


def test_peek(built_site: Path, demo_results: Results, rulebook: Rulebook, demo_registry: Registry) -> None:
    data = site_data_of(demo_registry, demo_results, rulebook)
    print(data.cos.municipalities["svetloozersk"].model_dump_json(indent=1)[:3000])
    mandatory = mandatory_subsections(rulebook)
    for school in demo_results.schools:
        print(
            school.id,
            school.score,
            school.reachability,
            meets_requirements(school, mandatory),
            len(school.failing_items()),
            [s.key for s in school.sections if s.found_by == "none"],
        )
    page = (built_site / "municipalities" / "svetloozersk" / "index.html").read_text()
    print(page[page.index("Цифровая образовательная среда") :][:6000])
    assert False
