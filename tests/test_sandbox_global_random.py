"""Code that draws from the global generators (`random`, `np.random`), or from generators
it makes without a seed, instead of the rng it was given is graded the same every time: both
runners start loading a submission from one fixed state of those generators and of the
entropy unseeded ones draw (gdgrade/sandbox/child.py, GLOBAL_GENERATORS_SEED;
gdgrade/sandbox/exercise.py, ENTROPY)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from gdgrade.sandbox import Limits, Sandbox
from gdgrade.sandbox.portable import PortableRunner
from gdgrade.submission import load_submission

LIMITS = Limits(call_wall_s=2.0, load_wall_s=2.0, submission_wall_s=30.0)
STEP = (np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.1)

SOURCE = """\
import random
import numpy as np

OFFSET = np.random.rand()  # drawn while the module loads


def gradient_step(x, grad, learning_rate):
    order = np.arange(len(x))
    np.random.shuffle(order)  # as an SGD that ignores its rng shuffles
    return (x - learning_rate * grad)[order] + OFFSET + random.random()
"""


def values(runner: Any, path: Path) -> list[list[float]]:
    run = runner.run(load_submission(path), {"gradient_step": [STEP, STEP, STEP]})
    return [o.value.tolist() for o in run.outcomes["gradient_step"]]


def test_a_submission_using_the_global_generators_gets_the_same_values_in_every_run(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hw.py"
    path.write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    with Sandbox(LIMITS) as first:  # each Sandbox starts its own zygote
        graded = values(first, path)
    with Sandbox(LIMITS) as second:
        assert values(second, path) == graded
    with PortableRunner(LIMITS) as portable:
        assert values(portable, path) == graded
    assert graded[0] != graded[1]  # the calls still draw one after another


UNSEEDED = """\
import numpy as np

OWN = np.random.default_rng()  # made while the module loads, without a seed


def gradient_step(x, grad, learning_rate):
    noise = np.random.default_rng().random(len(x)) + OWN.random()  # as an SGD with its own rng
    return x - learning_rate * grad + noise


def momentum_step(x, velocity, grad, learning_rate, momentum):
    np.random.default_rng()  # draws the entropy a later generator would have had
    return x, velocity
"""


def test_generators_made_without_a_seed_give_the_same_values_in_every_run(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hw.py"
    path.write_text(UNSEEDED, encoding="utf-8")
    with Sandbox(LIMITS) as first:
        graded = values(first, path)
    with Sandbox(LIMITS) as second:
        assert values(second, path) == graded
    with PortableRunner(LIMITS) as portable:
        assert values(portable, path) == graded
    assert graded[0] != graded[1]  # each call's generator still differs from the last


def test_an_unseeded_generator_in_one_exercise_does_not_move_the_next_ones_values(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hw.py"
    path.write_text(UNSEEDED, encoding="utf-8")
    momentum = (np.array([1.0]), np.array([0.0]), np.array([0.5]), 0.1, 0.9)
    with Sandbox(LIMITS) as sandbox:
        alone = values(sandbox, path)
        calls = {"momentum_step": [momentum], "gradient_step": [STEP, STEP, STEP]}
        after = sandbox.run(load_submission(path), calls).outcomes["gradient_step"]
    assert [o.value.tolist() for o in after] == alone
