"""Outcomes and scores: the one place that turns statuses into pass/fail and findings into numbers.

Score (0–100) = 100 × Σ weight of passed rules / Σ weight of passed and failed rules, over
the rules whose required level is ``yes``. Not-applicable rules, warnings (conditional items
asked to be marked «отсутствует», transitional and legacy items) and not-checked rules are
left out of both sums; a school where nothing could be checked has no score (None).

Extras score (0–100) = 100 × Σ weight of passed extra checks / Σ weight of passed and failed
ones (weights in ``EXTRA_WEIGHTS``), kept apart from the score above; warnings, not-applicable
and not-checked extras are left out, and with nothing passed or failed there is no extras score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from checks.results import ExtraCheck, ItemResult, ItemStatus, Outcome
from checks.rulebook import Rule, Rulebook

__all__ = ["EXTRA_WEIGHTS", "SCORED_LEVEL", "extras_score_of", "outcome_of", "score_of"]

#: The required level whose rules count in the score.
SCORED_LEVEL = "yes"

#: Weight of each extra check in the extras score: checks resting on a law weigh more than
#: common-practice ones; the ПОС widget, whose federal obligation is unverified, weighs least.
EXTRA_WEIGHTS: dict[str, float] = {
    "ministries_links": 2.0,
    "accessibility": 2.0,
    "food": 1.5,
    "https": 1.5,
    "pos_widget": 1.0,
}


def outcome_of(rule: Rule, status: ItemStatus) -> Outcome:
    """The outcome of `rule` given an item's status."""
    if status == "not_applicable":
        return "not_applicable"
    if status == "not_checked":
        return "not_checked"
    if status == "present":
        return "pass"
    if rule.required == SCORED_LEVEL:
        return "fail"
    if rule.required == "legacy":
        return "not_applicable"
    return "warn"


def score_of(items: Iterable[ItemResult], rulebook: Rulebook) -> float | None:
    """The weighted share of passed rules among passed and failed ones, in percent."""
    passed = failed = 0.0
    for item in items:
        weight = rulebook.by_code[item.code].weight
        if item.outcome == "pass" and rulebook.by_code[item.code].required == SCORED_LEVEL:
            passed += weight
        elif item.outcome == "fail":
            failed += weight
    if passed + failed == 0:
        return None
    return round(100.0 * passed / (passed + failed), 1)


def extras_score_of(extras: Mapping[str, ExtraCheck]) -> float | None:
    """The weighted share of passed extra checks among passed and failed ones, in percent."""
    passed = sum(EXTRA_WEIGHTS[key] for key, extra in extras.items() if extra.outcome == "pass")
    failed = sum(EXTRA_WEIGHTS[key] for key, extra in extras.items() if extra.outcome == "fail")
    if passed + failed == 0:
        return None
    return round(100.0 * passed / (passed + failed), 1)
