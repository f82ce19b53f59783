"""Exercises 1-2 of reference/: finite differences checked against sympy's exact derivatives.

The oracle is sympy's symbolic derivative; the accuracy claims (central O(h^2), one-sided
O(h)) are checked by fitting log|error| against log h, not by typed-in numbers.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
import sympy as sp

from reference import numerical_derivative, numerical_gradient, variants_by_id, variants_for

X = sp.Symbol("x", real=True)

# (name, f(x), points where f' is wanted); log only on positive x
SCALAR_FUNCTIONS = [
    ("lecture polynomial", 0.5 * X**4 - 4 * X**3 + 10 * X**2 - 7 * X + 2, (-1.3, 0.4, 2.5)),
    ("exp", sp.exp(X), (-2.0, 0.5, 3.0)),
    ("sin", sp.sin(X), (-1.0, 1.0, 4.0)),
    ("log", sp.log(X), (0.3, 2.0, 7.5)),
    ("sum", X**3 + sp.exp(-X) + sp.sin(2 * X), (-0.8, 0.7, 1.9)),
]

# one point per function where f'' and f''' are far from zero, so both error terms show
ORDER_POINTS = {
    "lecture polynomial": 1.0,
    "exp": 0.5,
    "sin": 1.0,
    "log": 2.0,
    "sum": 0.7,
}

STEPS = np.geomspace(1e-1, 1e-3, 7)


def scalar_pair(expr: sp.Expr) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """f and its exact derivative f' as numpy functions of one float."""
    return sp.lambdify(X, expr, "numpy"), sp.lambdify(X, sp.diff(expr, X), "numpy")


def error_order(errors: np.ndarray, steps: np.ndarray = STEPS) -> float:
    """Slope of log|error| against log h: 2 for O(h^2), 1 for O(h)."""
    return float(np.polyfit(np.log(steps), np.log(errors), 1)[0])


def scalar_cases():
    for name, expr, points in SCALAR_FUNCTIONS:
        for point in points:
            yield pytest.param(expr, point, id=f"{name}@{point}")


@pytest.mark.parametrize(("expr", "point"), list(scalar_cases()))
def test_numerical_derivative_matches_sympy(expr, point):
    f, fp = scalar_pair(expr)
    exact = float(fp(point))
    assert numerical_derivative(f, point) == pytest.approx(exact, rel=1e-7, abs=1e-8)
    assert numerical_derivative(f, point, 1e-4) == pytest.approx(exact, rel=1e-6, abs=1e-7)


def test_numerical_derivative_accepts_an_int_point():
    f, fp = scalar_pair(X**3)
    assert numerical_derivative(f, 2) == pytest.approx(float(fp(2.0)), rel=1e-8)


def derivative_schemes():
    """(function, expected order) for the reference and each accepted scheme."""
    yield pytest.param(numerical_derivative, 2, id="reference")
    expected = {"central_difference": 2, "forward_difference": 1, "backward_difference": 1}
    for v in variants_for("numerical_derivative", kind="info"):
        yield pytest.param(v.fn, expected[v.mistake_id], id=v.mistake_id)


ORDER_CASES = [pytest.param(e, ORDER_POINTS[name], id=name) for name, e, _ in SCALAR_FUNCTIONS]


@pytest.mark.parametrize(("scheme", "order"), list(derivative_schemes()))
@pytest.mark.parametrize(("expr", "point"), ORDER_CASES)
def test_derivative_error_shrinks_at_the_scheme_order(scheme, order, expr, point):
    f, fp = scalar_pair(expr)
    exact = float(fp(point))
    errors = np.array([abs(scheme(f, point, h) - exact) for h in STEPS])
    assert error_order(errors) == pytest.approx(order, abs=0.1)


def test_every_accepted_derivative_scheme_is_covered():
    ids = {v.mistake_id for v in variants_for("numerical_derivative", kind="info")}
    assert ids == {"central_difference", "forward_difference", "backward_difference"}


def test_step_ignored_gives_the_same_value_for_every_h():
    (ignored,) = variants_by_id("numerical_derivative", "step_ignored")
    for _name, expr, points in SCALAR_FUNCTIONS:
        f, _ = scalar_pair(expr)
        for point in points:
            values = {ignored.fn(f, point, h) for h in (1e-1, 1e-2, 1e-3, 1e-6)}
            assert len(values) == 1
            # the reference does use h, so the same check would catch it
            assert len({numerical_derivative(f, point, h) for h in (1e-1, 1e-2)}) == 2


PRECEDENCE = "/ 2 * h: divided by 2, times h"


def test_wrong_denominator_is_off_by_a_factor_two():
    variants = variants_by_id("numerical_derivative", "wrong_denominator")
    assert variants
    for variant in (v for v in variants if v.label != PRECEDENCE):
        for _name, expr, points in SCALAR_FUNCTIONS:
            f, fp = scalar_pair(expr)
            for point in points:
                ratio = variant.fn(f, point, 1e-5) / float(fp(point))
                assert min(abs(ratio - 2.0), abs(ratio - 0.5)) < 1e-3, (variant.label, point)


@pytest.mark.parametrize("exercise", ["numerical_derivative", "numerical_gradient"])
def test_divided_by_2_times_h_is_the_derivative_times_h_squared(exercise):
    """`/ 2 * h` without brackets: the central difference divided by 2, then times h."""
    (variant,) = [v for v in variants_by_id(exercise, "wrong_denominator") if v.label == PRECEDENCE]
    h = 1e-3
    for _name, expr, points in SCALAR_FUNCTIONS:
        f, fp = scalar_pair(expr)
        for point in points:
            if exercise == "numerical_gradient":
                got = variant.fn(lambda v, f=f: f(v[0]), np.array([point]), h)[0]
            else:
                got = variant.fn(f, point, h)
            assert got == pytest.approx(float(fp(point)) * h * h, rel=1e-3, abs=1e-12)


def test_cancellation_step_is_far_less_accurate_than_the_reference():
    (tiny,) = variants_by_id("numerical_derivative", "cancellation")
    tiny_errors, reference_errors = [], []
    for name, expr, _points in SCALAR_FUNCTIONS:
        f, fp = scalar_pair(expr)
        point = ORDER_POINTS[name]
        tiny_errors.append(abs(tiny.fn(f, point) - float(fp(point))))
        reference_errors.append(abs(numerical_derivative(f, point) - float(fp(point))))
    assert max(reference_errors) < 1e-8
    assert min(tiny_errors) > 1e-5


def overflowing(x):
    """exp(1000 x) in float64, as the grader's functions are: inf on overflow, silently."""
    with np.errstate(all="ignore"):
        return np.sum(np.exp(np.float64(1000) * np.asarray(x, dtype=float)))


@pytest.mark.parametrize("exercise", ["numerical_derivative", "numerical_gradient"])
def test_overflowing_function_gives_nan_without_raising_or_warning(exercise):
    derivative = numerical_derivative if exercise == "numerical_derivative" else numerical_gradient
    point = 1.0 if exercise == "numerical_derivative" else np.array([1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = derivative(overflowing, point)
    assert not np.all(np.isfinite(got))


# --- numerical_gradient ----------------------------------------------------------------


def field(expr: sp.Expr, n: int) -> tuple[Callable, Callable]:
    """f: R^n -> R on a 1-D array, and its exact gradient as a 1-D array."""
    symbols = sp.symbols(f"x0:{n}", real=True)
    value = sp.lambdify(symbols, expr, "numpy")
    partials = sp.lambdify(symbols, [sp.diff(expr, s) for s in symbols], "numpy")

    def f(v: np.ndarray) -> float:
        return float(value(*v))

    def grad(v: np.ndarray) -> np.ndarray:
        return np.array(partials(*v), dtype=float)

    return f, grad


x0, x1, x2 = sp.symbols("x0:3", real=True)
FIELDS = [
    pytest.param(x0**2 * x1 + sp.sin(x0) * sp.exp(x1), 2, id="2d poly+sin*exp"),
    pytest.param(sp.log(1 + x0**2 + x1**2) + x0 * x1**3, 2, id="2d log+poly"),
    pytest.param(x0 * x1 * x2 + sp.exp(x0 - x2) + sp.cos(x1) * x2**2, 3, id="3d mixed"),
    pytest.param(0.5 * x0**4 + x1**2 * x2 - 3 * x2 + sp.sin(x0 * x2), 3, id="3d poly+sin"),
]


def field_points(n: int, count: int = 4) -> np.ndarray:
    return np.random.default_rng(1234 + n).uniform(-1.5, 1.5, size=(count, n))


@pytest.mark.parametrize(("expr", "n"), FIELDS)
def test_numerical_gradient_matches_sympy_and_leaves_x_unchanged(expr, n):
    f, grad = field(expr, n)
    for point in field_points(n):
        before = point.copy()
        got = numerical_gradient(f, point)
        assert np.array_equal(point, before)
        assert np.shape(got) == (n,)
        np.testing.assert_allclose(got, grad(point), rtol=1e-7, atol=1e-8)


def gradient_schemes():
    yield pytest.param(numerical_gradient, 2, id="reference")
    expected = {"central_difference": 2, "forward_difference": 1, "backward_difference": 1}
    for v in variants_for("numerical_gradient", kind="info"):
        yield pytest.param(v.fn, expected[v.mistake_id], id=v.mistake_id)


@pytest.mark.parametrize(("scheme", "order"), list(gradient_schemes()))
@pytest.mark.parametrize(("expr", "n"), FIELDS)
def test_gradient_error_shrinks_at_the_scheme_order(scheme, order, expr, n):
    f, grad = field(expr, n)
    point = np.linspace(0.3, 0.9, n)
    exact = grad(point)
    errors = np.array([np.max(np.abs(scheme(f, point, h) - exact)) for h in STEPS])
    assert error_order(errors) == pytest.approx(order, abs=0.15)


@pytest.mark.parametrize(("expr", "n"), FIELDS)
def test_gradient_wrong_denominator_doubles_every_partial(expr, n):
    f, grad = field(expr, n)
    (variant,) = [
        v
        for v in variants_by_id("numerical_gradient", "wrong_denominator")
        if v.label != PRECEDENCE
    ]
    for point in field_points(n):
        np.testing.assert_allclose(variant.fn(f, point), 2 * grad(point), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(("expr", "n"), FIELDS)
def test_all_coordinates_at_once_gives_the_derivative_along_the_ones_vector(expr, n):
    f, grad = field(expr, n)
    (variant,) = variants_by_id("numerical_gradient", "all_coordinates_at_once")
    for point in field_points(n):
        along_ones = np.sum(grad(point))
        np.testing.assert_allclose(variant.fn(f, point), np.full(n, along_ones), rtol=1e-6)
