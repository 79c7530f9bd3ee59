"""Outcomes and scores: the one place that turns statuses into pass/fail and findings into numbers.

Score (0–100) = 100 × Σ weight of passed rules / Σ weight of passed and failed rules, over
the rules whose required level is ``yes``. Not-applicable rules, warnings (conditional items
asked to be marked «отсутствует», transitional and legacy items) and not-checked rules are
left out of both sums; a school where nothing could be checked has no score (None).
"""

from __future__ import annotations

from collections.abc import Iterable

from checks.results import ItemResult, ItemStatus, Outcome
from checks.rulebook import Rule, Rulebook

__all__ = ["SCORED_LEVEL", "outcome_of", "score_of"]

#: The required level whose rules count in the score.
SCORED_LEVEL = "yes"


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
