"""What the public site receives about ЦОС: plan/fact with progress, the measured shares, roadmaps.

Built from the registry (reported figures and activities), the catalogue, the current results and
the store's history; the site renders it and computes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from checks.results import AuditedSchool, Results
from sveden.indicators.activities import ActivityStatus, activity_status
from sveden.indicators.catalogue import Catalogue, Indicator
from sveden.indicators.measured import Measurement, measure, nightly, year_ends
from sveden.indicators.models import Activity, IndicatorSeries
from sveden.indicators.progress import ProgressStatus, meets, progress_of

__all__ = [
    "SITES_UPDATED",
    "ActivityView",
    "CosData",
    "MeasuredView",
    "MunicipalityCos",
    "RegionCos",
    "SeriesView",
    "SitesComparison",
    "YearFigure",
    "cos_data_of",
]

#: The reported indicator the measured share is set beside.
SITES_UPDATED = "sites_updated_share"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class YearFigure(_Frozen):
    """Plan and fact of one year; `met` is None when there is no fact or no plan."""

    year: int
    plan: float | None
    fact: float | None
    met: bool | None


class SeriesView(_Frozen):
    """One reported indicator of a municipality, with its source and progress."""

    indicator: str
    source_id: str | None
    source_title: str | None
    where: str | None
    note: str | None
    years: tuple[YearFigure, ...]
    status: ProgressStatus
    fact_year: int | None
    outdated: bool
    expected: float | None
    target_year: int | None
    target: float | None


class MeasuredView(_Frozen):
    """The measured shares on one date, with their counts."""

    date: str
    schools: int
    audited: int
    meeting: int
    good_score: int
    meeting_share: float | None
    good_score_share: float | None


class SitesComparison(_Frozen):
    """The reported «updated their sites» figure beside the measured share, and the difference.

    `measured_that_year` is the year-end measurement of the reported fact's year, when the store
    has a night in that year: the fairest comparison.
    """

    reported_year: int | None
    reported_fact: float | None
    reported_plan: float | None
    source_title: str | None
    measured: MeasuredView
    difference: float | None
    measured_that_year: MeasuredView | None
    difference_that_year: float | None


class ActivityView(_Frozen):
    """A roadmap activity with its status on the data's date."""

    number: str | None
    title: str
    responsible: str | None
    result: str | None
    deadline: str | None
    due: str | None
    done: str | None
    done_evidence: str | None
    status: ActivityStatus
    source_title: str
    where: str | None


class MunicipalityCos(_Frozen):
    """Everything ЦОС about one municipality."""

    series: tuple[SeriesView, ...]
    measured: MeasuredView
    nights: tuple[MeasuredView, ...]
    year_ends: tuple[MeasuredView, ...]
    comparison: SitesComparison | None
    activities: tuple[ActivityView, ...]


class RegionCos(_Frozen):
    """Region-level roadmap activities (a regional document that names no municipality)."""

    activities: tuple[ActivityView, ...]


class CosData(_Frozen):
    """The ЦОС part of the site data."""

    as_of: str
    indicators: tuple[Indicator, ...]
    municipalities: dict[str, MunicipalityCos]
    regions: dict[str, RegionCos]

    def indicator(self, indicator_id: str) -> Indicator:
        """The catalogued indicator (every id in the data is catalogued)."""
        return next(item for item in self.indicators if item.id == indicator_id)


def _measured_view(date: str, measurement: Measurement) -> MeasuredView:
    return MeasuredView(
        date=date,
        schools=measurement.schools,
        audited=measurement.audited,
        meeting=measurement.meeting,
        good_score=measurement.good_score,
        meeting_share=measurement.meeting_share,
        good_score_share=measurement.good_score_share,
    )


def _series_view(
    series: IndicatorSeries, indicator: Indicator, sources: Mapping[str, str], today: dt.date
) -> SeriesView:
    """`outdated`: the latest fact is older than last year, so the status describes the past."""
    progress = progress_of(indicator, series.values)
    years = tuple(
        YearFigure(
            year=value.year,
            plan=value.plan,
            fact=value.fact,
            met=meets(indicator, value.fact, value.plan)
            if value.plan is not None and value.fact is not None
            else None,
        )
        for value in sorted(series.values, key=lambda value: value.year)
    )
    return SeriesView(
        indicator=series.indicator,
        source_id=series.source,
        source_title=sources.get(series.source) if series.source else None,
        where=series.where,
        note=series.note,
        years=years,
        status=progress.status,
        fact_year=progress.fact_year,
        outdated=progress.fact_year is not None and progress.fact_year < today.year - 1,
        expected=progress.expected,
        target_year=progress.target_year,
        target=progress.target,
    )


def _activity_view(activity: Activity, today: dt.date, sources: Mapping[str, str]) -> ActivityView:
    return ActivityView(
        number=activity.number,
        title=activity.title,
        responsible=activity.responsible,
        result=activity.result,
        deadline=activity.deadline,
        due=activity.due,
        done=activity.done,
        done_evidence=activity.done_evidence,
        status=activity_status(activity, today),
        source_title=sources.get(activity.source, activity.source),
        where=activity.where,
    )


def _difference(measured: MeasuredView | None, reported: float | None) -> float | None:
    if measured is None or measured.meeting_share is None or reported is None:
        return None
    return round(measured.meeting_share - reported, 1)


def _comparison(
    series: Sequence[SeriesView], measured: MeasuredView, ends: Sequence[MeasuredView]
) -> SitesComparison | None:
    reported = next((item for item in series if item.indicator == SITES_UPDATED), None)
    if reported is None and measured.audited == 0:
        return None
    with_fact = [year for year in reported.years if year.fact is not None] if reported else []
    latest = with_fact[-1] if with_fact else None
    that_year = next((end for end in ends if latest is not None and end.date[:4] == str(latest.year)), None)
    return SitesComparison(
        reported_year=latest.year if latest else None,
        reported_fact=latest.fact if latest else None,
        reported_plan=latest.plan if latest else None,
        source_title=reported.source_title if reported else None,
        measured=measured,
        difference=_difference(measured, latest.fact if latest else None),
        measured_that_year=that_year,
        difference_that_year=_difference(that_year, latest.fact if latest else None),
    )


def cos_data_of(
    municipalities: Sequence[tuple[str, Sequence[IndicatorSeries], Sequence[Activity], frozenset[str]]],
    regions: Sequence[tuple[str, Sequence[Activity]]],
    sources: Mapping[str, str],
    catalogue: Catalogue,
    results: Results,
    history: Sequence[tuple[str, Sequence[AuditedSchool]]],
    mandatory: Mapping[str, frozenset[str]],
) -> CosData:
    """Join figures, activities and audits per municipality (id, series, activities, school ids)."""
    today = dt.date.fromisoformat(results.rules_as_of)
    date = results.generated_at[:10]
    by_municipality: dict[str, MunicipalityCos] = {}
    for municipality_id, reported, activities, school_ids in municipalities:
        series = tuple(
            _series_view(item, indicator, sources, today)
            for item in reported
            if (indicator := catalogue.get(item.indicator)) is not None
        )
        current = [school for school in results.schools if school.id in school_ids]
        measured = _measured_view(date, measure(current, mandatory))
        past = nightly(history, school_ids, mandatory)
        nights = tuple(_measured_view(night.date, night.measurement) for night in past)
        ends = tuple(
            _measured_view(night.date, night.measurement) for _, night in sorted(year_ends(past).items())
        )
        by_municipality[municipality_id] = MunicipalityCos(
            series=series,
            measured=measured,
            nights=nights,
            year_ends=ends,
            comparison=_comparison(series, measured, ends),
            activities=tuple(_activity_view(activity, today, sources) for activity in activities),
        )
    return CosData(
        as_of=today.isoformat(),
        indicators=catalogue.indicators,
        municipalities=by_municipality,
        regions={
            region_id: RegionCos(activities=tuple(_activity_view(a, today, sources) for a in activities))
            for region_id, activities in regions
        },
    )
