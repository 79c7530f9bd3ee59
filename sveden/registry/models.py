"""Typed models of `schools.yaml`: region → municipalities → schools, with sources and facts.

The schema is documented in the README ("The registry"). Models are strict: a number where
text belongs, an unknown key or an unknown kind is an error, never a silent conversion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    Tag,
)

from sveden.indicators.models import Activity, ActivityFile, IndicatorFile, IndicatorSeries, IndicatorValue

__all__ = [
    "SCHOOL_KINDS",
    "Activity",
    "ActivityFile",
    "Authority",
    "Conditions",
    "Fact",
    "IndicatorFile",
    "IndicatorSeries",
    "IndicatorValue",
    "Municipality",
    "Region",
    "Registry",
    "School",
    "SchoolKind",
    "Source",
]

SchoolKind = Literal["general_school", "preschool", "college", "university", "additional_education", "other"]
SCHOOL_KINDS: tuple[SchoolKind, ...] = (
    "general_school",
    "preschool",
    "college",
    "university",
    "additional_education",
    "other",
)

Slug = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
SnakeId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]


def _check_web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// address with a host name")
    if any(char.isspace() for char in value):
        raise ValueError("must not contain spaces")
    return value


def _check_iso_date(value: str) -> str:
    dt.date.fromisoformat(value)
    return value


WebUrl = Annotated[str, StringConstraints(strict=True), AfterValidator(_check_web_url)]
IsoDate = Annotated[str, StringConstraints(strict=True), AfterValidator(_check_iso_date)]


def _file_or_inline(value: object) -> str:
    """Which member of an inline-or-file union a mapping is (so errors name only that one)."""
    return "File" if isinstance(value, dict) and "file" in value else "Inline"


IndicatorEntry = Annotated[
    Annotated[IndicatorSeries, Tag("Inline")] | Annotated[IndicatorFile, Tag("File")],
    Discriminator(_file_or_inline),
]
ActivityEntry = Annotated[
    Annotated[Activity, Tag("Inline")] | Annotated[ActivityFile, Tag("File")],
    Discriminator(_file_or_inline),
]


class _Model(BaseModel):
    # Lax mode so YAML lists fill tuples; strict scalar types keep 1 from becoming "1" or True.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """A document that facts and figures are taken from."""

    id: Slug
    title: Text
    issuer: Text | None = None
    date: IsoDate | None = None
    number: Text | None = None
    url: WebUrl | None = None


class Fact(_Model):
    """One stated fact about a school (e.g. the year it got the ЦОС target model)."""

    fact: SnakeId
    year: StrictInt | None = Field(default=None, ge=1990, le=2100)
    value: Text | None = None
    source: Slug
    quote: Text | None = None


class Conditions(_Model):
    """What decides conditional requirements; ``None`` means the registry does not say."""

    branches: StrictBool | None = None
    rep_offices: StrictBool | None = None
    hostel: StrictBool | None = None
    paid_services: StrictBool | None = None
    extended_day: StrictBool | None = None


class School(_Model):
    """An educational organization whose official site is audited."""

    id: Slug
    name: Text
    short_name: Text | None = None
    kind: SchoolKind
    url: WebUrl | None = None
    url_evidence: WebUrl | None = None
    locality: Literal["urban", "rural"]
    public: StrictBool
    has_primary_grades: StrictBool | None = None
    conditions: Conditions = Conditions()
    facts: tuple[Fact, ...] = ()


class Authority(_Model):
    """The municipal education authority."""

    name: Text
    url: WebUrl | None = None


class Municipality(_Model):
    """A town or district with its schools and reported indicators."""

    id: Slug
    name: Text
    full_name: Text | None = None
    authority: Authority | None = None
    sources: tuple[Slug, ...] = ()
    indicators: tuple[IndicatorEntry, ...] = ()
    activities: tuple[ActivityEntry, ...] = ()
    schools: tuple[School, ...] = ()

    def reported(self) -> tuple[IndicatorSeries, ...]:
        """The reported series (files are read into series when the registry is loaded)."""
        return tuple(entry for entry in self.indicators if isinstance(entry, IndicatorSeries))

    def roadmap(self) -> tuple[Activity, ...]:
        """The roadmap activities (files are read into activities when the registry is loaded)."""
        return tuple(entry for entry in self.activities if isinstance(entry, Activity))


class Region(_Model):
    """A subject of the Russian Federation (it may have region-level activities and no municipalities yet)."""

    id: Slug
    name: Text
    timezone: Text = "Europe/Moscow"
    sources: tuple[Slug, ...] = ()
    activities: tuple[ActivityEntry, ...] = ()
    municipalities: tuple[Municipality, ...] = ()

    def roadmap(self) -> tuple[Activity, ...]:
        """Region-level roadmap activities (e.g. a regional resolution's dated items)."""
        return tuple(entry for entry in self.activities if isinstance(entry, Activity))


class Registry(_Model):
    """The whole of `schools.yaml`."""

    schema_version: Literal[1]
    sources: tuple[Source, ...] = ()
    regions: tuple[Region, ...]

    def schools(self) -> list[tuple[Region, Municipality, School]]:
        """Every school with its region and municipality, in file order."""
        return [
            (region, municipality, school)
            for region in self.regions
            for municipality in region.municipalities
            for school in municipality.schools
        ]

    def with_schools(self, change: Callable[[School], School | None]) -> Registry:
        """A copy with every school passed through `change` (None drops the school)."""
        regions = []
        for region in self.regions:
            municipalities = []
            for municipality in region.municipalities:
                changed = (change(school) for school in municipality.schools)
                schools = tuple(school for school in changed if school is not None)
                municipalities.append(municipality.model_copy(update={"schools": schools}))
            regions.append(region.model_copy(update={"municipalities": tuple(municipalities)}))
        return self.model_copy(update={"regions": tuple(regions)})
