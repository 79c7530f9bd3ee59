"""A problem in a department's table, located by file, sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["TableProblem"]


@dataclass(frozen=True)
class TableProblem:
    """One thing wrong in a CSV or XLSX table; `sheet` is None for CSV, `column` a letter (A, B, …).

    `row` is None for a problem with the whole file (not found, not readable).
    """

    path: Path
    row: int | None
    column: str | None
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        where = [f'sheet "{self.sheet}"'] if self.sheet is not None else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{self.path}: {': '.join(filter(None, (', '.join(where), self.message)))}"
