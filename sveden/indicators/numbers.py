"""Numbers as departments type them: «65,5», «29 647,6», «12,5%»; and what a value of a unit may be."""

from __future__ import annotations

import re

from sveden.indicators.catalogue import Indicator

__all__ = ["EMPTY_MARKS", "parse_number", "value_problem"]

#: Cell texts that mean "no figure" (a dash is how many departments leave a cell blank).
EMPTY_MARKS = frozenset({"", "-", "–", "—"})

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_SPACES = re.compile(r"(?<=\d)[\s\u00a0\u202f]+(?=\d)")


def parse_number(text: str, indicator: Indicator | None) -> float | str | None:
    """The number in `text`, None for an empty cell, or a message (str) saying why it is not one.

    A decimal comma is a decimal separator; spaces between digits group thousands; a trailing
    percent sign is accepted only for a percent indicator.
    """
    cleaned = text.strip()
    if cleaned in EMPTY_MARKS:
        return None
    shown = f"«{cleaned}»"
    if cleaned.endswith("%"):
        if indicator is not None and indicator.unit != "percent":
            return f"{shown}: a percent sign in an indicator measured in {indicator.unit.replace('_', ' ')}"
        cleaned = cleaned[:-1].rstrip()
    cleaned = _SPACES.sub("", cleaned)
    if "," in cleaned and "." in cleaned:
        return f"{shown} is ambiguous: use one decimal separator and no thousands separator"
    cleaned = cleaned.replace(",", ".")
    if not _NUMBER.match(cleaned):
        return f"{shown} is not a number"
    return float(cleaned)


def value_problem(value: float, indicator: Indicator) -> str | None:
    """Why `value` cannot be a figure of `indicator`, or None when it can."""
    if value < 0:
        return f"{value:g} is negative"
    if indicator.unit == "percent" and value > 100:
        return f"{value:g} is over 100 percent"
    if indicator.unit == "count" and value != int(value):
        return f"{value:g} is not a whole number (the indicator is a count)"
    return None
