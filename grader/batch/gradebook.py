"""The class gradebook: one SQLite file (WAL mode) that every graded result is committed to
as soon as it exists, so that a batch killed at any moment loses nothing and resumes.

Schema and meaning of every column: docs/gradebook.md. Only the batch coordinator writes;
workers hand their results back to it. Results are never deleted or updated except for the
`current` flag, so the history of every regrade stays queryable.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gdgrade.errors import UsageError

_compress: Callable[[bytes, int], bytes] = zlib.compress
with contextlib.suppress(ImportError):  # the same streams, faster; not on every platform
    from isal.isal_zlib import compress as _compress

SCHEMA_VERSION = 1
FILENAME = "gradebook.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS students (
    student TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    student TEXT NOT NULL REFERENCES students(student),
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    layout TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    late INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    UNIQUE (student, path, sha256)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    state TEXT NOT NULL,
    directory TEXT NOT NULL,
    settings_key TEXT NOT NULL,
    settings TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    graded INTEGER NOT NULL DEFAULT 0,
    reused INTEGER NOT NULL DEFAULT 0,
    faults INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS results (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    run_id INTEGER REFERENCES runs(id),
    settings_key TEXT NOT NULL,
    seed INTEGER NOT NULL,
    per_student INTEGER NOT NULL,
    exercises TEXT NOT NULL,
    lang TEXT NOT NULL,
    status TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    summary TEXT NOT NULL,
    report BLOB,
    ta_report BLOB,
    feedback BLOB,
    feedback_format TEXT,
    error TEXT NOT NULL DEFAULT '',
    duration_s REAL NOT NULL,
    graded_at TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    current INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS results_by_submission ON results(submission_id, settings_key);
CREATE UNIQUE INDEX IF NOT EXISTS one_current_result ON results(submission_id) WHERE current = 1;
CREATE INDEX IF NOT EXISTS submissions_by_student ON submissions(student, active);
CREATE TABLE IF NOT EXISTS sources (
    sha256 TEXT PRIMARY KEY,
    code BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS submitted (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
    at TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS extensions (
    student TEXT PRIMARY KEY,
    due TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS penalties (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
    status TEXT NOT NULL,
    due TEXT NOT NULL,
    late_s REAL,
    percent REAL NOT NULL,
    raw REAL NOT NULL,
    penalty REAL NOT NULL,
    computed_at TEXT NOT NULL
);
"""

GRADED, UNREADABLE, FAULT = "graded", "unreadable", "grader_fault"


class GradebookError(UsageError):
    """The gradebook file cannot be used (corrupt, newer schema); one line for the user."""


def pack(text: str | None) -> bytes | None:
    """Reports and feedback are stored zlib-compressed (a report is ~300 kB of JSON).
    Level 1: a third of level 6's time for ~20% more bytes (level 6 took ~20 ms of the
    coordinator's time per submission for its three texts). Where ISA-L's zlib is
    installed it writes the same format in a quarter of zlib's time (~1 ms instead of ~4
    for the three texts), so any zlib reads every gradebook whichever wrote it."""
    return None if text is None else _compress(text.encode("utf-8"), 1)


def unpack(blob: bytes | None) -> str | None:
    return None if blob is None else zlib.decompress(blob).decode("utf-8")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class SubmissionRow:
    """A submission as discovered: identity (student, path, sha256) plus what we know of it."""

    student: str
    path: str  # relative to the batch directory, '/'-separated
    sha256: str
    size: int
    mtime: float
    layout: str
    attempt: int
    late: bool = False
    note: str = ""
    name: str = ""


@dataclass(frozen=True)
class Result:
    """One grading of one submission under one settings key, as the worker produced it."""

    status: str  # graded | unreadable | grader_fault
    score: float
    max_score: float
    summary: dict[str, Any]  # per exercise: score, status, diagnoses, incidents (see docs)
    report: str | None  # to_json(report, lang) as JSON text; None when there is no report
    feedback: str | None  # the rendered student feedback
    feedback_format: str | None  # "html" or "text"
    error: str  # one line (unreadable) or a traceback (grader fault); '' otherwise
    duration_s: float
    ta_report: str | None = None  # the TA's record: the same report with everything shown


@dataclass(frozen=True)
class Settings:
    """What a result depends on besides the file's content; `key` identifies it."""

    key: str
    seed: int
    per_student: bool
    exercises: tuple[str, ...]
    lang: str
    grader_version: str
    described: dict[str, Any]  # everything that went into the key, for the runs table


class Gradebook:
    """A connection to OUT/gradebook.sqlite. Every write method commits before returning."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(f"BEGIN IMMEDIATE;{SCHEMA}COMMIT;")
            with self.transaction():
                self._check_version()
                self._add_columns()
        except sqlite3.DatabaseError as exc:
            raise GradebookError(f"{path}: not a usable gradebook ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _check_version(self) -> None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            self.db.execute("INSERT INTO meta VALUES ('created_at', ?)", (now(),))
        elif int(row[0]) > SCHEMA_VERSION:
            raise GradebookError(
                f"{self.path}: written by a newer gdgrade (schema {row[0]}); upgrade gdgrade"
            )

    def _add_columns(self) -> None:
        """Columns added since schema 1 was first written (nullable, so old rows stay valid)."""
        have = {row[1] for row in self.db.execute("PRAGMA table_info(results)")}
        if "ta_report" not in have:
            self.db.execute("ALTER TABLE results ADD COLUMN ta_report BLOB")

    # --- discovery ----------------------------------------------------------------------

    def record_discovery(self, rows: Iterable[SubmissionRow]) -> dict[tuple[str, str, str], int]:
        """Upsert what is in DIR now; everything else becomes inactive. Returns the ids."""
        stamp = now()
        ids: dict[tuple[str, str, str], int] = {}
        with self.transaction() as db:
            db.execute("UPDATE submissions SET active = 0")
            for r in rows:
                db.execute(
                    "INSERT INTO students (student, name) VALUES (?, ?) ON CONFLICT(student) "
                    "DO UPDATE SET name = excluded.name WHERE excluded.name != ''",
                    (r.student, r.name),
                )
                db.execute(
                    "INSERT INTO submissions (student, path, sha256, size, mtime, layout, "
                    "attempt, late, note, active, first_seen, last_seen) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) "
                    "ON CONFLICT(student, path, sha256) DO UPDATE SET mtime = excluded.mtime, "
                    "layout = excluded.layout, attempt = excluded.attempt, "
                    "late = excluded.late, note = excluded.note, active = 1, "
                    "last_seen = excluded.last_seen",
                    (r.student, r.path, r.sha256, r.size, r.mtime, r.layout, r.attempt,
                     int(r.late), r.note, stamp, stamp),
                )  # fmt: skip
                row = db.execute(
                    "SELECT id FROM submissions WHERE student = ? AND path = ? AND sha256 = ?",
                    (r.student, r.path, r.sha256),
                ).fetchone()
                ids[(r.student, r.path, r.sha256)] = row[0]
        return ids

    # --- runs ---------------------------------------------------------------------------

    def start_run(self, directory: str, settings: Settings, options: dict[str, Any]) -> int:
        """A new run; `options` (attempt rule, title...) are stored beside the settings."""
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET state = 'interrupted' WHERE state = 'running'"
            )  # a previous run killed before it could say so
            cursor = db.execute(
                "INSERT INTO runs (started_at, state, directory, settings_key, settings, "
                "grader_version) VALUES (?, 'running', ?, ?, ?, ?)",
                (now(), directory, settings.key,
                 json.dumps({**settings.described, **options}, sort_keys=True),
                 settings.grader_version),
            )  # fmt: skip
            return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, graded: int, reused: int, faults: int) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, state = 'finished', graded = ?, reused = ?, "
                "faults = ? WHERE id = ?",
                (now(), graded, reused, faults, run_id),
            )

    def interrupt_run(self, run_id: int) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, state = 'interrupted' WHERE id = ?",
                (now(), run_id),
            )

    # --- the hidden cases' seed: the instructor's secret, kept with the gradebook ----------

    def kept_seed(self) -> int | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone()
        return int(row[0]) if row else None

    def keep_seed(self, seed: int) -> None:
        """The seed later runs reuse when none is given (the last one used)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta VALUES ('seed', ?) ON CONFLICT(key) DO UPDATE "
                "SET value = excluded.value",
                (str(seed),),
            )

    def last_settings(self) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT settings FROM runs ORDER BY (state = 'finished') DESC, id DESC LIMIT 1"
        ).fetchone()
        return json.loads(row[0]) if row else None

    # --- results ------------------------------------------------------------------------

    def pending(self, submission_ids: Iterable[int], settings_key: str) -> tuple[list[int], int]:
        """Which submissions need grading under `settings_key`; the others are made current.

        A submission is done when it has a result for these settings that is not a grader
        fault (faults are retried on every run). Returns (to grade, number reused).
        """
        todo: list[int] = []
        reused = 0
        with self.transaction() as db:
            for sid in submission_ids:
                row = db.execute(
                    "SELECT id, current FROM results WHERE submission_id = ? AND "
                    "settings_key = ? AND status != ? ORDER BY id DESC LIMIT 1",
                    (sid, settings_key, FAULT),
                ).fetchone()
                if row is None:
                    todo.append(sid)
                elif not row["current"]:
                    self._make_current(db, sid, row["id"])
                    reused += 1
        return todo, reused

    @staticmethod
    def _make_current(db: sqlite3.Connection, submission_id: int, result_id: int) -> None:
        db.execute("UPDATE results SET current = 0 WHERE submission_id = ?", (submission_id,))
        db.execute("UPDATE results SET current = 1 WHERE id = ?", (result_id,))

    def add_result(self, submission_id: int, run_id: int, settings: Settings, r: Result) -> int:
        """Commit one result and make it its submission's current one, atomically."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO results (submission_id, run_id, settings_key, seed, per_student, "
                "exercises, lang, status, score, max_score, summary, report, ta_report, "
                "feedback, feedback_format, error, duration_s, graded_at, grader_version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (submission_id, run_id, settings.key, settings.seed, int(settings.per_student),
                 json.dumps(list(settings.exercises)), settings.lang, r.status, r.score,
                 r.max_score, json.dumps(r.summary, ensure_ascii=False, sort_keys=True),
                 pack(r.report), pack(r.ta_report), pack(r.feedback), r.feedback_format, r.error,
                 r.duration_s, now(), settings.grader_version),
            )  # fmt: skip
            result_id = int(cursor.lastrowid or 0)
            self._make_current(db, submission_id, result_id)
        return result_id

    def submission(self, submission_id: int) -> sqlite3.Row:
        return self.db.execute(
            "SELECT * FROM submissions WHERE id = ?", (submission_id,)
        ).fetchone()

    def current_rows(self) -> list[sqlite3.Row]:
        """Every active submission with its current result (if any), by student and attempt."""
        return self.db.execute(
            "SELECT s.id AS submission_id, s.student, st.name, s.path, s.sha256, s.attempt, "
            "s.late, s.mtime, s.layout, s.note, r.id AS result_id, r.status, r.score, "
            "r.max_score, r.summary, r.feedback_format, r.error, "
            "r.seed, r.per_student, r.exercises, r.lang, r.settings_key "
            "FROM submissions s JOIN students st ON st.student = s.student "
            "LEFT JOIN results r ON r.submission_id = s.id AND r.current = 1 "
            "WHERE s.active = 1 ORDER BY s.student, s.attempt"
        ).fetchall()

    def stored(self, result_id: int) -> tuple[str | None, str | None]:
        """A result's full report JSON and rendered feedback, decompressed."""
        row = self.db.execute(
            "SELECT report, feedback FROM results WHERE id = ?", (result_id,)
        ).fetchone()
        return unpack(row["report"]), unpack(row["feedback"])

    def result_lang(self, result_id: int) -> str:
        row = self.db.execute("SELECT lang FROM results WHERE id = ?", (result_id,)).fetchone()
        return str(row[0])

    def store_sources(self, code: dict[str, str]) -> None:
        """Keep each submission's Python source (a notebook's code cells), by sha256, so
        that similarity and history need not find the class folder again."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO sources (sha256, code) VALUES (?, ?)",
                [(sha, pack(text)) for sha, text in code.items()],
            )

    def sources(self, digests: Iterable[str]) -> dict[str, str]:
        """The stored source of each of these sha256 that has one."""
        found: dict[str, str] = {}
        for sha in set(digests):
            row = self.db.execute("SELECT code FROM sources WHERE sha256 = ?", (sha,)).fetchone()
            if row is not None:
                found[sha] = unpack(row[0]) or ""
        return found

    def record_times(self, times: dict[int, tuple[str, str]]) -> None:
        """submission id -> (ISO time, source). Times found earlier for other submissions,
        or for these when this run found none, are kept."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO submitted (submission_id, at, source) VALUES (?, ?, ?)",
                [(sid, at, source) for sid, (at, source) in times.items()],
            )

    def times(self) -> dict[int, tuple[str, str]]:
        rows = self.db.execute("SELECT submission_id, at, source FROM submitted").fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def set_extensions(self, due: dict[str, str]) -> None:
        """Replace every extension: student id -> new due date (ISO)."""
        with self.transaction() as db:
            db.execute("DELETE FROM extensions")
            db.executemany("INSERT INTO extensions (student, due) VALUES (?, ?)", due.items())

    def extensions(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT student, due FROM extensions").fetchall())

    def record_penalties(self, rows: Iterable[tuple[int, str, str, float | None, float, float,
                                                   float]]) -> None:  # fmt: skip
        """(submission id, status, due, seconds late, percent, raw score, penalty points) as
        the last export computed them: the raw score stays in `results`, apart."""
        stamp = now()
        with self.transaction() as db:
            db.execute("DELETE FROM penalties")
            db.executemany(
                "INSERT INTO penalties (submission_id, status, due, late_s, percent, raw, "
                "penalty, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(*row, stamp) for row in rows],
            )

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])
