"""Outcomes and scores: the one place that turns statuses into pass/fail and findings into numbers.

A rule *counts in the score* of a school when its required level is ``yes``, or when it is
conditional and the registry confirms the condition (the school has branches, a hostel …).
Its outcome is ``pass`` when the status is ``present`` and ``fail`` for any other status; a
rule that does not count only ``warn``s (a conditional item that is absent: mark it
«отсутствует»), and not-applicable and not-checked rules are outcomes of their own.

Score (0–100) = 100 × Σ weight of passed counted rules / Σ weight of passed and failed counted
rules, per subsection and per school. The weight comes from the rule's severity
(`SEVERITY_WEIGHTS`). A school or subsection where nothing could be checked has no score.

Extras score (0–100) = 100 × Σ weight of passed extra checks / Σ weight of passed and failed
ones (weights in ``EXTRA_WEIGHTS``), kept apart from the score above; warnings, not-applicable
and not-checked extras are left out, and with nothing passed or failed there is no extras score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from checks.results import ExtraCheck, ItemResult, ItemStatus, Outcome
from checks.rulebook import Rule, Rulebook, Severity

__all__ = [
    "EXTRA_WEIGHTS",
    "SEVERITY_WEIGHTS",
    "counts_in_score",
    "extras_score_of",
    "outcome_of",
    "score_of",
]

#: The weight of a rule of each severity: a whole missing subsection or section requirement
#: (critical) outweighs a missing item (major), which outweighs one field of a table row (minor).
SEVERITY_WEIGHTS: dict[Severity, float] = {"critical": 3.0, "major": 2.0, "minor": 1.0}

#: Weight of each extra check in the extras score: checks resting on a law weigh more than
#: common-practice ones; the ПОС widget, whose federal obligation is unverified, weighs least.
EXTRA_WEIGHTS: dict[str, float] = {
    "ministries_links": 2.0,
    "accessibility": 2.0,
    "food": 1.5,
    "https": 1.5,
    "pos_widget": 1.0,
}


def counts_in_score(rule: Rule, condition_holds: bool | None) -> bool:
    """Whether `rule` counts in the score, given what the registry says of its condition."""
    return rule.required == "yes" or (rule.condition is not None and condition_holds is True)


def outcome_of(rule: Rule, status: ItemStatus, scored: bool) -> Outcome:
    """The outcome of `rule` given an item's status and whether the rule counts."""
    if status in ("not_applicable", "not_checked"):
        return status
    if status == "present":
        return "pass"
    if scored:
        return "fail"
    if rule.required == "legacy":
        return "not_applicable"
    return "warn"


def score_of(items: Iterable[ItemResult], rulebook: Rulebook) -> float | None:
    """The weighted share of passed rules among the passed and failed rules that count, in percent."""
    passed = failed = 0.0
    for item in items:
        if not item.scored:
            continue
        weight = SEVERITY_WEIGHTS[rulebook.by_code[item.code].severity]
        if item.outcome == "pass":
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
