"""Scoring policy — pure: case runs and diagnoses to points.

Each case earns the fraction of its returned parts that match (x_opt, f_opt and the path
count separately). Results that break the rng protocol but reach the reference's loss
earn the exercise's fallback credit on those cases, and the exercise is then capped at
that credit: the path could not be checked, only where it ended.

Points go only to a working solution:

- Public cases are there to check against: they carry at most `public_share` of an
  exercise's points (20 % by default; the assignment file's `public_share`), the hidden
  cases the rest, each case within its group by weight.
- A case is degenerate when a trivial answer earns credit on it (zeros, NaN, an input
  such as x0 / w0 / x, a constant, or a public case's answer: gdgrade.degenerate).
- Evidence cases are the non-degenerate hidden ones (the non-degenerate public ones when
  only public cases are graded). Every other case — public or degenerate — earns at most
  the share of the evidence cases' credit the submission earned: a public or degenerate
  case counts as far as the cases that need a working solution pass, never further. A
  lookup table of the public answers, zeros or a copy of the input therefore earn nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from gdgrade.credit import kept_share
from gdgrade.degenerate import degenerate_cases
from gdgrade.diagnose import Diagnosis
from gdgrade.exercise_data import Exercise
from gdgrade.judge import CaseRun
from gdgrade.mistakes import RNG_IDS

Status = Literal["passed", "partial", "failed", "missing", "error"]
_ERRORS = ("raised", "timeout", "memory", "crashed")

# The largest share of an exercise's points that its public cases carry.
PUBLIC_SHARE = 0.2


@dataclass(frozen=True)
class ExerciseScore:
    score: float
    max_score: float
    status: Status
    credits: tuple[float, ...]  # per case, 0..1, in the order of the runs
    capped: bool = False  # the rng fallback capped the credit
    shares: tuple[float, ...] = ()  # per case, its share of the exercise's points (sum 1)
    gate: float | None = None  # the evidence credit, when it held a case's credit down
    kept: float | None = None  # the credit policy's share (gdgrade.credit), when it applied


# A case answered right but with its inputs changed in place earns at most this much:
# "inputs are never modified" is part of the contract.
MODIFIED_INPUT_CREDIT = 0.5


def case_credit(run: CaseRun) -> float:
    if not run.returned:
        return 0.0
    credit = run.comparison.credit
    return min(credit, MODIFIED_INPUT_CREDIT) if run.modified_inputs else credit


def case_shares(runs: Sequence[CaseRun], public_share: float = PUBLIC_SHARE) -> tuple[float, ...]:
    """Each case's share of the points: public cases together at most `public_share`."""
    weights = [r.case.weight for r in runs]
    public = [r.case.visibility == "public" for r in runs]
    total = sum(weights)
    if total <= 0:
        return tuple(0.0 for _ in runs)
    shown = sum(w for w, p in zip(weights, public, strict=True) if p)
    if shown in (0, total):
        return tuple(w / total for w in weights)
    share = min(public_share, shown / total)
    return tuple(
        (share * w / shown) if p else ((1 - share) * w / (total - shown))
        for w, p in zip(weights, public, strict=True)
    )


def gated_credits(
    runs: Sequence[CaseRun], credits: Sequence[float]
) -> tuple[tuple[float, ...], float | None]:
    """Public and degenerate cases earn at most the evidence cases' credit (see above)."""
    trivial = degenerate_cases([r.expectation for r in runs])
    hidden = any(r.case.visibility == "hidden" for r in runs)
    evidence = [
        not t and (r.case.visibility == "hidden" or not hidden)
        for r, t in zip(runs, trivial, strict=True)
    ]
    weight = sum(r.case.weight for r, e in zip(runs, evidence, strict=True) if e)
    earned = sum(c * r.case.weight for c, r, e in zip(credits, runs, evidence, strict=True) if e)
    gate = earned / weight if weight > 0 else 0.0
    gated = tuple(c if e else min(c, gate) for c, e in zip(credits, evidence, strict=True))
    return gated, (gate if gated != tuple(credits) else None)


def score_exercise(
    exercise: Exercise,
    points: float,
    runs: Sequence[CaseRun],
    diagnoses: Sequence[Diagnosis],
    public_share: float = PUBLIC_SHARE,
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
    gated, gate = gated_credits(runs, credits)
    shares = case_shares(runs, public_share)
    fraction = sum(c * s for c, s in zip(gated, shares, strict=True))
    kept = kept_share(runs, diagnoses)  # one share per mistake, whatever the exercise
    if kept is not None:  # every case keeps that share, so case points add up to it
        gated, gate, fraction = tuple(kept for _ in runs), None, kept
    if capped and fallback is not None:
        fraction = min(fraction, fallback.credit)
    score = round(points * fraction, 2)
    status = _status(runs, fraction)
    return ExerciseScore(score, points, status, gated, capped, shares, gate, kept)


def _status(runs: Sequence[CaseRun], fraction: float) -> Status:
    if runs and all(r.outcome.status == "missing" for r in runs):
        return "missing"
    if fraction >= 1 - 1e-12:
        return "passed"
    if runs and all(r.outcome.status in _ERRORS for r in runs):
        return "error"
    return "failed" if fraction <= 0 else "partial"
