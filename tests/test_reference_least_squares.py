"""Exercises 7-9 of reference/: least squares by batch, stochastic and mini-batch descent.

Oracles: np.linalg.lstsq for where descent ends; a plain per-sample loop written here,
fed with permutations replayed from a copy of the generator, for the whole path; and a
one-parameter problem whose end point reveals how many updates were made.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import batch_gradient_descent, minibatch_gd, sgd, variants_by_id, variants_for
from reference.least_squares import mean_gradient

W_TRUE = np.array([1.0, -2.0, 0.5])


def design(m: int, seed: int, d: int = 3) -> np.ndarray:
    """A bias column and standard-normal features: X^T X / m is well conditioned."""
    rng = np.random.default_rng(seed)
    return np.column_stack([np.ones(m), rng.normal(size=(m, d - 1))])


def consistent_problem(m: int = 80, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """y = X w exactly, so every per-sample gradient vanishes at the solution."""
    X = design(m, seed)
    return X, X @ W_TRUE


def noisy_problem(m: int = 80, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    X = design(m, seed)
    return X, X @ W_TRUE + np.random.default_rng(seed + 100).normal(scale=0.1, size=m)


def least_squares(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(X, y, rcond=None)[0]


def replayed_permutations(rng: np.random.Generator, m: int, n_epochs: int) -> list[np.ndarray]:
    """The permutations the contract says the function draws, from a copy of its rng."""
    replay = copy.deepcopy(rng)
    return [replay.permutation(m) for _ in range(n_epochs)]


def loop_descent(X, y, w0, learning_rate, orders, batch_size, divisor=None):
    """Mini-batch descent written out sample by sample: the oracle for whole paths.

    `divisor(batch)` is what the summed gradient is divided by (the batch's size)."""
    divisor = divisor or len
    w = np.array(w0, dtype=float)
    path = []
    for order in orders:
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            total = np.zeros_like(w)
            for i in batch:
                total += X[i] * (X[i] @ w - y[i])
            w = w - learning_rate * total / divisor(batch)
        path.append(w)
    return w, np.array(path)


def updates_made(result_path: np.ndarray, learning_rate: float) -> np.ndarray:
    """Cumulative update counts per epoch on the counting problem below.

    With one all-ones feature and y = 1, every batch's mean gradient is w - 1 whatever
    samples it holds, so after K updates from w = 0: w = 1 - (1 - lr)^K.
    """
    return np.log1p(-result_path[:, 0]) / np.log1p(-learning_rate)


def counting_problem(m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.ones((m, 1)), np.ones(m)


# --- where they end -----------------------------------------------------------------------


def test_batch_descent_converges_to_lstsq_on_noisy_data():
    X, y = noisy_problem()
    w, _ = batch_gradient_descent(X, y, np.zeros(3), 0.5, 2000)
    np.testing.assert_allclose(w, least_squares(X, y), atol=1e-10)


def test_sgd_converges_to_lstsq_on_a_consistent_system():
    X, y = consistent_problem()
    w, _ = sgd(X, y, np.zeros(3), 0.05, 150, np.random.default_rng(1))
    np.testing.assert_allclose(w, least_squares(X, y), atol=1e-10)


@pytest.mark.parametrize("batch_size", [7, 16, 80])
def test_minibatch_converges_to_lstsq_on_a_consistent_system(batch_size):
    X, y = consistent_problem()
    w, _ = minibatch_gd(X, y, np.zeros(3), 0.2, 300, batch_size, np.random.default_rng(2))
    np.testing.assert_allclose(w, least_squares(X, y), atol=1e-10)


def test_small_rate_sgd_and_minibatch_come_close_to_lstsq_on_noisy_data():
    X, y = noisy_problem()
    solution = least_squares(X, y)
    w_sgd, _ = sgd(X, y, np.zeros(3), 0.002, 200, np.random.default_rng(3))
    w_mb, _ = minibatch_gd(X, y, np.zeros(3), 0.01, 200, 10, np.random.default_rng(3))
    np.testing.assert_allclose(w_sgd, solution, atol=2e-3)
    np.testing.assert_allclose(w_mb, solution, atol=2e-3)


# --- the shape of the result ----------------------------------------------------------------


def run_all(X, y, w0, n_epochs):
    yield "batch", batch_gradient_descent(X, y, w0, 0.1, n_epochs)
    yield "sgd", sgd(X, y, w0, 0.01, n_epochs, np.random.default_rng(0))
    yield "minibatch", minibatch_gd(X, y, w0, 0.1, n_epochs, 9, np.random.default_rng(0))


@pytest.mark.parametrize("n_epochs", [1, 5])
def test_path_has_one_row_per_epoch_and_ends_at_w(n_epochs):
    X, y = noisy_problem(m=40)
    w0 = np.array([0.5, 0.0, -0.5])
    for name, (w, path) in run_all(X, y, w0, n_epochs):
        assert np.shape(path) == (n_epochs, 3), name
        np.testing.assert_array_equal(path[-1], w, err_msg=name)
        assert not np.array_equal(path[0], w0), name


def test_batch_descent_path_is_the_full_gradient_loop():
    X, y = noisy_problem(m=30)
    w, path = batch_gradient_descent(X, y, np.zeros(3), 0.3, 6)
    expected_w, expected_path = loop_descent(X, y, np.zeros(3), 0.3, [np.arange(30)] * 6, 30)
    np.testing.assert_allclose(path, expected_path, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(w, expected_w, rtol=1e-12, atol=1e-15)


# --- the rng protocol ---------------------------------------------------------------------


@pytest.mark.parametrize(("m", "batch_size", "n_epochs"), [(23, 1, 4), (23, 5, 4), (40, 8, 3)])
def test_result_is_the_loop_over_the_replayed_permutations(m, batch_size, n_epochs):
    X, y = noisy_problem(m=m, seed=m)
    rng = np.random.default_rng(2024)
    orders = replayed_permutations(rng, m, n_epochs)
    if batch_size == 1:
        w, path = sgd(X, y, np.zeros(3), 0.05, n_epochs, rng)
    else:
        w, path = minibatch_gd(X, y, np.zeros(3), 0.1, n_epochs, batch_size, rng)
    rate = 0.05 if batch_size == 1 else 0.1
    expected_w, expected_path = loop_descent(X, y, np.zeros(3), rate, orders, batch_size)
    np.testing.assert_allclose(path, expected_path, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(w, expected_w, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("n_epochs", [1, 3, 6])
@pytest.mark.parametrize("batch_size", [None, 1, 4, 500])
def test_exactly_one_permutation_is_drawn_per_epoch(n_epochs, batch_size):
    X, y = noisy_problem(m=20)
    rng = np.random.default_rng(99)
    witness = copy.deepcopy(rng)
    for _ in range(n_epochs):
        witness.permutation(20)
    if batch_size is None:
        sgd(X, y, np.zeros(3), 0.01, n_epochs, rng)
    else:
        minibatch_gd(X, y, np.zeros(3), 0.01, n_epochs, batch_size, rng)
    assert rng.bit_generator.state == witness.bit_generator.state


def test_shuffling_an_index_array_replays_the_same_path():
    """The rng protocol: rng.shuffle of an index array draws the same numbers as permutation."""
    m, n_epochs = 31, 3
    X, y = noisy_problem(m=m, seed=9)
    rng = np.random.default_rng(77)
    replay = copy.deepcopy(rng)
    orders = []
    for _ in range(n_epochs):
        order = np.arange(m)
        replay.shuffle(order)
        orders.append(order)
    _, path = minibatch_gd(X, y, np.zeros(3), 0.1, n_epochs, 4, rng)
    np.testing.assert_allclose(path, loop_descent(X, y, np.zeros(3), 0.1, orders, 4)[1], rtol=1e-12)
    assert rng.bit_generator.state == replay.bit_generator.state


class ScriptedOrders:
    """Stands in for the rng: hands out given orders, and has no other way to draw."""

    def __init__(self, orders: list[np.ndarray]) -> None:
        self.orders = list(orders)
        self.calls: list[int] = []

    def permutation(self, m: int) -> np.ndarray:
        self.calls.append(m)
        return self.orders[len(self.calls) - 1].copy()


def test_result_depends_only_on_the_permutations_drawn():
    m, n_epochs = 12, 3
    X, y = noisy_problem(m=m, seed=5)
    orders = [np.arange(m)[::-1], np.roll(np.arange(m), 5), np.arange(m)]
    for batch_size in (1, 5):
        scripted = ScriptedOrders(orders)
        w, path = minibatch_gd(X, y, np.zeros(3), 0.1, n_epochs, batch_size, scripted)
        expected_w, expected_path = loop_descent(X, y, np.zeros(3), 0.1, orders, batch_size)
        assert scripted.calls == [m] * n_epochs
        np.testing.assert_allclose(path, expected_path, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(w, expected_w, rtol=1e-12, atol=1e-15)
    scripted = ScriptedOrders(orders)
    sgd(X, y, np.zeros(3), 0.1, n_epochs, scripted)
    assert scripted.calls == [m] * n_epochs


# --- how many updates -----------------------------------------------------------------------


def test_last_smaller_batch_is_kept_1050_samples_in_batches_of_100_make_11_updates():
    X, y = counting_problem(1050)
    _, path = minibatch_gd(X, y, np.zeros(1), 0.01, 3, 100, np.random.default_rng(0))
    np.testing.assert_allclose(updates_made(path, 0.01), [11, 22, 33], atol=1e-6)


def test_last_smaller_batch_gets_the_mean_over_its_own_samples():
    X, y = noisy_problem(m=1050, seed=8)
    rng = np.random.default_rng(5)
    orders = replayed_permutations(rng, 1050, 2)
    w, path = minibatch_gd(X, y, np.zeros(3), 0.1, 2, 100, rng)
    expected_w, expected_path = loop_descent(X, y, np.zeros(3), 0.1, orders, 100)
    np.testing.assert_allclose(path, expected_path, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(w, expected_w, rtol=1e-11, atol=1e-14)
    dropped_w, _ = loop_descent(X, y, np.zeros(3), 0.1, [o[:1000] for o in orders], 100)
    assert not np.allclose(w, dropped_w, rtol=1e-6)  # the check tells 11 updates from 10


@pytest.mark.parametrize(("m", "batch_size", "per_epoch"), [(10, 3, 4), (10, 5, 2), (10, 10, 1)])
def test_update_count_is_the_number_of_batches(m, batch_size, per_epoch):
    X, y = counting_problem(m)
    _, path = minibatch_gd(X, y, np.zeros(1), 0.01, 2, batch_size, np.random.default_rng(0))
    np.testing.assert_allclose(updates_made(path, 0.01), [per_epoch, 2 * per_epoch], atol=1e-6)


def test_sgd_updates_once_per_sample_and_batch_descent_once_per_epoch():
    X, y = counting_problem(17)
    _, sgd_path = sgd(X, y, np.zeros(1), 0.01, 2, np.random.default_rng(0))
    _, batch_path = batch_gradient_descent(X, y, np.zeros(1), 0.01, 2)
    np.testing.assert_allclose(updates_made(sgd_path, 0.01), [17, 34], atol=1e-6)
    np.testing.assert_allclose(updates_made(batch_path, 0.01), [1, 2], atol=1e-6)


def test_batch_size_larger_than_m_is_one_batch_of_everything():
    X, y = counting_problem(30)
    _, path = minibatch_gd(X, y, np.zeros(1), 0.01, 3, 31, np.random.default_rng(0))
    np.testing.assert_allclose(updates_made(path, 0.01), [1, 2, 3], atol=1e-6)

    X, y = noisy_problem(m=30)
    w, _ = minibatch_gd(X, y, np.zeros(3), 0.2, 5, 1000, np.random.default_rng(0))
    expected, _ = batch_gradient_descent(X, y, np.zeros(3), 0.2, 5)
    np.testing.assert_allclose(w, expected, rtol=1e-12)


def test_divergence_is_returned_as_inf_or_nan_without_raising_or_warning():
    X, y = noisy_problem(m=20)
    X = X * 50
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = [
            batch_gradient_descent(X, y, np.zeros(3), 10.0, 300),
            sgd(X, y, np.zeros(3), 10.0, 30, np.random.default_rng(0)),
            minibatch_gd(X, y, np.zeros(3), 10.0, 30, 6, np.random.default_rng(0)),
        ]
    for w, path in results:
        assert not np.all(np.isfinite(w))
        assert np.shape(path)[1] == 3


# --- the mistake variants reproduce what a student writing the mistake gets ----------------


def replayed_draws(rng: np.random.Generator, m: int, n_epochs: int) -> list[np.ndarray]:
    """m indices drawn with replacement per epoch, from a copy of the rng."""
    replay = copy.deepcopy(rng)
    return [replay.integers(0, m, size=m) for _ in range(n_epochs)]


def mistaken_path(mistake_id, X, y, w0, rate, orders, batch_size, draws=None):
    """The path of each known mistake, from the same loop and the permutations drawn
    (`draws`: the indices drawn with replacement, for with_replacement)."""
    m = len(y)
    loop = loop_descent
    if mistake_id == "with_replacement":
        return loop(X, y, w0, rate, draws, batch_size)[1]
    if mistake_id == "grad_factor_2":
        return loop(X, y, w0, rate, orders, batch_size, divisor=lambda batch: len(batch) / 2)[1]
    if mistake_id == "learning_rate_ignored":
        return loop(X, y, w0, 0.01, orders, batch_size)[1]
    if mistake_id == "path_before_update":
        return np.vstack([w0, loop(X, y, w0, rate, orders, batch_size)[1][:-1]])
    if mistake_id == "divides_by_batch_size":
        return loop(X, y, w0, rate, orders, batch_size, divisor=lambda batch: batch_size)[1]
    if mistake_id == "no_shuffle":
        return loop(X, y, w0, rate, [np.arange(m)] * len(orders), batch_size)[1]
    if mistake_id == "shuffle_once":
        return loop(X, y, w0, rate, [orders[0]] * len(orders), batch_size)[1]
    if mistake_id == "drops_last_batch":
        kept = m - m % batch_size
        return loop(X, y, w0, rate, [o[:kept] for o in orders], batch_size)[1]
    if mistake_id == "mean_over_m":
        return loop(X, y, w0, rate, orders, batch_size, divisor=lambda batch: m)[1]
    if mistake_id == "sum_not_mean":
        return loop(X, y, w0, rate, orders, batch_size, divisor=lambda batch: 1)[1]
    if mistake_id == "full_batch_updates":
        return loop(X, y, w0, rate, [np.arange(m)] * len(orders), m)[1]
    if mistake_id == "per_sample_updates":
        return loop(X, y, w0, rate, orders, 1)[1]
    if mistake_id == "sign_ascent":
        return loop(X, y, w0, -rate, orders, batch_size)[1]
    if mistake_id == "path_includes_start":
        return np.vstack([w0, loop(X, y, w0, rate, orders, batch_size)[1]])
    raise AssertionError(f"no oracle written for {mistake_id}")


MINIBATCH_MISTAKES = sorted(
    {v.mistake_id for v in variants_for("minibatch_gd")} - {"unpaired_shuffle"}
)


@pytest.mark.parametrize("mistake_id", MINIBATCH_MISTAKES)
def test_minibatch_mistake_variant_is_the_mistaken_loop(mistake_id):
    (variant,) = variants_by_id("minibatch_gd", mistake_id)
    X, y = noisy_problem(m=23, seed=4)
    w0 = np.array([0.3, -0.2, 0.1])
    rng = np.random.default_rng(8)
    orders, draws = replayed_permutations(rng, 23, 3), replayed_draws(rng, 23, 3)
    _, path = variant.fn(X, y, w0, 0.05, 3, 5, rng)
    expected = mistaken_path(mistake_id, X, y, w0, 0.05, orders, 5, draws)
    np.testing.assert_allclose(path, expected, rtol=1e-11, atol=1e-14)


def test_unpaired_shuffle_variant_pairs_x_and_y_from_two_permutations():
    (variant,) = variants_by_id("minibatch_gd", "unpaired_shuffle")
    X, y = noisy_problem(m=23, seed=4)
    rng = np.random.default_rng(8)
    draws = replayed_permutations(rng, 23, 6)
    _, path = variant.fn(X, y, np.zeros(3), 0.05, 3, 5, rng)
    w, expected = np.zeros(3), []
    for epoch in range(3):
        Xs, ys = X[draws[2 * epoch]], y[draws[2 * epoch + 1]]
        w = loop_descent(Xs, ys, w, 0.05, [np.arange(23)], 5)[0]
        expected.append(w)
    np.testing.assert_allclose(path, expected, rtol=1e-11, atol=1e-14)


@pytest.mark.parametrize("exercise", ["sgd", "batch_gradient_descent"])
def test_sgd_and_batch_mistake_variants_are_the_mistaken_loop(exercise):
    X, y = noisy_problem(m=23, seed=6)
    w0 = np.array([0.3, -0.2, 0.1])
    for variant in variants_for(exercise, kind="mistake"):
        if variant.mistake_id == "unpaired_shuffle":
            continue
        rng = np.random.default_rng(3)
        if exercise == "sgd":
            orders, draws = replayed_permutations(rng, 23, 3), replayed_draws(rng, 23, 3)
            _, path = variant.fn(X, y, w0, 0.02, 3, rng)
            expected = mistaken_path(variant.mistake_id, X, y, w0, 0.02, orders, 1, draws)
        else:
            _, path = variant.fn(X, y, w0, 0.02, 3)
            orders = [np.arange(23)] * 3  # no rng: the stored order
            expected = mistaken_path(variant.mistake_id, X, y, w0, 0.02, orders, 23)
        np.testing.assert_allclose(path, expected, rtol=1e-11, atol=1e-14, err_msg=variant.label)


# --- properties ---------------------------------------------------------------------------


@st.composite
def problems(draw):
    """A small random problem and a rate at which no update can blow up."""
    m = draw(st.integers(1, 12))
    d = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, d))
    y = rng.normal(size=m)
    w0 = rng.normal(size=d)
    rate = 0.5 / max(float(np.max(np.sum(X**2, axis=1))), 1e-3)
    return X, y, w0, rate, seed


PROPERTY = settings(max_examples=40, deadline=None)


@PROPERTY
@given(problems(), st.integers(1, 4))
def test_minibatch_of_size_one_is_sgd(problem, n_epochs):
    X, y, w0, rate, seed = problem
    w_mb, path_mb = minibatch_gd(X, y, w0, rate, n_epochs, 1, np.random.default_rng(seed))
    w_sgd, path_sgd = sgd(X, y, w0, rate, n_epochs, np.random.default_rng(seed))
    np.testing.assert_array_equal(path_mb, path_sgd)
    np.testing.assert_array_equal(w_mb, w_sgd)


@PROPERTY
@given(problems(), st.integers(1, 4), st.integers(0, 5))
def test_minibatch_of_size_at_least_m_is_batch_descent(problem, n_epochs, extra):
    X, y, w0, rate, seed = problem
    m = len(y)
    w_mb, path_mb = minibatch_gd(X, y, w0, rate, n_epochs, m + extra, np.random.default_rng(seed))
    w_batch, path_batch = batch_gradient_descent(X, y, w0, rate, n_epochs)
    np.testing.assert_allclose(path_mb, path_batch, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(w_mb, w_batch, rtol=1e-10, atol=1e-12)


@PROPERTY
@given(problems())
def test_mean_of_per_sample_gradients_is_the_batch_gradient(problem):
    X, y, w, _, _ = problem
    per_sample = [X[i] * (X[i] @ w - y[i]) for i in range(len(y))]
    np.testing.assert_allclose(
        mean_gradient(X, y, w), np.mean(per_sample, axis=0), rtol=1e-10, atol=1e-12
    )
