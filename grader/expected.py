"""Expected values, computed in the trusted process from reference/ — never read from files.

For every case: what the reference returns, what a student's value is compared with
(the reference's value, or for finite differences the exact derivative), the tolerance
of each returned part, and what every known-mistake variant returns on the same
arguments (so diagnosis can tell which mistake a wrong answer reproduces).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import reference
from gdgrade.case import Case
from gdgrade.compare import Tolerance, compare
from gdgrade.contract import BY_NAME
from gdgrade.exercise_data import load_exercise
from gdgrade.expectation import Expectation, VariantResult
from gdgrade.function_specs import FunctionSpec
from gdgrade.json_values import RngSpec

EPS = float(np.finfo(float).eps)


def fresh_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Arguments as the child gets them: arrays copied, a new generator per call."""
    out = []
    for a in args:
        if isinstance(a, RngSpec):
            out.append(a.make())
        elif isinstance(a, np.ndarray):
            out.append(a.copy())
        else:
            out.append(a)
    return tuple(out)


def call(fn: Any, args: tuple[Any, ...]) -> Any:
    with np.errstate(all="ignore"):
        return fn(*fresh_args(args))


# --- tolerances ----------------------------------------------------------------------


def _finite_difference_bound(f: FunctionSpec, x: Any, h: float, safety: float) -> Any:
    """What error a correct forward/backward/central difference can have at this h."""
    if f.n == 0:
        grid = np.linspace(x - h, x + h, 9)
        second = f.second_derivative()
        m2 = float(np.max(np.abs(np.broadcast_to(second(grid), grid.shape))))
        m0 = max(abs(float(f(x + s))) for s in (-h, 0.0, h))
        exact = float(f.derivative()(x))
        return safety * (h / 2 * m2 + 2 * EPS * m0 / h) + 1e-9 * (1 + abs(exact))
    x = np.asarray(x, dtype=float)
    exact_grad = np.asarray(f.derivative()(x), dtype=float)
    bounds = []
    for j in range(f.n):
        second = f.second_derivative(j)
        line = x + np.linspace(-h, h, 9)[:, None] * np.eye(len(x))[j]
        m2 = float(np.max(np.abs(np.broadcast_to(second(line), (len(line),)))))
        m0 = max(abs(float(f(x + t * np.eye(len(x))[j]))) for t in (-h, 0.0, h))
        bounds.append(safety * (h / 2 * m2 + 2 * EPS * m0 / h) + 1e-9 * (1 + abs(exact_grad[j])))
    return tuple(bounds)


# At a probe's large h, the answer must be one of the accepted schemes at exactly that h,
# up to rounding: this is what tells a step of one's own from the given one.
SCHEME_AT_H = Tolerance(rtol=1e-7, atol=1e-10)


def _target_and_tolerances(case: Case) -> tuple[Any, tuple[Tolerance, ...], Any]:
    exercise = load_exercise(case.exercise)
    spec = exercise.tolerance
    ref = call(reference.REFERENCE[case.exercise], case.args)
    n_parts = max(len(BY_NAME[case.exercise].returns), 1)
    if spec["kind"] == "finite_difference" and "probe" in case.tags:
        return ref, (SCHEME_AT_H,), ref
    if spec["kind"] == "finite_difference":
        f, x, h = case.args
        exact = f.derivative()(x)
        exact = float(exact) if f.n == 0 else np.asarray(exact, dtype=float)
        bound = _finite_difference_bound(f, x, h, float(spec["safety"]))
        return exact, (Tolerance(0.0, bound),), ref
    tol = Tolerance(float(spec["rtol"]), float(spec["atol"]))
    return ref, (tol,) * n_parts, ref


def expect(case: Case) -> Expectation:
    target, tolerances, ref = _target_and_tolerances(case)
    variants = []
    for v in reference.variants_for(case.exercise):
        try:
            value = call(v.fn, case.args)
        except Exception:  # a variant may not apply to every input (e.g. m = 1)
            value = None
        variants.append(VariantResult(v.mistake_id, v.label, v.kind, value))
    exact = None
    if load_exercise(case.exercise).tolerance["kind"] == "finite_difference":
        f, x, _ = case.args
        exact = f.derivative()(x)
        exact = float(exact) if f.n == 0 else np.asarray(exact, dtype=float)
    alternatives = ()
    if "probe" in case.tags:
        alternatives = tuple(v.value for v in variants if v.kind == "info" and v.value is not None)
    losses = _loss_range(case, ref)
    return Expectation(case, ref, target, tolerances, tuple(variants), alternatives, losses, exact)


def _loss_range(case: Case, ref: Any) -> tuple[float, float] | None:
    """The final losses of the reference with this seed and `seeds` other ones."""
    fallback = load_exercise(case.exercise).rng_fallback
    if fallback is None or not isinstance(case.args[-1], RngSpec):
        return None
    from gdgrade.losses import loss

    X, y = case.args[0], case.args[1]
    seed = case.args[-1].seed
    losses = [loss(X, y, ref[0])]
    for k in range(1, fallback.seeds + 1):
        other = (*case.args[:-1], RngSpec(seed + k))
        losses.append(loss(X, y, call(reference.REFERENCE[case.exercise], other)[0]))
    return min(losses), max(losses)


# --- conditioning --------------------------------------------------------------------

# Beyond this, another summation order may overflow one step earlier or later (only where
# the student sums over samples; in 4 and 6 the gradient comes from the given fp).
NEAR_OVERFLOW = 1e250
_SUMS_SAMPLES = ("linear_regression_gd", "batch_gradient_descent", "sgd", "minibatch_gd")


def _near_overflow(value: Any) -> bool:
    parts = value if isinstance(value, tuple) else (value,)
    for part in parts:
        arr = np.abs(np.asarray(part, dtype=float))
        if np.any(np.isfinite(arr) & (arr > NEAR_OVERFLOW)):
            return True
    return False


def well_conditioned(case: Case, expectation: Expectation) -> bool:
    """False when a last-bit change of the start moves the result beyond a hundredth of the
    tolerance, or a value comes close to overflow: such a result cannot fairly be compared
    step by step."""
    position = BY_NAME[case.exercise].start_index
    if position is None:
        return True
    if case.exercise in _SUMS_SAMPLES and _near_overflow(expectation.reference):
        return False
    args = list(case.args)
    start = args[position]
    nudge = np.asarray(start, dtype=float) * (1 + 64 * EPS) + 64 * EPS
    args[position] = float(nudge) if np.ndim(start) == 0 else nudge
    tight = tuple(Tolerance(t.rtol / 100, t.atol) for t in expectation.tolerances)
    nudged = call(reference.REFERENCE[case.exercise], tuple(args))
    return compare(expectation.reference, nudged, expectation.part_names, tight).ok


def expectations(cases: tuple[Case, ...]) -> tuple[Expectation, ...]:
    """Expectations for the cases, dropping hidden ones that are ill-conditioned."""
    out = []
    for case in cases:
        e = expect(case)
        if case.visibility == "hidden" and not well_conditioned(case, e):
            continue
        out.append(e)
    return tuple(out)


def is_nonfinite(value: Any) -> bool:
    try:
        return not bool(np.all(np.isfinite(np.asarray(value, dtype=float))))
    except (TypeError, ValueError):
        return any(is_nonfinite(v) for v in value) if isinstance(value, tuple) else False


__all__ = ["Expectation", "VariantResult", "expect", "expectations"]
