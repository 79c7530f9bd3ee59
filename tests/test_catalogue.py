"""The indicator catalogue: every indicator the roadmaps use, validated when loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from sveden.indicators.catalogue import CatalogueError, load_catalogue
from sveden.registry import load_registry
from tests.conftest import ROOT

#: The indicators issue 5 names, by id; each must be catalogued with its unit.
REQUIRED = {
    "internet_speed_share": "percent",
    "target_model_schools": "count",
    "target_model_share": "percent",
    "digital_profile_share": "percent",
    "federal_platform_orgs_share": "percent",
    "horizontal_learning_share": "percent",
    "teachers_one_window_share": "percent",
    "staff_trained_digital": "count",
    "sites_updated_share": "percent",
    "equipment_funding": "thousand_roubles",
    "sites_meeting_requirements_share": "percent",
    "sites_score_90_share": "percent",
}


def test_catalogue_holds_every_indicator_with_its_unit() -> None:
    catalogue = load_catalogue()
    assert {item.id: item.unit for item in catalogue.indicators if item.id in REQUIRED} == REQUIRED
    used = {
        series.indicator
        for region in load_registry(ROOT / "schools.yaml").regions
        for municipality in region.municipalities
        for series in municipality.reported()
    }
    assert used <= {item.id for item in catalogue.reported()}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "catalogue.yaml"
    path.write_text(body, encoding="utf-8")
    return path


ENTRY = (
    "  - {{id: {id}, kind: reported, title: T, short_title: S, unit: {unit}, direction: higher,"
    " definition: D}}\n"
)


def test_repeated_id_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "indicators:\n" + ENTRY.format(id="a", unit="percent") * 2)
    with pytest.raises(CatalogueError, match="indicator id 'a' is repeated"):
        load_catalogue(path)


def test_unknown_unit_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "indicators:\n" + ENTRY.format(id="a", unit="roubles"))
    with pytest.raises(CatalogueError, match=r"indicators\.0\.unit"):
        load_catalogue(path)
