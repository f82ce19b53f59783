"""One exercise's grading stages after the sandbox: judge each call, diagnose, score, and
assemble the ExerciseResult. Grading, the student's check and the tests share it."""

from __future__ import annotations

from collections.abc import Sequence

from gdgrade.case import CallOutcome, LoadReport
from gdgrade.diagnose import Explainer, diagnose
from gdgrade.exercise_data import load_exercise
from gdgrade.expectation import Expectation
from gdgrade.judge import judge
from gdgrade.report import CaseResult, ExerciseResult
from gdgrade.score import PUBLIC_SHARE, score_exercise


def exercise_result(
    exercise: str,
    points: float,
    sets: Sequence[Expectation],
    outcomes: Sequence[CallOutcome],
    load: LoadReport,
    source: str = "",
    public_share: float = PUBLIC_SHARE,
    explain: Explainer | None = None,
) -> ExerciseResult:
    """`explain` is the trusted side's grader.explain; the student's checker has none."""
    meta = load_exercise(exercise)
    runs = [judge(e, o) for e, o in zip(sets, outcomes, strict=True)]
    diagnoses = diagnose(exercise, runs, load, source, explain)
    scored = score_exercise(meta, points, runs, diagnoses, public_share)
    cases = tuple(
        CaseResult(
            id=r.case.id,
            visibility=r.case.visibility,
            weight=points * share,  # the case's points
            tags=r.case.tags,
            title=r.case.title,
            credit=credit,
            outcome=r.outcome,
            comparison=r.comparison,
            args=r.case.args,
            expected=r.expectation.target,
        )
        for r, credit, share in zip(runs, scored.credits, scored.shares, strict=True)
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
        gate=scored.gate,
        kept=scored.kept,
    )
