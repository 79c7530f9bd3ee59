"""The rulebook is validated when loaded; an error names the rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checks.rulebook import Rulebook, RulebookError, load_rulebook

RULEBOOK = Path(__file__).resolve().parents[1] / "checks" / "rulebook.yaml"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = RULEBOOK.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rulebook.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_unknown_parent_names_the_rule(tmp_path: Path) -> None:
    path = _broken(tmp_path, "parent: uchredLaw", "parent: uchredlaw")
    with pytest.raises(RulebookError, match="SV-COMMON-UCHREDLAW-NAMEUCHRED: parent 'uchredlaw'"):
        load_rulebook(path)


def test_bad_date_names_the_rule(tmp_path: Path) -> None:
    path = _broken(tmp_path, "effective_from: '2024-09-01'", "effective_from: '2024-13-01'")
    with pytest.raises(RulebookError, match="SV-COMMON-PAGE: effective_from"):
        load_rulebook(path)


def test_rules_in_force_depend_on_the_date(rulebook: Rulebook) -> None:
    """`copy` (version for the visually impaired) ended 2025-09-01; accreditation moved 2026-03-01."""
    before = {rule.code for rule in rulebook.rules_in_force(dt.date(2025, 1, 15))}
    after = {rule.code for rule in rulebook.rules_in_force(dt.date(2026, 11, 23))}
    assert "SV-COMMON-COPY" in before and "SV-COMMON-COPY" not in after
    assert "SV-COMMON-ACCREDITATIONDOCLINK" in before and "SV-COMMON-ACCREDITATIONDOCLINK" not in after
    assert "SV-EDUCATION-ACCREDITATIONDOCLINK" in after


def test_every_subsection_has_a_page_rule(rulebook: Rulebook) -> None:
    assert len(rulebook.subsections) == 14
    for subsection in rulebook.subsections:
        assert f"SV-{subsection.key.upper()}-PAGE" in rulebook.by_code
