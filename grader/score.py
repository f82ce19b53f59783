"""Scoring policy — pure: case runs and diagnoses to points.

Each case earns the fraction of its returned parts that match (x_opt, f_opt and the path
count separately), times its weight. Results that break the rng protocol but reach the
reference's loss earn the exercise's fallback credit on those cases, and the exercise is
then capped at that credit: the path could not be checked, only where it ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .credit import kept_share
from .exercises import Exercise
from .mistakes import RNG_IDS
from .results import CaseRun, Diagnosis

Status = Literal["passed", "partial", "failed", "missing", "error"]
_ERRORS = ("raised", "timeout", "memory", "crashed")


@dataclass(frozen=True)
class ExerciseScore:
    score: float
    max_score: float
    status: Status
    credits: tuple[float, ...]  # per case, 0..1, in the order of the runs
    capped: bool = False  # the rng fallback capped the credit


# A case answered right but with its inputs changed in place earns at most this much:
# "inputs are never modified" is part of the contract.
MODIFIED_INPUT_CREDIT = 0.5


def case_credit(run: CaseRun) -> float:
    if not run.returned:
        return 0.0
    credit = run.comparison.credit
    return min(credit, MODIFIED_INPUT_CREDIT) if run.modified_inputs else credit


def score_exercise(
    exercise: Exercise, points: float, runs: Sequence[CaseRun], diagnoses: Sequence[Diagnosis]
) -> ExerciseScore:
    credits = [case_credit(r) for r in runs]
    capped = False
    fallback = exercise.rng_fallback
    rng = [d for d in diagnoses if d.id in RNG_IDS and d.evidence.get("reached")]
    if fallback is not None and rng:
        reached = {case_id for d in rng for case_id in d.evidence["reached"]}
        credits = [
            max(c, fallback.credit) if r.case.id in reached else c
            for c, r in zip(credits, runs, strict=True)
        ]
        capped = True
    weights = [r.case.weight for r in runs]
    total = sum(weights)
    fraction = sum(c * w for c, w in zip(credits, weights, strict=True)) / total if total else 0.0
    kept = kept_share(runs, diagnoses)  # one share per mistake, whatever the exercise
    if kept is not None:
        fraction = kept
    if capped and fallback is not None:
        fraction = min(fraction, fallback.credit)
    score = round(points * fraction, 2)
    return ExerciseScore(score, points, _status(runs, fraction), tuple(credits), capped)


def _status(runs: Sequence[CaseRun], fraction: float) -> Status:
    if runs and all(r.outcome.status == "missing" for r in runs):
        return "missing"
    if fraction >= 1 - 1e-12:
        return "passed"
    if runs and all(r.outcome.status in _ERRORS for r in runs):
        return "error"
    return "failed" if fraction <= 0 else "partial"
