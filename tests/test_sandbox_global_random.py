"""Code that draws from the global generators (`random`, `np.random`) instead of the rng it
was given is graded the same every time: both runners start loading a submission from one
fixed state of those generators (gdgrade/sandbox/child.py, GLOBAL_GENERATORS_SEED)."""

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
