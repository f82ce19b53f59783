"""Attack: monkeypatch numpy's comparison functions (at module level and during the call)
so that a grader comparing in this process would accept anything."""

import numpy as np

np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)


def numerical_derivative(f, x, h=1e-5):
    np.testing.assert_allclose = lambda *args, **kwargs: None
    np.array_equal = lambda *args, **kwargs: True
    np.asarray = lambda value, *args, **kwargs: np.array(0.0)
    np.float64 = float
    return 0.0


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
