"""When each submission was handed in, and each student's own due date.

Sources, most trusted first: a timestamp manifest the instructor gives (`--times`: a CSV with
a student id, a time and optionally a file name; Moodle's grading worksheet works as one),
the time an LMS wrote into the file name (Blackboard), and the file's modification time
only when asked (`--times-from-mtime`): copying or unzipping a download changes mtimes.
Canvas's `LATE` tag says late without saying how late; it is kept as such.
Extensions (`--extensions`) are a CSV of student id and new due date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from pathlib import Path

from gdgrade.errors import UsageError
from grader.batch.csv_input import read_rows
from grader.batch.discover import BLACKBOARD, Found
from grader.deadline import DeadlineError, parse_time

MANIFEST, LMS, MTIME = "manifest", "lms", "mtime"
STUDENT = {"student", "student_id", "student id", "학번", "sid", "id", "identifier", "login",
           "username", "canvas_id"}  # fmt: skip
FILE = {"file", "filename", "file name", "path", "파일"}
TIME = {"submitted_at", "submitted", "timestamp", "time", "submission time",
        "last modified (submission)", "제출 시각", "제출시각"}  # fmt: skip
DUE = {"due", "new_due", "due_at", "due date", "extension", "마감", "새 마감"}
MOODLE_TIME = "%A, %d %B %Y, %I:%M %p"  # "Monday, 2 December 2024, 11:59 PM"


class TimingError(UsageError, ValueError):
    """A manifest or extension file that cannot be used; one line for the user."""


@dataclass(frozen=True)
class Stamp:
    student: str
    file: str  # '' when the row does not say which file
    at: datetime


def load_manifest(path: Path, zone: tzinfo) -> list[Stamp]:
    rows, where = _read(path, "timestamp manifest")
    columns = _columns(rows[0], {"student": STUDENT, "file": FILE, "time": TIME})
    if "student" not in columns or "time" not in columns:
        raise TimingError(f"{where}: needs a student id column and a time column")
    stamps = []
    for n, row in enumerate(rows[1:], 2):
        student = _student(_cell(row, columns["student"]))
        raw = _cell(row, columns["time"])
        if not student or raw in ("", "-"):
            continue  # Moodle lists students who submitted nothing with '-'
        at = _time(raw, zone, f"{where}, line {n}")
        stamps.append(Stamp(student, _cell(row, columns.get("file")), at))
    return stamps


def load_extensions(path: Path, zone: tzinfo) -> dict[str, datetime]:
    rows, where = _read(path, "extension file")
    columns = _columns(rows[0], {"student": STUDENT, "due": DUE})
    if "student" not in columns or "due" not in columns:
        raise TimingError(f"{where}: needs a student id column and a new due date column")
    found: dict[str, datetime] = {}
    for n, row in enumerate(rows[1:], 2):
        student = _student(_cell(row, columns["student"]))
        raw = _cell(row, columns["due"])
        if student and raw:
            found[student] = _time(raw, zone, f"{where}, line {n}")
    return found


def submission_times(
    found: Iterable[Found], stamps: list[Stamp], zone: tzinfo, use_mtime: bool
) -> dict[Path, tuple[datetime, str]]:
    """path -> (time, source) for every submission whose time is known.

    A manifest row naming a file dates that file; a row without one dates the student's
    latest attempt (an LMS keeps the time of the last submission)."""
    found = list(found)
    latest: dict[str, Found] = {}
    for f in found:
        latest[f.student] = f  # discovery sorts each student's attempts oldest first
    times: dict[Path, tuple[datetime, str]] = {}
    for f in found:
        blackboard = BLACKBOARD.match(f.path.stem) if f.layout == "blackboard" else None
        if blackboard:
            stamp = datetime.strptime(blackboard["stamp"], "%Y-%m-%d-%H-%M-%S")
            times[f.path] = (stamp.replace(tzinfo=zone), LMS)
        elif use_mtime:
            times[f.path] = (datetime.fromtimestamp(f.path.stat().st_mtime, timezone.utc), MTIME)
    for s in stamps:
        for f in found:
            if f.student != s.student:
                continue
            named = s.file and s.file in (f.path.name, f.path.as_posix())
            if named or (not s.file and f is latest[f.student]):
                times[f.path] = (s.at, MANIFEST)
    return times


def _read(path: Path, what: str) -> tuple[list[list[str]], str]:
    rows = [r for r in read_rows(path, what, TimingError) if any(c.strip() for c in r)]
    if not rows:
        raise TimingError(f"{what} {path} is empty")
    return rows, str(path)


def _columns(header: list[str], wanted: dict[str, set[str]]) -> dict[str, int]:
    normalised = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for field, names in wanted.items():
        for i, h in enumerate(normalised):
            if h in names and i not in found.values():
                found[field] = i
                break
    return found


def _cell(row: list[str], i: int | None) -> str:
    return row[i].strip() if i is not None and i < len(row) else ""


def _student(raw: str) -> str:
    """Moodle's worksheet says 'Participant 4242' (참가자 4242): the id is the number."""
    moodle = re.fullmatch(r"(?:participant|참가자)\s*(\d+)", raw, re.IGNORECASE)
    return moodle[1] if moodle else raw


def _time(raw: str, zone: tzinfo, where: str) -> datetime:
    try:
        return datetime.strptime(raw, MOODLE_TIME).replace(tzinfo=zone)
    except ValueError:
        pass
    try:
        return parse_time(raw, zone, where)
    except DeadlineError as exc:
        raise TimingError(str(exc)) from None
