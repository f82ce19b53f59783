"""The update rule a student's path actually follows, recovered from the path itself.

When no known mistake explains a failing exercise, the trusted side evaluates the gradient
(f' of the case, or the data gradient) at the student's own iterates and fits a small,
stated family of rules by least squares:

  descent (4, 7)   x_(k+1) - x_k = -a * g(x_k)                  (rate a; the contract: a = eta)
                   x_(k+1) - x_k = -a * g(x_(k-1))              (gradient of the previous point)
                   either on x_1..x_n or, shifted, on x_0..x_(n-1)
  momentum (6)     d_(k+1) = beta * d_k - a * g(x_k), d = x_(k+1) - x_k, d_0 = 0
  step (3)         new = x - a * grad
  no path (5, 8, 9) the contract's algorithm run with another rate a (1-D search)

The fitted rates are then read across the failing cases: the given rate (only a shifted
path is wrong), a fixed rate of one's own, a constant multiple of the given rate, or one
that scales with the number of samples m (summed gradients, m dividing once too often).

A rule is reported only when it reproduces every used step to a relative residual of
RESIDUAL (1e-7) with more equations than unknowns, and when the failing cases agree on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import reference
from gdgrade.compare import as_float_array, compare
from gdgrade.diagnose import Diagnosis
from gdgrade.judge import CaseRun
from grader.expected import call

RESIDUAL = 1e-7  # relative residual a rule must reach on the iterates
AGREE = 1e-6  # relative spread allowed between the cases' fitted coefficients
MIN_EXTRA = 2  # equations beyond the number of coefficients
MATCH_FRACTION = 0.75  # of the informative failing cases that must follow the rule
LARGE = 1e12  # iterates beyond this are divergence, not evidence


class Uninformative(Exception):
    """Too few steps above rounding noise (a converged or quickly diverged path, one
    iteration) to tell any rule: such a case neither supports nor contradicts one."""


@dataclass(frozen=True)
class Rule:
    name: str  # "rate", "previous_gradient", "momentum"
    shifted: bool = False  # fitted on x_0..x_(n-1)
    coefficients: dict[str, float] = field(default_factory=dict)


# --- least squares on one path --------------------------------------------------------


def _lstsq(columns: list[np.ndarray], target: np.ndarray, noise: np.ndarray) -> np.ndarray | None:
    """Coefficients when they explain every equation to RESIDUAL (relative to its own
    size, plus `noise`: the rounding of a difference of iterates), else None."""
    A = np.column_stack(columns)
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(target))):
        return None
    size = np.abs(target) + np.abs(A).sum(axis=1)
    noise = np.maximum(noise, np.finfo(float).tiny)
    informative = np.abs(target) > 1e6 * noise  # steps that moved beyond rounding
    if int(informative.sum()) < A.shape[1] + MIN_EXTRA:
        raise Uninformative  # a path that (almost) never moves tells no rule
    weight = 1.0 / (RESIDUAL * size + noise)  # each equation by the error it is allowed
    Aw, tw = A * weight[:, None], target * weight
    singular = np.linalg.svd(Aw[informative], compute_uv=False)
    if singular[-1] <= 1e-9 * singular[0]:
        return None  # the family cannot tell its coefficients apart on this path
    coef, *_ = np.linalg.lstsq(Aw, tw, rcond=None)
    fitted = A @ coef
    slack = RESIDUAL * (np.abs(target) + np.abs(fitted)) + noise
    return coef if bool(np.all(np.abs(fitted - target) <= slack)) else None


def _noise(s: np.ndarray) -> np.ndarray:
    """Rounding error of x_(k+1) - x_k, per coordinate of each step."""
    return (64 * np.finfo(float).eps * (np.abs(s[1:]) + np.abs(s[:-1]))).ravel()


def _usable(points: np.ndarray) -> np.ndarray:
    """The iterates up to the first non-finite or diverged one."""
    bad = ~np.all(np.isfinite(points) & (np.abs(points) < LARGE), axis=1)
    end = int(np.argmax(bad)) if bad.any() else len(points)
    return points[:end]


def _sequences(start: np.ndarray, path: np.ndarray) -> list[tuple[bool, np.ndarray]]:
    """The iterate sequences a path can stand for: x_0 then the path, or (when it starts
    at x_0) the path alone, shifted by one."""
    out = [(False, _usable(np.vstack([start, path])))]
    if len(path) and np.allclose(path[0], start, rtol=1e-12, atol=0):
        out.append((True, _usable(path)))
    return out


def _gradients_and_steps(
    s: np.ndarray, gradient: Callable[[np.ndarray], np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """g(x_k) at every iterate but the last, one row each, and the steps x_(k+1) - x_k."""
    if len(s) < 2:
        raise Uninformative
    g = np.array([gradient(p) for p in s[:-1]], dtype=float).reshape(len(s) - 1, -1)
    return g, np.diff(s, axis=0)


def fit_descent(
    start: np.ndarray, path: np.ndarray, gradient: Callable[[np.ndarray], np.ndarray]
) -> Rule | None:
    """x_(k+1) - x_k = -a g(x_k), or -a g(x_(k-1)); the first family that fits."""
    for shifted, s in _sequences(start, path):
        g, d = _gradients_and_steps(s, gradient)
        noise = _noise(s)
        coef = _lstsq([-g.ravel()], d.ravel(), noise)
        if coef is not None:
            return Rule("rate", shifted, {"a": float(coef[0])})
        previous = np.vstack([g[:1], g[:-1]])
        coef = _lstsq([-previous.ravel()], d.ravel(), noise)
        if coef is not None and not np.allclose(previous, g):
            return Rule("previous_gradient", shifted, {"a": float(coef[0])})
    return None


def fit_momentum(
    start: np.ndarray, path: np.ndarray, gradient: Callable[[np.ndarray], np.ndarray]
) -> Rule | None:
    """d_(k+1) = beta d_k - a g(x_k) with d_0 = 0."""
    for shifted, s in _sequences(start, path):
        g, d = _gradients_and_steps(s, gradient)
        before = np.vstack([np.zeros_like(d[:1]), d[:-1]])
        coef = _lstsq([before.ravel(), -g.ravel()], d.ravel(), _noise(s))
        if coef is not None:
            return Rule("momentum", shifted, {"beta": float(coef[0]), "a": float(coef[1])})
    return None


def fit_step(x: np.ndarray, grad: np.ndarray, new: np.ndarray) -> Rule | None:
    """new = x - a * grad (one step: checked to RESIDUAL, no extra equations needed)."""
    g = np.ravel(grad)
    if not np.all(np.isfinite(g)) or not np.any(g) or np.shape(new) != np.shape(x):
        return None
    d = np.ravel(new) - np.ravel(x)
    if not np.any(np.abs(d) > 1e6 * np.finfo(float).eps * (np.abs(np.ravel(x)) + 1e-300)):
        raise Uninformative  # did not move: no rate to read
    a = -float(d @ g) / float(g @ g)
    if np.linalg.norm(d + a * g) > RESIDUAL * (np.linalg.norm(d) + 1e-300):
        return None
    return Rule("rate", False, {"a": a})


def search_rate(
    run_at: Callable[[float], Any],
    target: Any,
    matches: Callable[[Any], bool],
    rate: float,
    hints: Sequence[float] = (),
) -> float | None:
    """A rate a at which the contract's algorithm reproduces `target`: tried first at the
    `hints` (what other cases of the same student used), then at the usual slips (twice,
    half, ten times, a fixed step of one's own), and refined by Gauss-Newton from the
    nearest of them."""
    want = _flat(target)
    if want is None:
        return None
    candidates = [*hints, *(rate * c for c in (2, 0.5, 10, 0.1, 4, 0.25))]
    candidates += [c * 10.0**-k for k in range(1, 6) for c in (1, 2, 5)]
    best: float | None = None
    best_gap = math.inf
    a: float | None
    for a in candidates:
        got = _flat(run_at(a))
        if got is None or got.shape != want.shape:
            continue
        if matches(run_at(a)):
            return a
        with np.errstate(all="ignore"):
            gap = float(np.linalg.norm(got - want))
        if gap < best_gap:
            best, best_gap = a, gap
    a = best
    for _ in range(8):
        if a is None or a <= 0:
            return None
        here, there = _flat(run_at(a)), _flat(run_at(a * (1 + 1e-6)))
        if here is None or there is None:
            return None
        with np.errstate(all="ignore"):
            slope = (there - here) / (a * 1e-6)
            if not np.any(slope) or not np.all(np.isfinite(slope)):
                return None
            a = a - float(slope @ (here - want)) / float(slope @ slope)
        if not math.isfinite(a):
            return None
        if a > 0 and matches(run_at(a)):
            return a
    return None


def _flat(value: Any) -> np.ndarray | None:
    parts = value if isinstance(value, tuple | list) and len(value) <= 3 else (value,)
    read = [as_float_array(p) for p in parts]
    arrays = [a for a in read if a is not None]
    if len(arrays) < len(read):
        return None
    out = np.concatenate([np.ravel(a) for a in arrays])
    return out if np.all(np.isfinite(out)) else None


# --- one case -----------------------------------------------------------------------


def _path(exercise: str, value: Any) -> np.ndarray | None:
    try:
        part = {"gradient_descent": 2, "momentum_descent": None}.get(exercise, 1)
        raw = value if part is None else value[part]
        return as_float_array(raw)
    except (TypeError, IndexError, KeyError):
        return None


def _scalar_aware(
    fn: Callable[[Any], Any], shape: tuple[int, ...]
) -> Callable[[np.ndarray], np.ndarray]:
    def gradient(p: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            point = float(p[0]) if shape == () else p.reshape(shape)
            return np.ravel(np.asarray(fn(point), dtype=float))

    return gradient


def _data_gradient(X: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    def gradient(w: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return X.T @ (X @ w - y) / len(y)

    return gradient


@dataclass(frozen=True)
class Fit:
    rule: Rule
    rate: float  # the learning rate the case gave
    momentum: float | None = None
    agree: float = AGREE  # how closely two cases' coefficients must agree
    samples: int | None = None  # m, where the exercise has data


def fit_case(run: CaseRun, hints: Sequence[Fit] = ()) -> Fit | None:
    """The rule one failing case's answer follows, or None; raises Uninformative when the
    case cannot tell. `hints`, other cases' fits, seed the search for a rate."""
    exercise, args, value = run.case.exercise, run.case.args, run.outcome.value
    if exercise == "gradient_step":
        x, grad, rate = args
        new = as_float_array(value)
        if new is None:
            return None
        rule = fit_step(np.asarray(x, dtype=float), np.asarray(grad, dtype=float), new)
        return Fit(rule, rate) if rule else None
    if exercise in ("gradient_descent", "momentum_descent", "batch_gradient_descent"):
        path = _path(exercise, value)
        if path is None or path.size == 0:
            return None
        if exercise == "batch_gradient_descent":
            X, y, w0, rate = args[:4]
            start, gradient, mom = np.asarray(w0, dtype=float), _data_gradient(X, y), None
        elif exercise == "gradient_descent":
            start = np.asarray(args[2], dtype=float)
            gradient, rate, mom = _scalar_aware(args[1], start.shape), args[3], None
        else:
            start = np.asarray(args[1], dtype=float)
            gradient, rate, mom = _scalar_aware(args[0], start.shape), args[2], args[3]
        flat = start.reshape(1, -1)
        if path.size % flat.size:
            return None
        path = path.reshape(-1, flat.size)
        fit = fit_momentum if exercise == "momentum_descent" else fit_descent
        rule = fit(flat, path, gradient)
        m = len(args[1]) if exercise == "batch_gradient_descent" else None
        return Fit(rule, rate, mom, samples=m) if rule else None
    if exercise in ("linear_regression_gd", "sgd", "minibatch_gd"):
        position = 4 if exercise == "linear_regression_gd" else 3
        rate = args[position]

        def run_at(a: float) -> Any:
            changed = (*args[:position], a, *args[position + 1 :])
            return call(reference.REFERENCE[exercise], changed)

        def matches(got: Any) -> bool:
            e = run.expectation
            return compare(got, value, e.part_names, e.tolerances).ok

        target = _flat(value)
        if target is None or np.any(np.abs(target) > LARGE):
            raise Uninformative  # diverged: every large enough rate gets there
        guesses = [
            g
            for f in hints
            for g in (f.rule.coefficients["a"] / f.rate * rate, f.rule.coefficients["a"])
        ]
        a = search_rate(run_at, value, matches, rate, guesses)
        # a rate found by search is known only as well as the answer pins it down
        if a is None:
            return None
        return Fit(Rule("rate", False, {"a": a}), rate, agree=1e-3, samples=len(args[1]))
    return None


# --- the failing cases together ----------------------------------------------------


def _same(values: Sequence[float], agree: float = AGREE) -> bool:
    return max(values) - min(values) <= agree * max(abs(v) for v in values) + 1e-15


def _round(value: float) -> float:
    return float(f"{value:.4g}")


_SEARCHED = ("linear_regression_gd", "sgd", "minibatch_gd")


def recover(exercise: str, runs: Sequence[CaseRun]) -> list[Diagnosis]:
    """A diagnosis for the rule every fitted failing case follows, when they agree."""
    failing = [r for r in runs if r.returned and r.outcome.value is not None]
    failing = [r for r in failing if not r.comparison.ok]
    fitted: list[tuple[CaseRun, Fit]] = []
    unfit: list[CaseRun] = []
    for r in failing:
        try:  # the rates of the first cases fitted seed the search on the next ones
            fit = fit_case(r, [f for _, f in fitted[:2]])
        except Uninformative:
            continue
        if fit is not None:
            fitted.append((r, fit))
            continue
        unfit.append(r)
        if not fitted and len(unfit) > (1 - MATCH_FRACTION) * len(failing):
            return []  # stop early: most cases follow no rule of the family
    if fitted and unfit and exercise in _SEARCHED:  # again, from the rates others used
        again = [(r, fit_case(r, [f for _, f in fitted[:2]])) for r in unfit]
        fitted += [(r, f) for r, f in again if f is not None]
        unfit = [r for r, f in again if f is None]
    contradicting = len(unfit)
    if len(fitted) < 2 or len(fitted) < MATCH_FRACTION * (len(fitted) + contradicting):
        return []  # a rule is read across cases: one case alone could fit by chance
    kinds = {(f.rule.name, f.rule.shifted) for _, f in fitted}
    if len(kinds) != 1:
        return []
    ((name, shifted),) = kinds
    evidence: dict[str, Any] = {"cases": [r.case.id for r, _ in fitted], "of": len(failing)}
    rates = [f.rate for _, f in fitted]
    a = [f.rule.coefficients["a"] for _, f in fitted]
    ratios = [x / r for x, r in zip(a, rates, strict=True) if r]
    if len(ratios) != len(a):
        return []
    if name == "momentum":
        betas = [f.rule.coefficients["beta"] for _, f in fitted]
        given = [f.momentum for _, f in fitted if f.momentum is not None]
        if len(given) != len(betas):
            return []
        as_given = all(
            math.isclose(b, m, rel_tol=1e-5, abs_tol=1e-9)
            for b, m in zip(betas, given, strict=True)
        )
        if not as_given:  # a momentum of one's own: say the recurrence followed
            return _momentum_rule(betas, ratios, given, evidence)
        # the momentum is the given one: only the rate can be off, read as below
    elif name == "previous_gradient":
        if not _same(ratios):
            return []
        evidence |= {"rule": "previous_gradient", "ratio": _round(ratios[0])}
        return [Diagnosis("update_rule", "mistake", evidence)]
    # plain rate: the contract's update with a = eta, another multiple, or a fixed step
    agree = max(f.agree for _, f in fitted)
    if _same(ratios, agree) and math.isclose(ratios[0], 1, rel_tol=agree):
        return _shifted(shifted, evidence)
    if len(set(rates)) > 1 and _same(a, agree):
        evidence |= {"rule": "fixed_rate", "rate": _round(a[0])}
        return [Diagnosis("learning_rate_ignored", "mistake", evidence)]
    if _same(ratios, agree):
        evidence |= {
            "rule": "effective_rate",
            "ratio": _round(ratios[0]),
            "rate": _round(a[0]),
            "given": _round(rates[0]),
        }
        return [Diagnosis("update_rule", "mistake", evidence)]
    samples = [f.samples for _, f in fitted if f.samples is not None]
    if len(samples) == len(fitted):  # a factor m or 1/m: summed, or divided by m once more
        for rule, scaled in (
            ("over_m", [r * m for r, m in zip(ratios, samples, strict=True)]),
            ("times_m", [r / m for r, m in zip(ratios, samples, strict=True)]),
        ):
            if _same(scaled, agree):
                evidence |= {"rule": rule, "factor": _round(scaled[0])}
                return [Diagnosis("update_rule", "mistake", evidence)]
    return []


def _momentum_rule(
    betas: list[float], ratios: list[float], given: list[Any], evidence: dict[str, Any]
) -> list[Diagnosis]:
    if not (_same(betas) and _same(ratios)):
        return []
    beta, ratio = betas[0], ratios[0]
    rule = "ema" if math.isclose(ratio, 1 - beta, rel_tol=1e-5, abs_tol=1e-9) else "momentum"
    evidence |= {
        "rule": rule,
        "beta": _round(beta),
        "ratio": _round(ratio),
        "one_minus": _round(1 - beta),
        "momentum": _round(given[0]),
    }
    return [Diagnosis("update_rule", "mistake", evidence)]


def _shifted(shifted: bool, evidence: dict[str, Any]) -> list[Diagnosis]:
    """The contract's own rule: only a shifted path is left to explain."""
    if shifted:
        return [Diagnosis("path_before_update", "mistake", evidence | {"rule": "shifted"})]
    return []
