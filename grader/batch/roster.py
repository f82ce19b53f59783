"""A class roster (CSV) that fills in names, SIS ids and sections for the exports.

Columns are recognised by header, case-insensitively, in Korean or English (see
docs/gradebook.md); a row belongs to a student when its student id, Canvas id or SIS user id
equals the id gdgrade found the submission under. Canvas's own gradebook export works as a
roster (Student = name, ID = Canvas id).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gdgrade.errors import UsageError
from grader.batch.csv_input import read_rows

HEADERS = {
    "student": ("student_id", "student id", "student number", "학번", "sid"),
    "name": ("name", "student name", "student", "이름", "성명"),
    "canvas_id": ("canvas_id", "canvas id", "canvas user id", "user_id", "id"),
    "sis_user_id": ("sis_user_id", "sis user id"),
    "sis_login_id": ("sis_login_id", "sis login id", "login", "login_id"),
    "section": ("section", "분반"),
    "email": ("email", "e-mail", "이메일"),
}


class RosterError(UsageError, ValueError):
    """The roster cannot be read; one line for the user."""


@dataclass(frozen=True)
class Person:
    student: str
    name: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    email: str = ""


@dataclass(frozen=True)
class Roster:
    people: tuple[Person, ...] = ()

    def find(self, student: str) -> Person | None:
        for p in self.people:
            if student in (p.student, p.canvas_id, p.sis_user_id):
                return p
        return None


def load_roster(path: Path | None) -> Roster:
    if path is None:
        return Roster()
    rows = read_rows(path, "roster", RosterError)
    if not rows:
        raise RosterError(f"roster {path} is empty")
    columns = _columns(rows[0])
    if "student" not in columns and "canvas_id" not in columns:
        raise RosterError(f"roster {path}: no student id column (e.g. 'student_id' or '학번')")
    people = []
    for row in rows[1:]:
        values = {k: row[i].strip() if i < len(row) else "" for k, i in columns.items()}
        if not values.get("student"):
            values["student"] = values.get("canvas_id", "")
        if values["student"] and values["student"] != "Points Possible":
            people.append(Person(**values))
    return Roster(tuple(people))


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    normalised = [h.strip().lower() for h in header]
    for field, names in HEADERS.items():
        for i, h in enumerate(normalised):
            if h in names and i not in found.values():
                found[field] = i
                break
    return found
