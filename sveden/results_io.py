"""Write `results.json` and its CSV companions atomically (a failed write leaves the old files)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from checks.results import Results

__all__ = ["RESULTS_FILES", "write_results"]

RESULTS_FILES = ("results.json", "schools.csv", "findings.csv")


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _schools_csv(results: Results) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "id",
            "name",
            "municipality",
            "kind",
            "url",
            "reachability",
            "score",
            "failed",
            "extras_score",
            "stale",
        ]
    )
    for school in results.schools:
        writer.writerow(
            [
                school.id,
                school.name,
                school.municipality,
                school.kind,
                school.url or "",
                school.reachability,
                "" if school.score is None else school.score,
                len(school.failing_items()),
                "" if school.extras_score is None else school.extras_score,
                school.stale,
            ]
        )
    return out.getvalue()


def _findings_csv(results: Results) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["school_id", "section", "code", "itemprop", "parent", "status", "outcome", "url", "value"]
    )
    for school in results.schools:
        rows = [("section", item) for item in school.section_checks]
        rows.extend((section.key, item) for section in school.sections for item in section.items)
        for key, item in rows:
            writer.writerow(
                [
                    school.id,
                    key,
                    item.code,
                    item.itemprop or "",
                    item.parent or "",
                    item.status,
                    item.outcome,
                    item.evidence.url or "",
                    item.evidence.value or "",
                ]
            )
    return out.getvalue()


def write_results(results: Results, data_dir: Path) -> None:
    """Write results.json, schools.csv and findings.csv into `data_dir`."""
    _atomic_write(data_dir / "schools.csv", _schools_csv(results))
    _atomic_write(data_dir / "findings.csv", _findings_csv(results))
    _atomic_write(data_dir / "results.json", results.model_dump_json(indent=1))
