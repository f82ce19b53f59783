"""Hidden cases, generated from the instructor's seed (and, if asked, the student's id).

The seed is a secret (grader.secret): there is no built-in one, since anyone with gdgrade
and the seed regenerates every hidden case.

Each exercise gets random test functions, expressions in the grammar of gdgrade.symbolic
(so the trusted side has exact derivatives), and random regression data sets, plus edge
cases on purpose: the lecture's three runs, a diverging learning rate, zero and one
iteration, one-sample data, batch sizes that do and do not divide m. A descent case whose
path a last-bit change of x0 would move beyond the tolerance cannot fairly be compared step
by step: such a draw is dropped (grader.expected.well_conditioned), not replaced, so a case
set may hold a few fewer cases than were drawn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from gdgrade.case import Case
from gdgrade.function_specs import FunctionSpec
from gdgrade.json_values import RngSpec

LECTURE_F = FunctionSpec(("0.5*x**4 - 4*x**3 + 10*x**2 - 7*x + 2",))
Generator = Callable[[np.random.Generator], Iterator[tuple[str, tuple[Any, ...], tuple[str, ...]]]]


def student_key(student_id: str) -> int:
    """A stable 64-bit number for a student id (independent of PYTHONHASHSEED)."""
    return int.from_bytes(hashlib.sha256(student_id.encode("utf-8")).digest()[:8], "big")


def case_rng(seed: int, exercise: str, student_id: str | None = None) -> np.random.Generator:
    entropy = [int(seed), student_key(exercise)]
    if student_id:
        entropy.append(student_key(student_id))
    return np.random.default_rng(entropy)


def _coef(rng: np.random.Generator, low: float = 0.5, high: float = 3.0) -> float:
    """A short decimal coefficient with a random sign: readable in feedback."""
    return float(np.round(rng.uniform(low, high), 2) * rng.choice([-1, 1]))


# --- random test functions -----------------------------------------------------------


def smooth_scalar(rng: np.random.Generator) -> str:
    """A sum of two or three smooth terms in x."""
    terms = [
        lambda: f"{_coef(rng)}*x**{rng.integers(1, 5)}",
        lambda: f"{_coef(rng, 0.2, 1.5)}*exp({_coef(rng, 0.2, 1.0)}*x)",
        lambda: f"{_coef(rng)}*sin({_coef(rng, 0.5, 2.0)}*x)",
        lambda: f"{_coef(rng)}*cos({_coef(rng, 0.5, 2.0)}*x)",
        lambda: f"{_coef(rng)}*log(x**2 + 1)",
        lambda: f"{_coef(rng)}*sqrt(x**2 + 1)",
    ]
    picks = rng.choice(len(terms), size=rng.integers(2, 4), replace=False)
    return " + ".join(terms[i]() for i in picks)


def smooth_field(rng: np.random.Generator, n: int) -> str:
    """A smooth function of x0..x{n-1} that couples coordinates."""
    parts = []
    for j in range(n):
        parts.append(f"{_coef(rng)}*x{j}**2")
        k = (j + 1) % n
        kind = rng.integers(0, 3)
        if kind == 0:
            parts.append(f"{_coef(rng)}*x{j}*x{k}")
        elif kind == 1:
            parts.append(f"{_coef(rng, 0.2, 1.0)}*sin(x{j}*x{k})")
        else:
            parts.append(f"{_coef(rng, 0.2, 1.0)}*exp({_coef(rng, 0.2, 0.6)}*x{j})")
    return " + ".join(parts)


def convex_scalar(rng: np.random.Generator) -> tuple[str, float]:
    """A convex-ish 1-D function and a bound on its curvature near the minimum."""
    a = float(np.round(rng.uniform(0.5, 3.0), 2))
    c = float(np.round(rng.uniform(-3, 3), 2))
    kind = rng.integers(0, 3)
    if kind == 0:
        return f"{a}*(x - {c})**2 + {np.round(rng.uniform(-2, 2), 2)}", 2 * a
    if kind == 1:
        b = float(np.round(rng.uniform(0.1, a / 2), 2))
        return f"{a}*(x - {c})**2 + {b}*sin(x)", 2 * a + b
    b = float(np.round(rng.uniform(0.1, 1.0), 2))
    return f"{a}*(x - {c})**2 + {b}*log((x - {c})**2 + 1)", 2 * a + 2 * b


def bowl(rng: np.random.Generator, n: int) -> tuple[str, float]:
    """A convex quadratic bowl in n dimensions and its largest curvature."""
    a = np.round(rng.uniform(0.5, 3.0, size=n), 2)
    c = np.round(rng.uniform(-2, 2, size=n), 2)
    terms = [f"{a[j]}*(x{j} - {c[j]})**2" for j in range(n)]
    coupling = float(np.round(rng.uniform(0, min(a) / 2), 2))
    terms.append(f"{coupling}*(x0 - x1)**2" if n > 1 else "0")
    return " + ".join(terms), 2 * float(max(a)) + 4 * coupling


def regression_data(rng: np.random.Generator, m: int, d: int, bias: bool = True):
    """X (m, d), y (m,) with a known linear signal and noise, at a random scale."""
    scale = float(rng.choice([0.5, 1.0, 3.0]))
    cols = rng.normal(scale=scale, size=(m, d - 1 if bias else d))
    X = np.column_stack([np.ones(m), cols]) if bias else cols
    w_true = np.round(rng.uniform(-3, 3, size=d), 2)
    y = X @ w_true + rng.normal(scale=float(rng.choice([0.0, 0.1, 1.0])), size=m)
    return X, y


def stable_rate(X: np.ndarray, per_sample: bool, fraction: float) -> float:
    """A learning rate at `fraction` of the stability bound 2/L of the loss curvature."""
    if per_sample:
        big = float(np.max(np.sum(X * X, axis=1)))
    else:
        big = float(np.max(np.linalg.eigvalsh(X.T @ X / len(X))))
    return float(np.round(fraction * 2.0 / max(big, 1e-12), 6))


# --- per-exercise generators: yield (slug, args, tags) -------------------------------


def _derivative(rng):
    for k in range(6):
        f = FunctionSpec((smooth_scalar(rng),))
        x = float(np.round(rng.uniform(-3, 3), 3))
        h = float(rng.choice([1e-2, 1e-3, 1e-4, 1e-5, 1e-6]))
        yield f"random_{k}", (f, x, h), ()
    big = FunctionSpec((f"{_coef(rng)}*x**3 + {_coef(rng)}*x",))
    yield "large_x", (big, float(np.round(rng.uniform(50, 200), 1)), 1e-4), ("large x",)
    yield "negative_x", (big, float(np.round(rng.uniform(-200, -50), 1)), 1e-4), ("negative x",)
    yield from _scheme_probes(rng)


def _scheme_probes(rng):
    """Same f and x at halving h: the error's slope in log-log tells the scheme, and the
    answer must be the difference at *this* h (a fixed step of one's own fails here)."""
    f = FunctionSpec((f"exp({_coef(rng, 0.5, 1.0)}*x) + {_coef(rng)}*x**3",))
    x = float(np.round(rng.uniform(0.5, 1.5), 3))
    for k, h in enumerate((0.2, 0.1, 0.05, 0.025)):
        yield f"probe_{k}", (f, x, h), ("probe",)


def _gradient(rng):
    for k in range(6):
        n = int(rng.choice([2, 3, 5]))
        f = FunctionSpec((smooth_field(rng, n),), n)
        x = np.round(rng.uniform(-2, 2, size=n), 3)
        h = float(rng.choice([1e-3, 1e-4, 1e-5]))
        yield f"random_{k}_n{n}", (f, x, h), ()
    # curved in x0 beyond second order, or a central difference would not move with h
    f = FunctionSpec((f"exp({_coef(rng, 0.5, 1.0)}*x0) + {_coef(rng)}*x0**3 + x0*x1 + x1**2",), 2)
    x = np.round(rng.uniform(0.5, 1.5, size=2), 3)
    for k, h in enumerate((0.2, 0.1, 0.05, 0.025)):
        yield f"probe_{k}", (f, x, h), ("probe",)


def _step(rng):
    yield "scalar", (float(rng.normal()), float(rng.normal()), float(rng.uniform(0.01, 1))), ()
    yield "int_inputs", (int(rng.integers(-5, 5)), int(rng.integers(-5, 5)), 0.5), ("int",)
    for k, d in enumerate((1, 3, 5)):
        x, g = rng.normal(size=d), rng.normal(scale=10, size=d)
        yield f"vector_{k}_d{d}", (x, g, float(rng.uniform(0.001, 0.5))), ()


def _descent(rng):
    yield "lecture_x0_4_lr_0.1", (LECTURE_F, LECTURE_F.derivative(), 4, 0.1, 200), ("lecture",)
    yield "lecture_x0_4_lr_0.2", (LECTURE_F, LECTURE_F.derivative(), 4, 0.2, 200), ("lecture",)
    yield "lecture_x0_5_lr_0.1", (LECTURE_F, LECTURE_F.derivative(), 5, 0.1, 200), ("lecture",)
    for k in range(4):
        expr, curvature = convex_scalar(rng)
        f = FunctionSpec((expr,))
        lr = float(np.round(rng.uniform(0.1, 0.9) / curvature, 4))
        n = int(rng.choice([1, 5, 20, 60]))
        yield f"random_{k}", (f, f.derivative(), float(np.round(rng.uniform(-5, 5), 2)), lr, n), ()
    yield "zero_iterations", (LECTURE_F, LECTURE_F.derivative(), 2, 0.1, 0), ("max_iter 0",)
    quartic = FunctionSpec((f"{abs(_coef(rng))}*x**4 + x**2",))
    yield "diverging", (quartic, quartic.derivative(), 3, 1.0, 30), ("diverging",)


def _regression(rng):
    for k, m in enumerate((5, 20, 50)):
        x = np.round(rng.uniform(-2, 3, size=m), 3)
        y = np.round(float(_coef(rng)) + float(_coef(rng)) * x + rng.normal(0.3, size=m), 3)
        X = np.column_stack([np.ones(m), x])
        lr = stable_rate(X, False, float(rng.uniform(0.2, 0.8)))
        n = int(rng.choice([1, 10, 100]))
        yield f"random_{k}_m{m}", (x, y, _coef(rng), _coef(rng), lr, n), ()
    x1 = np.array([float(np.round(rng.uniform(1, 3), 2))])
    yield "one_sample", (x1, np.array([float(_coef(rng))]), 0.0, 0.0, 0.1, 20), ("m=1",)
    x = np.round(rng.uniform(-2, 3, size=10), 3)
    y = 2 * x + 1
    lr = stable_rate(np.column_stack([np.ones(10), x]), False, 1.6)
    yield "diverging", (x, y, 0.0, 0.0, lr * 2, 200), ("diverging",)


def _momentum(rng):
    for k in range(3):
        expr, curvature = convex_scalar(rng)
        f = FunctionSpec((expr,))
        lr = float(np.round(rng.uniform(0.05, 0.5) / curvature, 4))
        x0 = float(np.round(rng.uniform(-4, 4), 2))
        yield f"scalar_{k}", (f.derivative(), x0, lr, float(rng.uniform(0.3, 0.9)), 40), ()
    for k, n in enumerate((2, 3)):
        expr, curvature = bowl(rng, n)
        grad = FunctionSpec((expr,), n).derivative()
        x0 = np.round(rng.uniform(-3, 3, size=n), 2)
        lr = float(np.round(rng.uniform(0.05, 0.4) / curvature, 4))
        yield f"vector_{k}_n{n}", (grad, x0, lr, float(rng.uniform(0.5, 0.9)), 50), ("vector",)
    yield "lecture_escape", (LECTURE_F.derivative(), 4, 0.01, 0.9, 100), ("lecture",)
    yield "zero_iterations", (LECTURE_F.derivative(), 1.5, 0.01, 0.5, 0), ("n_iter 0",)


def _batch_tag(m: int, bs: int) -> str:
    if bs > m:
        return "batch_size > m"
    return "divides m" if m % bs == 0 else "last batch smaller"


def _data_cases(rng, with_batch: bool):
    """(slug, X, y, lr fraction, epochs, batch size, tags) for exercises 7-9."""
    shapes = [(23, 3, 5), (50, 1, 7), (40, 5, 8), (1, 2, 4), (12, 3, 20), (30, 2, 1)]
    bs: int | None  # None: one batch size for exercises without one
    for m, d, bs in shapes:
        if not with_batch and bs != shapes[0][2]:
            bs = None
        X, y = regression_data(rng, m, d, bias=d > 1)
        tags = []
        if with_batch and bs:
            tags.append(_batch_tag(m, bs))
        yield f"m{m}_d{d}" + (f"_b{bs}" if with_batch else ""), X, y, bs, tuple(tags)


def _least_squares(kind: str):
    def generate(rng):
        for slug, X, y, bs, tags in _data_cases(rng, kind == "minibatch_gd"):
            per_sample = kind == "sgd" or (bs is not None and bs == 1)
            lr = stable_rate(X, per_sample, float(rng.uniform(0.1, 0.6)))
            w0 = np.round(rng.normal(size=X.shape[1]), 2)
            epochs = int(rng.choice([1, 3, 10, 25]))
            seed = RngSpec(int(rng.integers(0, 2**31)))
            if kind == "batch_gradient_descent":
                yield slug, (X, y, w0, lr, epochs), tags
            elif kind == "sgd":
                yield slug, (X, y, w0, lr, epochs, seed), tags
            else:
                yield slug, (X, y, w0, lr, epochs, bs, seed), tags

    return generate


GENERATORS: dict[str, Generator] = {
    "numerical_derivative": _derivative,
    "numerical_gradient": _gradient,
    "gradient_step": _step,
    "gradient_descent": _descent,
    "linear_regression_gd": _regression,
    "momentum_descent": _momentum,
    "batch_gradient_descent": _least_squares("batch_gradient_descent"),
    "sgd": _least_squares("sgd"),
    "minibatch_gd": _least_squares("minibatch_gd"),
}


# Last, and here: a folder's definition.py imports this module while it registers.
from gdgrade.exercises.definitions import fill  # noqa: E402

fill(GENERATORS, "HIDDEN_CASES")


def hidden_cases(exercise: str, seed: int, student_id: str | None = None) -> tuple[Case, ...]:
    """The hidden cases of one exercise, reproducible from (seed, exercise, student id)."""
    rng = case_rng(seed, exercise, student_id)
    cases = []
    for slug, args, tags in GENERATORS[exercise](rng):
        prepared = tuple(a.with_source() if isinstance(a, FunctionSpec) else a for a in args)
        cases.append(Case(f"hidden_{slug}", exercise, prepared, "hidden", 1.0, tags))
    return tuple(cases)
