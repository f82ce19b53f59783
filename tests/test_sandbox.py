"""Running submissions in the sandbox: values, errors, notebooks, salvage, limits."""

from __future__ import annotations

import json
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdgrade.function_specs import FunctionSpec
from gdgrade.json_values import RngSpec
from gdgrade.sandbox import Limits, Sandbox, SubmissionRun
from gdgrade.submission import load_submission
from reference import REFERENCE

LIMITS = Limits(call_wall_s=1.0, load_wall_s=1.0, submission_wall_s=30.0)
STEP_ARGS = (np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.1)
GRADIENT_STEP = """
def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
"""


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(LIMITS) as sb:
        yield sb


def with_step(source: str, step: str = GRADIENT_STEP) -> str:
    """A submission: `source` followed by a correct gradient_step."""
    return textwrap.dedent(source) + step


def run_source(
    sandbox: Sandbox,
    tmp_path: Path,
    source: str,
    calls: dict[str, list[tuple[Any, ...]]] | None = None,
    name: str = "hw.py",
) -> SubmissionRun:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return sandbox.run(load_submission(path), calls or {"gradient_step": [STEP_ARGS]})


def run_notebook(
    sandbox: Sandbox, tmp_path: Path, cells: list[str], calls: dict[str, Any] | None = None
) -> SubmissionRun:
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"cell_type": "markdown", "source": "# 과제", "metadata": {}}]
        + [
            {"cell_type": "code", "source": textwrap.dedent(c), "metadata": {}, "outputs": []}
            for c in cells
        ],
    }
    return run_source(sandbox, tmp_path, json.dumps(nb), calls, name="hw.ipynb")


def assert_step_correct(run: SubmissionRun) -> None:
    (outcome,) = run.outcomes["gradient_step"]
    assert outcome.status == "returned", outcome
    np.testing.assert_array_equal(outcome.value, REFERENCE["gradient_step"](*STEP_ARGS))


def test_correct_functions_return_plain_values_and_count_calls(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    f = FunctionSpec(("x**3 - 2*x",), 0, "scalar").with_source()
    source = (
        GRADIENT_STEP
        + """
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)
"""
    )
    calls = {
        "gradient_step": [STEP_ARGS],
        "numerical_derivative": [(f, 1.5, 1e-5), (f, -2.0, 1e-4)],
        "sgd": [(np.eye(2), np.ones(2), np.zeros(2), 0.1, 3, RngSpec(1))],
    }
    run = run_source(sandbox, tmp_path, source, calls)
    assert run.load.defined == ("gradient_step", "numerical_derivative")
    assert_step_correct(run)
    for outcome, args in zip(
        run.outcomes["numerical_derivative"], calls["numerical_derivative"], strict=True
    ):
        assert outcome.status == "returned"
        assert outcome.value == REFERENCE["numerical_derivative"](*args)
        assert outcome.calls == {"f": 2}
    assert [o.status for o in run.outcomes["sgd"]] == ["missing"]


def test_exception_reports_type_message_and_student_frames(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    source = """\
    import numpy as np

    def helper(v):
        return np.linalg.inv(v)

    def gradient_step(x, grad, learning_rate):
        print("stepping")
        return helper(np.zeros((2, 2)))
    """
    (outcome,) = run_source(sandbox, tmp_path, source).outcomes["gradient_step"]
    assert outcome.status == "raised"
    assert (outcome.error_type, outcome.error_message) == ("LinAlgError", "Singular matrix")
    assert outcome.stdout == "stepping\n"
    frames = [line for line in outcome.traceback.splitlines() if line.startswith("  File")]
    assert frames == [
        '  File "hw.py", line 8, in gradient_step',
        '  File "hw.py", line 4, in helper',
    ]
    assert "linalg" not in "".join(frames)


def test_notebook_cell_that_raises_is_reported_and_later_cells_run(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    run = run_notebook(
        sandbox,
        tmp_path,
        [
            "%matplotlib inline\nimport numpy as np",
            "data = np.loadtxt('data.csv')",
            "!pip install numpy\nget_ipython().run_line_magic('pwd', '')\n" + GRADIENT_STEP,
        ],
    )
    assert_step_correct(run)
    (problem,) = run.load.problems
    assert (problem.kind, problem.cell, problem.line) == ("raised", 3, 1)
    assert problem.message.startswith("FileNotFoundError")
    assert "Cell [3], line 1" in problem.detail


def test_notebook_traceback_points_into_the_cell(sandbox: Sandbox, tmp_path: Path) -> None:
    cell = "def gradient_step(x, grad, learning_rate):\n    return x - learning_rate * gard\n"
    run = run_notebook(sandbox, tmp_path, ["import numpy as np", cell])
    (outcome,) = run.outcomes["gradient_step"]
    assert outcome.error_type == "NameError"
    assert "  Cell [3], line 2, in gradient_step" in outcome.traceback


def test_syntax_error_is_reported_and_other_functions_still_graded(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    source = with_step(
        """\
    import numpy as np

    def numerical_derivative(f, x, h=1e-5):
        return (f(x + h) - f(x)) / h)
    """
    )
    f = FunctionSpec(("x**2",), 0, "scalar").with_source()
    run = run_source(
        sandbox,
        tmp_path,
        source,
        {"gradient_step": [STEP_ARGS], "numerical_derivative": [(f, 1.0)]},
    )
    assert_step_correct(run)
    assert run.outcomes["numerical_derivative"][0].status == "missing"
    (problem,) = run.load.problems
    assert (problem.kind, problem.line, problem.cell) == ("syntax_error", 4, None)
    assert problem.message == "SyntaxError: unmatched ')'"
    assert problem.detail.splitlines()[1].strip() == "^"


def test_failing_module_code_keeps_definitions_above_and_below(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    source = with_step(
        """\
    import numpy as np
    RATE = 0.5

    def numerical_derivative(f, x, h=1e-5):
        return (f(x + h) - f(x - h)) / (2 * h)

    answer = input("learning rate? ")
    print("not reached")
    """
    )
    f = FunctionSpec(("x**2",), 0, "scalar").with_source()
    calls = {"gradient_step": [STEP_ARGS], "numerical_derivative": [(f, 1.0, 1e-5)]}
    run = run_source(sandbox, tmp_path, source, calls)
    assert run.load.defined == ("gradient_step", "numerical_derivative")
    assert_step_correct(run)
    (problem,) = run.load.problems
    assert (problem.kind, problem.line) == ("raised", 7)
    assert problem.message.startswith("EOFError")
    assert run.load.stdout == "learning rate? "


def test_environment_inside_the_child(sandbox: Sandbox, tmp_path: Path) -> None:
    source = """\
    import os

    def gradient_step(x, grad, learning_rate):
        import sys
        return [os.environ.get("MPLBACKEND", ""), os.environ.get("OPENBLAS_NUM_THREADS", ""),
                os.getcwd(), str(sys.stdin.read())]

    try:
        import matplotlib
    except ImportError as exc:
        print(type(exc).__name__)
    """
    run = run_source(sandbox, tmp_path, source)
    (outcome,) = run.outcomes["gradient_step"]
    backend, threads, cwd, stdin = outcome.value
    assert (backend, threads, stdin) == ("Agg", "1", "")
    assert str(tmp_path) not in cwd
    assert run.load.stdout in ("ModuleNotFoundError\n", "")


def test_changed_arguments_are_reported_with_the_size_of_the_change(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    source = """\
    def numerical_gradient(f, x, h=1e-5):
        out = []
        for j in range(len(x)):
            x[j] += h
            a = f(x)
            x[j] -= 2 * h
            b = f(x)
            x[j] += h  # restored by arithmetic: maybe not bit for bit
            out.append((a - b) / (2 * h))
        return out

    def gradient_step(x, grad, learning_rate):
        x -= learning_rate * grad
        return x
    """
    f = FunctionSpec(("x0**2 + x1**2",), 2, "scalar").with_source()
    calls = {
        "numerical_gradient": [(f, np.array([0.1, 0.3]), 1e-5), (f, np.array([0.5, 0.25]), 0.5)],
        "gradient_step": [STEP_ARGS],
    }
    run = run_source(sandbox, tmp_path, source, calls)
    rounded, exact = run.outcomes["numerical_gradient"]
    assert rounded.mutated_args == (1,) and 0 < rounded.mutated_max_abs[0] < 1e-15
    assert exact.mutated_args == () and exact.calls == {"f": 4}
    (step,) = run.outcomes["gradient_step"]
    assert step.mutated_args == (0,)
    assert step.mutated_max_abs[0] == pytest.approx(0.05)


def test_non_plain_return_is_bad_return_naming_the_type(sandbox: Sandbox, tmp_path: Path) -> None:
    source = """\
    import numpy as np

    class Answer:
        def __eq__(self, other):
            return True

    def gradient_step(x, grad, learning_rate):
        return Answer() if learning_rate < 1 else (lambda: 0)
    """
    calls = {"gradient_step": [STEP_ARGS, (1.0, 1.0, 2.0)]}
    obj, fn = run_source(sandbox, tmp_path, source, calls).outcomes["gradient_step"]
    assert (obj.status, obj.value, obj.error_type) == ("bad_return", None, "Answer")
    assert (obj.reason, obj.reason_params) == ("not_plain_data", {"type": "Answer"})
    assert (fn.status, fn.error_type) == ("bad_return", "function")


def test_printing_is_bounded_per_call(sandbox: Sandbox, tmp_path: Path) -> None:
    source = """\
    def gradient_step(x, grad, learning_rate):
        for i in range(20_000):  # ~250 kB, four times the cap, well within a second
            print("iteration", i)
        return x - learning_rate * grad
    """
    run = run_source(sandbox, tmp_path, source)
    assert_step_correct(run)
    (outcome,) = run.outcomes["gradient_step"]
    assert len(outcome.stdout) < LIMITS.output_bytes + 100
    assert outcome.stdout.startswith("iteration 0\n")
    assert "more characters not shown" in outcome.stdout


def test_slow_module_code_is_stopped_and_definitions_below_still_count(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    source = with_step(
        """\
    import time
    for epoch in range(10**9):
        time.sleep(0.01)
    """
    )
    started = time.monotonic()
    run = run_source(sandbox, tmp_path, source)
    assert time.monotonic() - started < LIMITS.load_wall_s + 2.0
    assert_step_correct(run)
    (problem,) = run.load.problems
    assert (problem.kind, problem.line) == ("timeout", 3)


def test_module_code_that_ignores_the_alarm_is_killed_and_reloaded_without_it(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    source = with_step(
        """\
    import signal
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        pass
    """
    )
    started = time.monotonic()
    run = run_source(sandbox, tmp_path, source)
    assert time.monotonic() - started < 2 * LIMITS.load_wall_s + 3.0
    assert_step_correct(run)
    (problem,) = run.load.problems
    assert (problem.kind, problem.line) == ("timeout", 3)
    assert (problem.key, problem.params) == ("load_limit", {"seconds": LIMITS.load_wall_s})


def test_notebook_cell_that_kills_the_process_is_skipped(sandbox: Sandbox, tmp_path: Path) -> None:
    run = run_notebook(
        sandbox, tmp_path, ["import os\nprint('before')", "os._exit(0)", GRADIENT_STEP]
    )
    assert_step_correct(run)
    (problem,) = run.load.problems
    assert (problem.kind, problem.cell, problem.line) == ("crashed", 3, 1)
    assert (problem.key, problem.params) == ("exited", {"code": 0})


def test_module_code_that_shrinks_the_progress_memory_then_dies_is_the_students_crash(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """The trusted side reads the child's progress after a crash: a record the student
    shrank or filled with nonsense must never crash it (a grader fault) or be believed."""
    run = run_notebook(
        sandbox,
        tmp_path,
        [
            "import contextlib, mmap, os, struct\n"
            "for fd in range(3, 64):\n"
            "    with contextlib.suppress(OSError):\n"
            "        os.ftruncate(fd, 0)",
            GRADIENT_STEP,
            "with contextlib.suppress(OSError, ValueError), mmap.mmap(5, 16) as m:\n"
            "    struct.pack_into('<qq', m, 0, 2**62, -7)\n"
            "os._exit(0)",
        ],
    )
    # which cell died cannot be known, so it cannot be skipped: the load fails, as the
    # student's own crash, and nothing of the nonsense position reaches the report
    assert run.outcomes["gradient_step"][0].status == "missing"
    assert [p.kind for p in run.load.problems] == ["crashed", "crashed"]
    assert all(p.cell is None and p.line is None for p in run.load.problems)


def test_a_call_that_times_out_does_not_stop_the_next_calls(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    source = """\
    def gradient_step(x, grad, learning_rate):
        while learning_rate > 1:
            pass
        return x - learning_rate * grad
    """
    calls = {"gradient_step": [(1.0, 1.0, 5.0), STEP_ARGS]}
    started = time.monotonic()
    slow, fast = run_source(sandbox, tmp_path, source, calls).outcomes["gradient_step"]
    assert time.monotonic() - started < LIMITS.call_wall_s + 1.5
    assert (slow.status, slow.reason, slow.reason_params) == (
        "timeout",
        "wall_limit",
        {"seconds": 1},
    )
    assert fast.status == "returned"


def test_state_changed_by_one_exercise_does_not_reach_another(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    source = with_step(
        """\
    import numpy as np
    import builtins

    def numerical_derivative(f, x, h=1e-5):
        np.subtract = lambda a, b: 42.0
        builtins.abs = None
        raise SystemExit(0)
    """,
        step=GRADIENT_STEP.replace(
            "x - learning_rate * grad", "np.subtract(x, learning_rate * grad)"
        ),
    )
    f = FunctionSpec(("x",), 0, "scalar").with_source()
    run = run_source(
        sandbox,
        tmp_path,
        source,
        {"numerical_derivative": [(f, 1.0, 1e-5)], "gradient_step": [STEP_ARGS]},
    )
    assert run.outcomes["numerical_derivative"][0].error_type == "SystemExit"
    assert_step_correct(run)


def test_the_submission_time_budget_bounds_everything(tmp_path: Path) -> None:
    limits = Limits(
        call_wall_s=0.5, load_wall_s=1.0, submission_wall_s=1.5, timeouts_per_exercise=100
    )
    source = "def gradient_step(x, grad, learning_rate):\n    while True:\n        pass\n"
    started = time.monotonic()
    with Sandbox(limits) as sb:
        run = run_source(sb, tmp_path, source, {"gradient_step": [STEP_ARGS] * 6})
    assert time.monotonic() - started < limits.submission_wall_s + 1.5
    statuses = [o.status for o in run.outcomes["gradient_step"]]
    assert set(statuses) == {"timeout"}
    assert run.outcomes["gradient_step"][-1].reason == "budget_spent"
