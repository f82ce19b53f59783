"""Exercises 1-2: derivatives from the limit definition (미분, 편미분).

    f'(a) = lim_{dx -> 0} (f(a + dx) - f(a)) / dx

A computer cannot take the limit, so it stops at a small step h. The central difference
(f(a+h) - f(a-h)) / 2h cancels the h^2 term of the Taylor series: its error is O(h^2),
the one-sided differences' O(h).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from . import registry

Scalar = Callable[[float], float]
Field = Callable[[np.ndarray], float]


def _quiet(register):
    """Register a difference quotient that, like numpy, lets overflow become inf/nan silently."""

    def wrap(fn):
        @functools.wraps(fn)
        def quiet(*args, **kwargs):
            with np.errstate(all="ignore"):
                return fn(*args, **kwargs)

        return register(quiet)

    return wrap


def correct(exercise):
    return _quiet(registry.correct(exercise))


def variant(exercise, mistake_id, label="", kind="mistake"):
    return _quiet(registry.variant(exercise, mistake_id, label, kind))


@correct("numerical_derivative")
@variant("numerical_derivative", "central_difference", kind="info")
def numerical_derivative(f: Scalar, x: float, h: float = 1e-5) -> float:
    # f'(x) ~ (f(x + h) - f(x - h)) / 2h
    return float((f(x + h) - f(x - h)) / (2 * h))


@variant("numerical_derivative", "forward_difference", kind="info")
def forward_difference(f: Scalar, x: float, h: float = 1e-5) -> float:
    # f'(x) ~ (f(x + h) - f(x)) / h  -- the lecture's definition with dx = h
    return float((f(x + h) - f(x)) / h)


@variant("numerical_derivative", "backward_difference", kind="info")
def backward_difference(f: Scalar, x: float, h: float = 1e-5) -> float:
    # f'(x) ~ (f(x) - f(x - h)) / h
    return float((f(x) - f(x - h)) / h)


@variant("numerical_derivative", "wrong_denominator", "central over h")
def central_over_h(f: Scalar, x: float, h: float = 1e-5) -> float:
    return float((f(x + h) - f(x - h)) / h)


@variant("numerical_derivative", "wrong_denominator", "forward over 2h")
def forward_over_2h(f: Scalar, x: float, h: float = 1e-5) -> float:
    return float((f(x + h) - f(x)) / (2 * h))


@variant("numerical_derivative", "wrong_denominator", "/ 2 * h: divided by 2, times h")
def central_precedence(f: Scalar, x: float, h: float = 1e-5) -> float:
    return float((f(x + h) - f(x - h)) / 2 * h)  # operator precedence: (... / 2) * h


@variant("numerical_derivative", "step_ignored", "fixed step 1e-4")
def fixed_step(f: Scalar, x: float, h: float = 1e-5) -> float:
    step = 1e-4
    return float((f(x + step) - f(x - step)) / (2 * step))


@variant("numerical_derivative", "cancellation", "step 1e-13")
def tiny_step(f: Scalar, x: float, h: float = 1e-5) -> float:
    step = 1e-13
    return float((f(x + step) - f(x)) / step)


def _unit(n: int, j: int) -> np.ndarray:
    e = np.zeros(n)
    e[j] = 1.0
    return e


@correct("numerical_gradient")
@variant("numerical_gradient", "central_difference", kind="info")
def numerical_gradient(f: Field, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    # df/dx_j ~ (f(x + h e_j) - f(x - h e_j)) / 2h, one coordinate at a time
    x = np.asarray(x, dtype=float)
    grad = np.empty_like(x)
    for j in range(x.size):
        e = _unit(x.size, j)
        grad[j] = (f(x + h * e) - f(x - h * e)) / (2 * h)
    return grad


@variant("numerical_gradient", "forward_difference", kind="info")
def gradient_forward(f: Field, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    fx = f(x)
    return np.array([(f(x + h * _unit(x.size, j)) - fx) / h for j in range(x.size)])


@variant("numerical_gradient", "backward_difference", kind="info")
def gradient_backward(f: Field, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    fx = f(x)
    return np.array([(fx - f(x - h * _unit(x.size, j))) / h for j in range(x.size)])


@variant("numerical_gradient", "wrong_denominator", "central over h")
def gradient_central_over_h(f: Field, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    return 2 * numerical_gradient(f, x, h)


@variant("numerical_gradient", "wrong_denominator", "/ 2 * h: divided by 2, times h")
def gradient_central_precedence(f: Field, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    return numerical_gradient(f, x, h) * h * h


@variant("numerical_gradient", "all_coordinates_at_once")
def gradient_all_at_once(f: Field, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    # perturbs every coordinate together: the derivative along (1, ..., 1), not partials
    x = np.asarray(x, dtype=float)
    d = (f(x + h) - f(x - h)) / (2 * h)
    return np.full_like(x, d)


@variant("numerical_gradient", "return_in_loop")
def gradient_first_only(f: Field, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    # `return grad` indented into the loop: only the first partial is computed
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for j in range(x.size):
        e = _unit(x.size, j)
        grad[j] = (f(x + h * e) - f(x - h * e)) / (2 * h)
        return grad
    return grad
