"""Whatever a submission returns, judging it is never a grader fault.

The sandbox hands back any value the protocol can carry: empty lists and arrays, ragged
lists, NaN, strings, None, tuples of the wrong length. Judging, diagnosing and scoring such
a value (gdgrade/exercise_grading.py, the stage `gdgrade grade` runs per exercise) must give the
student a verdict; an exception there would be reported as the grader's own fault (exit 3,
"not your fault") for something the student did.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from support import case_set

from gdgrade.case import CallOutcome, LoadReport
from gdgrade.contract import EXERCISE_IDS
from gdgrade.exercise_grading import exercise_result
from gdgrade.json_values import decode, encode

RETURNS: dict[str, Any] = {
    "empty_list": [],
    "nested_empty": [[]],
    "empty_array": np.array([]),
    "zero_rows": np.zeros((0, 3)),
    "ragged": [1.0, [2.0, 3.0]],
    "nan": float("nan"),
    "huge": 1e308,
    "big_int": 10**100,
    "string": "x",
    "none": None,
    "bool_array": np.array([True, False]),
    "matrix": np.ones((2, 2)),
    "pair_of_empties": ([], []),
    "pair_of_none": (None, None),
    "triple": (np.zeros(2), [], 0),
}


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_any_returned_value_gets_a_verdict_not_a_grader_fault(exercise: str) -> None:
    sets = case_set(exercise)
    load = LoadReport(tuple(EXERCISE_IDS))
    for name, value in RETURNS.items():
        carried = decode(json.loads(json.dumps(encode(value))))  # as the protocol delivers it
        outcomes = [CallOutcome("returned", value=carried) for _ in sets]
        result = exercise_result(exercise, 10.0, sets, outcomes, load, "")
        assert result.status in ("passed", "partial", "failed"), (name, result.status)
