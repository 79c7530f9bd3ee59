"""The snapshot store (SQLite, WAL): runs, site snapshots, pages, documents, discovery trace,
validators and audits, every run kept for history.

Snapshots are the boundary between crawler and checks: `sveden check` re-reads them and never
re-fetches. Each site is committed on its own as soon as it is crawled, so a crawl killed at
any moment loses only the sites in flight; the next `sveden crawl` resumes the same run and
skips the schools already stored. A school that could not be audited tonight keeps its last
good audit.

Page bodies are stored once per distinct text (table ``bodies``, keyed by the SHA-256 of the
text): a page unchanged since last night costs no space, and the snapshot blob refers to it.
``validators`` keeps the newest ETag/Last-Modified per URL for tomorrow's conditional requests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType

from checks.results import AuditedSchool
from crawler.fetcher import StoredPage
from crawler.snapshot import PageSnapshot, SiteSnapshot
from sveden.blob_codec import pack, unpack
from sveden.sharding import ShardSpec

__all__ = ["MergeError", "RunWriter", "SnapshotStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
    shard TEXT
);
CREATE TABLE IF NOT EXISTS snapshots (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    school_id TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    reachability TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (run_id, school_id)
);
CREATE TABLE IF NOT EXISTS pages (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    school_id TEXT NOT NULL,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    fault TEXT,
    content_type TEXT,
    etag TEXT,
    last_modified TEXT,
    not_modified INTEGER NOT NULL,
    body_sha256 TEXT,
    elapsed_ms REAL NOT NULL,
    PRIMARY KEY (run_id, school_id, url)
);
CREATE TABLE IF NOT EXISTS documents (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    school_id TEXT NOT NULL,
    url TEXT NOT NULL,
    final_url TEXT,
    status INTEGER NOT NULL,
    content_type TEXT,
    size INTEGER,
    fault TEXT,
    PRIMARY KEY (run_id, school_id, url)
);
CREATE TABLE IF NOT EXISTS discovery (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    school_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (run_id, school_id, seq)
);
CREATE TABLE IF NOT EXISTS bodies (
    sha256 TEXT PRIMARY KEY,
    body BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    content_type TEXT,
    encoding TEXT,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT,
    body_sha256 TEXT NOT NULL REFERENCES bodies(sha256),
    stored_at TEXT NOT NULL
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
#: How a snapshot blob refers to a body kept in ``bodies`` (a decoded page never starts with NUL).
_BODY_REF = "\x00sha256:"
#: Rows copied from a shard store by `merge`, besides snapshots (same columns on both sides).
_RUN_TABLES = ("snapshots", "pages", "documents", "discovery")


class MergeError(Exception):
    """Shard stores that do not add up to one whole crawl."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _utf8(body: str | bytes) -> bytes:
    """A page body's UTF-8 text (a body held as bytes is already that)."""
    return body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")


def _map_pages(snapshot: SiteSnapshot, change: Callable[[PageSnapshot], PageSnapshot]) -> SiteSnapshot:
    """`snapshot` with `change` applied to every page it holds (home, section, subsections)."""
    update: dict[str, object] = {}
    if snapshot.home is not None:
        update["home"] = change(snapshot.home)
    if snapshot.section is not None:
        update["section"] = snapshot.section.model_copy(update={"page": change(snapshot.section.page)})
    if snapshot.subsections:
        update["subsections"] = tuple(
            sub.model_copy(update={"pages": tuple(change(page) for page in sub.pages)})
            for sub in snapshot.subsections
        )
    return snapshot.model_copy(update=update)


def _pages(snapshot: SiteSnapshot) -> list[PageSnapshot]:
    pages = [snapshot.home] if snapshot.home is not None else []
    if snapshot.section is not None:
        pages.append(snapshot.section.page)
    pages.extend(page for sub in snapshot.subsections for page in sub.pages)
    return pages


def _stored_page(db: sqlite3.Connection, url: str) -> StoredPage | None:
    row = db.execute(
        "SELECT v.status, v.content_type, v.encoding, v.etag, v.last_modified, v.sha256, b.sha256, b.body "
        "FROM validators v JOIN bodies b ON b.sha256 = v.body_sha256 WHERE v.url = ?",
        (url,),
    ).fetchone()
    if row is None:
        return None
    status, content_type, encoding, etag, last_modified, sha256, body_sha256, body = row
    return StoredPage(
        url=url,
        status=int(status),
        content_type=content_type,
        encoding=encoding,
        etag=etag,
        last_modified=last_modified,
        sha256=sha256,
        body=unpack(body),  # the text's UTF-8, as the fetcher keeps a page received in UTF-8
        body_sha256=body_sha256,
    )


class SnapshotStore:
    """A SQLite file of runs, snapshots and audits; use as a context manager."""

    def __init__(self, path: Path, check_same_thread: bool = True) -> None:
        """Open (or create) the store at `path`; `check_same_thread=False` lets another thread
        than the one that opened it use it (one thread at a time, as `RunWriter`'s keeper does)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Crawl workers write in turn; a writer waits for another's short transaction.
        self._db = sqlite3.connect(path, timeout=60.0, check_same_thread=check_same_thread)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash loses no committed site
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(runs)")}
        if "shard" not in columns:  # a store written before runs had shards
            self._db.execute("ALTER TABLE runs ADD COLUMN shard TEXT")
        self._db.execute("CREATE INDEX IF NOT EXISTS audits_by_school ON audits (school_id, run_id)")

    def __enter__(self) -> SnapshotStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    # -- runs ---------------------------------------------------------------------------------

    def start_run(self, shard: ShardSpec | None = None) -> int:
        """Open a new run (of one shard of the registry, or all of it) and return its id."""
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO runs (started_at, status, shard) VALUES (?, 'running', ?)",
                (_now(), shard.label if shard else None),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_run(self, run_id: int, status: str) -> None:
        """Mark a run complete or failed."""
        with self._db:
            self._db.execute(
                "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?", (_now(), status, run_id)
            )

    def unfinished_run(self, shard: ShardSpec | None = None) -> int | None:
        """The newest run of `shard` that was interrupted (still 'running'), to be resumed."""
        row = self._db.execute(
            "SELECT max(id) FROM runs WHERE status = 'running' AND shard IS ?",
            (shard.label if shard else None,),
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def latest_run(self) -> int | None:
        """The run to check: the newest complete one, else the newest that stored snapshots."""
        row = self._db.execute(
            "SELECT max(r.id) FROM runs r WHERE r.status = 'complete' "
            "AND EXISTS (SELECT 1 FROM snapshots s WHERE s.run_id = r.id)"
        ).fetchone()
        if not row or row[0] is None:
            row = self._db.execute("SELECT max(run_id) FROM snapshots").fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def school_ids(self, run_id: int) -> set[str]:
        """The schools a run has stored so far."""
        rows = self._db.execute("SELECT school_id FROM snapshots WHERE run_id = ?", (run_id,))
        return {str(school_id) for (school_id,) in rows}

    # -- snapshots ----------------------------------------------------------------------------

    def _put_body(self, body: str | bytes, key: str | None = None) -> str:
        """Keep a body (text, or its UTF-8 bytes) once, compressed only if new; returns its key,
        the SHA-256 of its UTF-8 text: `key` if the caller knows it (a page's ``body_sha256``)."""
        data = None
        if key is None:
            data = _utf8(body)
            key = hashlib.sha256(data).hexdigest()
        if self._db.execute("SELECT 1 FROM bodies WHERE sha256 = ?", (key,)).fetchone() is None:
            data = data if data is not None else _utf8(body)
            # Another writer may store the same body between the look and the insert.
            self._db.execute("INSERT OR IGNORE INTO bodies VALUES (?, ?)", (key, pack(data)))
        return key

    def _body(self, key: str) -> str:
        row = self._db.execute("SELECT body FROM bodies WHERE sha256 = ?", (key,)).fetchone()
        return unpack(row[0]).decode("utf-8", "surrogatepass") if row else ""

    def put_snapshot(self, run_id: int, snapshot: SiteSnapshot) -> None:
        """Store one site's snapshot, its pages, documents and trace in one transaction."""
        with self._db:
            keys: dict[int, str] = {}

            def externalize(page: PageSnapshot) -> PageSnapshot:
                if not page.body:
                    return page
                key = keys[id(page)] if id(page) in keys else self._put_body(page.body, page.body_sha256)
                return page.model_copy(update={"body": _BODY_REF + key})

            for page in _pages(snapshot):
                body_key = self._put_body(page.body, page.body_sha256) if page.body else None
                if body_key is not None:
                    keys[id(page)] = body_key
                self._db.execute(
                    "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run_id,
                        snapshot.school_id,
                        page.url,
                        page.final_url,
                        page.status,
                        page.fault,
                        page.content_type,
                        page.etag,
                        page.last_modified,
                        page.not_modified,
                        body_key,
                        page.elapsed_ms,
                    ),
                )
                if body_key and page.ok and not page.truncated and (page.etag or page.last_modified):
                    self._db.execute(
                        "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            page.final_url,
                            page.status,
                            page.content_type,
                            page.encoding,
                            page.etag,
                            page.last_modified,
                            page.sha256,
                            body_key,
                            snapshot.fetched_at,
                        ),
                    )
            self._db.executemany(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        snapshot.school_id,
                        d.url,
                        d.final_url,
                        d.status,
                        d.content_type,
                        d.size,
                        d.fault,
                    )
                    for d in snapshot.documents
                ],
            )
            self._db.execute(
                "DELETE FROM discovery WHERE run_id = ? AND school_id = ?", (run_id, snapshot.school_id)
            )
            self._db.executemany(
                "INSERT INTO discovery VALUES (?, ?, ?, ?)",
                [
                    (run_id, snapshot.school_id, seq, line)
                    for seq, line in enumerate(snapshot.discovery_trace)
                ],
            )
            blob = _map_pages(snapshot, externalize).model_dump_json().encode("utf-8")
            self._db.execute(
                "INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?, ?, ?)",
                (
                    run_id,
                    snapshot.school_id,
                    snapshot.fetched_at,
                    snapshot.reachability,
                    pack(blob),
                ),
            )

    def _load(self, blob: bytes) -> SiteSnapshot:
        snapshot = SiteSnapshot.model_validate_json(unpack(blob))

        def internalize(page: PageSnapshot) -> PageSnapshot:
            if not isinstance(page.body, str) or not page.body.startswith(_BODY_REF):
                return page
            key = page.body.removeprefix(_BODY_REF)
            return page.model_copy(update={"body": self._body(key), "body_sha256": key})

        return _map_pages(snapshot, internalize)

    def snapshot(self, run_id: int, school_id: str) -> SiteSnapshot | None:
        """One school's snapshot in a run, if stored."""
        row = self._db.execute(
            "SELECT body FROM snapshots WHERE run_id = ? AND school_id = ?", (run_id, school_id)
        ).fetchone()
        return self._load(row[0]) if row else None

    def snapshots(self, run_id: int) -> Iterator[SiteSnapshot]:
        """The snapshots of a run, one at a time."""
        rows = self._db.execute("SELECT body FROM snapshots WHERE run_id = ? ORDER BY school_id", (run_id,))
        for (blob,) in rows.fetchall():
            yield self._load(blob)

    def stored_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The ETag and Last-Modified stored for `url`, if any (for a conditional GET)."""
        # The same rows as `stored_page`, without reading (or decompressing) the body.
        row = self._db.execute(
            "SELECT v.etag, v.last_modified FROM validators v JOIN bodies b ON b.sha256 = v.body_sha256 "
            "WHERE v.url = ?",
            (url,),
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def stored_page(self, url: str) -> StoredPage | None:
        """The newest stored copy of `url` with an ETag or Last-Modified (for a 304 answer)."""
        return _stored_page(self._db, url)

    # -- merging shard stores -----------------------------------------------------------------

    def merge(self, sources: Sequence[Path]) -> int:
        """Combine the newest complete run of each shard store into one new complete run.

        The shards must be ``1/n`` … ``n/n`` of one partition, each exactly once. Returns the
        new run's id.
        """
        shards: dict[int, tuple[Path, int, str, str]] = {}
        counts: set[int] = set()
        for source in sources:
            if source.resolve() == self.path.resolve():
                raise MergeError(f"{source}: is the store being merged into")
            if not source.is_file():
                raise MergeError(f"{source}: no such store")
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as other:
                row = other.execute(
                    "SELECT id, shard, started_at, finished_at FROM runs "
                    "WHERE status = 'complete' AND shard IS NOT NULL ORDER BY id DESC LIMIT 1"
                ).fetchone()
            if row is None:
                raise MergeError(f"{source}: no complete shard run (crawl it with --shard i/n)")
            spec = ShardSpec.parse(str(row[1]))
            if spec.index in shards:
                raise MergeError(f"{source}: shard {spec.label} also in {shards[spec.index][0]}")
            shards[spec.index] = (source, int(row[0]), str(row[2]), str(row[3]))
            counts.add(spec.count)
        if len(counts) != 1:
            raise MergeError(f"shards of different partitions: /{', /'.join(map(str, sorted(counts)))}")
        count = counts.pop()
        missing = [f"{index}/{count}" for index in range(1, count + 1) if index not in shards]
        if missing:
            raise MergeError(f"shards missing: {', '.join(missing)}")
        started = min(shard[2] for shard in shards.values())
        finished = max(shard[3] for shard in shards.values())
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO runs (started_at, finished_at, status, shard) VALUES (?, ?, 'complete', NULL)",
                (started, finished),
            )
        run_id = cursor.lastrowid
        assert run_id is not None
        for _, (source, source_run, _, _) in sorted(shards.items()):
            self._copy_run(source, source_run, run_id)
        return run_id

    def _copy_run(self, source: Path, source_run: int, run_id: int) -> None:
        self._db.execute("ATTACH DATABASE ? AS shard", (f"file:{source}?mode=ro",))
        try:
            with self._db:
                self._db.execute("INSERT OR IGNORE INTO bodies SELECT * FROM shard.bodies")
                for table in _RUN_TABLES:
                    columns = [row[1] for row in self._db.execute(f"PRAGMA table_info({table})")]
                    rest = ", ".join(columns[1:])
                    self._db.execute(
                        f"INSERT INTO {table} SELECT ?, {rest} FROM shard.{table} WHERE run_id = ?",
                        (run_id, source_run),
                    )
                self._db.execute(
                    "INSERT INTO validators SELECT * FROM shard.validators WHERE true "
                    "ON CONFLICT (url) DO UPDATE SET status = excluded.status, "
                    "content_type = excluded.content_type, encoding = excluded.encoding, "
                    "etag = excluded.etag, last_modified = excluded.last_modified, sha256 = excluded.sha256, "
                    "body_sha256 = excluded.body_sha256, stored_at = excluded.stored_at "
                    "WHERE excluded.stored_at > validators.stored_at"
                )
        finally:
            self._db.execute("DETACH DATABASE shard")

    # -- audits -------------------------------------------------------------------------------

    def put_audit(self, run_id: int, audit: AuditedSchool) -> None:
        """Keep one school's audit in the history."""
        body = pack(audit.model_dump_json().encode("utf-8"))
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
        return AuditedSchool.model_validate_json(unpack(row[0])) if row else None

    def audit_history(self) -> Iterator[tuple[str, list[AuditedSchool]]]:
        """Every run that has audits, oldest first: (ISO date the run started, its audits)."""
        runs = self._db.execute(
            "SELECT id, started_at FROM runs WHERE id IN (SELECT DISTINCT run_id FROM audits) ORDER BY id"
        ).fetchall()
        for run_id, started_at in runs:
            rows = self._db.execute("SELECT body FROM audits WHERE run_id = ? ORDER BY school_id", (run_id,))
            audits = [AuditedSchool.model_validate_json(unpack(body)) for (body,) in rows]
            yield str(started_at)[:10], audits


class RunWriter:
    """One crawl's access to the store: keeps its sites in run `run_id` (a `SiteKeeper`).

    Two connections: the crawl's event loop reads stored pages through one while the keeper
    thread writes finished sites through the other, so neither waits for the other's thread.

    Usage (in the crawl's process)::

        with contextlib.closing(RunWriter(Path("data/sveden.sqlite3"), run_id=7)) as writer:
            writer.keep(snapshot)
    """

    def __init__(self, path: Path, run_id: int) -> None:
        self._reader = SnapshotStore(path)
        self._writer = SnapshotStore(path, check_same_thread=False)
        self._run_id = run_id

    def close(self) -> None:
        """Close both connections."""
        self._reader.close()
        self._writer.close()

    def stored_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The ETag and Last-Modified stored for `url`, if any."""
        return self._reader.stored_validators(url)

    def stored_page(self, url: str) -> StoredPage | None:
        """The newest stored copy of `url` with an ETag or Last-Modified."""
        return self._reader.stored_page(url)

    def keep(self, snapshot: SiteSnapshot) -> None:
        """Store one finished site in the run."""
        self._writer.put_snapshot(self._run_id, snapshot)
