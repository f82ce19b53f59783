"""Exercise 6 of reference/: gradient descent with momentum (관성).

Oracles: plain gradient descent (momentum 0), the closed-form linear recurrence of
momentum on a quadratic, and the lecture's published minima.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp

from reference import gradient_descent, momentum_descent, variants_by_id

X = sp.Symbol("x", real=True)
LECTURE_F = sp.Rational(1, 2) * X**4 - 4 * X**3 + 10 * X**2 - 7 * X + 2
f = sp.lambdify(X, LECTURE_F, "numpy")
fp = sp.lambdify(X, sp.diff(LECTURE_F, X), "numpy")

# The lecture's known facts: the two minima and the maximum between them (six decimals)
LOCAL_MIN, GLOBAL_MIN, MAXIMUM = 3.267035, 0.474313, 2.258652
SIX_DECIMALS = 5e-7


def quadratic_path(a: float, learning_rate: float, momentum: float, x0: float, n: int):
    """Iterates of momentum on f = a/2 x^2 from the recurrence's matrix powers.

    With v_k = x_k - x_{k-1} (v_0 = 0, so x_{-1} = x_0):
    x_{k+1} = (1 + momentum - lr*a) x_k - momentum x_{k-1}.
    """
    step = np.array([[1 + momentum - learning_rate * a, -momentum], [1.0, 0.0]])
    start = np.array([x0, x0])
    return np.array([(np.linalg.matrix_power(step, k) @ start)[0] for k in range(1, n + 1)])


@pytest.mark.parametrize(("x0", "learning_rate"), [(4, 0.1), (5.0, 0.1), (4.0, 0.2), (-1.0, 0.03)])
def test_zero_momentum_is_plain_gradient_descent(x0, learning_rate):
    path = momentum_descent(fp, x0, learning_rate, 0.0, 60)
    _, _, plain_path = gradient_descent(f, fp, x0, learning_rate, 60)
    np.testing.assert_allclose(np.ravel(path), np.ravel(plain_path), rtol=1e-14, atol=0)


@pytest.mark.parametrize(
    ("a", "learning_rate", "momentum"),
    [(2.0, 0.1, 0.9), (1.0, 0.5, 0.3), (5.0, 0.05, 0.0), (3.0, 0.3, 0.6), (0.5, 1.0, 0.95)],
)
def test_path_on_a_quadratic_follows_the_linear_recurrence(a, learning_rate, momentum):
    path = momentum_descent(lambda x: a * x, 2.5, learning_rate, momentum, 40)
    expected = quadratic_path(a, learning_rate, momentum, 2.5, 40)
    assert np.shape(path) in ((40,), (40, 1))
    np.testing.assert_allclose(np.ravel(path), expected, rtol=1e-10, atol=1e-13)


def test_vector_start_moves_each_coordinate_by_its_own_recurrence():
    curvature = np.array([0.5, 2.0, 4.0])
    x0 = np.array([1.0, -2.0, 3.0])
    x0_before = x0.copy()
    path = momentum_descent(lambda x: curvature * x, x0, 0.2, 0.7, 30)
    np.testing.assert_array_equal(x0, x0_before)
    assert np.shape(path) == (30, 3)
    for j in range(3):
        expected = quadratic_path(curvature[j], 0.2, 0.7, x0_before[j], 30)
        np.testing.assert_allclose(path[:, j], expected, rtol=1e-10, atol=1e-13)


def test_first_step_is_a_plain_step_because_velocity_starts_at_zero():
    path = momentum_descent(fp, 4, 0.1, 0.9, 1)
    assert np.ravel(path)[0] == 4.0 - 0.1 * fp(4.0)


def test_int_start_equals_float_start():
    np.testing.assert_array_equal(
        momentum_descent(fp, 4, 0.02, 0.9, 50), momentum_descent(fp, 4.0, 0.02, 0.9, 50)
    )


def test_zero_iterations_give_an_empty_path():
    assert len(momentum_descent(fp, 4.0, 0.1, 0.9, 0)) == 0


def test_momentum_rolls_out_of_the_local_minimum_where_plain_descent_stops():
    """From x0 = 4, lr 0.02: plain descent settles in the local minimum, momentum 0.9
    carries the iterate over the maximum into the global minimum."""
    x_plain, _, _ = gradient_descent(f, fp, 4, 0.02, 500)
    assert x_plain == pytest.approx(LOCAL_MIN, abs=SIX_DECIMALS)

    path = np.ravel(momentum_descent(fp, 4, 0.02, 0.9, 500))
    assert path.min() < MAXIMUM
    assert path[-1] == pytest.approx(GLOBAL_MIN, abs=SIX_DECIMALS)


def test_divergence_is_returned_as_inf_or_nan_without_raising_or_warning():
    def overflowing_fp(x):  # the lecture's f' in float64, as the grader passes it
        return fp(np.float64(x))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = np.ravel(momentum_descent(overflowing_fp, 100.0, 0.1, 0.9, 50))
    assert len(path) == 50
    assert np.isfinite(path[0]) and not np.isfinite(path[-1])


# --- the mistake variants reproduce what a student writing the mistake gets ----------------


def momentum_loop(grad, x0, learning_rate, momentum, n_iter, form):
    """The three update forms students write, as plain loops."""
    x, v, path = float(x0), 0.0, []
    for _ in range(n_iter):
        if form == "ema":  # v = b v + (1 - b) f'(x); x = x - lr v
            v = momentum * v + (1 - momentum) * grad(x)
            x = x - learning_rate * v
        elif form == "nesterov":  # gradient at the look-ahead point
            v = momentum * v - learning_rate * grad(x + momentum * v)
            x = x + v
        else:  # velocity forgotten
            x = x - learning_rate * grad(x)
        path.append(x)
    return np.array(path)


@pytest.mark.parametrize(
    ("mistake_id", "form"),
    [("ema_momentum", "ema"), ("nesterov", "nesterov"), ("no_momentum", "plain")],
)
def test_momentum_mistake_variant_is_the_mistaken_loop(mistake_id, form):
    (variant,) = variants_by_id("momentum_descent", mistake_id)
    got = np.ravel(variant.fn(fp, 4.0, 0.02, 0.9, 40))
    expected = momentum_loop(fp, 4.0, 0.02, 0.9, 40, form)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)
    assert not np.allclose(got, np.ravel(momentum_descent(fp, 4.0, 0.02, 0.9, 40)))
