"""ЦОС on the public site: number formatting for the templates, region pages, downloadable tables.

Used by `sveden.site_pages` (filters, region pages) and the MkDocs hook (files to download).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from jinja2 import Environment

from sveden.indicators.catalogue import load_catalogue
from sveden.indicators.template import TEMPLATE_CSV, TEMPLATE_XLSX, template_csv, template_xlsx
from sveden.site_data import SiteData

__all__ = [
    "ACTIVITIES_CSV",
    "FIGURES_CSV",
    "activities_csv",
    "cos_downloads",
    "cos_summary",
    "figures_csv",
    "register_cos_filters",
    "render_region_pages",
]

FIGURES_CSV = "cos-figures.csv"
ACTIVITIES_CSV = "cos-activities.csv"

_UNIT_SUFFIX = {"percent": " %", "count": "", "thousand_roubles": " тыс. руб."}


def _number(value: float | None) -> str:
    """65.5 → «65,5»; 20538.1 → «20 538,1»; None → «—»."""
    if value is None:
        return "—"
    text = f"{value:,.1f}" if value != int(value) else f"{int(value):,}"
    return text.replace(",", "\u00a0").replace(".", ",")


def _figure(value: float | None, unit: str) -> str:
    return "—" if value is None else _number(value) + _UNIT_SUFFIX.get(unit, "")


def _points(value: float | None) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{_number(abs(value))} п. п."


def register_cos_filters(env: Environment) -> None:
    """Filters the ЦОС templates use: `number`, `figure(unit)`, `points`."""
    env.filters["number"] = _number
    env.filters["figure"] = _figure
    env.filters["points"] = _points


def cos_summary(data: SiteData, municipality_id: str) -> dict[str, Any]:
    """Counts of progress statuses and overdue activities of a municipality."""
    cos = data.cos.municipalities.get(municipality_id)
    statuses = [series.status for series in cos.series] if cos else []
    activities = [activity.status for activity in cos.activities] if cos else []
    return {
        "indicators": len(statuses),
        **{status: statuses.count(status) for status in ("achieved", "on_track", "behind", "no_data")},
        "activities": len(activities),
        "overdue": activities.count("overdue"),
        "measured": cos.measured if cos else None,
    }


def render_region_pages(env: Environment, data: SiteData) -> dict[str, str]:
    """A page per region: its municipalities' ЦОС summary and region-level activities."""
    template = env.get_template("region.md.j2")
    return {
        f"regions/{region.id}.md": template.render(
            data=data,
            region=region,
            summaries=[(m, cos_summary(data, m.id)) for m in region.municipalities],
            region_cos=data.cos.regions.get(region.id),
        )
        for region in data.regions
    }


def _csv_bytes(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def figures_csv(data: SiteData) -> bytes:
    """Every reported figure in long form (one row per municipality, indicator and year), UTF-8 with BOM."""
    rows: list[list[object]] = [
        ["region", "municipality", "indicator", "unit", "year", "plan", "fact", "status", "source", "where"]
    ]
    for region in data.regions:
        for municipality in region.municipalities:
            cos = data.cos.municipalities.get(municipality.id)
            for series in cos.series if cos else ():
                unit = data.cos.indicator(series.indicator).unit
                rows += [
                    [
                        region.id,
                        municipality.id,
                        series.indicator,
                        unit,
                        year.year,
                        "" if year.plan is None else f"{year.plan:g}",
                        "" if year.fact is None else f"{year.fact:g}",
                        series.status,
                        series.source_title or "",
                        series.where or "",
                    ]
                    for year in series.years
                ]
    return _csv_bytes(rows)


def activities_csv(data: SiteData) -> bytes:
    """Every roadmap activity with its status on the data's date, region-level ones with no municipality."""
    header: list[object] = [
        "region",
        "municipality",
        "number",
        "title",
        "responsible",
        "result",
        "deadline",
        "due",
        "status",
        "as_of",
        "source",
        "where",
    ]
    rows = [header]
    for region in data.regions:
        holders = [("", data.cos.regions.get(region.id))] + [
            (m.id, data.cos.municipalities.get(m.id)) for m in region.municipalities
        ]
        for municipality_id, holder in holders:
            for activity in holder.activities if holder else ():
                rows.append(
                    [
                        region.id,
                        municipality_id,
                        activity.number or "",
                        activity.title,
                        activity.responsible or "",
                        activity.result or "",
                        activity.deadline or "",
                        activity.due or "",
                        activity.status,
                        data.cos.as_of,
                        activity.source_title,
                        activity.where or "",
                    ]
                )
    return _csv_bytes(rows)


def cos_downloads(data: SiteData) -> dict[str, bytes]:
    """Files published with the site: the department table templates and every reported figure."""
    catalogue = load_catalogue()
    return {
        TEMPLATE_CSV: template_csv(catalogue),
        TEMPLATE_XLSX: template_xlsx(catalogue),
        FIGURES_CSV: figures_csv(data),
        ACTIVITIES_CSV: activities_csv(data),
    }
