"""The class summary: score histograms, diagnosis counts with example students, incidents,
grader faults kept apart, integrity flags for the TA (possibly hard-coded exercises,
identical files), and a page that escapes whatever a file name holds."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from trivial_answers import lookup_table, trivial_source

from gdgrade.contract import EXERCISE_IDS
from gdgrade.i18n import text
from gdgrade.public_expectations import public_expectations
from grader.batch.classview import class_view, histogram
from grader.batch.outputs import OutputOptions, write_class_page
from grader.batch.progress import Progress
from grader.batch.standings import Entry, standings
from grader.batch.tables import ExportContext

POINTS = {"gradient_step": 5.0, "sgd": 15.0}
SUBMISSIONS = Path(__file__).parent / "submissions"


def exercise(score: float, max_score: float, diagnoses=(), incidents=None, status="partial"):
    return {
        "score": score,
        "max_score": max_score,
        "status": status,
        "diagnoses": [{"id": d, "severity": "mistake"} for d in diagnoses],
        "incidents": incidents or {},
    }


def entry(student: str, summary: dict, status: str = "graded", error: str = "") -> Entry:
    score = round(sum(x["score"] for x in summary["exercises"].values()), 2)
    return Entry(
        submission_id=abs(hash(student)) % 10_000,
        student=student,
        name="",
        path=f"{student}.py",
        sha256="0" * 64,
        attempt=1,
        late=False,
        layout="file",
        note="",
        status=status,
        score=score,
        max_score=20.0,
        summary=summary,
        feedback_format="html",
        error=error,
        result_id=1,
    )


def summary(step: dict, sgd: dict, load=(), faults=()) -> dict:
    return {
        "exercises": {"gradient_step": step, "sgd": sgd},
        "load_problems": list(load),
        "grader_errors": list(faults),
    }


CLASS = [
    entry("s1", summary(exercise(5, 5, status="passed"), exercise(15, 15, status="passed"))),
    entry("s2", summary(exercise(5, 5), exercise(7.5, 15, ["no_shuffle"]))),
    entry("s3", summary(exercise(0, 5), exercise(7.5, 15, ["no_shuffle", "sign_ascent"]))),
    entry(
        "s4",
        summary(
            exercise(5, 5),
            exercise(0, 15, ["timeout"], {"timeout": ["hidden_0", "hidden_1"]}),
        ),
    ),
    entry(
        "s5",
        summary(
            exercise(0, 5),
            exercise(0, 15),
            load=[{"kind": "timeout", "message": "module code ran too long", "line": 3}],
        ),
    ),
    entry(
        "s6",
        summary(exercise(5, 5), exercise(0, 15), faults=["sgd: KeyError: 'x'"]),
        "grader_fault",
    ),
    entry("s7", summary(exercise(0, 5), exercise(0, 15)), "unreadable", "not UTF-8"),
]


def view(entries=CLASS):
    counted = standings(entries)
    return class_view(counted, entries, ("gradient_step", "sgd"), "en", "HW3", {"seed": 1})


def test_histogram_puts_full_marks_in_the_last_bin_and_zero_in_the_first() -> None:
    bins = histogram([0, 0, 7.5, 15, 15, 15], 15.0)
    assert [b.count for b in bins] == [2, 0, 0, 0, 0, 1, 0, 0, 0, 3]
    assert (bins[0].low, bins[-1].high) == (0, 15)
    assert max(b.share for b in bins) == 1.0


def test_diagnoses_are_counted_per_exercise_with_example_students() -> None:
    sgd = {e.id: e for e in view().exercises}["sgd"]
    counts = {d.id: (d.count, d.examples) for d in sgd.diagnoses}
    assert counts["no_shuffle"] == (2, ("s2", "s3"))
    assert sgd.diagnoses[0].id == "no_shuffle"  # the most common first
    assert sgd.diagnoses[0].title != "no_shuffle"  # the catalogue's title, in the language


def test_timeouts_and_crashes_are_listed_by_student_and_place() -> None:
    found = {(i.student, i.where, i.kind) for i in view().incidents}
    assert found == {("s4", "sgd", "timeout"), ("s5", "load", "timeout")}


def test_grader_faults_and_unreadable_files_are_kept_apart() -> None:
    v = view()
    assert [(p.student, p.message) for p in v.faults] == [("s6", "sgd: KeyError: 'x'")]
    assert [(p.student, p.message) for p in v.unreadable] == [("s7", "not UTF-8")]
    assert {i.student for i in v.incidents}.isdisjoint({"s6", "s7"})


def test_overview_counts_statuses_and_averages_totals() -> None:
    v = view()
    assert v.students == 7
    assert v.statuses == {"graded": 5, "grader_fault": 1, "unreadable": 1}
    assert v.mean == round(sum(e.score for e in CLASS) / 7, 2)


def options(tmp_path: Path, lang: str) -> OutputOptions:
    exercises = ("gradient_step", "sgd")
    context = ExportContext(exercises, 20.0, "HW3")
    settings = {"seed": 1, "per_student": False, "grader_version": "test"}
    return OutputOptions(exercises, lang, "HW3", "latest", settings, context)


def test_class_page_escapes_student_ids_and_messages(tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    entries = [*CLASS, replace(CLASS[-1], student=hostile, error="<script>alert(2)</script>")]
    path = write_class_page(tmp_path, standings(entries), entries, options(tmp_path, "en"))
    page = path.read_text("utf-8")
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_class_page_speaks_korean_and_english(tmp_path: Path) -> None:
    for lang, heading in (("ko", "학급 채점 요약"), ("en", "Class grading summary")):
        page = write_class_page(tmp_path, standings(CLASS), CLASS, options(tmp_path, lang))
        assert heading in page.read_text("utf-8")


def test_plain_progress_lines_give_count_rate_and_eta() -> None:
    stream = io.StringIO()
    progress = Progress(3, stream, bar=False)
    progress.update("s1", "graded", 12.5, 20)
    line = stream.getvalue()
    assert line.startswith("[1/3] s1: 12.5/20 graded")
    assert "/s, eta " in line


def test_progress_bar_shows_count_and_rate() -> None:
    stream = io.StringIO()
    progress = Progress(2, stream, bar=True)
    progress.update("s1", "graded", 1, 2)
    progress.close()
    assert "1/2" in stream.getvalue() and "sub/s" in stream.getvalue()


def test_class_page_drops_bidi_controls_from_ids_and_file_names(tmp_path: Path) -> None:
    spoof = "eve\u202egpj.py"
    entries = [*CLASS, replace(CLASS[-1], student=spoof, path=f"{spoof}\u2067x.py")]
    page = write_class_page(tmp_path, standings(entries), entries, options(tmp_path, "en"))
    text = page.read_text("utf-8")
    assert "evegpj.py" in text
    assert not {"\u202e", "\u2067"} & set(text)


def test_progress_lines_drop_bidi_controls_from_ids() -> None:
    stream = io.StringIO()
    Progress(1, stream, bar=False).update("eve\u202egpj", "graded", 1, 2)
    assert stream.getvalue().startswith("[1/1] evegpj: 1/2 graded")


def test_class_page_lists_the_entries_discovery_skipped_and_why(tmp_path: Path) -> None:
    opts = options(tmp_path, "en")
    skipped = [{"path": "mallory.py", "reason": "a symbolic link, not a regular file"}]
    opts = replace(opts, settings={**opts.settings, "skipped": skipped})
    page = write_class_page(tmp_path, standings(CLASS), CLASS, opts).read_text("utf-8")
    section = page[page.index('<section id="skipped">') :]
    assert "<td>mallory.py</td><td>a symbolic link, not a regular file</td>" in section
    plain = write_class_page(tmp_path, standings(CLASS), CLASS, options(tmp_path, "en"))
    assert 'id="skipped"' not in plain.read_text("utf-8")  # nothing skipped: no section


# --- integrity flags for the TA ----------------------------------------------------------


def counted(student: str, sha: str, public: list[int], hidden: list[int]) -> Entry:
    step = {**exercise(0, 5), "public": public, "hidden": hidden}
    sgd = {**exercise(15, 15, status="passed"), "public": [6, 6], "hidden": [6, 6]}
    return replace(entry(student, summary(step, sgd)), sha256=sha)


FLAGGED_CLASS = [
    counted("copier", "a" * 64, [7, 7], [2, 5]),  # every public case, most hidden ones failed
    counted("close", "b" * 64, [7, 7], [3, 5]),  # most hidden cases pass: an ordinary slip
    counted("buggy", "c" * 64, [6, 7], [0, 5]),  # a public case fails too: no sign of copying
    counted("twin1", "d" * 64, [7, 7], [5, 5]),
    counted("twin2", "d" * 64, [7, 7], [5, 5]),
]


def test_an_exercise_passing_every_public_case_and_failing_most_hidden_ones_is_flagged():
    v = view(FLAGGED_CLASS)
    assert [(h.student, h.exercise, h.public, h.hidden) for h in v.hard_coded] == [
        ("copier", "gradient_step", (7, 7), (2, 5))
    ]


def test_the_same_file_under_different_students_is_flagged():
    v = view(FLAGGED_CLASS)
    assert [(g.sha256, g.students) for g in v.identical] == [("d" * 64, ("twin1", "twin2"))]
    assert view(FLAGGED_CLASS[:3]).identical == ()


def test_digests_from_before_the_case_counts_raise_no_flag():
    assert view(CLASS).hard_coded == ()


def page_rows(page: str, kind: str) -> list[str]:
    return re.findall(rf'<tr class="{kind}">(.*?)</tr>', page, flags=re.S)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_class_page_shows_both_flags_to_the_ta(tmp_path: Path, lang: str) -> None:
    page = write_class_page(
        tmp_path, standings(FLAGGED_CLASS), FLAGGED_CLASS, options(tmp_path, lang)
    ).read_text("utf-8")
    (row,) = page_rows(page, "hard-coded")
    assert "copier" in row and "gradient_step" in row and "2 / 5" in row
    (group,) = page_rows(page, "identical")
    assert "twin1" in group and "twin2" in group and "d" * 12 in group
    assert text(lang, "batch", "hard_coded") in page and text(lang, "batch", "identical") in page


def test_a_real_batch_flags_a_lookup_table_and_a_copied_file(tmp_path: Path) -> None:
    """Graded by `gdgrade batch`: the lookup table of the public answers is flagged on
    every exercise, the file handed in twice is flagged once, and honest work is not."""
    shipped = {e: public_expectations(e) for e in EXERCISE_IDS}
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "2024000001.py").write_text(
        trivial_source("public_answer", lookup_table(shipped)), encoding="utf-8"
    )
    for student in ("2024000002", "2024000003"):
        shutil.copy(SUBMISSIONS / "correct" / "loops.py", folder / f"{student}.py")
    shutil.copy(SUBMISSIONS / "correct" / "vectorised.py", folder / "2024000004.py")
    out = tmp_path / "out"
    command = ["batch", str(folder), "--out", str(out), "--seed", "7", "--feedback", "text"]
    ran = subprocess.run([sys.executable, "-m", "grader", *command], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    page = (out / "class.html").read_text("utf-8")
    flagged = page_rows(page, "hard-coded")
    assert len(flagged) == len(EXERCISE_IDS)
    assert all("2024000001" in row for row in flagged)
    for exercise_id in EXERCISE_IDS:
        assert any(f"<code>{exercise_id}</code>" in row for row in flagged)
    (group,) = page_rows(page, "identical")
    assert "2024000002" in group and "2024000003" in group and "2024000004" not in group
