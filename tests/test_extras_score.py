"""The extras score: weighted passes among passes and failures, apart from the order 1493 score."""

from __future__ import annotations

from checks.results import ExtraCheck, Outcome
from checks.scoring import EXTRA_WEIGHTS, extras_score_of


def _extras(**outcomes: Outcome) -> dict[str, ExtraCheck]:
    return {
        key: ExtraCheck(outcome=outcome, basis="practice", detail="") for key, outcome in outcomes.items()
    }


def test_weighted_share_of_passed_extras() -> None:
    extras = _extras(ministries_links="pass", pos_widget="fail", food="warn", https="not_applicable")
    weight = EXTRA_WEIGHTS["ministries_links"]
    assert extras_score_of(extras) == round(100 * weight / (weight + EXTRA_WEIGHTS["pos_widget"]), 1)
    assert extras_score_of(_extras(food="pass", https="pass")) == 100.0
    assert extras_score_of(_extras(food="fail")) == 0.0


def test_no_score_without_passes_or_failures() -> None:
    assert extras_score_of({}) is None
    assert extras_score_of(_extras(food="warn", accessibility="not_applicable", https="not_checked")) is None


def test_every_extra_has_a_weight() -> None:
    assert set(EXTRA_WEIGHTS) == {"https", "ministries_links", "food", "accessibility", "pos_widget"}
