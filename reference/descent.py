"""Exercises 3-4: the update x_{i+1} = x_i - eta * grad f(x_i), and the lecture's loop.

The path holds the iterates *after* each update (x_1, ..., x_n), never x_0, as the
lecture's `paths.append(x0)` after `x0 = x1` does. Divergence is a result: numpy's
overflow to inf/nan is returned, not raised.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .registry import correct, variant

Point = Any  # a float or a 1-D float array


def as_point(x0: Point) -> np.ndarray:
    """A float copy of the start, so an int x0 = 4 is never truncated and never mutated."""
    return np.array(x0, dtype=float)


def plain(x: np.ndarray) -> Point:
    """Return 0-d results as Python floats, arrays as arrays."""
    return float(x) if x.ndim == 0 else x


def stack(path: list[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    return np.array(path, dtype=float).reshape((len(path), *shape))


@correct("gradient_step")
def gradient_step(x: Point, grad: Point, learning_rate: float) -> Point:
    # x_{i+1} = x_i - eta * grad
    return plain(np.asarray(x, dtype=float) - learning_rate * np.asarray(grad, dtype=float))


@variant("gradient_step", "sign_ascent")
def gradient_step_ascent(x: Point, grad: Point, learning_rate: float) -> Point:
    return plain(np.asarray(x, dtype=float) + learning_rate * np.asarray(grad, dtype=float))


@variant("gradient_step", "learning_rate_ignored", "fixed step 0.01")
def gradient_step_fixed_rate(x: Point, grad: Point, learning_rate: float) -> Point:
    return gradient_step(x, grad, 0.01)


def _descend(
    fp: Callable[[Any], Any], x0: Point, learning_rate: float, n: int, sign: float = -1.0
) -> tuple[np.ndarray, list[np.ndarray]]:
    x = as_point(x0)
    path = []
    with np.errstate(all="ignore"):
        for _ in range(n):
            x = x + sign * learning_rate * np.asarray(fp(plain(x)), dtype=float)
            path.append(x)
    return x, path


def _result(
    f: Callable[[Any], Any], x: np.ndarray, path: list[np.ndarray]
) -> tuple[Point, float, np.ndarray]:
    with np.errstate(all="ignore"):
        return plain(x), float(f(plain(x))), stack(path, x.shape)


@correct("gradient_descent")
def gradient_descent(
    f: Callable[[Any], Any],
    fp: Callable[[Any], Any],
    x0: Point,
    learning_rate: float,
    max_iter: int,
) -> tuple[Point, float, np.ndarray]:
    # repeat max_iter times: x <- x - eta * f'(x); return (x_opt, f(x_opt), [x_1..x_n])
    x, path = _descend(fp, x0, learning_rate, max_iter)
    return _result(f, x, path)


@variant("gradient_descent", "sign_ascent")
def gradient_descent_ascent(f, fp, x0, learning_rate, max_iter):
    x, path = _descend(fp, x0, learning_rate, max_iter, sign=+1.0)
    return _result(f, x, path)


@variant("gradient_descent", "path_includes_start")
def gradient_descent_with_start(f, fp, x0, learning_rate, max_iter):
    x, path = _descend(fp, x0, learning_rate, max_iter)
    return _result(f, x, [as_point(x0), *path])


@variant("gradient_descent", "path_before_update")
def gradient_descent_path_before_update(f, fp, x0, learning_rate, max_iter):
    # paths.append(x) before x = x - eta*f'(x): the path is x_0 ... x_{n-1}
    x, path = _descend(fp, x0, learning_rate, max_iter)
    return _result(f, x, [as_point(x0), *path][:max_iter])


@variant("gradient_descent", "early_stop", "stops when a step is below 1e-8")
def gradient_descent_early_stop(f, fp, x0, learning_rate, max_iter):
    x, path = as_point(x0), []
    with np.errstate(all="ignore"):
        for _ in range(max_iter):
            new = x - learning_rate * np.asarray(fp(plain(x)), dtype=float)
            path.append(new)
            small = bool(np.all(np.abs(new - x) < 1e-8))
            x = new
            if small:
                break
    return _result(f, x, path)


@variant("gradient_descent", "learning_rate_ignored", "fixed step 0.01")
def gradient_descent_fixed_rate(f, fp, x0, learning_rate, max_iter):
    x, path = _descend(fp, x0, 0.01, max_iter)
    return _result(f, x, path)


@variant("gradient_descent", "off_by_one_iterations", "too_few")
def gradient_descent_too_few(f, fp, x0, learning_rate, max_iter):
    x, path = _descend(fp, x0, learning_rate, max(max_iter - 1, 0))
    return _result(f, x, path)


@variant("gradient_descent", "off_by_one_iterations", "too_many")
def gradient_descent_too_many(f, fp, x0, learning_rate, max_iter):
    x, path = _descend(fp, x0, learning_rate, max_iter + 1)
    return _result(f, x, path)


@variant("gradient_descent", "f_opt_wrong_point", "f of the previous iterate")
def gradient_descent_stale_f(f, fp, x0, learning_rate, max_iter):
    x, path = _descend(fp, x0, learning_rate, max_iter)
    previous = path[-2] if len(path) >= 2 else as_point(x0)
    x_opt, _, paths = _result(f, x, path)
    with np.errstate(all="ignore"):
        return x_opt, float(f(plain(previous))), paths


@variant("gradient_descent", "int_truncation", "path stored in an int array")
def gradient_descent_int_path(f, fp, x0, learning_rate, max_iter):
    x, path = _descend(fp, x0, learning_rate, max_iter)
    x_opt, f_opt, paths = _result(f, x, path)
    if isinstance(x0, int | np.integer):
        with np.errstate(all="ignore"):
            paths = np.trunc(np.nan_to_num(paths, nan=0.0, posinf=0.0, neginf=0.0))
    return x_opt, f_opt, paths
