"""The indicators the audit measures: share of audited schools whose site meets the requirements.

A school's site **meets the requirements** when the site could be checked, every mandatory
subsection was found, and no required rule fails. A subsection is mandatory for a school when the
rulebook marks it «yes» (not «conditional») and it applies to the school's kind. The denominator
is the schools whose site could be checked (a score exists); schools without an address or with an
unreachable site are counted apart. The second indicator is the share of those with a score ≥ 90.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from checks.results import AuditedSchool
from checks.rulebook import Rulebook

__all__ = [
    "GOOD_SCORE",
    "Measurement",
    "NightMeasurement",
    "mandatory_subsections",
    "measure",
    "meets_requirements",
    "nightly",
    "year_ends",
]

GOOD_SCORE = 90.0


def mandatory_subsections(rulebook: Rulebook) -> dict[str, frozenset[str]]:
    """Kind of organization → keys of the subsections its site must have."""
    kinds = {"general_school", "preschool", "college", "university", "additional_education", "other"}
    return {
        kind: frozenset(
            sub.key
            for sub in rulebook.subsections
            if sub.required == "yes" and ("all" in sub.applies_to or kind in sub.applies_to)
        )
        for kind in kinds
    }


def meets_requirements(school: AuditedSchool, mandatory: Mapping[str, frozenset[str]]) -> bool:
    """Checked, every mandatory subsection found, no required rule failing."""
    if school.score is None:
        return False
    found = {section.key for section in school.sections if section.found_by != "none" and section.url}
    required = mandatory.get(school.kind, mandatory.get("other", frozenset()))
    return required <= found and not school.failing_items()


@dataclass(frozen=True)
class Measurement:
    """Counts behind the measured shares; `audited` is the denominator."""

    schools: int
    audited: int
    meeting: int
    good_score: int

    @property
    def meeting_share(self) -> float | None:
        """Percent of audited schools meeting the requirements (None when none was audited)."""
        return round(100 * self.meeting / self.audited, 1) if self.audited else None

    @property
    def good_score_share(self) -> float | None:
        """Percent of audited schools with a score of at least 90."""
        return round(100 * self.good_score / self.audited, 1) if self.audited else None


def measure(schools: Sequence[AuditedSchool], mandatory: Mapping[str, frozenset[str]]) -> Measurement:
    """The measured indicators over `schools` (one municipality's, one night)."""
    audited = [school for school in schools if school.score is not None]
    return Measurement(
        schools=len(schools),
        audited=len(audited),
        meeting=sum(meets_requirements(school, mandatory) for school in audited),
        good_score=sum(1 for school in audited if school.score is not None and school.score >= GOOD_SCORE),
    )


@dataclass(frozen=True)
class NightMeasurement:
    """One night's measurement of one municipality."""

    date: str
    measurement: Measurement


def nightly(
    nights: Iterable[tuple[str, Sequence[AuditedSchool]]],
    school_ids: frozenset[str],
    mandatory: Mapping[str, frozenset[str]],
) -> list[NightMeasurement]:
    """Per night (ISO date of the run, audits of that run, oldest first): the municipality's measurement.

    A date with several runs (a re-run after a failure) counts once, by its last run.
    """
    by_date: dict[str, NightMeasurement] = {}
    for date, audits in nights:
        mine = [audit for audit in audits if audit.id in school_ids]
        if mine:
            by_date[date] = NightMeasurement(date, measure(mine, mandatory))
    return list(by_date.values())


def year_ends(history: Sequence[NightMeasurement]) -> dict[int, NightMeasurement]:
    """Year → the last night of that year in the history (the year-end value)."""
    ends: dict[int, NightMeasurement] = {}
    for night in sorted(history, key=lambda item: item.date):
        ends[int(night.date[:4])] = night
    return ends
