"""`gdgrade batch` end to end on generated classes, through the real CLI and sandbox.

The class is built from the sample submissions (tests/submissions, examples/class): correct
ones, every known mistake, notebooks, an endless loop at module level and in a function,
a memory hog, an unreadable file. Its size is GDGRADE_BATCH_CLASS_SIZE (default 60).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from gdgrade.i18n import text

ROOT = Path(__file__).resolve().parent.parent
SIZE = int(os.environ.get("GDGRADE_BATCH_CLASS_SIZE", "60"))
LIMITS = ["--call-timeout", "0.5", "--load-timeout", "2", "--submission-timeout", "4"]
ENDLESS_LOAD = "import numpy as np\n\nwhile True:\n    pass\n"
UNREADABLE = b"def gradient_step(x, g, lr):\n    return x - lr * g  # \xff\xfe not UTF-8\n"


def material() -> list[Path]:
    """Every sample submission, correct ones first so a small class still mixes kinds."""
    files = sorted((ROOT / "tests" / "submissions").rglob("*.py"))
    files += sorted((ROOT / "tests" / "submissions").rglob("*.ipynb"))
    files += sorted(p for p in (ROOT / "examples" / "class").rglob("*") if p.is_file())
    return sorted(files, key=lambda p: ("correct" not in p.parts, str(p)))


def make_class(root: Path, size: int) -> dict[str, str]:
    """`size` submissions under student ids; returns id -> what it is (for messages)."""
    root.mkdir(parents=True)
    kinds: dict[str, str] = {}
    specials = {"s0000": ENDLESS_LOAD, "s0001": UNREADABLE}
    for sid, body in specials.items():
        data = body.encode() if isinstance(body, str) else body
        (root / f"{sid}.py").write_bytes(data)
        kinds[sid] = "endless load" if sid == "s0000" else "unreadable"
    sources = itertools.cycle(material())
    for n in range(len(specials), size):
        source = next(sources)
        sid = f"s{n:04d}"
        if n % 7 == 3:  # some students hand in a folder
            (root / sid).mkdir()
            shutil.copy(source, root / sid / f"hw3{source.suffix}")
        else:
            shutil.copy(source, root / f"{sid}{source.suffix}")
        kinds[sid] = str(source.relative_to(ROOT))
    return kinds


def gdgrade(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args], capture_output=True, text=True, cwd=ROOT, **kw
    )


def batch(directory: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return gdgrade("batch", str(directory), "--out", str(out), "--jobs", "2", *LIMITS, *extra)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def query(out: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(f"file:{out / 'gradebook.sqlite'}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, dict]]:
    base = tmp_path_factory.mktemp("batch")
    kinds = make_class(base / "class", SIZE)
    started = time.monotonic()
    run = batch(base / "class", base / "out")
    print(f"\n{SIZE} submissions in {time.monotonic() - started:.1f} s", file=sys.stderr)
    assert run.returncode == 0, run.stderr
    yield base / "class", base / "out", kinds


def test_every_submission_has_exactly_one_current_result(graded) -> None:
    _, out, kinds = graded
    counts = query(
        out,
        "SELECT s.student, (SELECT count(*) FROM results r WHERE r.submission_id = s.id "
        "AND r.current = 1) FROM submissions s WHERE s.active = 1",
    )
    assert sorted(s for s, _ in counts) == sorted(kinds)
    assert {n for _, n in counts} == {1}
    assert query(out, "PRAGMA integrity_check") == [("ok",)]


def test_csv_totals_and_exercise_scores_equal_the_json_reports(graded) -> None:
    _, out, kinds = graded
    rows = read_csv(out / "grades.csv")
    assert sorted(r["student"] for r in rows) == sorted(kinds)
    for row in rows:
        data = json.loads((out / "results" / f"{row['student']}.json").read_text("utf-8"))
        assert float(row["total"]) == data["score"], row["student"]
        for e in data.get("exercises", []):
            assert float(row[e["id"]]) == e["score"], (row["student"], e["id"])


def test_hostile_and_unreadable_submissions_score_zero_and_are_reported(graded) -> None:
    _, out, _ = graded
    rows = {r["student"]: r for r in read_csv(out / "grades.csv")}
    assert rows["s0000"]["total"] == "0" and rows["s0000"]["status"] == "graded"
    assert rows["s0001"]["status"] == "unreadable"
    page = (out / "class.html").read_text("utf-8")
    incidents = page[page.index('id="incidents"') : page.index('id="unreadable"')]
    assert "s0000" in incidents
    unreadable = page[page.index('id="unreadable"') : page.index('id="faults"')]
    assert "s0001" in unreadable
    # why, in the class's language (Korean), on the TA's page and in the student's report
    why = text("ko", "submission", "not_utf8", byte="0xff", offset=UNREADABLE.index(b"\xff"))
    assert why in unreadable and why in (out / "reports" / "s0001.txt").read_text("utf-8")
    faults = page[page.index('id="faults"') :]
    assert "<table>" not in faults  # the grader itself never failed


def test_every_student_has_a_feedback_report_and_a_json_result(graded) -> None:
    _, out, kinds = graded
    reports = {p.stem for p in (out / "reports").iterdir()}
    results = {p.stem for p in (out / "results").iterdir()}
    assert reports == results == set(kinds)


def test_class_page_is_self_contained(graded) -> None:
    _, out, _ = graded
    page = (out / "class.html").read_text("utf-8")
    assert page.count("<script") == page.count("<script>") == 1  # the inline list sorter only
    for marker in ("src=", "http://", "https://", "@import", "<link", "fetch(", "XMLHttpRequest"):
        assert marker not in page


def test_running_again_grades_nothing_and_changes_no_grade(graded) -> None:
    directory, out, _ = graded
    before = (out / "grades.csv").read_bytes()
    results = query(out, "SELECT count(*) FROM results")
    again = batch(directory, out)
    assert again.returncode == 0, again.stderr
    assert " 0 graded now" in again.stdout
    assert (out / "grades.csv").read_bytes() == before
    assert query(out, "SELECT count(*) FROM results") == results


def test_export_rebuilds_the_tables_without_regrading(graded) -> None:
    _, out, _ = graded
    before = (out / "grades.csv").read_bytes()
    results = query(out, "SELECT count(*) FROM results")
    (out / "grades.csv").unlink()
    (out / "grades_canvas.csv").unlink()
    done = gdgrade("export", str(out), "--format", "csv", "--format", "canvas")
    assert done.returncode == 0, done.stderr
    assert (out / "grades.csv").read_bytes() == before
    assert read_csv(out / "grades_canvas.csv")[0]["Student"] == "Points Possible"
    assert query(out, "SELECT count(*) FROM results") == results


# --- settings changes, on a small class ---------------------------------------------------


@pytest.fixture
def small_class(tmp_path: Path) -> Path:
    directory = tmp_path / "class"
    directory.mkdir()
    correct = sorted((ROOT / "tests" / "submissions" / "correct").glob("*.py"))[:2]
    for n, source in enumerate(correct):
        shutil.copy(source, directory / f"s{n}.py")
    shutil.copy(ROOT / "tests" / "submissions" / "sgd" / "no_shuffle.py", directory / "s9.py")
    return directory


FEW = ["--exercise", "gradient_step", "--exercise", "sgd"]


def test_a_changed_file_alone_is_regraded(small_class: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert batch(small_class, out, *FEW).returncode == 0
    shutil.copy(ROOT / "tests" / "submissions" / "sgd" / "sign_ascent.py", small_class / "s0.py")
    again = batch(small_class, out, *FEW)
    assert again.returncode == 0, again.stderr
    assert " 1 graded now" in again.stdout
    history = query(
        out,
        "SELECT s.student, s.active, count(r.id) FROM submissions s "
        "JOIN results r ON r.submission_id = s.id GROUP BY s.id ORDER BY s.student, s.id",
    )
    assert history == [("s0", 0, 1), ("s0", 1, 1), ("s1", 1, 1), ("s9", 1, 1)]


def test_a_new_seed_or_exercise_choice_regrades_and_keeps_history(
    small_class: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert batch(small_class, out, *FEW).returncode == 0
    reseeded = batch(small_class, out, *FEW, "--seed", "12345")
    assert " 3 graded now" in reseeded.stdout, reseeded.stderr
    fewer = batch(small_class, out, "--exercise", "gradient_step")
    assert " 3 graded now" in fewer.stdout, fewer.stderr
    assert query(out, "SELECT count(*), sum(current) FROM results") == [(9, 3)]
    # without --seed, a batch goes on with the seed its gradebook last used
    assert query(out, "SELECT DISTINCT seed FROM results WHERE current = 1") == [(12345,)]
    header = next(csv.reader(io.StringIO((out / "grades.csv").read_text("utf-8-sig"))))
    assert "sgd" not in header and "gradient_step" in header
    back = batch(small_class, out, *FEW, "--seed", "12345")  # earlier settings: reused
    assert " 0 graded now" in back.stdout


def test_a_first_batch_without_a_seed_makes_a_secret_one_and_keeps_it_for_the_ta(
    small_class: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = batch(small_class, out, *FEW)
    assert first.returncode == 0, first.stderr
    [(kept,)] = query(out, "SELECT value FROM meta WHERE key = 'seed'")
    seed = int(kept)
    assert 2**40 <= seed < 2**63  # random and large: not guessable from a fingerprint
    assert first.stderr.count(kept) == 2  # shown once, with the regrade line, to the TA
    assert query(out, "SELECT DISTINCT seed FROM results") == [(seed,)]
    again = batch(small_class, out, *FEW)  # a resume reuses it, and says nothing of it
    assert " 0 graded now" in again.stdout and kept not in again.stderr + again.stdout
    other = tmp_path / "other"
    assert batch(small_class, other, *FEW).returncode == 0
    assert query(other, "SELECT value FROM meta WHERE key = 'seed'") != [(kept,)]
    # students' files never hold it; the TA's record in the gradebook does
    for path in [*(out / "results").iterdir(), *(out / "reports").iterdir(), out / "class.html"]:
        assert kept not in path.read_text("utf-8"), path
    records = query(out, "SELECT ta_report FROM results")
    assert records and all(
        json.loads(zlib.decompress(r).decode())["reproduce"]["seed"] == seed for (r,) in records
    )


def test_per_student_cases_are_seeded_by_each_student_id(small_class: Path, tmp_path) -> None:
    out = tmp_path / "out"
    done = batch(small_class, out, "--exercise", "gradient_step", "--per-student")
    assert done.returncode == 0, done.stderr
    assert query(out, "SELECT DISTINCT per_student FROM results") == [(1,)]
    for student in ("s0", "s1", "s9"):
        data = json.loads((out / "results" / f"{student}.json").read_text("utf-8"))
        assert data["reproduce"]["student_id"] == student
        assert "--per-student" in data["reproduce"]["command"]


def test_summary_names_every_output_a_ta_opens(tmp_path: Path, small_class) -> None:
    out = tmp_path / "out"
    done = gdgrade("batch", str(small_class), "--out", str(out), "--feedback", "text")
    assert done.returncode == 0, done.stderr
    listed = [line.strip() for line in done.stdout.splitlines() if line.startswith("  ")]
    kept = {"gradebook.sqlite"}  # the gradebook itself: named in the docs, not opened by hand
    expected = {
        f"{p}/" if p.is_dir() else str(p)
        for p in out.iterdir()
        if not p.name.startswith(".") and p.name not in kept
    }
    assert set(listed) == expected and len(listed) == len(expected)
    assert {"reports", "results", "history", "grades_gradescope.csv", "attempts.csv"} <= {
        Path(line).name for line in listed
    }


# --- bad input ----------------------------------------------------------------------------


def test_a_missing_directory_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = gdgrade("batch", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_a_directory_without_submissions_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "notes.txt").write_text("x")
    done = gdgrade("batch", str(tmp_path / "class"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "no submissions" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()  # no gradebook, no lock file left behind


def test_a_file_instead_of_a_directory_says_batch_needs_a_folder(tmp_path: Path) -> None:
    single = tmp_path / "2024000001.py"
    single.write_text("x = 1\n")
    done = gdgrade("batch", str(single), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "is a file" in done.stderr and "gdgrade grade" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["batch", "grade", "check"])
def test_a_misspelt_exercise_id_gets_the_closest_one_suggested(tmp_path: Path, command) -> None:
    target = tmp_path / "class" if command == "batch" else tmp_path / "s.py"
    out = ["--out", str(tmp_path / "out")] if command != "check" else []
    done = gdgrade(command, str(target), "--exercise", "sdg", *out)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "did you mean 'sgd'?" in done.stderr
    assert not (tmp_path / "out").exists()


def test_an_output_that_cannot_be_a_directory_is_exit_2(tmp_path: Path, small_class) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = gdgrade("batch", str(small_class), "--out", str(blocker / "out"))
    assert done.returncode == 2
    assert "cannot create output directory" in done.stderr and "Traceback" not in done.stderr


def test_export_without_a_gradebook_is_exit_2(tmp_path: Path) -> None:
    done = gdgrade("export", str(tmp_path), "--format", "csv")
    assert done.returncode == 2 and "run 'gdgrade batch" in done.stderr


# --- interruptions ------------------------------------------------------------------------


def committed(out: Path) -> int:
    try:
        return query(out, "SELECT count(*) FROM results")[0][0]
    except sqlite3.Error:  # not created yet
        return 0


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def workers(pid: int) -> list[int]:
    """The batch's worker processes: forked by its fork server, or spawned by the batch
    itself where there is none (not multiprocessing's other helpers)."""
    found = []
    for child in children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(child)
        elif b"multiprocessing.forkserver" in command:
            found += children(child)
    return found


def descendants(pid: int) -> list[int]:
    found = children(pid)
    for child in list(found):
        found += descendants(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except OSError:
        return False
    return state != "Z"


def start(directory: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "grader", "batch", str(directory), "--out", str(out)]
    command += ["--jobs", "2", *LIMITS, *extra]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


# Two exercises keep each grading short; gradient_descent is where timeout.py loops forever.
# One seed for every OUT compared: each OUT would otherwise make its own.
KILL_EXERCISES = ["--exercise", "gradient_step", "--exercise", "gradient_descent"]
KILL_EXERCISES += ["--seed", "3141592653589793238"]


@pytest.fixture(scope="module")
def kill_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A class of ~20 and the grades.csv of an uninterrupted run over it."""
    base = tmp_path_factory.mktemp("kill")
    make_class(base / "class", max(12, SIZE // 3))
    reference = batch(base / "class", base / "reference", *KILL_EXERCISES)
    assert reference.returncode == 0, reference.stderr
    return base / "class", base / "reference"


def test_killed_at_any_point_and_resumed_equals_an_uninterrupted_run(kill_class) -> None:
    directory, reference = kill_class
    out = directory.parent / "killed"
    total = len(read_csv(reference / "grades.csv"))
    for point in (1, total // 3, (2 * total) // 3):
        process = start(directory, out, *KILL_EXERCISES)
        wait_for(lambda p=point, q=process: committed(out) >= p or q.poll() is not None)
        left = descendants(process.pid)  # workers and their sandboxes
        process.send_signal(signal.SIGKILL)
        process.wait()
        wait_for(lambda w=left: not any(alive(pid) for pid in w), timeout=10)
        assert query(out, "PRAGMA integrity_check") == [("ok",)]
    final = batch(directory, out, *KILL_EXERCISES)
    assert final.returncode == 0, final.stderr
    assert (out / "grades.csv").read_bytes() == (reference / "grades.csv").read_bytes()
    assert query(out, "SELECT count(*) FROM results WHERE current = 1")[0][0] == total
    assert query(out, "SELECT state FROM runs ORDER BY id")[-1] == ("finished",)


def test_ctrl_c_stops_the_batch_and_says_so_in_the_gradebook(kill_class) -> None:
    directory, _ = kill_class
    out = directory.parent / "interrupted"
    process = start(directory, out, *KILL_EXERCISES)
    wait_for(lambda: committed(out) >= 1 or process.poll() is not None)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in stderr
    assert query(out, "SELECT state FROM runs") == [("interrupted",)]
    assert query(out, "PRAGMA integrity_check") == [("ok",)]


def test_a_second_batch_on_the_same_output_is_refused(kill_class) -> None:
    directory, _ = kill_class
    out = directory.parent / "busy"
    first = start(directory, out, *KILL_EXERCISES)
    try:
        wait_for(lambda: (out / "gradebook.sqlite").exists() or first.poll() is not None)
        second = batch(directory, out, *KILL_EXERCISES)
        assert second.returncode == 2
        assert "another gdgrade batch or export" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        first.kill()
        first.wait()


def test_a_dead_worker_is_a_grader_fault_and_the_batch_goes_on(kill_class) -> None:
    directory, reference = kill_class
    out = directory.parent / "worker"
    process = start(directory, out, *KILL_EXERCISES)
    wait_for(lambda: committed(out) >= 1 or process.poll() is not None)
    victims = workers(process.pid)
    assert victims, "the batch runs its grading in worker processes"
    os.kill(victims[0], signal.SIGKILL)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 3, stderr
    rows = read_csv(out / "grades.csv")
    faulted = [r["student"] for r in rows if r["status"] == "grader_fault"]
    assert len(faulted) == 1
    page = (out / "class.html").read_text("utf-8")
    assert faulted[0] in page[page.index('id="faults"') :]
    assert len(rows) == len(read_csv(reference / "grades.csv"))
    retried = batch(
        directory, out, *KILL_EXERCISES
    )  # faults are retried: now the grades are complete
    assert retried.returncode == 0, retried.stderr
    assert (out / "grades.csv").read_bytes() == (reference / "grades.csv").read_bytes()
