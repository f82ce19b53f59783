"""Attack: monkeypatch the math module (isfinite, isnan, isclose) and return NaN, hoping
that a finiteness or closeness check in this process is fooled."""

import math


def numerical_derivative(f, x, h=1e-5):
    math.isfinite = lambda value: True
    math.isnan = lambda value: False
    math.isclose = lambda *args, **kwargs: True
    return float("nan")


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
