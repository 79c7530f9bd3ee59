"""`schools.yaml` validation: every problem located as file:line: field: message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sveden.registry import RegistryError, load_registry
from tests.conftest import DEMO, ROOT

CASES = Path(__file__).parent / "registry_cases"


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sveden.cli", "validate", "--registry", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_broken_registry_reports_each_problem_with_its_line() -> None:
    result = _validate(CASES / "broken.yaml")
    assert result.returncode == 1
    path = CASES / "broken.yaml"
    lines = set(result.stderr.splitlines())
    expected = {
        f"{path}:10: regions[0].municipalities[0].name: must be text, got int 42",
        f"{path}:11: regions[0].municipalities[0].sources[1]: unknown source 'nowhere'",
        f"{path}:15: regions[0].municipalities[0].schools[0].kind: input should be 'general_school', "
        "'preschool', 'college', 'university', 'additional_education' or 'other', got 'gymnasium'",
        f"{path}:16: regions[0].municipalities[0].schools[0].url: "
        "must be an http:// or https:// address with a host name",
        f"{path}:19: regions[0].municipalities[0].schools[1].id: duplicate school id 'school-1'",
        f"{path}:24: regions[0].municipalities[0].schools[2].name: required field is missing",
        f"{path}:27: regions[0].municipalities[0].schools[2].public: must be true or false, got 'no'",
    }
    assert expected <= lines, result.stderr


def test_yaml_surprises_are_not_converted(tmp_path: Path) -> None:
    """`no` stays text (and is then rejected as a boolean); a date stays a string."""
    registry = tmp_path / "schools.yaml"
    registry.write_text(
        "schema_version: 1\nsources:\n  - id: s\n    title: no\n    date: 2020-01-22\nregions: []\n",
        encoding="utf-8",
    )
    loaded = load_registry(registry)
    assert loaded.sources[0].title == "no"
    assert loaded.sources[0].date == "2020-01-22"


def test_repeated_key_is_an_error(tmp_path: Path) -> None:
    registry = tmp_path / "schools.yaml"
    registry.write_text("schema_version: 1\nregions: []\nregions: []\n", encoding="utf-8")
    with pytest.raises(RegistryError) as error:
        load_registry(registry)
    assert f"{registry}:3:" in str(error.value)


@pytest.mark.parametrize("path", [ROOT / "schools.yaml", DEMO / "schools.yaml"])
def test_bundled_registries_are_valid(path: Path) -> None:
    result = _validate(path)
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_real_registry_holds_the_seed_schools() -> None:
    registry = load_registry(ROOT / "schools.yaml")
    by_municipality = {m.name: m for region in registry.regions for m in region.municipalities}
    assert len(by_municipality["Ковров"].schools) == 17
    assert len(by_municipality["Вичуга"].schools) == 7
    assert len(by_municipality["Бузулук"].schools) == 3
    assert by_municipality["Моршанск"].schools == ()
    # Addresses only where a page proves them (registry-facts); each comes with that page.
    with_url = [school for _, _, school in registry.schools() if school.url]
    assert all(school.url_evidence for school in with_url)
