"""The audited-school object: what `sveden audit --json` prints and `results.json` holds per school."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from crawler.snapshot import FoundBy, Reachability

__all__ = [
    "RESULTS_SCHEMA_VERSION",
    "AuditedSchool",
    "Evidence",
    "ExtraBasis",
    "ExtraCheck",
    "ItemResult",
    "ItemStatus",
    "LegacyMarkup",
    "Outcome",
    "Results",
    "SectionResult",
]

RESULTS_SCHEMA_VERSION = 2

ItemStatus = Literal[
    "present",
    "empty",
    "placeholder",
    "legacy",
    "misplaced",
    "outside_parent",
    "hidden",
    "present_without_markup",
    "missing",
    "not_applicable",
    "broken_link",
    "not_checked",
]
Outcome = Literal["pass", "fail", "warn", "not_applicable", "not_checked"]
#: What an extra check rests on: a legal act, an official recommendation, or common practice.
ExtraBasis = Literal["law", "recommendation", "practice"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Frozen):
    """Where the item was looked for and what was found (values come from the school's site)."""

    url: str | None = None
    line: int | None = None
    snippet: str | None = None
    value: str | None = None
    count: int = 0
    detail: str | None = None


class ItemResult(_Frozen):
    """The finding of one rule for one school."""

    @model_validator(mode="before")
    @classmethod
    def _from_schema_1(cls, data: Any) -> Any:
        """Read an item stored by schema version 1 (no ``scored``): pass and fail were scored then."""
        if isinstance(data, dict) and "scored" not in data and "outcome" in data:
            return {**data, "scored": data["outcome"] in ("pass", "fail")}
        return data

    code: str
    title: str
    itemprop: str | None
    parent: str | None
    status: ItemStatus
    outcome: Outcome
    scored: bool
    evidence: Evidence
    hint: str
    fix: str = ""


class LegacyMarkup(_Frozen):
    """An outdated itemprop found on a subsection's pages that no current rule asks for."""

    itemprop: str
    count: int
    replacement: tuple[str, ...]
    note: str
    url: str


class SectionResult(_Frozen):
    """One subsection: where it was found, its score and one item per rule."""

    key: str
    title: str
    url: str | None
    found_by: FoundBy
    score: float | None
    items: tuple[ItemResult, ...]
    legacy_markup: tuple[LegacyMarkup, ...] = ()


class ExtraCheck(_Frozen):
    """A check outside order 1493's items (HTTPS, ministries' links, food …), scored apart.

    ``detail`` says what was found (names of missing files, counts, first offending pages);
    ``legal_ref`` names the act or the practice the check rests on and how sure that basis is.
    """

    outcome: Outcome
    basis: ExtraBasis
    title: str = ""
    detail: str
    legal_ref: str = ""
    url: str | None = None


class AuditedSchool(_Frozen):
    """One school's audit."""

    id: str
    name: str
    municipality: str
    kind: str
    url: str | None
    audited_at: str
    rules_as_of: str
    reachability: Reachability
    reachability_detail: str
    score: float | None
    sections: tuple[SectionResult, ...]
    section_checks: tuple[ItemResult, ...]
    extras: dict[str, ExtraCheck]
    extras_score: float | None = None
    stale: bool = False

    def all_items(self) -> list[ItemResult]:
        """Every finding, section checks first, then subsection by subsection."""
        return [*self.section_checks, *(item for section in self.sections for item in section.items)]

    def failing_items(self) -> list[ItemResult]:
        """Every failed item, in the order of `all_items`."""
        return [item for item in self.all_items() if item.outcome == "fail"]


class Results(_Frozen):
    """`results.json`: every audited school of a run."""

    schema_version: int = RESULTS_SCHEMA_VERSION
    generated_at: str
    rules_as_of: str
    schools: tuple[AuditedSchool, ...]
