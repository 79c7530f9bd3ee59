"""The exact HTML a webmaster pastes to fix a finding, pre-filled with the school's own values.

Values come from the school's site: the snippet is plain text, and every renderer escapes it.
"""

from __future__ import annotations

import re

from checks.item_status import ItemFinding
from checks.rulebook import Rule

__all__ = ["fix_snippet"]

_ITEMPROP_ATTRIBUTE = re.compile(r'itemprop="[^"]*"')
_LEADING_LABEL = re.compile(r"^[^:]{1,40}:\s*")
_UNHIDE = "уберите display:none, класс hidden или атрибут hidden у этого элемента и его родителей"


def fix_snippet(rule: Rule, finding: ItemFinding, replacement: tuple[str, ...] = ()) -> str:
    """HTML that makes the rule pass, or "" when nothing needs fixing or no snippet helps."""
    status, evidence = finding.status, finding.evidence
    name = rule.itemprop or ""
    if status in ("present", "not_applicable", "not_checked") or rule.check != "itemprop":
        return ""
    if status == "legacy" and evidence.snippet:
        names = replacement or (name,)
        parts = _split_values(evidence.value or "", len(names))
        if parts is not None:  # one old element held several facts («полное: …; сокращённое: …»)
            return "\n".join(
                f'<span itemprop="{new}">{part}</span>' for new, part in zip(names, parts, strict=True)
            )
        snippet = evidence.snippet
        return "\n".join(_ITEMPROP_ATTRIBUTE.sub(f'itemprop="{new}"', snippet, count=1) for new in names)
    if status == "present_without_markup" and evidence.value:
        return _in_parent(rule, f'<span itemprop="{name}">{evidence.value}</span>')
    if status == "outside_parent" and evidence.snippet:
        element = (
            evidence.snippet
            if "href=" in evidence.snippet
            else f'<div itemprop="{name}">{evidence.value}</div>'
        )
        return f'<div itemprop="{rule.parent}">\n  {element}\n</div>'
    if status == "hidden" and evidence.snippet:
        return f"{evidence.snippet}\n<!-- {_UNHIDE} -->"
    return rule.example


def _split_values(value: str, count: int) -> list[str] | None:
    """`value` cut at «;» into `count` facts, each without its own label («сокращённое: …»), or None."""
    if count < 2:
        return None
    parts = [part.strip() for part in value.split(";")]
    if len(parts) != count:
        return None
    return [_LEADING_LABEL.sub("", part) for part in parts]


def _in_parent(rule: Rule, element: str) -> str:
    if rule.parent is None:
        return element
    return f'<div itemprop="{rule.parent}">\n  {element}\n</div>'
