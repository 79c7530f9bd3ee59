"""Progress of a reported indicator against its plan, after Open SDG's progress measure.

Open SDG (the open-source platform for SDG reporting) rates an indicator by comparing the
observed progress with the progress needed to reach the target: «target achieved», then
«substantial progress» when the ratio is at least 0.95, and lower bands below that. The
roadmaps give a plan for every year, so the needed progress at year *t* is the plan for *t*:

1. **no_data** — no year has a reported fact.
2. Take the latest year *t* with a fact *f* and the final target *P* (the plan of the last year
   with a plan).
3. **achieved** — *f* meets *P* (≥ for «higher is better», ≤ for «lower is better»).
4. The expected value *e* at *t* is the plan for *t*; between two plan years it is interpolated
   linearly; before the first plan year it is the first plan; after the last it is *P*.
5. **on_track** — the ratio *f/e* (*e/f* when lower is better) is at least 0.95, Open SDG's
   threshold for substantial progress; *e* = 0 counts as met by any fact.
6. **behind** — otherwise (Open SDG's moderate, limited and negative progress together).

A year's cell is *met* when its fact meets its own plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from sveden.indicators.catalogue import Indicator
from sveden.indicators.models import IndicatorValue

__all__ = ["ON_TRACK_RATIO", "Progress", "ProgressStatus", "meets", "progress_of"]

ProgressStatus = Literal["achieved", "on_track", "behind", "no_data"]

#: Open SDG's threshold between «substantial» and «moderate» progress.
ON_TRACK_RATIO = 0.95


@dataclass(frozen=True)
class Progress:
    """The status, the year of the fact it rests on, and the expected value that year."""

    status: ProgressStatus
    fact_year: int | None = None
    fact: float | None = None
    expected: float | None = None
    target_year: int | None = None
    target: float | None = None


def meets(indicator: Indicator, fact: float, plan: float) -> bool:
    """Whether `fact` meets `plan` in the indicator's direction."""
    return fact >= plan if indicator.direction == "higher" else fact <= plan


def _expected(plans: Sequence[tuple[int, float]], year: int) -> float:
    if year <= plans[0][0]:
        return plans[0][1]
    for (year_a, plan_a), (year_b, plan_b) in pairwise(plans):
        if year_a <= year <= year_b:
            return plan_a + (plan_b - plan_a) * (year - year_a) / (year_b - year_a)
    return plans[-1][1]


def progress_of(indicator: Indicator, values: Sequence[IndicatorValue]) -> Progress:
    """The progress status of one municipality's series of `indicator`."""
    facts = sorted((value.year, value.fact) for value in values if value.fact is not None)
    plans = sorted((value.year, value.plan) for value in values if value.plan is not None)
    if not facts:
        return Progress("no_data")
    fact_year, fact = facts[-1]
    if not plans:
        return Progress("no_data", fact_year, fact)
    target_year, target = plans[-1]
    if meets(indicator, fact, target):
        return Progress("achieved", fact_year, fact, target, target_year, target)
    expected = _expected(plans, fact_year)
    if indicator.direction == "higher":
        ratio = 1.0 if expected <= 0 else fact / expected
    else:
        ratio = 1.0 if fact <= 0 else expected / fact
    status: ProgressStatus = "on_track" if ratio >= ON_TRACK_RATIO else "behind"
    return Progress(status, fact_year, fact, round(expected, 3), target_year, target)
