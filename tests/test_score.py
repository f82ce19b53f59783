"""Scoring: partial credit by cases and parts, the rng fallback's cap, statuses."""

from __future__ import annotations

import numpy as np
from support import case_set, runs_of

import reference
from grader.diagnose import diagnose
from grader.exercises import load_exercise
from grader.model import LoadReport
from grader.score import score_exercise

LOADED = LoadReport(defined=reference.EXERCISES)


def sgd_with_its_own_generator(X, y, w0, learning_rate, n_epochs, rng):
    """Converges like SGD, but shuffles with a generator of its own (a real student slip)."""
    own = np.random.default_rng(0)
    w = np.array(w0, dtype=float)
    path = []
    for _ in range(n_epochs):
        for i in own.permutation(len(y)):
            w = w - learning_rate * X[i] * (X[i] @ w - y[i])
        path.append(w.copy())
    return w, np.array(path)


def test_sgd_ignoring_the_rng_gets_capped_credit_and_is_told_why():
    sets = case_set("sgd")
    runs = runs_of(sgd_with_its_own_generator, sets)
    found = diagnose("sgd", runs, LOADED)
    meta = load_exercise("sgd")
    scored = score_exercise(meta, 10, runs, found)
    assert "ignores_rng" in [d.id for d in found]
    assert scored.capped
    assert 0 < scored.score <= 10 * meta.rng_fallback.credit


def test_unpaired_shuffle_reaches_no_fallback_credit():
    (variant,) = reference.variants_by_id("sgd", "unpaired_shuffle")
    sets = case_set("sgd")
    runs = runs_of(variant.fn, sets)
    found = diagnose("sgd", runs, LOADED)
    scored = score_exercise(load_exercise("sgd"), 10, runs, found)
    assert "ignores_rng" not in [d.id for d in found]
    assert not scored.capped


def test_path_including_start_keeps_credit_for_the_parts_it_got_right():
    (variant,) = reference.variants_by_id("gradient_descent", "path_includes_start")
    sets = case_set("gradient_descent")
    runs = runs_of(variant.fn, sets)
    found = diagnose("gradient_descent", runs, LOADED)
    scored = score_exercise(load_exercise("gradient_descent"), 15, runs, found)
    # x_opt and f_opt are right; only the path is not
    assert scored.status == "partial"
    assert 0 < scored.score < 15
    assert all(abs(c - 2 / 3) < 1e-12 for c in scored.credits)


def test_raising_everywhere_is_status_error_with_zero():
    def broken(*args):
        raise ValueError("boom")

    sets = case_set("gradient_step")
    runs = runs_of(broken, sets)
    found = diagnose("gradient_step", runs, LOADED)
    scored = score_exercise(load_exercise("gradient_step"), 5, runs, found)
    assert (scored.score, scored.status) == (0, "error")
    assert found[0].id == "raises" and found[0].evidence["error_type"] == "ValueError"


def test_right_weights_with_a_wrong_path_are_not_an_rng_problem():
    def path_after_every_update(X, y, w0, learning_rate, n_epochs, rng):
        w, path = np.array(w0, dtype=float), []
        for _ in range(n_epochs):
            for i in rng.permutation(len(y)):
                w = w - learning_rate * X[i] * (X[i] @ w - y[i])
                path.append(w.copy())
        return w, np.array(path)

    runs = runs_of(path_after_every_update, case_set("sgd"))
    found = [d.id for d in diagnose("sgd", runs, LOADED)]
    assert "ignores_rng" not in found and "wrong_shape" in found
    assert not score_exercise(load_exercise("sgd"), 10, runs, diagnose("sgd", runs, LOADED)).capped
