"""From the gradebook's current results to one counted submission per student.

Pure logic: the gradebook rows come in as `Entry` values, the attempt rule picks the
submission that counts, and every export (CSV, Canvas, gradescope, per-student files,
class summary) reads the resulting `Standing`s, so they always agree with each other.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from grader.deadline import Lateness

ATTEMPT_RULES = ("latest", "best", "first")
PENDING = "pending"  # a discovered submission without a result yet (interrupted batch)


@dataclass(frozen=True)
class Entry:
    """One active submission and its current result (status PENDING when it has none)."""

    submission_id: int
    student: str
    name: str
    path: str
    sha256: str
    attempt: int
    late: bool
    layout: str
    note: str
    status: str
    score: float
    max_score: float
    summary: Mapping[str, Any]
    feedback_format: str | None
    error: str
    result_id: int | None = None
    submitted_at: datetime | None = None  # when it was handed in, where known
    time_source: str = ""  # manifest | lms | mtime
    lateness: Lateness | None = None  # set when the assignment has a deadline

    @property
    def exercise_scores(self) -> Mapping[str, Mapping[str, Any]]:
        return self.summary.get("exercises", {})

    @property
    def penalty(self) -> float:
        """Points the late policy takes off the raw score (`score`)."""
        return self.lateness.penalty(self.score) if self.lateness else 0.0

    @property
    def final(self) -> float:
        return round(self.score - self.penalty, 2)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Entry:
        graded = row["result_id"] is not None
        return cls(
            submission_id=row["submission_id"],
            student=row["student"],
            name=row["name"] or "",
            path=row["path"],
            sha256=row["sha256"],
            attempt=row["attempt"],
            late=bool(row["late"]),
            layout=row["layout"],
            note=row["note"] or "",
            status=row["status"] if graded else PENDING,
            score=row["score"] if graded else 0.0,
            max_score=row["max_score"] if graded else 0.0,
            summary=json.loads(row["summary"]) if graded else {},
            feedback_format=row["feedback_format"],
            error=row["error"] or "",
            result_id=row["result_id"],
        )


@dataclass(frozen=True)
class Standing:
    """A student's counted submission, how many they made, and the file-safe output name."""

    student: str
    counted: Entry
    attempts: int
    filename: str  # OUT/reports/<filename>.html, OUT/results/<filename>.json

    @property
    def name(self) -> str:
        return self.counted.name


def counted(entries: list[Entry], rule: str) -> Entry:
    """The attempt that counts: the latest (default), the first, or the best scored."""
    if rule not in ATTEMPT_RULES:
        raise ValueError(f"attempt rule must be one of {', '.join(ATTEMPT_RULES)}")
    by_attempt = sorted(entries, key=lambda e: e.attempt)
    if rule == "first":
        return by_attempt[0]
    if rule == "best":
        return max(reversed(by_attempt), key=lambda e: e.final)  # ties: the latest
    return by_attempt[-1]


def standings(entries: Iterable[Entry], rule: str = "latest") -> list[Standing]:
    by_student: dict[str, list[Entry]] = {}
    for e in entries:
        by_student.setdefault(e.student, []).append(e)
    names = safe_names(sorted(by_student))
    return [
        Standing(s, counted(by_student[s], rule), len(by_student[s]), names[s])
        for s in sorted(by_student)
    ]


_UNSAFE = re.compile(r"[^\w.\-]+")
NAME_BYTES = 96  # of an output name's stem: far below the 255 bytes a file name may have


def safe_names(students: Iterable[str]) -> dict[str, str]:
    """A distinct file name for every student id (ids may hold spaces or slashes, and be
    as long as a file name may be: a long one is cut and told apart by a short hash)."""
    taken: set[str] = set()
    names: dict[str, str] = {}
    for student in students:
        base = bounded(_UNSAFE.sub("_", student).lstrip(".") or "student", student)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}~{n}"
        taken.add(name.lower())
        names[student] = name
    return names


def bounded(name: str, student: str, limit: int = NAME_BYTES) -> str:
    """`name` if its UTF-8 form fits in `limit` bytes, else its beginning and a hash of
    the whole id, so that OUT/reports/<name>.html can always be created."""
    if len(name.encode("utf-8")) <= limit:
        return name
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    head = name.encode("utf-8")[: limit - len(digest) - 1].decode("utf-8", "ignore")
    return f"{head}-{digest}"


def score_text(value: float | None) -> str:
    """Scores as the gradebook keeps them (two decimals), without trailing zeros."""
    if value is None:
        return ""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def exercise_cells(entry: Entry, exercises: Sequence[str]) -> list[str]:
    """One cell per exercise: its score, or empty where the entry has none."""
    return [
        score_text(entry.exercise_scores[x]["score"]) if x in entry.exercise_scores else ""
        for x in exercises
    ]
