"""The rulebook: every requirement as data (`rulebook.yaml`), validated when loaded.

Code refers to rules by code and never copies their wording. A typo in a code, a parent, a
subsection or a date is an error that names the rule.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from checks.vocabulary import Vocabulary

__all__ = [
    "Basis",
    "Condition",
    "LegacyName",
    "Required",
    "Rule",
    "Rulebook",
    "RulebookError",
    "Severity",
    "Subsection",
    "load_rulebook",
]

Required = Literal["yes", "if_applicable", "transitional", "legacy", "optional"]
Basis = Literal["law", "recommendation", "practice"]
Severity = Literal["critical", "major", "minor"]
Condition = Literal["branches", "rep_offices", "hostel", "paid_services", "extended_day"]
Kind = Literal["all", "general_school", "preschool", "college", "university", "additional_education", "other"]

#: libyaml's loader where PyYAML was built with it: the same result, about ten times quicker.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CODE = re.compile(r"^SV-[A-Z0-9_]+(?:-[A-Z0-9_]+)+$")


class RulebookError(ValueError):
    """The rulebook is inconsistent; the message names the rule."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Subsection(_Frozen):
    """One of the section's subsections (order 1493 p.6, MR v9 table 3.1)."""

    key: str
    title: str
    path: str
    order_1493_point: str
    required: Literal["yes", "conditional"]
    applies_to: tuple[Kind, ...]
    aliases: tuple[str, ...] = ()
    slugs: tuple[str, ...] = ()


class Rule(_Frozen):
    """One requirement with its applicability, dates, severity and Russian wording.

    ``allows_absent``: «отсутствует», «нет», «не предусмотрено» or «0» is a legitimate value
    (MR v9 asks to keep the tag with such text when the item does not apply). ``labels``: the
    captions sites print before the value, for finding information that has no markup.
    """

    code: str
    check: Literal["itemprop", "subsection_page", "section"]
    subsection: str | None
    itemprop: str | None = None
    parent: str | None = None
    applies_to: tuple[Kind, ...]
    condition: Condition | None = None
    required: Required
    effective_from: dt.date
    effective_until: dt.date | None = None
    basis: Basis
    severity: Severity
    allows_absent: bool = False
    labels: tuple[str, ...] = ()
    status: Literal["stable", "preview", "retired"]
    title: str = Field(min_length=1)
    hint: str = Field(min_length=1)
    example: str = ""
    legal_ref: str = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if not _CODE.match(self.code):
            raise ValueError(f"code {self.code!r} is not of the form SV-<PART>-<PART>")
        if self.effective_until is not None and self.effective_until <= self.effective_from:
            raise ValueError("effective_until must be after effective_from")
        if self.check == "itemprop" and not self.itemprop:
            raise ValueError("an itemprop rule needs an itemprop")
        return self

    def in_force(self, on: dt.date) -> bool:
        """Whether the rule applies to an audit made on `on`."""
        return self.effective_from <= on and (self.effective_until is None or on < self.effective_until)

    def applies_to_kind(self, kind: str) -> bool:
        """Whether organizations of `kind` are subject to the rule."""
        return "all" in self.applies_to or kind in self.applies_to


class LegacyName(_Frozen):
    """An outdated itemprop name that no case-and-punctuation folding maps to a current one.

    ``current`` lists the MR v9 names to use instead (empty when there is no equivalent);
    ``subsection`` limits the meaning to one subsection (``Name`` on «Основные сведения»).
    """

    name: str
    subsection: str | None
    current: tuple[str, ...]
    note: str = Field(min_length=1)


def _applies_on(rule: Rule, on: dt.date) -> bool:
    return rule.status != "retired" and rule.in_force(on)


class _RulebookFile(_Frozen):
    schema_version: Literal[1]
    subsections: tuple[Subsection, ...]
    rules: tuple[Rule, ...]
    legacy_names: tuple[LegacyName, ...] = ()


class Rulebook:
    """All subsections and rules, with look-ups by key and code."""

    def __init__(
        self,
        subsections: tuple[Subsection, ...],
        rules: tuple[Rule, ...],
        legacy_names: tuple[LegacyName, ...] = (),
    ) -> None:
        self.subsections = subsections
        self.rules = rules
        self.legacy_names = legacy_names
        self._in_force: dict[dt.date, list[Rule]] = {}
        self._validate()

    @cached_property
    def by_code(self) -> dict[str, Rule]:
        """Rules keyed by code."""
        return {rule.code: rule for rule in self.rules}

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Every itemprop the rules name, with the outdated names (built once per rulebook)."""
        return Vocabulary(self)

    @cached_property
    def subsection_by_key(self) -> dict[str, Subsection]:
        """Subsections keyed by key."""
        return {subsection.key: subsection for subsection in self.subsections}

    def rules_in_force(self, on: dt.date) -> list[Rule]:
        """The rules an audit made on `on` uses."""
        if on not in self._in_force:
            self._in_force[on] = [
                rule for rule in self.rules if rule.status != "retired" and rule.in_force(on)
            ]
        return list(self._in_force[on])

    def _validate(self) -> None:
        keys = [subsection.key for subsection in self.subsections]
        if len(set(keys)) != len(keys):
            raise RulebookError("subsection keys repeat")
        seen: set[str] = set()
        top_level = {(rule.subsection, rule.itemprop) for rule in self.rules if rule.parent is None}
        for rule in self.rules:
            if rule.code in seen:
                raise RulebookError(f"{rule.code}: code used twice")
            seen.add(rule.code)
            if rule.check != "section" and rule.subsection not in keys:
                raise RulebookError(f"{rule.code}: unknown subsection {rule.subsection!r}")
            if rule.parent is not None and (rule.subsection, rule.parent) not in top_level:
                raise RulebookError(f"{rule.code}: parent {rule.parent!r} has no rule of its own")
        names = {rule.itemprop for rule in self.rules if rule.itemprop}
        for legacy in self.legacy_names:
            if legacy.name in names:
                raise RulebookError(f"legacy name {legacy.name}: it is a current itemprop")
            if legacy.subsection is not None and legacy.subsection not in keys:
                raise RulebookError(f"legacy name {legacy.name}: unknown subsection {legacy.subsection!r}")
            for current in legacy.current:
                if current not in names:
                    raise RulebookError(
                        f"legacy name {legacy.name}: {current!r} is not an itemprop of any rule"
                    )


def load_rulebook(path: Path | None = None) -> Rulebook:
    """Load and validate the rulebook (the committed `checks/rulebook.yaml` by default)."""
    path = path or Path(__file__).with_name("rulebook.yaml")
    origin = str(path)
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    try:
        parsed = _RulebookFile.model_validate(raw)
    except ValidationError as exc:
        raise RulebookError(f"{origin}: {_describe(raw, exc)}") from exc
    return Rulebook(parsed.subsections, parsed.rules, parsed.legacy_names)


def _describe(raw: object, exc: ValidationError) -> str:
    """Name the rule (by code) that each validation error is about."""
    lines = []
    for error in exc.errors():
        loc = error["loc"]
        where = ".".join(str(part) for part in loc)
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int) and isinstance(raw, dict):
            rule = raw["rules"][loc[1]]
            code = rule.get("code", f"rules[{loc[1]}]") if isinstance(rule, dict) else f"rules[{loc[1]}]"
            where = f"{code}: {'.'.join(str(part) for part in loc[2:]) or '(rule)'}"
        lines.append(f"{where}: {error['msg']}")
    return "; ".join(lines)
