"""The registry of reference/: complete, named by the contract, and every mistake variant
actually distinguishable from the correct function; no reference function touches its inputs.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdgrade import i18n
from gdgrade.contract import BY_NAME, EXERCISE_IDS
from reference import EXERCISES, REFERENCE, VARIANTS

# --- arguments generated for every exercise -------------------------------------------------


def lecture_f(x):
    x = np.float64(x)
    return 0.5 * x**4 - 4 * x**3 + 10 * x**2 - 7 * x + 2


def lecture_fp(x):
    x = np.float64(x)
    return 2 * x**3 - 12 * x**2 + 20 * x - 7


def bowl(curvature: np.ndarray, centre: np.ndarray) -> tuple[Callable, Callable]:
    """f(v) = 1/2 sum c_j (v_j - centre_j)^2 and its gradient."""

    def f(v):
        return 0.5 * float(np.sum(curvature * (np.asarray(v) - centre) ** 2))

    def fp(v):
        return curvature * (np.asarray(v) - centre)

    return f, fp


def arguments(exercise: str, rng: np.random.Generator) -> tuple[Any, ...]:
    """One call's positional arguments, random but shaped so every known mistake shows:
    uneven partials, h far from any fixed step, >= 2 iterations and epochs, nonzero
    momentum, m = 23 (prime, so no batch size 2..22 divides it)."""
    vector = rng.random() < 0.5
    d = int(rng.integers(2, 5))
    if exercise == "numerical_derivative":
        c = rng.uniform(0.5, 2.0)
        return (lambda x: np.sin(c * x) + x**3, rng.uniform(-2, 2), rng.uniform(1e-3, 1e-2))
    if exercise == "numerical_gradient":
        c = rng.uniform(0.5, 2.0, d)
        return (lambda v: float(np.sum(np.sin(c * v)) + v @ v * v[0]), rng.normal(size=d), 1e-5)
    if exercise == "gradient_step":
        shape = (d,) if vector else ()
        return (rng.normal(size=shape), rng.normal(size=shape), rng.uniform(0.01, 1))
    n_iter = int(rng.integers(2, 12))
    if exercise in ("gradient_descent", "momentum_descent"):
        if vector:
            f, fp = bowl(rng.uniform(0.5, 3, d), rng.normal(size=d))
            x0 = rng.normal(size=d)
            rate = rng.uniform(0.05, 0.3)
        else:
            f, fp, x0, rate = lecture_f, lecture_fp, rng.uniform(3.5, 5), rng.uniform(0.01, 0.1)
            if rng.random() < 0.5:
                x0 = int(rng.integers(4, 6))  # the lecture starts at int 4 and 5
        if exercise == "gradient_descent":
            return (f, fp, x0, rate, n_iter)
        return (fp, x0, rate, rng.uniform(0.5, 0.95), n_iter)
    if exercise == "linear_regression_gd":
        x = rng.uniform(-2, 2, 15)
        y = 1 + 2 * x + rng.normal(scale=0.5, size=15)
        return (x, y, rng.normal(), rng.normal(), rng.uniform(0.05, 0.3), n_iter)
    X = np.column_stack([np.ones(23), rng.normal(size=(23, d - 1))])
    y = X @ rng.normal(size=d) + rng.normal(scale=0.2, size=23)
    w0, rate, n_epochs = rng.normal(size=d), rng.uniform(0.01, 0.05), int(rng.integers(2, 5))
    if exercise == "batch_gradient_descent":
        return (X, y, w0, rate, n_epochs)
    generator = np.random.default_rng(int(rng.integers(2**32)))
    if exercise == "sgd":
        return (X, y, w0, rate, n_epochs, generator)
    return (X, y, w0, rate, n_epochs, int(rng.integers(2, 23)), generator)


def generated(exercise: str, count: int = 6) -> list[tuple[Any, ...]]:
    return [arguments(exercise, np.random.default_rng(seed)) for seed in range(count)]


def parts(result: Any) -> list[np.ndarray]:
    """A result as float arrays, one per returned part (as the grader reads it)."""
    items = result if isinstance(result, tuple) else (result,)
    return [np.asarray(item, dtype=float) for item in items]


def differs(a: Any, b: Any) -> bool:
    pa, pb = parts(a), parts(b)
    if len(pa) != len(pb) or any(x.shape != y.shape for x, y in zip(pa, pb, strict=True)):
        return True
    close = (np.allclose(x, y, rtol=1e-7, atol=1e-10) for x, y in zip(pa, pb, strict=True))
    return not all(close)


def call(fn: Callable, args: tuple[Any, ...]) -> Any:
    """Call on deep copies, so a fresh rng (same seed) and fresh arrays each time."""
    return fn(*copy.deepcopy(args))


# --- completeness -------------------------------------------------------------------------


def test_every_exercise_has_a_reference_in_contract_order():
    assert EXERCISES == EXERCISE_IDS
    assert set(REFERENCE) == set(EXERCISES)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_reference_parameters_are_the_contracts(exercise):
    names = tuple(inspect.signature(REFERENCE[exercise]).parameters)
    assert names == BY_NAME[exercise].params


def test_every_variant_belongs_to_an_exercise_and_has_a_kind():
    for v in VARIANTS:
        assert v.exercise in EXERCISES
        assert v.kind in ("mistake", "info")
        assert v.mistake_id


def test_every_variant_id_is_a_known_mistake_id_with_a_message_in_every_language():
    """The stable mistake ids live in the grader's message catalogues (one entry per id,
    Korean and English): a variant whose id is missing there could not be explained."""
    used = {v.mistake_id for v in VARIANTS}
    for lang in i18n.LANGUAGES:
        missing = sorted(used - set(i18n.catalogue(lang)["mistakes"]))
        assert not missing, lang


# --- every mistake shows -------------------------------------------------------------------

MISTAKES = [
    pytest.param(v, id=f"{v.exercise}-{v.mistake_id}-{v.label}")
    for v in VARIANTS
    if v.kind == "mistake"
]
ACCEPTED = [
    pytest.param(v, id=f"{v.exercise}-{v.mistake_id}") for v in VARIANTS if v.kind == "info"
]


@pytest.mark.parametrize("variant", MISTAKES)
def test_mistake_variant_differs_from_the_reference_on_some_input(variant):
    reference = REFERENCE[variant.exercise]
    cases = generated(variant.exercise)
    assert any(differs(call(variant.fn, args), call(reference, args)) for args in cases)


@pytest.mark.parametrize("variant", ACCEPTED)
def test_accepted_style_agrees_with_the_reference_to_finite_difference_accuracy(variant):
    reference = REFERENCE[variant.exercise]
    for args in generated(variant.exercise):
        f, x, _ = args
        np.testing.assert_allclose(call(variant.fn, (f, x, 1e-6)), reference(f, x, 1e-6), rtol=1e-4)


# --- inputs are never modified ------------------------------------------------------------


def arrays_in(args: tuple[Any, ...]) -> list[np.ndarray]:
    return [a for a in args if isinstance(a, np.ndarray)]


@pytest.mark.parametrize("exercise", EXERCISES)
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_reference_leaves_its_array_inputs_unchanged(exercise, seed):
    args = arguments(exercise, np.random.default_rng(seed))
    if exercise == "numerical_derivative":  # the point as a 0-d array, so it could be hit
        args = (args[0], np.array(args[1]), args[2])
    before = [a.copy() for a in arrays_in(args)]
    REFERENCE[exercise](*args)
    for now, then in zip(arrays_in(args), before, strict=True):
        np.testing.assert_array_equal(now, then)
