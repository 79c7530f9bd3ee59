"""The plain data the public site is built from (written by `sveden build`, read by the MkDocs hook).

The site never fetches and never scores: it receives results, the registry's geography and
the rulebook's wording, nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from checks.results import AuditedSchool, Results
from checks.rulebook import Rulebook
from checks.scoring import SEVERITY_WEIGHTS
from sveden.indicators.catalogue import load_catalogue
from sveden.indicators.measured import mandatory_subsections
from sveden.indicators.site_view import CosData, cos_data_of
from sveden.registry import Registry

__all__ = ["SITE_DATA_FILE", "MunicipalityInfo", "RegionInfo", "RuleInfo", "SiteData", "site_data_of"]

SITE_DATA_FILE = "site-data.json"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MunicipalityInfo(_Frozen):
    """A municipality and the ids of its schools."""

    id: str
    name: str
    full_name: str | None
    authority: str | None
    authority_url: str | None
    school_ids: tuple[str, ...]


class RegionInfo(_Frozen):
    """A region and its municipalities."""

    id: str
    name: str
    municipalities: tuple[MunicipalityInfo, ...]


class RuleInfo(_Frozen):
    """A rule's public wording, for the methodology page."""

    code: str
    subsection: str | None
    title: str
    required: str
    basis: str
    severity: str
    weight: float
    legal_ref: str
    example: str
    effective_from: str
    effective_until: str | None


class SiteData(_Frozen):
    """Everything the site shows."""

    generated_at: str
    rules_as_of: str
    regions: tuple[RegionInfo, ...]
    schools: tuple[AuditedSchool, ...]
    subsections: dict[str, str]
    rules: tuple[RuleInfo, ...]
    severity_weights: dict[str, float]
    cos: CosData

    def school(self, school_id: str) -> AuditedSchool | None:
        """The audit of a school, if it is in the results."""
        return next((school for school in self.schools if school.id == school_id), None)


def site_data_of(
    registry: Registry,
    results: Results,
    rulebook: Rulebook,
    history: Sequence[tuple[str, Sequence[AuditedSchool]]] = (),
) -> SiteData:
    """Join results with the registry's geography, the rulebook's wording and the ЦОС figures.

    `history` is every stored night (date, audits), oldest first, for the measured indicators.
    """
    regions = tuple(
        RegionInfo(
            id=region.id,
            name=region.name,
            municipalities=tuple(
                MunicipalityInfo(
                    id=municipality.id,
                    name=municipality.name,
                    full_name=municipality.full_name,
                    authority=municipality.authority.name if municipality.authority else None,
                    authority_url=municipality.authority.url if municipality.authority else None,
                    school_ids=tuple(school.id for school in municipality.schools),
                )
                for municipality in region.municipalities
            ),
        )
        for region in registry.regions
    )
    rules = tuple(
        RuleInfo(
            code=rule.code,
            subsection=rule.subsection,
            title=rule.title,
            required=rule.required,
            basis=rule.basis,
            severity=rule.severity,
            weight=SEVERITY_WEIGHTS[rule.severity],
            legal_ref=rule.legal_ref,
            example=rule.example,
            effective_from=rule.effective_from.isoformat(),
            effective_until=rule.effective_until.isoformat() if rule.effective_until else None,
        )
        for rule in rulebook.rules
    )
    return SiteData(
        generated_at=results.generated_at,
        rules_as_of=results.rules_as_of,
        regions=regions,
        schools=results.schools,
        subsections={sub.key: sub.title for sub in rulebook.subsections},
        rules=rules,
        severity_weights=dict(SEVERITY_WEIGHTS),
        cos=_cos_of(registry, results, rulebook, history),
    )


def _cos_of(
    registry: Registry,
    results: Results,
    rulebook: Rulebook,
    history: Sequence[tuple[str, Sequence[AuditedSchool]]],
) -> CosData:
    municipalities = [
        (m.id, m.reported(), m.roadmap(), frozenset(school.id for school in m.schools))
        for region in registry.regions
        for m in region.municipalities
    ]
    return cos_data_of(
        municipalities,
        [(region.id, region.roadmap()) for region in registry.regions],
        {source.id: source.title for source in registry.sources},
        load_catalogue(),
        results,
        history,
        mandatory_subsections(rulebook),
    )
