"""Two known mistakes in one function, composed: each exercise's algorithm written once with
one switch per *family* of mistakes (how the samples are ordered, how they are batched, how
the gradient is scaled, which rate is used, what the path records), so that any two
mistakes of different families run together in one function, as a student who made both
would have written it.

A single switch reproduces the registered variant of that id (tests check this); two
switches from different families make a pair. Mistakes of one family exclude each other
(a gradient cannot be both summed and doubled), so they never pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import combinations
from typing import Any

import numpy as np

from .descent import as_point, plain, stack
from .least_squares import mean_gradient, split
from .regression import cost_gradient

FIXED_RATE = 0.01  # the step of one's own the learning_rate_ignored variants use

# family -> the mistake ids that switch it, per exercise
FAMILIES: dict[str, dict[str, tuple[str, ...]]] = {
    "gradient_descent": {
        "direction": ("sign_ascent",),
        "rate": ("learning_rate_ignored",),
        "count": ("off_by_one_iterations",),
        "path": ("path_includes_start", "path_before_update"),
    },
    "linear_regression_gd": {
        "update": ("sequential_update",),
        "gradient": ("grad_factor_2", "sum_not_mean", "missing_x_factor", "sign_ascent"),
        "rate": ("learning_rate_ignored",),
    },
    "momentum_descent": {
        "velocity": ("ema_momentum", "no_momentum", "nesterov", "sign_ascent"),
        "rate": ("learning_rate_ignored",),
        "path": ("path_includes_start", "path_before_update"),
    },
    "batch_gradient_descent": {
        "batches": ("per_sample_updates",),
        "gradient": ("sum_not_mean", "grad_factor_2", "sign_ascent"),
        "rate": ("learning_rate_ignored",),
        "path": ("path_includes_start", "path_before_update"),
    },
    "sgd": {
        "order": ("no_shuffle", "shuffle_once", "with_replacement"),
        "batches": ("full_batch_updates",),
        "gradient": ("grad_factor_2", "sign_ascent"),
        "rate": ("learning_rate_ignored",),
        "path": ("path_includes_start", "path_before_update"),
    },
    "minibatch_gd": {
        "order": ("no_shuffle", "shuffle_once", "with_replacement"),
        "batches": ("drops_last_batch", "full_batch_updates", "per_sample_updates"),
        "gradient": (
            "sum_not_mean",
            "mean_over_m",
            "divides_by_batch_size",
            "grad_factor_2",
            "sign_ascent",
        ),
        "rate": ("learning_rate_ignored",),
        "path": ("path_includes_start", "path_before_update"),
    },
}


def family_of(exercise: str, mistake_id: str) -> str | None:
    for family, ids in FAMILIES.get(exercise, {}).items():
        if mistake_id in ids:
            return family
    return None


def pairs(exercise: str) -> list[tuple[str, str]]:
    """Every two mistakes of different families, in a fixed order."""
    ids = [i for members in FAMILIES.get(exercise, {}).values() for i in members]
    return [
        (a, b) for a, b in combinations(ids, 2) if family_of(exercise, a) != family_of(exercise, b)
    ]


def composed(exercise: str, mistakes: tuple[str, ...]) -> Callable[..., Any]:
    """One function with every given mistake switched on (at most one per family)."""
    families = [family_of(exercise, m) for m in mistakes]
    if None in families or len(set(families)) != len(families):
        raise ValueError(f"cannot compose {mistakes} for {exercise}")
    on = set(mistakes)
    build = _BUILDERS[exercise]
    return build(on)


def _path_mode(on: set[str]) -> str:
    return next((m for m in ("path_includes_start", "path_before_update") if m in on), "after")


def _record(path: list[Any], start: Any, n: int, mode: str) -> list[Any]:
    if mode == "path_includes_start":
        return [start, *path]
    if mode == "path_before_update":
        return [start, *path][:n]
    return path


# --- 4. gradient_descent -------------------------------------------------------------


def _gradient_descent(on: set[str]) -> Callable[..., Any]:
    sign = 1.0 if "sign_ascent" in on else -1.0
    mode = _path_mode(on)

    def run(f, fp, x0, learning_rate, max_iter):
        rate = FIXED_RATE if "learning_rate_ignored" in on else learning_rate
        n = max_iter - 1 if "off_by_one_iterations" in on else max_iter
        x, path = as_point(x0), []
        with np.errstate(all="ignore"):
            for _ in range(max(n, 0)):
                x = x + sign * rate * np.asarray(fp(plain(x)), dtype=float)
                path.append(x)
            f_opt = float(f(plain(x)))
        return plain(x), f_opt, stack(_record(path, as_point(x0), n, mode), x.shape)

    return run


# --- 5. linear_regression_gd ---------------------------------------------------------


def _regression(on: set[str]) -> Callable[..., Any]:
    def grads(x, y, w0, w1):
        error = w0 + w1 * x - y
        g0, g1 = cost_gradient(x, y, w0, w1)
        if "sum_not_mean" in on:
            g0, g1 = float(np.sum(error)), float(np.sum(error * x))
        if "missing_x_factor" in on:
            g1 = g0
        if "grad_factor_2" in on:
            g0, g1 = 2 * g0, 2 * g1
        if "sign_ascent" in on:
            g0, g1 = -g0, -g1
        return g0, g1

    def run(x, y, w0, w1, learning_rate, n_iter):
        rate = FIXED_RATE if "learning_rate_ignored" in on else learning_rate
        w0, w1 = float(w0), float(w1)
        with np.errstate(all="ignore"):
            for _ in range(n_iter):
                if "sequential_update" in on:
                    w0 = w0 - rate * grads(x, y, w0, w1)[0]
                    w1 = w1 - rate * grads(x, y, w0, w1)[1]
                else:
                    g0, g1 = grads(x, y, w0, w1)
                    w0, w1 = w0 - rate * g0, w1 - rate * g1
        return w0, w1

    return run


# --- 6. momentum_descent -------------------------------------------------------------


def _momentum(on: set[str]) -> Callable[..., Any]:
    mode = _path_mode(on)

    def grad(fp, x):
        return np.asarray(fp(plain(x)), dtype=float)

    def run(fp, x0, learning_rate, momentum, n_iter):
        rate = FIXED_RATE if "learning_rate_ignored" in on else learning_rate
        x = as_point(x0)
        v = np.zeros_like(x)
        path = []
        with np.errstate(all="ignore"):
            for _ in range(n_iter):
                if "ema_momentum" in on:
                    v = momentum * v + (1 - momentum) * -rate * grad(fp, x)
                elif "no_momentum" in on:
                    v = -rate * grad(fp, x)
                elif "nesterov" in on:
                    v = momentum * v - rate * grad(fp, x + momentum * v)
                elif "sign_ascent" in on:
                    v = momentum * v + rate * grad(fp, x)
                else:
                    v = momentum * v - rate * grad(fp, x)
                x = x + v
                path.append(x)
        return stack(_record(path, as_point(x0), n_iter, mode), np.shape(as_point(x0)))

    return run


# --- 7-9. batch, stochastic and mini-batch descent -----------------------------------


def _least_squares(on: set[str], stored_order: bool) -> Callable[..., Any]:
    mode = _path_mode(on)

    def gradient(Xb, yb, w, m, batch_size):
        if "sum_not_mean" in on:
            g = Xb.T @ (Xb @ w - yb)
        elif "mean_over_m" in on:
            g = Xb.T @ (Xb @ w - yb) / m
        elif "divides_by_batch_size" in on:
            g = Xb.T @ (Xb @ w - yb) / batch_size
        else:
            g = mean_gradient(Xb, yb, w)
        if "grad_factor_2" in on:
            g = 2 * g
        return -g if "sign_ascent" in on else g

    def orders(m: int, rng) -> Iterator[np.ndarray]:
        once = rng.permutation(m) if "shuffle_once" in on and not stored_order else None
        while True:
            if stored_order or "no_shuffle" in on:
                yield np.arange(m)
            elif once is not None:
                yield once
            elif "with_replacement" in on:
                yield rng.integers(0, m, size=m)
            else:
                yield rng.permutation(m)

    def batches(order: np.ndarray, batch_size: int, m: int) -> list[np.ndarray]:
        if "full_batch_updates" in on:
            return [np.arange(m)]
        if "drops_last_batch" in on:
            return list(split(order[: m - m % batch_size], batch_size)) if batch_size <= m else []
        return list(split(order, batch_size))

    def run(X, y, w0, learning_rate, n_epochs, batch_size, rng):
        rate = FIXED_RATE if "learning_rate_ignored" in on else learning_rate
        m = len(y)
        w = np.array(w0, dtype=float)
        path = []
        epochs = orders(m, rng)
        with np.errstate(all="ignore"):
            for _ in range(n_epochs):
                for batch in batches(next(epochs), batch_size, m):
                    if "per_sample_updates" in on:
                        for i in batch:
                            w = w - rate * gradient(X[i : i + 1], y[i : i + 1], w, m, batch_size)
                    else:
                        w = w - rate * gradient(X[batch], y[batch], w, m, batch_size)
                path.append(w)
        start = np.array(w0, dtype=float)
        recorded = _record(path, start, n_epochs, mode)
        return w, np.array(recorded, dtype=float).reshape(len(recorded), w.size)

    return run


class _StoredOrder:
    def permutation(self, m: int) -> np.ndarray:
        return np.arange(m)


def _batch(on: set[str]) -> Callable[..., Any]:
    inner = _least_squares(on, stored_order=True)
    return lambda X, y, w0, lr, n: inner(X, y, w0, lr, n, len(y), _StoredOrder())


def _sgd(on: set[str]) -> Callable[..., Any]:
    inner = _least_squares(on, stored_order=False)
    return lambda X, y, w0, lr, n, rng: inner(X, y, w0, lr, n, 1, rng)


_BUILDERS: dict[str, Callable[[set[str]], Callable[..., Any]]] = {
    "gradient_descent": _gradient_descent,
    "linear_regression_gd": _regression,
    "momentum_descent": _momentum,
    "batch_gradient_descent": _batch,
    "sgd": _sgd,
    "minibatch_gd": lambda on: _least_squares(on, stored_order=False),
}
