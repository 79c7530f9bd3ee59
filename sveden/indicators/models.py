"""Typed reported ЦОС figures and roadmap activities, as the registry and department tables hold them.

These models are part of the registry schema (README, "Indicators"); they live here so the
indicator readers never depend on the registry package.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StringConstraints,
    model_validator,
)

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Activity",
    "ActivityFile",
    "IndicatorFile",
    "IndicatorSeries",
    "IndicatorValue",
    "Slug",
]

#: The years a figure may be reported for: the federal project started in 2018, its successor runs to 2030.
FIRST_YEAR = 2015
LAST_YEAR = 2030

Slug = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
SnakeId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]


def _check_iso_date(value: str) -> str:
    dt.date.fromisoformat(value)
    return value


IsoDate = Annotated[str, StringConstraints(strict=True), AfterValidator(_check_iso_date)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndicatorValue(_Model):
    """Plan and/or fact of one indicator for one year (numbers only: 65.5, not "65,5")."""

    year: StrictInt = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    plan: StrictFloat | None = None
    fact: StrictFloat | None = None


class IndicatorSeries(_Model):
    """Reported figures of one ЦОС indicator for a municipality, from one document."""

    indicator: SnakeId
    source: Slug | None = None
    where: Text | None = None
    note: Text | None = None
    values: tuple[IndicatorValue, ...] = ()

    @model_validator(mode="after")
    def _one_value_per_year(self) -> IndicatorSeries:
        years = [value.year for value in self.values]
        repeated = sorted({year for year in years if years.count(year) > 1})
        if repeated:
            raise ValueError(f"year {repeated[0]} is given twice")
        return self


class IndicatorFile(_Model):
    """A department table (CSV, XLSX) or YAML file of figures, relative to the registry file."""

    file: Text
    source: Slug | None = None


class Activity(_Model):
    """One measure of a roadmap: what, who, by when, with which result document.

    `deadline` is the document's wording; `starts` and `due` are its dates (the last day of
    the stated period); `done` is the date a completion was reported, with `done_evidence`.
    """

    number: Text | None = None
    title: Text
    responsible: Text | None = None
    result: Text | None = None
    deadline: Text | None = None
    starts: IsoDate | None = None
    due: IsoDate | None = None
    done: IsoDate | None = None
    done_evidence: Text | None = None
    source: Slug
    where: Text | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Activity:
        if self.deadline and not self.due:
            raise ValueError("due is required when the document states a deadline")
        if self.starts and self.due and self.starts > self.due:
            raise ValueError(f"starts {self.starts} is after due {self.due}")
        if self.done and not self.done_evidence:
            raise ValueError("done needs done_evidence (where the completion is reported)")
        return self


class ActivityFile(_Model):
    """A YAML file of roadmap activities (``activities: [...]``), relative to the registry file."""

    file: Text
