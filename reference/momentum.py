"""Exercise 6: gradient descent with momentum (관성).

    v_0 = 0
    v <- momentum * v - eta * f'(x)
    x <- x + v

The velocity carries past steps forward, so a ball rolling downhill can cross a small
bump (a local minimum) that plain descent would stop in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .descent import as_point, plain, stack
from .registry import correct, variant

Velocity = Callable[[np.ndarray, np.ndarray, float, float, Callable[..., Any]], np.ndarray]


def _roll(
    fp: Callable[..., Any], x0: Any, n_iter: int, new_velocity: Velocity, lr: float, mom: float
) -> list[np.ndarray]:
    x = as_point(x0)
    v = np.zeros_like(x)
    path: list[np.ndarray] = []
    with np.errstate(all="ignore"):
        for _ in range(n_iter):
            v = new_velocity(x, v, lr, mom, fp)
            x = x + v
            path.append(x)
    return path


def _grad(fp: Callable[..., Any], x: np.ndarray) -> np.ndarray:
    return np.asarray(fp(plain(x)), dtype=float)


def _classic(x, v, lr, mom, fp):
    return mom * v - lr * _grad(fp, x)


@correct("momentum_descent")
def momentum_descent(
    fp: Callable[[Any], Any], x0: Any, learning_rate: float, momentum: float, n_iter: int
) -> np.ndarray:
    path = _roll(fp, x0, n_iter, _classic, learning_rate, momentum)
    return stack(path, np.shape(as_point(x0)))


def _variant(
    mistake_id: str, new_velocity: Velocity, with_start: bool = False, before: bool = False
) -> Callable[..., Any]:
    def run(fp, x0, learning_rate, momentum, n_iter):
        path = _roll(fp, x0, n_iter, new_velocity, learning_rate, momentum)
        if with_start or before:
            path = [as_point(x0), *path]
        if before:  # recorded before each update: x_0 ... x_{n-1}
            path = path[:n_iter]
        return stack(path, np.shape(as_point(x0)))

    run.__name__ = f"momentum_{mistake_id}"
    variant("momentum_descent", mistake_id)(run)
    return run


# One iteration of another momentum recurrence: (x, v, eta, mu, fp) -> (new x, new v).
Step = Callable[
    [np.ndarray, np.ndarray, float, float, Callable[..., Any]], tuple[np.ndarray, np.ndarray]
]


def _lookahead_step(x, v, lr, mom, fp):
    # PyTorch's nesterov=True and the cs231n notes: x <- x + mu*v_new - eta*f'(x)
    g = _grad(fp, x)
    v = mom * v - lr * g
    return x + mom * v - lr * g, v


def _velocity_after_position(x, v, lr, mom, fp):
    # x <- x + v first, then v <- mu*v - eta*f'(x) with the gradient of the old point
    g = _grad(fp, x)
    return x + v, mom * v - lr * g


def _lookahead_full_velocity(x, v, lr, mom, fp):
    # gradient at x + v (the whole velocity) instead of x + mu*v
    v = mom * v - lr * _grad(fp, x + v)
    return x + v, v


MOMENTUM_FORMS: dict[str, Step] = {
    "lookahead_step": _lookahead_step,
    "velocity_after_position": _velocity_after_position,
    "lookahead_full_velocity": _lookahead_full_velocity,
}


def _form_variant(form: str, step: Step) -> None:
    def run(fp, x0, learning_rate, momentum, n_iter):
        x = as_point(x0)
        v = np.zeros_like(x)
        path = []
        with np.errstate(all="ignore"):
            for _ in range(n_iter):
                x, v = step(x, v, learning_rate, momentum, fp)
                path.append(x)
        return stack(path, np.shape(as_point(x0)))

    run.__name__ = f"momentum_form_{form}"
    variant("momentum_descent", "momentum_form", form)(run)


# v = beta*v + (1 - beta)*grad, then x = x - eta*v  (the "exponential average" form)
_variant("ema_momentum", lambda x, v, lr, mom, fp: mom * v + (1 - mom) * -lr * _grad(fp, x))
# velocity forgotten every step: plain gradient descent
_variant("no_momentum", lambda x, v, lr, mom, fp: -lr * _grad(fp, x))
# gradient at the look-ahead point x + momentum*v
_variant("nesterov", lambda x, v, lr, mom, fp: mom * v - lr * _grad(fp, x + mom * v))
# climbs: v = momentum*v + eta*f'(x)
_variant("sign_ascent", lambda x, v, lr, mom, fp: mom * v + lr * _grad(fp, x))
_variant("path_includes_start", _classic, with_start=True)
_variant("path_before_update", _classic, before=True)
_variant(
    "learning_rate_ignored", lambda x, v, lr, mom, fp: mom * v - 0.01 * _grad(fp, x)
)  # a fixed step of 0.01
for _form, _step in MOMENTUM_FORMS.items():
    _form_variant(_form, _step)
