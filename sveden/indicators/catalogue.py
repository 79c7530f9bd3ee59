"""The ЦОС indicator catalogue (`catalogue.yaml`): ids, Russian titles, units, directions, definitions.

Loaded and validated once; a typo in a unit or a repeated id is an error naming the indicator.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["CATALOGUE_FILE", "Catalogue", "CatalogueError", "Indicator", "Unit", "load_catalogue"]

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")

Unit = Literal["percent", "count", "thousand_roubles"]


class CatalogueError(ValueError):
    """The catalogue file is invalid."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Indicator(_Frozen):
    """One indicator: reported by departments or measured by the audit."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["reported", "measured"]
    title: str = Field(min_length=1)
    short_title: str = Field(min_length=1)
    unit: Unit
    direction: Literal["higher", "lower"]
    definition: str = Field(min_length=1)


class Catalogue(_Frozen):
    """Every indicator, in display order."""

    indicators: tuple[Indicator, ...]

    def get(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, if catalogued."""
        return next((item for item in self.indicators if item.id == indicator_id), None)

    def reported(self) -> tuple[Indicator, ...]:
        """The indicators departments report (plan/fact)."""
        return tuple(item for item in self.indicators if item.kind == "reported")


@cache
def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Read and validate the catalogue; raises `CatalogueError` naming the problem."""
    try:
        catalogue = Catalogue.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        raise CatalogueError(f"{path}: {exc}") from exc
    ids = [item.id for item in catalogue.indicators]
    repeated = sorted({item for item in ids if ids.count(item) > 1})
    if repeated:
        raise CatalogueError(f"{path}: indicator id {repeated[0]!r} is repeated")
    return catalogue
