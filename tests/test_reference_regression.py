"""Exercise 5 of reference/: simple regression h(x) = w0 + w1*x by gradient descent.

Oracles: the closed-form least-squares line (np.polyfit and the normal equations), and the
update rule derived here from J(w0, w1) by sympy, independently of the implementation.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp

from reference import linear_regression_gd, variants_by_id

W0, W1 = sp.symbols("w0 w1", real=True)


def regression_data(m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Centred x in [-2, 2], so the cost's Hessian is well conditioned."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, m)
    y = 1.5 - 0.7 * x + rng.normal(scale=0.3, size=m)
    return x, y


def cost_gradient_by_sympy(x: np.ndarray, y: np.ndarray):
    """(dJ/dw0, dJ/dw1) of J = 1/(2m) sum (w0 + w1 x_i - y_i)^2, differentiated by sympy."""
    m = len(x)
    cost = sp.Rational(1, 2 * m) * sum(
        (W0 + W1 * sp.Float(xi, 30) - sp.Float(yi, 30)) ** 2 for xi, yi in zip(x, y, strict=True)
    )
    partials = sp.lambdify((W0, W1), [sp.diff(cost, W0), sp.diff(cost, W1)], "math")
    return lambda w0, w1: tuple(float(g) for g in partials(w0, w1))


def simultaneous_updates(grad, w0, w1, learning_rate, n_iter):
    """temp0, temp1 from the same (w0, w1), then assigned together (the lecture's rule)."""
    for _ in range(n_iter):
        g0, g1 = grad(w0, w1)
        w0, w1 = w0 - learning_rate * g0, w1 - learning_rate * g1
    return w0, w1


def sequential_updates(grad, w0, w1, learning_rate, n_iter):
    """The mistake: w1's gradient is taken after w0 has already moved."""
    for _ in range(n_iter):
        w0 = w0 - learning_rate * grad(w0, w1)[0]
        w1 = w1 - learning_rate * grad(w0, w1)[1]
    return w0, w1


def closed_form_line(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(w0, w1) of the least-squares line by the normal equations."""
    A = np.column_stack([np.ones_like(x), x])
    return np.linalg.solve(A.T @ A, A.T @ y)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_converges_to_the_least_squares_line(seed):
    x, y = regression_data(40, seed)
    w0, w1 = linear_regression_gd(x, y, 0.0, 0.0, 0.3, 3000)
    slope, intercept = np.polyfit(x, y, 1)
    assert (w0, w1) == pytest.approx((intercept, slope), abs=1e-9)
    np.testing.assert_allclose([w0, w1], closed_form_line(x, y), atol=1e-9)


@pytest.mark.parametrize("n_iter", [1, 2, 5])
def test_iterations_equal_the_simultaneous_update_derived_by_sympy(n_iter):
    x, y = regression_data(6, seed=11)
    grad = cost_gradient_by_sympy(x, y)
    expected = simultaneous_updates(grad, 0.4, -1.2, 0.25, n_iter)
    got = linear_regression_gd(x, y, 0.4, -1.2, 0.25, n_iter)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def test_sequential_update_variant_differs_from_the_simultaneous_update():
    x, y = regression_data(6, seed=11)
    grad = cost_gradient_by_sympy(x, y)
    (variant,) = variants_by_id("linear_regression_gd", "sequential_update")
    simultaneous = linear_regression_gd(x, y, 0.4, -1.2, 0.25, 1)
    sequential = variant.fn(x, y, 0.4, -1.2, 0.25, 1)
    np.testing.assert_allclose(sequential, sequential_updates(grad, 0.4, -1.2, 0.25, 1))
    assert sequential[0] == pytest.approx(simultaneous[0], rel=1e-12)  # w0 moves first, alike
    assert abs(sequential[1] - simultaneous[1]) > 1e-3  # w1 sees the new w0


def test_int_start_weights_are_not_truncated():
    x, y = regression_data(20, seed=3)
    assert linear_regression_gd(x, y, 0, 1, 0.1, 7) == linear_regression_gd(x, y, 0.0, 1.0, 0.1, 7)
    w0, w1 = linear_regression_gd(x, y, 0, 0, 0.1, 1)
    assert (w0, w1) == pytest.approx((0.1 * np.mean(y), 0.1 * np.mean(x * y)), rel=1e-12)


def test_zero_iterations_return_the_start():
    x, y = regression_data(5, seed=4)
    assert tuple(map(float, linear_regression_gd(x, y, 0.5, -2.0, 0.1, 0))) == (0.5, -2.0)


def test_inputs_are_unchanged():
    x, y = regression_data(30, seed=5)
    x_before, y_before = x.copy(), y.copy()
    linear_regression_gd(x, y, 0.0, 0.0, 0.1, 50)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(y, y_before)


def test_divergence_is_returned_as_inf_or_nan_without_raising_or_warning():
    x, y = regression_data(20, seed=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w0, w1 = linear_regression_gd(50 * x, y, 0.0, 0.0, 10.0, 500)
    assert not np.isfinite(w0) and not np.isfinite(w1)


# The gradient mistakes are rescaled gradients: each equals the reference at another rate.


def test_grad_factor_2_is_the_reference_at_twice_the_rate():
    x, y = regression_data(25, seed=6)
    (variant,) = variants_by_id("linear_regression_gd", "grad_factor_2")
    assert variant.fn(x, y, 0.0, 0.0, 0.05, 20) == linear_regression_gd(x, y, 0.0, 0.0, 0.1, 20)


def test_sum_not_mean_is_the_reference_at_m_times_the_rate():
    x, y = regression_data(25, seed=6)
    (variant,) = variants_by_id("linear_regression_gd", "sum_not_mean")
    got = variant.fn(x, y, 0.0, 0.0, 0.001, 20)
    np.testing.assert_allclose(got, linear_regression_gd(x, y, 0.0, 0.0, 0.025, 20), rtol=1e-12)


def test_missing_x_factor_moves_w1_by_the_mean_error():
    x, y = regression_data(25, seed=6)
    (variant,) = variants_by_id("linear_regression_gd", "missing_x_factor")
    w0, w1 = variant.fn(x, y, 0.2, 0.3, 0.1, 1)
    mean_error = np.mean(0.2 + 0.3 * x - y)
    assert (w0, w1) == pytest.approx((0.2 - 0.1 * mean_error, 0.3 - 0.1 * mean_error), rel=1e-12)
