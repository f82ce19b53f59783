"""Exercise 10, instructor side: the reference, its known mistakes, the cases, the example."""

import numpy as np
from gdgrade.exercises.case_inputs import CaseInput
from gdgrade.exercises.examples import Example

from reference.registry import correct, variant


@correct("scaled_step")
def scaled_step(x, grad, learning_rate, scale):
    return np.asarray(x, dtype=float) - learning_rate * scale * np.asarray(grad, dtype=float)


@variant("scaled_step", "sign_ascent")
def scaled_step_ascent(x, grad, learning_rate, scale):
    return np.asarray(x, dtype=float) + learning_rate * scale * np.asarray(grad, dtype=float)


@variant("scaled_step", "scale_ignored")
def scaled_step_without_scale(x, grad, learning_rate, scale):
    return np.asarray(x, dtype=float) - learning_rate * np.asarray(grad, dtype=float)


def PUBLIC_CASES():
    return [
        CaseInput("scalar", "실수 한 걸음", "one number", (4.0, 9.0, 0.1, 2.0)),
        CaseInput(
            "vector",
            "벡터 한 걸음",
            "a vector",
            (np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.2, 3.0),
        ),
    ]


def HIDDEN_CASES(rng):
    for k, d in enumerate((1, 3)):
        x, g = rng.normal(size=d), rng.normal(size=d)
        yield f"vector_{k}", (x, g, float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.5, 3.0))), ()


EXAMPLE = Example("", ("x = scaled_step(4.0, 9.0, 0.1, 2.0)",), ("x",))
