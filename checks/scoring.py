"""Outcomes and scores: the one place that turns statuses into pass/fail and findings into numbers.

A rule *counts in the score* of a school when its required level is ``yes``, or when it is
conditional and the registry confirms the condition (the school has branches, a hostel …).
Its outcome is ``pass`` when the status is ``present`` and ``fail`` for any other status; a
rule that does not count only ``warn``s (a conditional item that is absent: mark it
«отсутствует»), and not-applicable and not-checked rules are outcomes of their own.

Score (0–100) = 100 × Σ weight of passed counted rules / Σ weight of passed and failed counted
rules, per subsection and per school. The weight comes from the rule's severity
(`SEVERITY_WEIGHTS`). A school or subsection where nothing could be checked has no score.
"""

from __future__ import annotations

from collections.abc import Iterable

from checks.results import ItemResult, ItemStatus, Outcome
from checks.rulebook import Rule, Rulebook, Severity

__all__ = ["SEVERITY_WEIGHTS", "counts_in_score", "outcome_of", "score_of"]

#: The weight of a rule of each severity: a whole missing subsection or section requirement
#: (critical) outweighs a missing item (major), which outweighs one field of a table row (minor).
SEVERITY_WEIGHTS: dict[Severity, float] = {"critical": 3.0, "major": 2.0, "minor": 1.0}


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
