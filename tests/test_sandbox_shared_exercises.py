"""The exercises of a submission share one exercise process, yet one exercise cannot change
another's result: whatever the first leaves behind is undone, or the second gets a fresh
fork of the loaded submission (gdgrade/sandbox/exercise.py, Baseline)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdgrade.function_specs import FunctionSpec
from gdgrade.sandbox import Limits, Sandbox, SubmissionRun
from gdgrade.sandbox.driver import EXERCISE_PROCESS_ENV
from gdgrade.submission import load_submission

LIMITS = Limits(call_wall_s=1.0, load_wall_s=2.0, submission_wall_s=30.0)
F = FunctionSpec(("x",), 0, "scalar").with_source()
FIRST = {"numerical_derivative": [(F, 1.0, 1e-5)]}
STEP = (np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.1)

# Module-level state the second exercise reads; the first exercise disturbs it.
MODULE = """\
import builtins, os, random, sys, threading, time
import numpy as np

SCALE = 1.0
HISTORY = []
SETTINGS = {"scale": 1.0}
RNG = np.random.default_rng(7)
np.random.seed(3)


def gradient_step(x, grad, learning_rate, _seen=[]):
    noise = (np.random.rand() + RNG.random()) * 1e-3  # (random reseeds itself in a fork)
    noise += float(np.isinf(np.float64(1e308) * 10.0)) * 1e-6  # raises under seterr(all="raise")
    scale = SCALE * SETTINGS["scale"] * (1 + len(HISTORY) + len(_seen))
    _seen.append(1)  # the exercise's own calls may share state: only its own
    return np.subtract(x, abs(learning_rate) * scale * grad) + noise


def numerical_derivative(f, x, h):
    {mistake}
    return 0.0
"""

MISTAKES = {
    "exit": "exit(3)",
    "os._exit": "os._exit(3)",
    "crash": "import ctypes; ctypes.string_at(0)",
    "timeout": "while True: pass",
    "numpy monkeypatch": "np.subtract = lambda a, b: a * 0 + 42.0",
    "builtins replaced": "builtins.abs = lambda v: 100.0",
    "global rebound": "global SCALE; SCALE = 10.0",
    "global list appended to": "HISTORY.append(1)",
    "global dict changed": "SETTINGS['scale'] = 5.0",
    "mutable default filled": "gradient_step.__defaults__[0].extend([1, 1])",
    "numpy global seed": "np.random.seed(99)",
    "global generator drawn from": "RNG.random(5)",
    "thread left running": (
        "threading.Thread(target=lambda: [globals().__setitem__('SCALE', 7.0) "
        "for _ in range(10**9)], daemon=True).start(); time.sleep(0.05)"
    ),
    "child process left": "os.fork() == 0 and (time.sleep(30), os._exit(0))",
    "numpy error state": "np.seterr(all='raise')",
    "recursion limit": "sys.setrecursionlimit(60)",
    "the runner's own module patched": (  # the next exercise's arguments decoded doubled
        "runner = sys.modules['gdgrade.sandbox.exercise']; plain = runner.decode; "
        "runner.decode = lambda a: (lambda v: v * 2 if isinstance(v, np.ndarray) else v)"
        "(plain(a))"
    ),
}


@pytest.fixture(scope="module", params=["shared", "each"])
def sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """The default (one process for the exercises) and a fresh fork per exercise."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(EXERCISE_PROCESS_ENV, request.param)
        with Sandbox(LIMITS) as sb:
            yield sb


def run(sandbox: Sandbox, tmp_path: Path, source: str, calls: dict[str, Any]) -> SubmissionRun:
    path = tmp_path / "hw.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return sandbox.run(load_submission(path), calls)


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_mistake_in_one_exercise_does_not_change_the_next_ones_result(
    sandbox: Sandbox, tmp_path: Path, mistake: str
) -> None:
    source = MODULE.replace("{mistake}", MISTAKES[mistake])
    alone = run(sandbox, tmp_path, source, {"gradient_step": [STEP, STEP]})
    after = run(sandbox, tmp_path, source, {**FIRST, "gradient_step": [STEP, STEP]})
    expected = [o.value.tolist() for o in alone.outcomes["gradient_step"]]
    assert all(o.status == "returned" for o in after.outcomes["gradient_step"])
    assert [o.value.tolist() for o in after.outcomes["gradient_step"]] == expected
    assert expected[0] != expected[1]  # the exercise's own calls still share its state


def test_the_state_checks_do_not_change_a_clean_submissions_results(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    source = MODULE.replace("{mistake}", "pass")
    alone = run(sandbox, tmp_path, source, {"gradient_step": [STEP]})
    after = run(sandbox, tmp_path, source, {**FIRST, "gradient_step": [STEP]})
    assert after.outcomes["numerical_derivative"][0].value == 0.0
    (before,), (now,) = alone.outcomes["gradient_step"], after.outcomes["gradient_step"]
    assert now.value.tolist() == before.value.tolist()


PIDS = """\
import os, numpy as np
LEFT = []

def numerical_derivative(f, x, h):
    {first}
    return float(os.getpid())

def gradient_step(x, grad, learning_rate):
    return float(os.getpid())

def gradient_descent(f, df, x0, learning_rate, steps):
    return float(os.getpid())
"""
DESCENT = (F, F.derivative().with_source(), 1.0, 0.1, 3)


@pytest.mark.parametrize(
    ("first", "fresh"),
    [("pass", False), ("np.random.seed(1); np.sum = None", False), ("LEFT.append(1)", True)],
)
def test_a_clean_exercise_leaves_its_process_to_the_next_and_a_changed_one_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str, fresh: bool
) -> None:
    monkeypatch.delenv(EXERCISE_PROCESS_ENV, raising=False)
    with Sandbox(LIMITS) as sandbox:
        calls = {**FIRST, "gradient_step": [STEP], "gradient_descent": [DESCENT]}
        outcomes = run(sandbox, tmp_path, PIDS.replace("{first}", first), calls).outcomes
    one, two, three = (outcomes[n][0].value for n in calls)
    assert (one != two) is fresh  # restored in place, or a fresh fork
    assert two == three


@pytest.mark.parametrize(
    "handler", ["lambda *args: None", "signal.SIG_IGN", "signal.default_int_handler"]
)
def test_a_signal_handler_left_by_an_exercise_gives_the_next_one_a_fresh_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handler: str
) -> None:
    monkeypatch.delenv(EXERCISE_PROCESS_ENV, raising=False)
    first = f"import signal; signal.signal(signal.SIGUSR1, {handler})"
    with Sandbox(LIMITS) as sandbox:
        calls = {**FIRST, "gradient_step": [STEP]}
        outcomes = run(sandbox, tmp_path, PIDS.replace("{first}", first), calls).outcomes
    one, two = (outcomes[n][0].value for n in calls)
    assert one != two
