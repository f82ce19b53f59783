"""The GradeReport tree: what grading produces and every renderer reads.

Hidden cases keep everything in the tree (the TA's record shows it); what a reader may see
of them is gdgrade.visibility's rule, applied by every format (gdgrade.report_json for the
stable JSON form, gdgrade.messages for the words of a case).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from gdgrade.case import CallOutcome, LoadReport
from gdgrade.compare import Comparison
from gdgrade.diagnose import Diagnosis
from gdgrade.fixes import Fix, summary
from gdgrade.score import Status
from gdgrade.visibility import (
    DEFAULT_LEVEL,
    Policy,
    evidence,
    fault_line,
)


@dataclass(frozen=True)
class CaseResult:
    id: str
    visibility: str
    weight: float
    tags: tuple[str, ...]
    title: dict[str, str]
    credit: float
    outcome: CallOutcome
    comparison: Comparison
    args: tuple[Any, ...]
    expected: Any

    @property
    def status(self) -> str:
        if self.outcome.status != "returned":
            return "error" if self.outcome.status != "missing" else "missing"
        return "passed" if self.comparison.ok else "failed"


@dataclass(frozen=True)
class ExerciseResult:
    id: str
    number: int
    title: dict[str, str]
    score: float
    max_score: float
    status: Status
    cases: tuple[CaseResult, ...]
    diagnoses: tuple[Diagnosis, ...]
    cap: float | None = None  # the rng fallback's credit cap, when it applied
    # public and degenerate cases earned at most this (the credit earned on the cases that
    # need a working solution; gdgrade.score), when it held a case's credit down
    gate: float | None = None
    kept: float | None = None  # the credit policy's share of a named mistake, when it applied


@dataclass(frozen=True)
class GradeReport:
    submission: str
    sha256: str
    student_id: str | None
    exercises: tuple[ExerciseResult, ...]
    load: LoadReport
    seed: int | None  # the instructor's secret: only the TA's record shows it
    per_student: bool
    versions: dict[str, str]
    command: str
    duration_s: float
    grader_errors: tuple[str, ...] = ()  # our faults, kept apart from the student's
    reveal_hidden: bool = False  # the TA's record: everything, not for students
    extra: dict[str, Any] = field(default_factory=dict)
    case_set: str = ""  # the case set's fingerprint (grader.secret), shown instead of the seed
    hidden_visibility: str = DEFAULT_LEVEL  # what students see of hidden cases

    @property
    def policy(self) -> Policy:
        return Policy(self.hidden_visibility, self.reveal_hidden)

    @property
    def shown_faults(self) -> tuple[str, ...]:
        """The grader's faults as the reader may see them: in full for the TA only."""
        if self.policy.ta:
            return self.grader_errors
        return tuple(fault_line(f) for f in self.grader_errors)

    @property
    def score(self) -> float:
        return round(sum(e.score for e in self.exercises), 2)

    @property
    def max_score(self) -> float:
        return round(sum(e.max_score for e in self.exercises), 2)

    @property
    def fixes(self) -> tuple[Fix, ...]:
        """What to fix, one entry per exercise that lost points: shown first in every report."""
        return summary(self.exercises)

    def shown_diagnosis(self, e: ExerciseResult, d: Diagnosis, lang: str) -> Diagnosis:
        """The diagnosis with the evidence its reader may see (gdgrade.visibility.evidence):
        what it says in words (a learning rate that was given) may be a hidden input."""
        return replace(d, evidence=evidence(d, e.cases, self.policy, lang))

    def shown_fix(self, fix: Fix, lang: str) -> Fix:
        e = next(e for e in self.exercises if e.id == fix.exercise)
        return replace(
            fix, diagnoses=tuple(self.shown_diagnosis(e, d, lang) for d in fix.diagnoses)
        )
