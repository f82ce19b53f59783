"""Fixed GradeReports for the renderer tests, built by the real grading stages.

Reference functions and known-mistake variants run in-process as the "student" (through
the same plain-JSON encoding as a sandbox reply, see support.py); outcomes the sandbox
would report for crashes, time-outs and missing functions are written out as it would.
Judge, diagnose and score are the real ones, so the reports hold what `gdgrade grade`
would hold. Nothing here starts the sandbox.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
from support import as_outcome, case_set

import reference
from gdgrade.case import CallOutcome, LoadProblem, LoadReport
from gdgrade.exercise_data import load_exercise
from gdgrade.exercise_grading import exercise_result as judged
from gdgrade.report import ExerciseResult, GradeReport
from grader import __version__
from grader.explain import explain
from grader.secret import fingerprint

SEED = 7_340_019_554_291_618_113  # large, like a generated one: a search can tell it apart
Outcome = Callable[[Any], CallOutcome]  # expectation -> what the sandbox reported


def versions() -> dict[str, str]:
    return {"gdgrade": __version__, "python": platform.python_version(), "numpy": np.__version__}


def returned_by(fn: Callable[..., Any]) -> Outcome:
    return lambda e: as_outcome(fn, e.case.args)


def variant(exercise: str, mistake_id: str) -> Outcome:
    return returned_by(reference.variants_by_id(exercise, mistake_id)[0].fn)


def correct(exercise: str) -> Outcome:
    return returned_by(reference.REFERENCE[exercise])


def fixed(outcome: CallOutcome) -> Outcome:
    return lambda e: outcome


def printing(fn: Callable[..., Any], stdout: str) -> Outcome:
    def run(e: Any) -> CallOutcome:
        o = as_outcome(fn, e.case.args)
        return CallOutcome(o.status, o.value, stdout=stdout, duration_s=0.002)

    return run


def exercise_result(
    exercise: str, outcome: Outcome, load: LoadReport, source: str = ""
) -> ExerciseResult:
    """What grader.grade.grade_exercise builds, from in-process outcomes."""
    sets = case_set(exercise, SEED)
    points = load_exercise(exercise).points
    outcomes = [outcome(e) for e in sets]
    return judged(exercise, points, sets, outcomes, load, source, explain=explain)


def grade_report(
    name: str,
    outcomes: dict[str, Outcome],
    load: LoadReport | None = None,
    source: str = "",
    **extra: Any,
) -> GradeReport:
    load = load or LoadReport(defined=tuple(outcomes))
    exercises = tuple(exercise_result(e, o, load, source) for e, o in outcomes.items())
    return GradeReport(
        submission=name,
        sha256="0" * 64,
        student_id=extra.pop("student_id", None),
        exercises=exercises,
        load=load,
        seed=SEED,
        per_student=False,
        versions=versions(),
        command=f"gdgrade grade {name}",
        duration_s=1.25,
        case_set=fingerprint(SEED),
        **extra,
    )


def missing() -> Outcome:
    return fixed(CallOutcome("missing"))


RAISED = CallOutcome(
    "raised",
    error_type="ZeroDivisionError",
    error_message="float division by zero",
    traceback=(
        "Traceback (most recent call last):\n"
        '  File "crashed.py", line 14, in gradient_descent\n'
        "    step = learning_rate / (x0 - x0)\n"
        "ZeroDivisionError: float division by zero"
    ),
    stdout="00 : 4.00000, 2.00000\n",
    duration_s=0.001,
)


@cache
def correct_report() -> GradeReport:
    return grade_report("loops.py", {e: correct(e) for e in reference.EXERCISES})


@cache
def partial_report() -> GradeReport:
    outcomes = {e: correct(e) for e in reference.EXERCISES}
    outcomes |= {
        "numerical_derivative": variant("numerical_derivative", "forward_difference"),
        "gradient_descent": variant("gradient_descent", "path_includes_start"),
        "linear_regression_gd": variant("linear_regression_gd", "sequential_update"),
        "momentum_descent": variant("momentum_descent", "no_momentum"),
        "batch_gradient_descent": variant("batch_gradient_descent", "sum_not_mean"),
        "sgd": variant("sgd", "no_shuffle"),
        "minibatch_gd": variant("minibatch_gd", "drops_last_batch"),
    }
    return grade_report("partial.py", outcomes, student_id="s2024001")


@cache
def crashed_report() -> GradeReport:
    outcomes = {
        "gradient_step": correct("gradient_step"),
        "gradient_descent": fixed(RAISED),
        "momentum_descent": fixed(CallOutcome("crashed", duration_s=0.01)),
    }
    return grade_report("crashed.py", outcomes)


@cache
def timed_out_report() -> GradeReport:
    timeout = CallOutcome("timeout", duration_s=2.0, stdout="iteration 1\niteration 2\n")
    outcomes = {
        "gradient_descent": fixed(timeout),
        "sgd": fixed(CallOutcome("memory", duration_s=0.3)),
        "batch_gradient_descent": correct("batch_gradient_descent"),
    }
    return grade_report("timeout.py", outcomes)


@cache
def missing_report() -> GradeReport:
    load = LoadReport(
        defined=("numerical_derivative",),
        problems=(
            LoadProblem(
                "syntax_error",
                "invalid syntax",
                line=12,
                detail="    def gradient_descent(f, fp\n                          ^",
            ),
        ),
    )
    outcomes = {e: missing() for e in reference.EXERCISES}
    outcomes["numerical_derivative"] = correct("numerical_derivative")
    source = "def numerical_derivative(f, x, h=1e-5): ...\ndef gradient_descent(f, fp\n"
    return grade_report("missing.py", outcomes, load, source)


@cache
def notebook_report() -> GradeReport:
    load = LoadReport(
        defined=("gradient_descent", "sgd", "batch_gradient_descent"),
        problems=(
            LoadProblem("magic", "%matplotlib inline was neutralised", line=1, cell=2),
            LoadProblem(
                "raised",
                "FileNotFoundError: data.csv",
                line=3,
                cell=7,
                detail="Traceback (most recent call last):\n  cell 7, line 3, in <module>\n"
                "FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'",
            ),
        ),
        stdout="loaded numpy 2\n",
    )
    lecture_print = "00 : 4.00000, 2.00000\n01 : 3.55000, 2.85031\n"
    outcomes = {
        "gradient_descent": printing(reference.REFERENCE["gradient_descent"], lecture_print),
        "batch_gradient_descent": correct("batch_gradient_descent"),
        "sgd": correct("sgd"),
    }
    return grade_report("homework.ipynb", outcomes, load)


FRAMES = "Traceback (most recent call last):\n"
HOSTILE_TEXT = (
    "<script>alert('x')</script> | col | ``` **bold** [link](http://evil.example/) "
    "& &amp; ]]> \x00\x1b[2J\x1b[31mred\x07\x08\x0b\x0c\ud800\x7f\x9b\n| a | b |\n"
    "<!-- --> \"quoted\" 'single'"
)


def hostile(fn: Callable[..., Any]) -> Outcome:
    """A student whose every piece of text tries to break the format it lands in."""

    def run(e: Any) -> CallOutcome:
        if e.case.id.endswith(("0.1", "_0")):  # a public and a hidden case raise
            return CallOutcome(
                "raised",
                error_type="<img src=x onerror=alert(1)>",
                error_message=HOSTILE_TEXT,
                traceback=f'{FRAMES}  File "x.py", line 1, in f\n    raise E\n{HOSTILE_TEXT}',
                stdout=HOSTILE_TEXT,
            )
        o = as_outcome(fn, e.case.args)
        return CallOutcome(o.status, o.value, stdout=HOSTILE_TEXT)

    return run


@cache
def hostile_report() -> GradeReport:
    load = LoadReport(
        defined=("gradient_descent", "sgd"),
        problems=(LoadProblem("note", HOSTILE_TEXT, line=1, detail=HOSTILE_TEXT),),
        stdout=HOSTILE_TEXT,
    )
    outcomes = {
        "gradient_descent": hostile(reference.REFERENCE["gradient_descent"]),
        "sgd": hostile(reference.REFERENCE["sgd"]),
    }
    report = grade_report(
        "evil | <b>name</b>\x1b.py",
        outcomes,
        load,
        student_id="id|<i>\n",
        grader_errors=(f"momentum_descent: {HOSTILE_TEXT}",),
    )
    meta = load_exercise("momentum_descent")  # the grader failed on it: no case results
    faulted = ExerciseResult(meta.id, meta.number, meta.title, 0.0, meta.points, "error", (), ())
    return replace(report, exercises=(*report.exercises, faulted))


REPORTS: dict[str, Callable[[], GradeReport]] = {
    "correct": correct_report,
    "partial": partial_report,
    "crashed": crashed_report,
    "timed_out": timed_out_report,
    "missing": missing_report,
    "notebook": notebook_report,
    "hostile": hostile_report,
}
