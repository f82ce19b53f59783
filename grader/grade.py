"""The grading driver: a short list of stage calls (load -> cases -> sandbox -> compare ->
diagnose -> score -> report). It prints nothing and never exits; the CLI does that."""

from __future__ import annotations

import platform
import shlex
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from gdgrade.contract import EXERCISE_IDS
from gdgrade.exercise_data import load_exercise
from gdgrade.exercise_grading import exercise_result
from gdgrade.expectation import Expectation
from gdgrade.public_expectations import public_expectations
from gdgrade.report import ExerciseResult, GradeReport
from gdgrade.safe_text import display_id
from gdgrade.sandbox import Sandbox, SubmissionRun
from gdgrade.submission import Submission, load_submission
from grader import __version__
from grader.assignment import NO_SEED, Assignment, AssignmentError
from grader.case_cache import cached
from grader.expected import expectations
from grader.explain import explain
from grader.hidden_cases import hidden_cases
from grader.host_noise import scrubbed
from grader.secret import fingerprint


@lru_cache(maxsize=256)
def case_set(
    exercise: str, seed: int | None, student_id: str | None, hidden: bool
) -> tuple[Expectation, ...]:
    """Expected values and variant outputs: the public cases' as shipped with the package
    (exercises/build.py computes them), the hidden ones computed once per (exercise, seed,
    student), in memory for a batch and on disk across runs."""
    if hidden and seed is None:
        raise AssignmentError(NO_SEED)
    public = public_expectations(exercise)
    if not hidden:
        return public
    assert seed is not None

    def compute() -> tuple[Expectation, ...]:
        return expectations(hidden_cases(exercise, seed, student_id))

    return public + cached(f"hidden-only seed={seed} student={student_id!r}", exercise, compute)


def versions() -> dict[str, str]:
    return {
        "gdgrade": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
    }


def student_id_for(path: Path, explicit: str | None) -> str:
    return explicit or path.stem


def regrade_command(path: Path, assignment: Assignment, student_id: str | None) -> str:
    """The instructor's regrade: the seed is not in it (it is a secret), it comes from
    GDGRADE_SEED or the assignment file, and the fingerprint shows it was the same."""
    words = ["gdgrade", "grade", str(path)]
    if assignment.per_student and student_id:
        words += ["--per-student", student_id]
    if tuple(assignment.exercises) != EXERCISE_IDS:
        for e in assignment.exercises:
            words += ["--exercise", e]
    return shlex.join(words)


def grade_exercise(
    exercise: str,
    assignment: Assignment,
    sets: Sequence[Expectation],
    run: SubmissionRun,
    source: str,
) -> ExerciseResult:
    points = assignment.points_for(exercise)
    outcomes = run.outcomes[exercise]
    share = assignment.public_share
    return exercise_result(
        exercise, points, sets, outcomes, run.load, source, share, explain=explain
    )


def _faulted(exercise: str, assignment: Assignment) -> ExerciseResult:
    meta = load_exercise(exercise)
    points = assignment.points_for(exercise)
    return ExerciseResult(exercise, meta.number, meta.title, 0.0, points, "error", (), ())


def grade_submission(
    submission: Submission,
    assignment: Assignment,
    sandbox: Sandbox,
    student_id: str | None = None,
    shown_path: str | None = None,
    case_sets: Mapping[str, tuple[Expectation, ...]] | None = None,
) -> GradeReport:
    """`shown_path` is the path as the report names the file (a batch names it inside the
    class folder, never by the TA's own absolute path); by default, the path it was read from.
    `case_sets`: the expectations of the class's shared case sets, already computed (a
    batch computes them once, before its workers start); by default, from `case_set`."""
    started = time.monotonic()
    shown = display_id(shown_path or str(submission.path))
    if assignment.hidden and assignment.seed is None:
        raise AssignmentError(NO_SEED)
    key = student_id if assignment.per_student else None
    given = case_sets or {} if key is None else {}  # a student's own sets are theirs alone
    sets = {
        e: given[e] if e in given else case_set(e, assignment.seed, key, assignment.hidden)
        for e in assignment.exercises
    }
    run = scrubbed(sandbox.run(submission, {e: [x.case.args for x in s] for e, s in sets.items()}))
    load = replace(run.load, problems=submission.notes + run.load.problems)  # magics noted
    run = replace(run, load=load)
    results, faults = [], []
    for e in assignment.exercises:
        try:
            results.append(grade_exercise(e, assignment, sets[e], run, submission.source))
        except Exception:  # our fault, not the student's: keep it apart and go on
            faults.append(f"{e}: {traceback.format_exc(limit=-3).strip()}")
            results.append(_faulted(e, assignment))
    return GradeReport(
        submission=shown,
        sha256=submission.sha256,
        student_id=display_id(key) if key else key,
        exercises=tuple(results),
        load=run.load,
        seed=assignment.seed,
        per_student=assignment.per_student,
        versions=versions(),
        command=regrade_command(Path(shown), assignment, key and display_id(key)),
        duration_s=time.monotonic() - started,
        grader_errors=tuple(faults),
        reveal_hidden=assignment.reveal_hidden,
        case_set=case_set_fingerprint(assignment, key),
        hidden_visibility=assignment.hidden_visibility,
    )


def case_set_fingerprint(assignment: Assignment, student_id: str | None) -> str:
    """What the receipt shows instead of the seed ("" when only public cases are graded)."""
    if not assignment.hidden or assignment.seed is None:
        return ""
    return fingerprint(assignment.seed, student_id)


def grade_path(
    path: str | Path, assignment: Assignment, sandbox: Sandbox, student_id: str | None = None
) -> GradeReport:
    """Load and grade one file; raises SubmissionError for unreadable input."""
    submission = load_submission(path, through_links=False)
    sid = student_id_for(Path(path), student_id)
    return grade_submission(submission, assignment, sandbox, sid)
