"""Exercises 7-9: linear least squares with batch, stochastic and mini-batch updates.

    L(w) = 1/(2m) * ||Xw - y||^2
    g_i(w) = x_i * (x_i . w - y_i)            gradient of one sample
    grad L(w) = 1/m * sum_i g_i(w)            the mean over the batch

An epoch visits every sample once. Randomness comes only from `rng`: one
`rng.permutation(m)` per epoch (SGD and mini-batch), nothing else drawn from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .registry import correct, variant

Batches = Callable[[int, int, np.random.Generator | None, int], Iterator[np.ndarray]]


def loss(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    r = X @ w - y
    return float(r @ r / (2 * len(y)))


def mean_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """1/|B| * sum over the rows of X of x_i * (x_i . w - y_i)."""
    return X.T @ (X @ w - y) / len(y)


def split(order: np.ndarray, batch_size: int) -> Iterator[np.ndarray]:
    """Consecutive batches of `order`; the last, smaller one is kept."""
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def _train(X, y, w0, learning_rate, n_epochs, epoch_batches, step=None):
    """Run epochs; `epoch_batches(epoch)` yields index arrays, one update per batch."""
    step = step or (lambda Xb, yb, w: mean_gradient(Xb, yb, w))
    w = np.array(w0, dtype=float)
    path = np.empty((n_epochs, w.size))
    with np.errstate(all="ignore"):
        for epoch in range(n_epochs):
            for batch in epoch_batches(epoch):
                w = w - learning_rate * step(X[batch], y[batch], w)
            path[epoch] = w
    return w, path


@correct("batch_gradient_descent")
def batch_gradient_descent(
    X: np.ndarray, y: np.ndarray, w0: np.ndarray, learning_rate: float, n_epochs: int
) -> tuple[np.ndarray, np.ndarray]:
    # one update per epoch: w <- w - eta * 1/m sum_i g_i(w)
    everything = np.arange(len(y))
    return _train(X, y, w0, learning_rate, n_epochs, lambda epoch: [everything])


@correct("sgd")
def sgd(
    X: np.ndarray,
    y: np.ndarray,
    w0: np.ndarray,
    learning_rate: float,
    n_epochs: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    # each epoch: for i in rng.permutation(m): w <- w - eta * g_i(w)
    return minibatch_gd(X, y, w0, learning_rate, n_epochs, 1, rng)


@correct("minibatch_gd")
def minibatch_gd(
    X: np.ndarray,
    y: np.ndarray,
    w0: np.ndarray,
    learning_rate: float,
    n_epochs: int,
    batch_size: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    # each epoch: order = rng.permutation(m); for B in batches: w <- w - eta * mean g_i(w)
    m = len(y)
    return _train(
        X, y, w0, learning_rate, n_epochs, lambda epoch: split(rng.permutation(m), batch_size)
    )


# --- known mistakes ------------------------------------------------------------------
# Each variant is written once for mini-batch descent and exposed for sgd (batch_size 1)
# and batch descent (batch_size m, stored order) where the mistake can happen there.


def _with_start(w0, result):
    w, path = result
    return w, np.vstack([np.array(w0, dtype=float).reshape(1, -1), path])


def _summed(Xb, yb, w):
    return Xb.T @ (Xb @ w - yb)


def _ascent(Xb, yb, w):
    return -mean_gradient(Xb, yb, w)


def _per_sample(learning_rate):
    """Within a batch, update after each sample (the caller does the last of them)."""

    def step(Xb, yb, w):
        start = w
        for i in range(len(yb)):
            w = w - learning_rate * mean_gradient(Xb[i : i + 1], yb[i : i + 1], w)
        return (start - w) / learning_rate

    return step


def _minibatch_variants() -> dict[str, Callable[..., Any]]:
    def shuffled(X, y, w0, lr, n_epochs, bs, rng, step=None):
        m = len(y)
        return _train(X, y, w0, lr, n_epochs, lambda e: split(rng.permutation(m), bs), step)

    def no_shuffle(X, y, w0, lr, n_epochs, bs, rng):
        order = np.arange(len(y))
        return _train(X, y, w0, lr, n_epochs, lambda e: split(order, bs))

    def shuffle_once(X, y, w0, lr, n_epochs, bs, rng):
        order = rng.permutation(len(y))
        return _train(X, y, w0, lr, n_epochs, lambda e: split(order, bs))

    def drops_last_batch(X, y, w0, lr, n_epochs, bs, rng):
        m = len(y)

        def full_batches(epoch):
            order = rng.permutation(m)
            return split(order[: m - m % bs], bs) if bs <= m else iter(())

        return _train(X, y, w0, lr, n_epochs, full_batches)

    def unpaired_shuffle(X, y, w0, lr, n_epochs, bs, rng):
        m = len(y)
        w = np.array(w0, dtype=float)
        path = np.empty((n_epochs, w.size))
        with np.errstate(all="ignore"):
            for epoch in range(n_epochs):
                Xs, ys = X[rng.permutation(m)], y[rng.permutation(m)]
                for batch in split(np.arange(m), bs):
                    w = w - lr * mean_gradient(Xs[batch], ys[batch], w)
                path[epoch] = w
        return w, path

    def mean_over_m(X, y, w0, lr, n_epochs, bs, rng):
        m = len(y)
        return shuffled(X, y, w0, lr, n_epochs, bs, rng, lambda Xb, yb, w: _summed(Xb, yb, w) / m)

    def full_batch_updates(X, y, w0, lr, n_epochs, bs, rng):
        m = len(y)

        def one_batch(epoch):
            rng.permutation(m)
            return [np.arange(m)]

        return _train(X, y, w0, lr, n_epochs, one_batch)

    def with_replacement(X, y, w0, lr, n_epochs, bs, rng):
        m = len(y)  # m draws per epoch with rng.integers / rng.choice: some samples twice
        return _train(X, y, w0, lr, n_epochs, lambda e: split(rng.integers(0, m, size=m), bs))

    def path_before_update(X, y, w0, lr, n_epochs, bs, rng):
        w, path = minibatch_gd(X, y, w0, lr, n_epochs, bs, rng)  # recorded at each epoch's start
        return w, _with_start(w0, (w, path))[1][:n_epochs]

    def divides_by_batch_size(X, y, w0, lr, n_epochs, bs, rng):
        # the sum over a batch divided by batch_size, also for a last, smaller batch
        return shuffled(X, y, w0, lr, n_epochs, bs, rng, lambda Xb, yb, w: _summed(Xb, yb, w) / bs)

    return {
        "no_shuffle": no_shuffle,
        "divides_by_batch_size": divides_by_batch_size,
        "with_replacement": with_replacement,
        "path_before_update": path_before_update,
        "grad_factor_2": lambda X, y, w0, lr, n, bs, rng: shuffled(
            X, y, w0, lr, n, bs, rng, lambda Xb, yb, w: 2 * mean_gradient(Xb, yb, w)
        ),
        "learning_rate_ignored": lambda X, y, w0, lr, n, bs, rng: shuffled(
            X, y, w0, 0.01, n, bs, rng
        ),
        "shuffle_once": shuffle_once,
        "drops_last_batch": drops_last_batch,
        "unpaired_shuffle": unpaired_shuffle,
        "mean_over_m": mean_over_m,
        "full_batch_updates": full_batch_updates,
        "sum_not_mean": lambda X, y, w0, lr, n, bs, rng: shuffled(
            X, y, w0, lr, n, bs, rng, _summed
        ),
        "sign_ascent": lambda X, y, w0, lr, n, bs, rng: shuffled(X, y, w0, lr, n, bs, rng, _ascent),
        "per_sample_updates": lambda X, y, w0, lr, n, bs, rng: shuffled(
            X, y, w0, lr, n, bs, rng, _per_sample(lr)
        ),
        "path_includes_start": lambda X, y, w0, lr, n, bs, rng: _with_start(
            w0, minibatch_gd(X, y, w0, lr, n, bs, rng)
        ),
    }


MINIBATCH_MISTAKES = _minibatch_variants()
SGD_MISTAKES = (
    "no_shuffle",
    "with_replacement",
    "path_before_update",
    "grad_factor_2",
    "learning_rate_ignored",
    "shuffle_once",
    "unpaired_shuffle",
    "full_batch_updates",
    "sign_ascent",
    "path_includes_start",
)
BATCH_MISTAKES = (
    "sum_not_mean",
    "per_sample_updates",
    "sign_ascent",
    "path_includes_start",
    "path_before_update",
    "grad_factor_2",
    "learning_rate_ignored",
)


def _register() -> None:
    for mistake_id, fn in MINIBATCH_MISTAKES.items():
        variant("minibatch_gd", mistake_id, mistake_id)(fn)
    for mistake_id in SGD_MISTAKES:
        fn = MINIBATCH_MISTAKES[mistake_id]
        variant("sgd", mistake_id, mistake_id)(
            lambda X, y, w0, lr, n, rng, fn=fn: fn(X, y, w0, lr, n, 1, rng)
        )
    for mistake_id in BATCH_MISTAKES:
        fn = MINIBATCH_MISTAKES[mistake_id]
        variant("batch_gradient_descent", mistake_id, mistake_id)(
            lambda X, y, w0, lr, n, fn=fn: fn(X, y, w0, lr, n, len(y), _StoredOrder())
        )


class _StoredOrder:
    """Stands in for the rng where batch descent has none: samples in stored order."""

    def permutation(self, m: int) -> np.ndarray:
        return np.arange(m)


_register()
