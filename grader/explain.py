"""What the trusted side adds when no single known mistake explains a failing exercise:
a regression that stopped early, two mistakes at once, or the rule the path follows.

It needs reference/ (the composed pairs, the reference run at other rates), so only the
grader passes it to diagnose; the student's checker, which ships without reference/,
diagnoses without it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gdgrade.compare import as_float_array
from gdgrade.diagnose import Diagnosis, stopped_early, student_matches, variant_differs
from gdgrade.judge import CaseRun
from grader.pairs import find_pair
from grader.rules import recover
from reference.regression import trajectory


def explain(exercise: str, runs: Sequence[CaseRun]) -> list[Diagnosis]:
    if exercise == "linear_regression_gd":
        found = stopped_early(runs, _regression_stopped)
        if found:
            return found
    return find_pair(exercise, runs, student_matches, variant_differs) or recover(exercise, runs)


def _regression_stopped(run: CaseRun) -> bool:
    """(w0, w1) is where the reference stood after 1 .. n-1 iterations."""
    got = as_float_array(run.outcome.value)
    if got is None or got.shape != (2,):
        return False
    x, y, w0, w1, rate, n = run.case.args
    earlier = trajectory(x, y, w0, w1, rate, n)[:-1]
    with np.errstate(all="ignore"):
        close = np.all(
            np.abs(earlier - got) <= run.expectation.tolerances[-1].bound(earlier), axis=1
        )
    return bool(close.any())
