"""A function that hangs is given up on after a few timeouts: the rest of its calls are
reported as not run, and other functions of the same submission are still graded."""

from __future__ import annotations

from gdgrade.sandbox import Limits, run_submission
from gdgrade.submission import load_submission

HANGS = """
def gradient_step(x, grad, learning_rate):
    while True:
        pass

def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    return [x0] * n_iter
"""


def test_after_two_timeouts_the_other_calls_are_not_run(tmp_path):
    path = tmp_path / "hangs.py"
    path.write_text(HANGS, encoding="utf-8")
    limits = Limits(call_wall_s=0.5, timeouts_per_exercise=2)
    calls = {
        "gradient_step": [(1.0, 2.0, 0.1)] * 5,
        "momentum_descent": [(None, 1.0, 0.1, 0.5, 3)],
    }
    run = run_submission(load_submission(path), calls, limits)
    steps = run.outcomes["gradient_step"]
    assert [o.status for o in steps] == ["timeout"] * 5
    reasons = [o.reason for o in steps]
    assert reasons == ["wall_limit"] * 2 + ["skipped_after_timeouts"] * 3
    (other,) = run.outcomes["momentum_descent"]
    assert other.status == "returned" and list(other.value) == [1.0, 1.0, 1.0]
