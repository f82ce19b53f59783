"""A submission process and its exercise process import nothing the zygote has not:
an import in a fork is paid again by every submission (finding the module, loading it,
the pages it writes), where the zygote pays it once."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gdgrade.function_specs import FunctionSpec
from gdgrade.sandbox import Limits, Sandbox
from gdgrade.submission import load_submission

LIMITS = Limits(call_wall_s=2.0, load_wall_s=2.0, submission_wall_s=20.0)
F = FunctionSpec(("x",), 0, "scalar").with_source()
STEP = (np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.1)

SOURCE = """\
import sys

def numerical_derivative(f, x, h):
    return " ".join(sorted(sys.modules))

def gradient_step(x, grad, learning_rate):
    return " ".join(sorted(sys.modules))
"""


def test_a_submission_imports_nothing_the_zygote_has_not(tmp_path: Path) -> None:
    path = tmp_path / "hw.py"
    path.write_text(SOURCE, encoding="utf-8")
    calls = {"numerical_derivative": [(F, 1.0, 1e-5)], "gradient_step": [STEP]}
    with Sandbox(LIMITS) as sandbox:
        outcomes = sandbox.run(load_submission(path), calls).outcomes
        preloaded = set(sandbox.zygote_modules())
    # the first exercise: after the load and the fork; the second: after the state check
    for name in calls:
        (outcome,) = outcomes[name]
        assert outcome.status == "returned", outcome
        assert set(outcome.value.split()) - preloaded == {"submission"}, name
