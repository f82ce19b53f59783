"""Two mistakes at once: when no single known mistake explains a failing exercise, try every
compatible pair, composed into one function (reference/pairs.py), and name both when the
pair reproduces the student's answers.

Cost is bounded three ways: pairs are tried only for a failing exercise that no single
variant explained; a pair is dropped at the first failing case it does not reproduce
(most pairs cost one call); and every pair's output on a case set is computed once per
process and reused by every student graded against that case set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import reference.pairs as composition
from gdgrade.diagnose import Diagnosis
from gdgrade.judge import CaseRun
from grader.expected import call

Matcher = Callable[[CaseRun, Any], bool]

_MEMO: dict[tuple[int, str, str], tuple[Any, Any]] = {}
_MEMO_LIMIT = 200_000
_FAILED = object()


def _output(run: CaseRun, pair: tuple[str, str]) -> Any:
    """The composed pair's answer on this run's case, computed once per case set."""
    key = (id(run.expectation), *pair)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is run.expectation:
        return hit[1]
    try:
        value = call(composition.composed(run.case.exercise, pair), run.case.args)
    except Exception:  # a composition may not apply to every input
        value = _FAILED
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[key] = (run.expectation, value)  # holding the expectation keeps its id unique
    return value


def find_pair(
    exercise: str, runs: Sequence[CaseRun], matches: Matcher, differs: Matcher
) -> list[Diagnosis]:
    """Both ids of the first pair that reproduces every failing answer (and disagrees with
    no passing one), or nothing."""
    answered = [r for r in runs if r.returned and r.outcome.value is not None]
    failing = [r for r in answered if not r.comparison.ok]
    passing = [r for r in answered if r.comparison.ok]
    if not failing:
        return []
    for pair in composition.pairs(exercise):
        if not all(_reproduces(r, pair, matches) for r in failing):
            continue
        if any(_output(r, pair) is not _FAILED and differs(r, _output(r, pair)) for r in passing):
            continue  # the pair would have failed where the student passed
        evidence = {"cases": [r.case.id for r in failing], "of": len(failing), "pair": list(pair)}
        return [Diagnosis(mistake_id, "mistake", evidence) for mistake_id in pair]
    return []


def _reproduces(run: CaseRun, pair: tuple[str, str], matches: Matcher) -> bool:
    value = _output(run, pair)
    return value is not _FAILED and value is not None and matches(run, value)
