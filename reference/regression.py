"""Exercise 5: simple regression h(x) = w0 + w1*x by gradient descent.

    J(w0, w1) = 1/(2m) * sum (h(x_i) - y_i)^2
    dJ/dw0 = 1/m * sum (h(x_i) - y_i)
    dJ/dw1 = 1/m * sum (h(x_i) - y_i) * x_i

Both partial derivatives are taken at the *same* (w0, w1) before either changes:
temp0 = w0 - eta*dJ/dw0, temp1 = w1 - eta*dJ/dw1, then w0, w1 = temp0, temp1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .registry import correct, variant

Grads = Callable[[np.ndarray, np.ndarray, float, float], tuple[float, float]]


def cost_gradient(x: np.ndarray, y: np.ndarray, w0: float, w1: float) -> tuple[float, float]:
    """(dJ/dw0, dJ/dw1) at one point (w0, w1)."""
    error = w0 + w1 * x - y
    return float(np.mean(error)), float(np.mean(error * x))


def _simultaneous(
    grads: Grads,
    x: np.ndarray,
    y: np.ndarray,
    w0: float,
    w1: float,
    learning_rate: float,
    n_iter: int,
    sign: float = -1.0,
) -> tuple[float, float]:
    w0, w1 = float(w0), float(w1)
    with np.errstate(all="ignore"):
        for _ in range(n_iter):
            g0, g1 = grads(x, y, w0, w1)
            temp0 = w0 + sign * learning_rate * g0
            temp1 = w1 + sign * learning_rate * g1
            w0, w1 = temp0, temp1
    return w0, w1


@correct("linear_regression_gd")
def linear_regression_gd(
    x: np.ndarray, y: np.ndarray, w0: float, w1: float, learning_rate: float, n_iter: int
) -> tuple[float, float]:
    return _simultaneous(cost_gradient, x, y, w0, w1, learning_rate, n_iter)


@variant("linear_regression_gd", "sequential_update")
def linear_regression_sequential(x, y, w0, w1, learning_rate, n_iter):
    w0, w1 = float(w0), float(w1)
    with np.errstate(all="ignore"):
        for _ in range(n_iter):
            w0 = w0 - learning_rate * cost_gradient(x, y, w0, w1)[0]
            w1 = w1 - learning_rate * cost_gradient(x, y, w0, w1)[1]  # sees the new w0
    return w0, w1


@variant("linear_regression_gd", "sign_ascent")
def linear_regression_ascent(x, y, w0, w1, learning_rate, n_iter):
    return _simultaneous(cost_gradient, x, y, w0, w1, learning_rate, n_iter, sign=+1.0)


def _twice(x, y, w0, w1):
    g0, g1 = cost_gradient(x, y, w0, w1)
    return 2 * g0, 2 * g1


def _summed(x, y, w0, w1):
    error = w0 + w1 * x - y
    return float(np.sum(error)), float(np.sum(error * x))


def _without_x(x, y, w0, w1):
    error = w0 + w1 * x - y
    return float(np.mean(error)), float(np.mean(error))


@variant("linear_regression_gd", "grad_factor_2")
def linear_regression_factor_2(x, y, w0, w1, learning_rate, n_iter):
    return _simultaneous(_twice, x, y, w0, w1, learning_rate, n_iter)


@variant("linear_regression_gd", "sum_not_mean")
def linear_regression_sum(x, y, w0, w1, learning_rate, n_iter):
    return _simultaneous(_summed, x, y, w0, w1, learning_rate, n_iter)


@variant("linear_regression_gd", "missing_x_factor")
def linear_regression_missing_x(x, y, w0, w1, learning_rate, n_iter):
    return _simultaneous(_without_x, x, y, w0, w1, learning_rate, n_iter)


@variant("linear_regression_gd", "learning_rate_ignored", "fixed step 0.01")
def linear_regression_fixed_rate(x, y, w0, w1, learning_rate, n_iter):
    return _simultaneous(cost_gradient, x, y, w0, w1, 0.01, n_iter)


def trajectory(
    x: np.ndarray, y: np.ndarray, w0: float, w1: float, learning_rate: float, n_iter: int
) -> np.ndarray:
    """(w0, w1) after each of the n_iter iterations, shape (n_iter, 2): where a loop that
    stopped early would have ended."""
    w0, w1 = float(w0), float(w1)
    out = np.empty((n_iter, 2))
    with np.errstate(all="ignore"):
        for k in range(n_iter):
            g0, g1 = cost_gradient(x, y, w0, w1)
            w0, w1 = w0 - learning_rate * g0, w1 - learning_rate * g1
            out[k] = w0, w1
    return out
