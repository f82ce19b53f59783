"""What every format shows of a GradeReport — one policy, so no two formats disagree.

Points: an exercise's score is shared out over its cases in proportion to the credit each
case earned (weight times the fraction of matching parts), in whole hundredths, so the
case points add up exactly to the exercise's score in every format, also when the rng
fallback capped the exercise.

Hidden cases: what a reader sees of them is gdgrade.visibility's policy, the same one the
JSON report follows. By default a hidden case is a row with a neutral name, its verdict
and its points: no comparison message, traceback, printed text or timing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gdgrade.messages import row_message
from gdgrade.report import CaseResult, ExerciseResult, GradeReport
from gdgrade.safe_text import excerpt, visible
from gdgrade.visibility import rows


@dataclass(frozen=True)
class CaseView:
    """One case-list row as every format shows it; nothing here goes beyond the policy."""

    exercise: ExerciseResult
    number: str  # "4.3": exercise number, row position
    id: str  # the case id, or a neutral one ("hidden_3") for a concealed case
    name: str
    hidden: bool
    concealed: bool  # only verdict and points may be shown
    status: str
    points: float
    max_points: float
    message: str
    traceback: str
    stdout: str
    duration_s: float  # 0 for a concealed row: its timing is the student's channel
    tags: tuple[str, ...]
    failure_kind: str  # what went wrong ("value", "shape", "raised"...; the status if concealed)

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def apportion(
    total: float, shares: Sequence[float], caps: Sequence[int] | None = None
) -> list[int]:
    """`total` in hundredths split in proportion to `shares` (largest remainder first),
    never giving a part more than its cap nor anything to a zero share; the parts add up
    to the total whenever the caps allow."""
    cents = round(total * 100)
    n = len(shares)
    weight = sum(shares)
    if n == 0:
        return []
    exact = [cents * s / weight if weight > 0 else 0.0 for s in shares]
    limit = list(caps) if caps is not None else [cents] * n
    out = [min(math.floor(x), c) for x, c in zip(exact, limit, strict=True)]
    order = sorted((i for i in range(n) if shares[i] > 0), key=lambda i: out[i] - exact[i])
    rest = cents - sum(out)
    while rest > 0 and any(out[i] < limit[i] for i in order):
        for i in order:
            if rest > 0 and out[i] < limit[i]:
                out[i] += 1
                rest -= 1
    return out


def case_points(exercise: ExerciseResult) -> list[tuple[float, float]]:
    """(points, max points) of each case; they add up to the exercise's score and maximum,
    and a passed case shows its full points (unless the rng cap scaled everything down, or
    the evidence gate held a public or degenerate case down, or a named mistake keeps its
    share of every case: gdgrade.score, gdgrade.credit)."""
    cases = exercise.cases
    weights = [c.weight for c in cases]
    full = [c.credit >= 1 for c in cases]
    partial = [0 < c.credit < 1 for c in cases]
    maxima = apportion(exercise.max_score, weights)
    if exercise.cap is None and not any(partial):
        # the passed cases hold exactly the score, the others the rest
        maxima = [0] * len(cases)
        for group, total in ((True, exercise.score), (False, exercise.max_score - exercise.score)):
            members = [i for i, f in enumerate(full) if f == group]
            for i, part in zip(
                members, apportion(total, [weights[i] for i in members]), strict=True
            ):
                maxima[i] = part
    earned = apportion(exercise.score, [c.credit * c.weight for c in cases], maxima)
    if exercise.cap is None:
        held = sum(m for m, f in zip(maxima, full, strict=True) if f)
        rest = round(exercise.score * 100) - held
        room = sum(m for m, p in zip(maxima, partial, strict=True) if p)
        if 0 <= rest <= room:
            shares = [
                c.credit * c.weight if p else 0.0 for c, p in zip(cases, partial, strict=True)
            ]
            spread = apportion(rest / 100, shares, maxima)
            earned = [m if f else e for m, f, e in zip(maxima, full, spread, strict=True)]
    return [(e / 100, m / 100) for e, m in zip(earned, maxima, strict=True)]


def case_name(case: CaseResult, lang: str) -> str:
    return visible(case.title.get(lang) or case.title.get("en") or case.id)


def concealed(case: CaseResult, report: GradeReport) -> bool:
    """A case of which only the verdict and points may be shown."""
    return not report.policy.detailed(case)


def _failure_kind(case: CaseResult) -> str:
    return case.comparison.kind if case.status == "failed" else case.outcome.status


def case_views(report: GradeReport, exercise: ExerciseResult, lang: str) -> tuple[CaseView, ...]:
    views = []
    points = case_points(exercise)
    for k, row in enumerate(rows(exercise.cases, report.policy, lang), 1):
        earned = sum(points[i][0] for i in row.members)
        most = sum(points[i][1] for i in row.members)
        case = row.case
        o = case.outcome if case is not None else None
        views.append(
            CaseView(
                exercise=exercise,
                number=f"{exercise.number}.{k}",
                id=visible(row.id),
                name=visible(row.name),
                hidden=row.hidden,
                concealed=case is None,
                status=row.status,
                points=round(earned, 2),
                max_points=round(most, 2),
                message=row_message(row, lang),
                traceback=visible(o.traceback) if o else "",
                stdout=excerpt(o.stdout) if o else "",
                duration_s=o.duration_s if o else 0.0,
                tags=case.tags if case is not None else (),
                failure_kind=_failure_kind(case) if case is not None else row.status,
            )
        )
    return tuple(views)


def exercise_stdout(views: Sequence[CaseView]) -> str:
    """One printed-output excerpt per exercise: from a failing case if one printed."""
    ranked = sorted(views, key=lambda v: v.passed)
    return next((v.stdout for v in ranked if v.stdout.strip()), "")


def has_hidden(report: GradeReport) -> bool:
    return any(c.visibility == "hidden" for e in report.exercises for c in e.cases)
