"""Exercises 3-4 of reference/: one gradient step, and the lecture's descent loop.

Oracles: the update formula recomputed by a plain loop here, sympy's exact critical
points, and the lecture's published end points.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp

from reference import gradient_descent, gradient_step

X = sp.Symbol("x", real=True)
LECTURE_F = sp.Rational(1, 2) * X**4 - 4 * X**3 + 10 * X**2 - 7 * X + 2

# The lecture's published numbers, six decimals.
LOCAL_MIN, LOCAL_MIN_F = 3.267035, 3.344898
GLOBAL_MIN, GLOBAL_MIN_F = 0.474313, 0.528013
OSCILLATING_END = 0.461996  # gradient_descent(f, fp, 4, 0.2, 200)
SIX_DECIMALS = 5e-7


def float64_function(expr: sp.Expr, symbol: sp.Symbol = X):
    """A numpy float64 function of expr: overflow gives inf/nan, as the grader's f does."""
    fn = sp.lambdify(symbol, expr, "numpy")
    return lambda x: fn(np.float64(x))


f = float64_function(LECTURE_F)
fp = float64_function(sp.diff(LECTURE_F, X))


def critical_points() -> list[float]:
    """The real roots of f', exactly by sympy (ascending: min, max, min)."""
    return sorted(float(r) for r in sp.Poly(sp.diff(LECTURE_F, X), X).real_roots())


def plain_descent(x0: float, learning_rate: float, n: int) -> list[float]:
    """The lecture's loop, written out here as the oracle for the path."""
    x, path = float(x0), []
    for _ in range(n):
        x = x - learning_rate * float(fp(x))
        path.append(x)
    return path


# --- gradient_step ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "grad", "learning_rate"),
    [(3.0, 2.0, 0.5), (-1.25, 0.75, 0.1), (0.0, -4.0, 0.01), (1e3, 1e-3, 2.0)],
)
def test_gradient_step_on_scalars_moves_against_the_gradient(x, grad, learning_rate):
    got = gradient_step(x, grad, learning_rate)
    assert np.shape(got) == ()
    assert float(got) == x - learning_rate * grad


def test_gradient_step_keeps_int_inputs_exact():
    got = gradient_step(4, 3, 0.5)
    assert float(got) == 4 - 0.5 * 3
    assert float(gradient_step(4, 1, 0.1)) == pytest.approx(3.9)


@pytest.mark.parametrize("shape", [(1,), (4,), (2, 3)])
def test_gradient_step_on_arrays_updates_every_entry_and_leaves_inputs(shape):
    rng = np.random.default_rng(7)
    x, grad = rng.normal(size=shape), rng.normal(size=shape)
    x_before, grad_before = x.copy(), grad.copy()
    got = gradient_step(x, grad, 0.3)
    np.testing.assert_array_equal(got, x_before - 0.3 * grad_before)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(grad, grad_before)


# --- gradient_descent: the lecture's runs ------------------------------------------------


def test_published_critical_points_agree_with_sympy():
    """The oracle itself: the lecture's numbers are the roots of f' to six decimals."""
    low, _maximum, high = critical_points()
    assert low == pytest.approx(GLOBAL_MIN, abs=SIX_DECIMALS)
    assert high == pytest.approx(LOCAL_MIN, abs=SIX_DECIMALS)


def test_lecture_run_from_4_stops_in_the_local_minimum():
    x_opt, f_opt, paths = gradient_descent(f, fp, 4, 0.1, 200)
    assert x_opt == pytest.approx(LOCAL_MIN, abs=SIX_DECIMALS)
    assert f_opt == pytest.approx(LOCAL_MIN_F, abs=SIX_DECIMALS)
    assert x_opt == pytest.approx(critical_points()[2], abs=1e-9)
    assert len(paths) == 200


def test_lecture_run_from_5_reaches_the_global_minimum():
    x_opt, f_opt, _ = gradient_descent(f, fp, 5, 0.1, 200)
    assert x_opt == pytest.approx(GLOBAL_MIN, abs=SIX_DECIMALS)
    assert f_opt == pytest.approx(GLOBAL_MIN_F, abs=SIX_DECIMALS)
    assert x_opt == pytest.approx(critical_points()[0], abs=1e-9)


def test_lecture_run_with_rate_02_crosses_over_and_still_oscillates():
    x_opt, _, paths = gradient_descent(f, fp, 4, 0.2, 200)
    assert x_opt == pytest.approx(OSCILLATING_END, abs=SIX_DECIMALS)
    minimum = critical_points()[0]
    side = np.sign(paths[-20:] - minimum)
    assert np.all(side[1:] == -side[:-1])  # alternates around the minimum every step
    assert abs(x_opt - minimum) > 1e-3


# --- gradient_descent: the shape of the result --------------------------------------------


@pytest.mark.parametrize(("x0", "learning_rate"), [(4, 0.1), (5.0, 0.1), (-1.5, 0.05), (4, 0.2)])
def test_path_is_the_iterates_after_each_update(x0, learning_rate):
    x_opt, f_opt, paths = gradient_descent(f, fp, x0, learning_rate, 30)
    expected = plain_descent(x0, learning_rate, 30)
    assert np.shape(paths) in ((30,), (30, 1))
    np.testing.assert_array_equal(np.ravel(paths), expected)
    assert paths[0] != x0
    assert x_opt == expected[-1]
    assert f_opt == f(x_opt)


def test_int_start_is_not_truncated():
    x_opt, _, _ = gradient_descent(f, fp, 4, 0.1, 1)
    assert x_opt == 4.0 - 0.1 * float(fp(4.0))  # 3.1; truncation would give 3 or 4
    x_float, _, paths_float = gradient_descent(f, fp, 4.0, 0.1, 200)
    x_int, _, paths_int = gradient_descent(f, fp, 4, 0.1, 200)
    assert x_int == x_float
    np.testing.assert_array_equal(paths_int, paths_float)


def test_zero_iterations_return_the_start_and_an_empty_path():
    x_opt, f_opt, paths = gradient_descent(f, fp, 4, 0.1, 0)
    assert x_opt == 4.0
    assert f_opt == f(4.0)
    assert len(paths) == 0


def test_one_iteration_gives_a_path_of_one_point_equal_to_x_opt():
    x_opt, f_opt, paths = gradient_descent(f, fp, 2.0, 0.1, 1)
    assert len(paths) == 1
    assert np.ravel(paths)[0] == x_opt == plain_descent(2.0, 0.1, 1)[0]
    assert f_opt == f(x_opt)


def test_divergence_is_returned_as_inf_or_nan_without_raising_or_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x_opt, f_opt, paths = gradient_descent(f, fp, 100.0, 0.1, 200)
    assert not np.isfinite(x_opt)
    assert not np.isfinite(f_opt)
    assert len(paths) == 200
    assert np.isfinite(paths[0]) and not np.isfinite(paths[-1])


# --- gradient_descent on a vector start ----------------------------------------------------


def test_vector_start_on_a_quadratic_bowl_converges_to_the_sympy_minimum():
    v = sp.symbols("x0:3", real=True)
    A = sp.Matrix([[3, 1, 0], [1, 2, sp.Rational(1, 2)], [0, sp.Rational(1, 2), 1]])
    b = sp.Matrix([1, -2, sp.Rational(1, 2)])
    vec = sp.Matrix(v)
    bowl = (vec.T * A * vec / 2 - b.T * vec)[0] + 5
    (solution,) = sp.solve([sp.diff(bowl, s) for s in v], v, dict=True)
    minimum = np.array([float(solution[s]) for s in v])

    value = sp.lambdify(v, bowl, "numpy")
    partials = sp.lambdify(v, [sp.diff(bowl, s) for s in v], "numpy")

    def bowl_f(x: np.ndarray) -> float:
        return float(value(*x))

    def bowl_fp(x: np.ndarray) -> np.ndarray:
        return np.array(partials(*x), dtype=float)

    x0 = np.array([4.0, -3.0, 2.5])
    x0_before = x0.copy()
    x_opt, f_opt, paths = gradient_descent(bowl_f, bowl_fp, x0, 0.2, 500)
    np.testing.assert_array_equal(x0, x0_before)
    np.testing.assert_allclose(x_opt, minimum, atol=1e-10)
    assert f_opt == pytest.approx(float(bowl.subs(solution)), abs=1e-12)
    assert np.shape(paths) == (500, 3)
    np.testing.assert_array_equal(paths[-1], x_opt)
    np.testing.assert_allclose(paths[0], x0_before - 0.2 * bowl_fp(x0_before), rtol=1e-15)
