"""`gdgrade batch` with a deadline: times from a manifest, Blackboard's file names and
Canvas's LATE tag, an extension file; the CSVs keep raw, penalty and final apart, class.html
tells who was late and by how much, and every attempt has its history."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORRECT = ROOT / "tests/submissions/correct/loops.py"
WRONG_STEP = ROOT / "examples/class/2024120003.py"  # gradient_step changes its input
ASSIGNMENT = """title = "HW3"
[points]
gradient_step = 10
[deadline]
due = 2026-12-01T23:59:00
timezone = "Asia/Seoul"
grace_minutes = 15
penalty_percent = 10
per = "day"
max_penalty_percent = 30
last = 2026-12-06T23:59:00
"""
MANIFEST = """student_id,submitted_at
ontime,2026-12-01T22:59:00+09:00
grace,2026-12-02T00:14:00+09:00
onesecond,2026-12-02T00:14:01+09:00
capped,2026-12-05T23:59:00+09:00
afterlast,2026-12-07T00:00:00+09:00
extended,2026-12-03T12:00:00+09:00
"""
EXTENSIONS = "학번,new_due\nextended,2026-12-04T23:59:00+09:00\n"
# student: (raw, penalty, final, late column)
EXPECTED = {
    "ontime": ("10", "0", "10", ""),
    "grace": ("10", "0", "10", "grace"),
    "onesecond": ("10", "1", "9", "yes"),
    "capped": ("10", "3", "7", "yes"),  # four started days: 40 %, capped at 30 %
    "afterlast": ("10", "10", "0", "rejected"),
    "extended": ("10", "0", "10", ""),
    "bbuser": ("10", "1", "9", "yes"),  # Blackboard's name says 00:20:00, read in KST
    "777": ("10", "0", "10", "yes"),  # Canvas LATE, no time: marked, not penalised
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("late")
    class_dir = root / "class"
    class_dir.mkdir()
    for student in ("ontime", "grace", "onesecond", "capped", "afterlast", "extended"):
        shutil.copy(CORRECT, class_dir / f"{student}.py")
    shutil.copy(CORRECT, class_dir / "HW3_bbuser_attempt_2026-12-02-00-20-00_hw3.py")
    shutil.copy(WRONG_STEP, class_dir / "park_777_1001_hw3.py")
    shutil.copy(CORRECT, class_dir / "park_LATE_777_1002_hw3.py")
    (root / "hw.toml").write_text(ASSIGNMENT, encoding="utf-8")
    (root / "times.csv").write_text(MANIFEST, encoding="utf-8")
    (root / "ext.csv").write_text(EXTENSIONS, encoding="utf-8")
    out = root / "out"
    options = ["--assignment", str(root / "hw.toml"), "--times", str(root / "times.csv"),
               "--extensions", str(root / "ext.csv"), "--jobs", "2", "--feedback", "text",
               "--progress", "lines", "--lang", "en"]  # fmt: skip
    # a child process, as a TA runs it (and as the batch's worker processes expect)
    command = [sys.executable, "-m", "grader", "batch", str(class_dir), "--out", str(out)]
    done = subprocess.run([*command, *options], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return out


def rows(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {r["student"]: r for r in csv.DictReader(handle)}


def test_grades_csv_has_raw_penalty_and_final_as_the_schedule_says(graded):
    table = rows(graded / "grades.csv")
    got = {s: (r["raw"], r["penalty"], r["final"], r["late"]) for s, r in table.items()}
    assert got == EXPECTED
    assert table["onesecond"]["late_minutes"] == "16"
    assert table["onesecond"]["submitted_at"] == "2026-12-02T00:14:01+09:00"


def test_canvas_and_gradescope_uploads_carry_the_final_score(graded):
    with open(graded / "grades_gradescope.csv", encoding="utf-8-sig", newline="") as handle:
        totals = {r["SID"]: r["Total Score"] for r in csv.DictReader(handle)}
    assert totals["capped"] == "7" and totals["afterlast"] == "0"
    with open(graded / "grades_canvas.csv", encoding="utf-8-sig", newline="") as handle:
        canvas = list(csv.reader(handle))
    assert [r[-1] for r in canvas if r[2] == "capped"] == ["7"]


def test_class_page_shows_who_was_late_and_by_how_much(graded):
    page = (graded / "class.html").read_text(encoding="utf-8")
    late = dict(re.findall(r'class="late-row" data-student="([^"]+)" data-status="([^"]+)"', page))
    assert late == {
        "grace": "grace",
        "onesecond": "late",
        "capped": "late",
        "afterlast": "rejected",
        "bbuser": "late",
        "777": "unknown_late",
    }
    assert "0 d 0 h 16 min" in page and "4 d 0 h 0 min" in page  # onesecond, capped
    assert 'href="history/777.html"' in page


def test_the_gradebook_keeps_raw_scores_and_penalties_apart(graded):
    import sqlite3

    db = sqlite3.connect(graded / "gradebook.sqlite")
    raw = db.execute(
        "SELECT r.score, p.percent, p.penalty FROM results r JOIN submissions s "
        "ON s.id = r.submission_id JOIN penalties p ON p.submission_id = s.id "
        "WHERE r.current = 1 AND s.student = 'capped'"
    ).fetchone()
    assert raw == (10.0, 30.0, 3.0)


def attempts(graded: Path) -> list[dict[str, str]]:
    with open(graded / "attempts.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_history_page_shows_every_attempt_and_what_changed(graded):
    page = (graded / "history" / "777.html").read_text(encoding="utf-8")
    assert re.findall(r'data-attempt="(\d+)"', page) == ["1", "2"]
    first = next(r for r in attempts(graded) if r["student"] == "777" and r["attempt"] == "1")
    gain = 10 - float(first["gradient_step"])  # the first attempt changes its input
    assert f"(+{gain:g})" in page and "code: changed" in page


def test_attempts_csv_lists_every_attempt(graded):
    table = attempts(graded)
    park = [r for r in table if r["student"] == "777"]
    assert [(r["attempt"], r["counted"]) for r in park] == [("1", ""), ("2", "yes")]
    assert float(park[0]["gradient_step"]) < 10 and park[1]["gradient_step"] == "10"
    assert len(table) == 9  # attempts in the planted class, not exercises


def test_export_with_new_extensions_recomputes_the_penalties(graded, tmp_path):
    ext = tmp_path / "ext.csv"
    ext.write_text("student,due\ncapped,2026-12-06T00:00:00+09:00\n", encoding="utf-8")
    assert main(["export", str(graded), "--format", "csv", "--extensions", str(ext)]) == 0
    table = rows(graded / "grades.csv")
    # capped is now on time; extended lost its extension: 1 d 12 h late, two started days
    assert (table["capped"]["final"], table["extended"]["final"]) == ("10", "8")
