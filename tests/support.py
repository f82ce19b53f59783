"""Test helpers: run trusted functions (reference variants) as if they were a student's.

The outcome goes through the same plain-JSON encoding as a sandbox reply, so what the
grading stages see is exactly what they would see from the child process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from gdgrade.case import CallOutcome
from gdgrade.compare import Comparison
from gdgrade.contract import EXERCISE_IDS
from gdgrade.exercise_data import load_exercise, public_cases
from gdgrade.json_values import decode, encode
from gdgrade.judge import CaseRun, judge
from grader.expected import Expectation, call, expectations
from grader.hidden_cases import hidden_cases

# A whole submission's maximum: whatever the exercises' points add up to.
TOTAL_POINTS = sum(load_exercise(e).points for e in EXERCISE_IDS)


def as_outcome(fn: Callable[..., Any], args: tuple[Any, ...]) -> CallOutcome:
    try:
        value = call(fn, args)
    except Exception as exc:  # the "student" raised
        return CallOutcome("raised", error_type=type(exc).__name__, error_message=str(exc))
    return CallOutcome("returned", value=decode(json.loads(json.dumps(encode(value)))))


def case_set(exercise: str, seed: int = 7) -> tuple[Expectation, ...]:
    """Public and hidden cases, as `gdgrade grade` uses them."""
    return expectations(public_cases(exercise) + hidden_cases(exercise, seed))


def runs_of(fn: Callable[..., Any] | None, sets: tuple[Expectation, ...]) -> list[CaseRun]:
    if fn is None:
        return [CaseRun(e, CallOutcome("missing"), Comparison("missing")) for e in sets]
    return [judge(e, as_outcome(fn, e.case.args)) for e in sets]
