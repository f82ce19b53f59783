"""One exercise's grading stages after the sandbox: judge each call, diagnose, score, and
assemble the ExerciseResult. Grading, the student's check and the tests share it."""

from __future__ import annotations

from collections.abc import Sequence

from .diagnose import Explainer, diagnose
from .exercises import load_exercise
from .expectation import Expectation
from .model import CallOutcome, LoadReport
from .report import CaseResult, ExerciseResult
from .results import judge
from .score import score_exercise


def exercise_result(
    exercise: str,
    points: float,
    sets: Sequence[Expectation],
    outcomes: Sequence[CallOutcome],
    load: LoadReport,
    source: str = "",
    explain: Explainer | None = None,
) -> ExerciseResult:
    """`explain` is the trusted side's grader.explain; the student's checker has none."""
    meta = load_exercise(exercise)
    runs = [judge(e, o) for e, o in zip(sets, outcomes, strict=True)]
    diagnoses = diagnose(exercise, runs, load, source, explain)
    scored = score_exercise(meta, points, runs, diagnoses)
    cases = tuple(
        CaseResult(
            id=r.case.id,
            visibility=r.case.visibility,
            weight=r.case.weight,
            tags=r.case.tags,
            title=r.case.title,
            credit=credit,
            outcome=r.outcome,
            comparison=r.comparison,
            args=r.case.args,
            expected=r.expectation.target,
        )
        for r, credit in zip(runs, scored.credits, strict=True)
    )
    return ExerciseResult(
        id=exercise,
        number=meta.number,
        title=meta.title,
        score=scored.score,
        max_score=scored.max_score,
        status=scored.status,
        cases=cases,
        diagnoses=diagnoses,
        cap=meta.rng_fallback.credit if scored.capped and meta.rng_fallback else None,
    )
