"""A batch's outputs do not depend on how it was run: a cold or warm case cache, one
worker or two, one exercise process per submission or a fresh fork per exercise give
the same scores, diagnoses, JSON results, feedback, tables and gradebook records."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from gdgrade.report_json import to_json
from gdgrade.sandbox import Limits, Sandbox
from gdgrade.sandbox.driver import EXERCISE_PROCESS_ENV
from gdgrade.submission import load_submission
from grader.assignment import Assignment
from grader.grade import grade_submission

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "submissions"
CLASS = {  # correct (a .py and a notebook), a mistake, one that uses numpy's global generator
    "s1.py": SAMPLES / "correct" / "loops.py",
    "s2.ipynb": SAMPLES / "correct" / "notebook.ipynb",
    "s3.py": SAMPLES / "batch_gradient_descent" / "sum_not_mean.py",
    "s4.py": SAMPLES / "sgd" / "global_randint.py",
}
SEED = "480304811230517"
# What differs between two runs of the same batch by nature: how long things took and when.
TIMING_KEYS = {"duration_s", "duration", "graded_at", "started_at", "finished_at"}


def normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    return value


def gradebook(out: Path) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(f"file:{out / 'gradebook.sqlite'}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT s.student, s.path, s.sha256, r.status, r.score, r.max_score, r.summary, "
            "r.report, r.ta_report, r.feedback, r.feedback_format, r.error "
            "FROM results r JOIN submissions s ON s.id = r.submission_id "
            "WHERE r.current ORDER BY s.student"
        ).fetchall()
    finally:
        db.close()
    return [
        (*row[:6], *(_stored(v, i in (7, 8, 9)) for i, v in enumerate(row) if i >= 6))
        for row in rows
    ]


def _stored(value: Any, compressed: bool) -> Any:
    """A gradebook field: reports and feedback are zlib-compressed, JSON is normalised."""
    if compressed and value is not None:
        value = zlib.decompress(value).decode("utf-8")
    if isinstance(value, str) and value.startswith(("{", "[")):
        return normalised(json.loads(value))
    return value


def outputs(out: Path) -> dict[str, Any]:
    """Every output a TA reads, with timings taken out; the gradebook by its records."""
    found: dict[str, Any] = {"gradebook": gradebook(out)}
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if not path.is_file() or name.startswith(("gradebook.sqlite", ".gdgrade.lock")):
            continue
        text = path.read_text(encoding="utf-8")
        found[name] = normalised(json.loads(text)) if path.suffix == ".json" else text
    return found


@pytest.fixture(scope="module")
def tiny_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("same") / "class"
    folder.mkdir()
    for name, sample in CLASS.items():
        shutil.copy(sample, folder / name)
    return folder


def batch(folder: Path, out: Path, cache: Path, jobs: int, exercise_process: str) -> None:
    env = {**os.environ, "GDGRADE_CACHE_DIR": str(cache), EXERCISE_PROCESS_ENV: exercise_process}
    command = [sys.executable, "-m", "grader", "batch", str(folder), "--out", str(out)]
    command += ["--seed", SEED, "--feedback", "text", "--jobs", str(jobs), "--progress", "lines"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def runs(tiny_class: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same class graded twice: an empty case cache, one worker and a fresh fork per
    exercise; then the cache the first run filled, two workers and shared processes."""
    work = tmp_path_factory.mktemp("runs")
    cache = work / "cache"
    batch(tiny_class, work / "cold", cache, 1, "each")
    batch(tiny_class, work / "warm", cache, 2, "shared")
    return {"cold": work / "cold", "warm": work / "warm", "cache": cache}


def test_the_outputs_are_the_same_whichever_cache_workers_and_exercise_processes(
    runs: dict[str, Path],
) -> None:
    cold, warm = outputs(runs["cold"]), outputs(runs["warm"])
    assert sorted(cold) == sorted(warm)
    for name in cold:
        assert cold[name] == warm[name], name
    scores = [row[3:5] for row in cold["gradebook"]]
    assert scores[0] == ("graded", 100.0) and scores[2][1] < 100.0  # a real class, graded


def test_a_batch_grades_each_file_as_grading_it_alone_does(
    tiny_class: Path, runs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's workers get the case sets from the coordinator; grading one file
    computes (or reads) them itself: the reports are the same."""
    monkeypatch.setenv("GDGRADE_CACHE_DIR", str(runs["cache"]))
    assignment = Assignment(seed=int(SEED))
    stored = {row[0]: row[7] for row in gradebook(runs["warm"])}
    with Sandbox(Limits()) as sandbox:
        for name in CLASS:
            submission = load_submission(tiny_class / name)
            student = Path(name).stem
            report = grade_submission(submission, assignment, sandbox, student, f"class/{name}")
            assert normalised(to_json(report, assignment.lang)) == stored[student], name
