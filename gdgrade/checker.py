"""The student's local check: public cases only, in the same sandbox, judged by the same
stages as grading (judge -> diagnose -> score), with a verdict per function.

It never sees a hidden case: the only cases it knows are the public ones, whose
expectations are data stored beside each exercise (`gdgrade.public_expectations`), the same
in every install. It prints nothing; the CLI, the notebook and pytest present its report.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from gdgrade.case import LoadReport
from gdgrade.contract import BY_NAME, EXERCISE_IDS
from gdgrade.diagnose import Diagnosis
from gdgrade.exercise_data import load_exercise
from gdgrade.exercise_grading import exercise_result
from gdgrade.expectation import Expectation
from gdgrade.public_expectations import public_expectations
from gdgrade.report import CaseResult, ExerciseResult
from gdgrade.sandbox.driver import SubmissionRun
from gdgrade.submission import Submission

if TYPE_CHECKING:
    from gdgrade.sandbox.runners import Runner

# passed: every public case passes; failed: something to fix; todo: the starter's
# `raise NotImplementedError` is still there; missing: not defined; error: our fault.
Verdict = Literal["passed", "failed", "todo", "missing", "error"]


@dataclass(frozen=True)
class ExerciseCheck:
    result: ExerciseResult
    verdict: Verdict

    @property
    def id(self) -> str:
        return self.result.id

    @property
    def passing_cases(self) -> tuple[CaseResult, ...]:
        return tuple(c for c in self.result.cases if case_passes(c))

    @property
    def failing_cases(self) -> tuple[CaseResult, ...]:
        return tuple(c for c in self.result.cases if not case_passes(c))

    def changed_inputs(self, case: CaseResult) -> tuple[str, ...]:
        """The parameters this call modified in place."""
        params = BY_NAME[self.id].params
        return tuple(params[i] for i in case.outcome.mutated_args if i < len(params))

    @property
    def mistakes(self) -> tuple[Diagnosis, ...]:
        return tuple(d for d in self.result.diagnoses if d.severity == "mistake")

    @property
    def notes(self) -> tuple[Diagnosis, ...]:
        return tuple(d for d in self.result.diagnoses if d.severity == "info")


@dataclass(frozen=True)
class CheckReport:
    submission: str  # the name the student knows it by
    checks: tuple[ExerciseCheck, ...]
    load: LoadReport
    explicit: bool  # the student named the exercises: a missing one is a failure
    duration_s: float
    grader_errors: tuple[str, ...] = ()

    def with_verdict(self, *verdicts: Verdict) -> tuple[ExerciseCheck, ...]:
        return tuple(c for c in self.checks if c.verdict in verdicts)

    @property
    def checked(self) -> tuple[ExerciseCheck, ...]:
        """The functions that were actually judged (defined and implemented)."""
        return self.with_verdict("passed", "failed", "error")

    @property
    def ok(self) -> bool:
        """Everything checked passes (and, when exercises were named, all of them exist)."""
        if self.grader_errors:
            return False
        if self.explicit:
            return all(c.verdict == "passed" for c in self.checks)
        return bool(self.checked) and all(c.verdict == "passed" for c in self.checked)


def case_passes(case: CaseResult) -> bool:
    """The right value, and the inputs left as they were (changing them costs points even
    when the value is right, so such a case is not shown as passing)."""
    return case.status == "passed" and not case.outcome.mutated_args


def verdict_of(result: ExerciseResult) -> Verdict:
    if result.status == "passed":
        return "passed"
    if result.status == "missing":
        broken = any(d.id == "syntax_error" for d in result.diagnoses)
        return "failed" if broken else "missing"
    if result.cases and all(
        c.outcome.status == "raised" and c.outcome.error_type == "NotImplementedError"
        for c in result.cases
    ):
        return "todo"
    return "failed"


def judge_exercise(
    exercise: str, sets: Sequence[Expectation], run: SubmissionRun, source: str
) -> ExerciseResult:
    """The grading stages for one exercise, with the exercise's default points."""
    points = load_exercise(exercise).points
    return exercise_result(exercise, points, sets, run.outcomes[exercise], run.load, source)


def _faulted(exercise: str) -> ExerciseResult:
    meta = load_exercise(exercise)
    return ExerciseResult(exercise, meta.number, meta.title, 0.0, meta.points, "error", (), ())


def check_submission(
    submission: Submission,
    sandbox: Runner,
    exercises: Sequence[str] = (),
    name: str | None = None,
) -> CheckReport:
    """Run the public cases of `exercises` (all when empty) on one submission."""
    started = time.monotonic()
    chosen = tuple(e for e in EXERCISE_IDS if e in exercises) if exercises else EXERCISE_IDS
    sets = {e: public_expectations(e) for e in chosen}
    run = sandbox.run(submission, {e: [x.case.args for x in s] for e, s in sets.items()})
    checks, faults = [], []
    for e in chosen:
        try:
            result = judge_exercise(e, sets[e], run, submission.source)
            checks.append(ExerciseCheck(result, verdict_of(result)))
        except Exception:  # our fault, not the student's: say so and go on
            faults.append(f"{e}: {traceback.format_exc(limit=-3).strip()}")
            checks.append(ExerciseCheck(_faulted(e), "error"))
    return CheckReport(
        submission=name or submission.display_name,
        checks=tuple(checks),
        load=replace(run.load, problems=submission.notes + run.load.problems),
        explicit=bool(exercises),
        duration_s=time.monotonic() - started,
        grader_errors=tuple(faults),
    )
