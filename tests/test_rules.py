"""Recovering the update rule a path follows: a planted rule is always found with its
coefficients, a random wrong path never gets one, and the rule reaches the report."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from support import case_set, runs_of

import reference
from gdgrade.case import LoadReport
from gdgrade.diagnose import diagnose
from grader.explain import explain
from grader.rules import Uninformative, fit_descent, fit_momentum

LOADED = LoadReport(defined=reference.EXERCISES)


def lecture_fp(x):
    return 2 * x**3 - 12 * x**2 + 20 * x - 7


def bowl_gradient(curvature: np.ndarray, centre: np.ndarray):
    return lambda v: curvature * (np.asarray(v) - centre)


def descend(gradient, x0, rate, n, previous=False):
    x, path, g_old = np.array(x0, dtype=float), [], None
    for _ in range(n):
        g = gradient(x)
        x = x - rate * (g_old if previous and g_old is not None else g)
        g_old = g
        path.append(x)
    return np.array(path).reshape(n, -1)


def roll(gradient, x0, a, beta, n):
    x = np.array(x0, dtype=float)
    d, path = np.zeros_like(x), []
    for _ in range(n):
        d = beta * d - a * gradient(x)
        x = x + d
        path.append(x)
    return np.array(path).reshape(n, -1)


def fitted(fit, start, path, gradient):
    try:
        return fit(np.reshape(start, (1, -1)), path, gradient)
    except Uninformative:
        return None


dims = st.integers(1, 4)
seeds = st.integers(0, 2**32 - 1)


@settings(max_examples=60, deadline=None)
@given(seed=seeds, d=dims, ratio=st.floats(0.2, 3.0), n=st.integers(5, 40))
def test_a_planted_rate_is_always_found(seed, d, ratio, n):
    rng = np.random.default_rng(seed)
    gradient = bowl_gradient(rng.uniform(0.5, 3, d), rng.normal(size=d))
    x0, rate = rng.normal(size=d) * 3, rng.uniform(0.02, 0.2)
    path = descend(gradient, x0, ratio * rate, n)
    rule = fitted(fit_descent, x0, path, gradient)
    assume(rule is not None or np.allclose(path[2], path[-1]))  # converged at once: no rule
    assert rule is not None and rule.name == "rate" and not rule.shifted
    assert rule.coefficients["a"] == pytest.approx(ratio * rate, rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(seed=seeds, rate=st.floats(0.005, 0.05), n=st.integers(6, 40))
def test_a_gradient_of_the_previous_point_is_found_on_the_lecture_function(seed, rate, n):
    x0 = np.random.default_rng(seed).uniform(3.5, 5)
    path = descend(lecture_fp, x0, rate, n, previous=True)
    rule = fitted(fit_descent, x0, path, lecture_fp)
    assert rule is not None and rule.name == "previous_gradient"
    assert rule.coefficients["a"] == pytest.approx(rate, rel=1e-6)


@settings(max_examples=60, deadline=None)
@given(seed=seeds, d=dims, beta=st.floats(0.05, 0.95), ratio=st.floats(0.05, 2.0))
def test_planted_momentum_coefficients_are_always_found(seed, d, beta, ratio):
    rng = np.random.default_rng(seed)
    gradient = bowl_gradient(rng.uniform(0.5, 3, d), rng.normal(size=d))
    x0, rate = rng.normal(size=d) * 3, rng.uniform(0.01, 0.1)
    path = roll(gradient, x0, ratio * rate, beta, 30)
    rule = fitted(fit_momentum, x0, path, gradient)
    assert rule is not None and rule.name == "momentum"
    assert rule.coefficients["beta"] == pytest.approx(beta, rel=1e-5, abs=1e-9)
    assert rule.coefficients["a"] == pytest.approx(ratio * rate, rel=1e-5)


@settings(max_examples=200, deadline=None)
@given(seed=seeds, d=dims, n=st.integers(1, 40), scale=st.floats(1e-3, 1e3))
def test_a_random_wrong_path_never_gets_a_rule(seed, d, n, scale):
    rng = np.random.default_rng(seed)
    gradient = bowl_gradient(rng.uniform(0.5, 3, d), rng.normal(size=d))
    x0 = rng.normal(size=d)
    path = x0 + scale * rng.normal(size=(n, d))
    assert fitted(fit_descent, x0, path, gradient) is None
    assert fitted(fit_momentum, x0, path, gradient) is None


@settings(max_examples=100, deadline=None)
@given(seed=seeds, n=st.integers(5, 40), noise=st.floats(1e-5, 1e-1))
def test_a_right_path_with_noise_on_it_gets_no_rule(seed, n, noise):
    """Close to a rule is not a rule: the tolerance is tight."""
    rng = np.random.default_rng(seed)
    gradient = bowl_gradient(np.array([1.0, 2.0]), np.zeros(2))
    x0 = np.array([3.0, -2.0])
    path = descend(gradient, x0, 0.1, n)
    path = path * (1 + noise * rng.normal(size=path.shape))
    assert fitted(fit_descent, x0, path, gradient) is None


def test_every_step_twice_the_learning_rate_is_reported_with_its_ratio():
    def twice(f, fp, x0, learning_rate, max_iter):
        return reference.gradient_descent(f, fp, x0, 2 * learning_rate, max_iter)

    found = diagnose(
        "gradient_descent", runs_of(twice, case_set("gradient_descent")), LOADED, explain=explain
    )
    (rule,) = [d for d in found if d.id == "update_rule"]
    assert rule.evidence["rule"] == "effective_rate" and rule.evidence["ratio"] == 2


def test_a_fixed_beta_in_the_exponential_average_form_is_recognised_with_its_coefficients():
    def ema_own_beta(fp, x0, learning_rate, momentum, n_iter):
        return reference.momentum_descent(fp, x0, learning_rate * 0.3, 0.7, n_iter)

    found = diagnose(
        "momentum_descent",
        runs_of(ema_own_beta, case_set("momentum_descent")),
        LOADED,
        explain=explain,
    )
    (rule,) = [d for d in found if d.id == "update_rule"]
    assert rule.evidence["rule"] == "ema"
    assert (rule.evidence["beta"], rule.evidence["one_minus"]) == (0.7, 0.3)


def test_a_rate_of_ones_own_in_sgd_is_found_by_search():
    def own_rate(X, y, w0, learning_rate, n_epochs, rng):
        return reference.sgd(X, y, w0, 0.003, n_epochs, rng)

    found = diagnose("sgd", runs_of(own_rate, case_set("sgd")), LOADED, explain=explain)
    (ignored,) = [d for d in found if d.id == "learning_rate_ignored"]
    assert ignored.evidence["rate"] == pytest.approx(0.003, rel=1e-3)


RATE_POSITION = {
    "gradient_step": 2,
    "gradient_descent": 3,
    "linear_regression_gd": 4,
    "momentum_descent": 2,
    "batch_gradient_descent": 3,
    "sgd": 3,
    "minibatch_gd": 3,
}


@pytest.mark.parametrize("exercise", list(RATE_POSITION))
def test_a_planted_multiple_of_the_learning_rate_is_found_in_every_exercise_with_one(exercise):
    def scaled(*args):
        args = list(args)
        args[RATE_POSITION[exercise]] *= 1.37
        return reference.REFERENCE[exercise](*args)

    found = diagnose(exercise, runs_of(scaled, case_set(exercise)), LOADED, explain=explain)
    (rule,) = [d for d in found if d.id == "update_rule"]
    assert (rule.evidence["rule"], rule.evidence["ratio"]) == ("effective_rate", 1.37)


RULE_IDS = {"update_rule", "learning_rate_ignored", "path_before_update"}


@pytest.mark.parametrize("exercise", ["gradient_descent", "momentum_descent", "gradient_step"])
@settings(max_examples=15, deadline=None)
@given(seed=seeds, scale=st.floats(1e-3, 10))
def test_random_wrong_answers_are_never_given_a_rule(exercise, seed, scale):
    """Answers of the right shape, near the reference's, but random: no rule fits them."""
    rng = np.random.default_rng(seed)

    def noisy(*args):
        result = reference.REFERENCE[exercise](*args)
        parts = result if isinstance(result, tuple) else (result,)
        moved = [np.asarray(p, dtype=float) + scale * rng.normal(size=np.shape(p)) for p in parts]
        return tuple(moved) if isinstance(result, tuple) else moved[0]

    found = diagnose(exercise, runs_of(noisy, case_set(exercise)), LOADED, explain=explain)
    assert not RULE_IDS & {d.id for d in found}
