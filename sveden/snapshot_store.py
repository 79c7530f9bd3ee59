"""The snapshot store (SQLite, WAL): runs, site snapshots and audits, every run kept for history.

Snapshots are the boundary between crawler and checks: `sveden check` re-reads them and never
re-fetches. A school that could not be audited tonight keeps its last good audit.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from checks.results import AuditedSchool
from crawler.snapshot import SiteSnapshot

__all__ = ["SnapshotStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed'))
);
CREATE TABLE IF NOT EXISTS snapshots (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    school_id TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    reachability TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (run_id, school_id)
);
CREATE TABLE IF NOT EXISTS audits (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    school_id TEXT NOT NULL,
    audited_at TEXT NOT NULL,
    reachability TEXT NOT NULL,
    score REAL,
    body BLOB NOT NULL,
    PRIMARY KEY (run_id, school_id)
);
"""

_AUDITED = ("ok", "no_section")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SnapshotStore:
    """A SQLite file of runs, snapshots and audits; use as a context manager."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)

    def __enter__(self) -> SnapshotStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def start_run(self) -> int:
        """Open a new run and return its id."""
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO runs (started_at, status) VALUES (?, 'running')", (_now(),)
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_run(self, run_id: int, status: str) -> None:
        """Mark a run complete or failed."""
        with self._db:
            self._db.execute(
                "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?", (_now(), status, run_id)
            )

    def latest_run(self) -> int | None:
        """The newest run that stored snapshots, if any."""
        row = self._db.execute("SELECT max(run_id) FROM snapshots").fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def put_snapshot(self, run_id: int, snapshot: SiteSnapshot) -> None:
        """Store one site's snapshot (committed at once, so an interrupted crawl keeps it)."""
        body = zlib.compress(snapshot.model_dump_json().encode("utf-8"))
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?, ?, ?)",
                (run_id, snapshot.school_id, snapshot.fetched_at, snapshot.reachability, body),
            )

    def snapshots(self, run_id: int) -> Iterator[SiteSnapshot]:
        """The snapshots of a run, one at a time."""
        rows = self._db.execute("SELECT body FROM snapshots WHERE run_id = ? ORDER BY school_id", (run_id,))
        for (body,) in rows:
            yield SiteSnapshot.model_validate_json(zlib.decompress(body))

    def put_audit(self, run_id: int, audit: AuditedSchool) -> None:
        """Keep one school's audit in the history."""
        body = zlib.compress(audit.model_dump_json().encode("utf-8"))
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO audits VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, audit.id, audit.audited_at, audit.reachability, audit.score, body),
            )

    def last_good_audit(self, school_id: str, before_run: int) -> AuditedSchool | None:
        """The newest audit of `school_id` from an earlier run in which its site could be checked."""
        row = self._db.execute(
            "SELECT body FROM audits WHERE school_id = ? AND run_id < ? AND reachability IN (?, ?) "
            "ORDER BY run_id DESC LIMIT 1",
            (school_id, before_run, *_AUDITED),
        ).fetchone()
        return AuditedSchool.model_validate_json(zlib.decompress(row[0])) if row else None

    def audit_history(self) -> Iterator[tuple[str, list[AuditedSchool]]]:
        """Every run that has audits, oldest first: (ISO date the run started, its audits)."""
        runs = self._db.execute(
            "SELECT id, started_at FROM runs WHERE id IN (SELECT DISTINCT run_id FROM audits) ORDER BY id"
        ).fetchall()
        for run_id, started_at in runs:
            rows = self._db.execute("SELECT body FROM audits WHERE run_id = ? ORDER BY school_id", (run_id,))
            audits = [AuditedSchool.model_validate_json(zlib.decompress(body)) for (body,) in rows]
            yield str(started_at)[:10], audits
