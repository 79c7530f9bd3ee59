"""Render the public site's Markdown pages from `SiteData` with Jinja2 (pure functions).

Autoescaping is on: every value that came from a school site is HTML-escaped, and values
shown in Markdown prose are also escaped for Markdown (`md` filter). Links are emitted only
for http(s) addresses.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from statistics import mean
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from checks.results import AuditedSchool
from checks.scoring import EXTRA_WEIGHTS
from sveden.indicators.models import FIRST_YEAR, LAST_YEAR
from sveden.site_cos_pages import cos_summary, register_cos_filters, render_region_pages
from sveden.site_data import MunicipalityInfo, SiteData

__all__ = ["municipality_summary", "nav_of", "render_pages"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def _md(value: object) -> Markup:
    """Escape a value for Markdown prose (after HTML escaping)."""
    return Markup(_MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value))))


def _safe_href(value: str | None) -> str | None:
    """The address if it is http(s), else None (no javascript: or data: links)."""
    if value and re.match(r"^https?://", value, re.IGNORECASE):
        return value
    return None


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def municipality_summary(municipality: MunicipalityInfo, data: SiteData) -> dict[str, Any]:
    """Counts and the mean score of a municipality's schools."""
    schools = [school for sid in municipality.school_ids if (school := data.school(sid)) is not None]
    scores = [school.score for school in schools if school.score is not None]
    return {
        "schools": len(schools),
        "with_url": sum(school.url is not None for school in schools),
        "audited": len(scores),
        "mean_score": round(mean(scores), 1) if scores else None,
        "complete": sum(1 for school in schools if school.score == 100.0),
    }


def _environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(enabled_extensions=("j2",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md
    env.filters["safe_href"] = _safe_href
    env.filters["score"] = _score
    register_cos_filters(env)
    return env


def _school_page(school: AuditedSchool) -> str:
    return f"schools/{school.id}.md"


def render_pages(data: SiteData, templates: Path) -> dict[str, str]:
    """Every generated page: source path (relative to docs) → Markdown."""
    env = _environment(templates)
    pages: dict[str, str] = {}
    municipalities = [
        (
            region,
            municipality,
            municipality_summary(municipality, data) | {"cos": cos_summary(data, municipality.id)},
        )
        for region in data.regions
        for municipality in region.municipalities
    ]
    pages["index.md"] = env.get_template("index.md.j2").render(data=data, municipalities=municipalities)
    pages.update(render_region_pages(env, data))
    for region, municipality, summary in municipalities:
        schools = [school for sid in municipality.school_ids if (school := data.school(sid)) is not None]
        pages[f"municipalities/{municipality.id}.md"] = env.get_template("municipality.md.j2").render(
            data=data, region=region, municipality=municipality, summary=summary, schools=schools
        )
        for school in schools:
            pages[_school_page(school)] = env.get_template("school.md.j2").render(
                data=data, region=region, municipality=municipality, school=school
            )
    pages["methodology.md"] = env.get_template("methodology.md.j2").render(
        data=data, extra_weights=EXTRA_WEIGHTS
    )
    pages["data.md"] = env.get_template("data.md.j2").render(
        data=data, first_year=FIRST_YEAR, last_year=LAST_YEAR
    )
    return pages


def nav_of(data: SiteData) -> list[Any]:
    """The short navigation: home, one entry per municipality, methodology, open data.

    School pages stay out of the navigation: a page per school in the nav makes the build
    quadratic (DESIGN.md, "Scale").
    """
    by_region = [
        {
            region.name: [
                {"Обзор региона": f"regions/{region.id}.md"},
                *({m.name: f"municipalities/{m.id}.md"} for m in region.municipalities),
            ]
        }
        for region in data.regions
    ]
    return [
        {"Главная": "index.md"},
        *by_region,
        {"Методика": "methodology.md"},
        {"Открытые данные": "data.md"},
    ]
