"""Scoring: partial credit by cases and parts, the rng fallback's cap, statuses, and points
only for a working solution (public share, degenerate cases)."""

from __future__ import annotations

import numpy as np
import pytest
from support import case_set, runs_of

import reference
from gdgrade.case import LoadReport
from gdgrade.credit import SHARES
from gdgrade.degenerate import degenerate_cases
from gdgrade.diagnose import diagnose
from gdgrade.exercise_data import load_exercise
from gdgrade.function_specs import FunctionSpec
from gdgrade.json_values import encode
from gdgrade.score import case_shares, score_exercise

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


def test_path_including_start_keeps_the_policy_share_in_every_case():
    (variant,) = reference.variants_by_id("gradient_descent", "path_includes_start")
    sets = case_set("gradient_descent")
    runs = runs_of(variant.fn, sets)
    found = diagnose("gradient_descent", runs, LOADED)
    scored = score_exercise(load_exercise("gradient_descent"), 15, runs, found)
    # the update is right; only the path's bookkeeping is not (gdgrade.credit)
    kept = SHARES["path_includes_start"].kept
    assert scored.status == "partial" and scored.kept == kept
    assert scored.score == 15 * kept
    assert all(abs(c - kept) < 1e-12 for c in scored.credits)


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


# --- points only for a working solution ------------------------------------------------


def forty_two(fp, x0, learning_rate, momentum, n_iter):
    """The right shape, no mathematics: 42.0 at every step."""
    return np.full((n_iter, *np.shape(x0)), 42.0)


def test_a_constant_of_the_right_shape_earns_nothing_from_zero_iteration_cases():
    sets = case_set("momentum_descent")
    runs = runs_of(forty_two, sets)
    scored = score_exercise(
        load_exercise("momentum_descent"), 10, runs, diagnose("momentum_descent", runs, LOADED)
    )
    assert [r.case.args[-1] for r in runs if r.comparison.ok] == [0, 0]  # it passes those
    assert (scored.score, scored.status) == (0, "failed")
    assert scored.gate == 0


def numeric_inputs(case):
    return repr(encode(tuple(a for a in case.args if not isinstance(a, FunctionSpec))))


def test_degenerate_cases_are_told_by_trivial_answers_not_by_their_names():
    momentum = case_set("momentum_descent")
    assert degenerate_cases(momentum) == tuple(e.case.args[-1] == 0 for e in momentum)
    descent = case_set("gradient_descent")
    shipped = {numeric_inputs(e.case) for e in descent if e.case.visibility == "public"}
    hidden = [
        (flag, numeric_inputs(e.case) in shipped)
        for e, flag in zip(descent, degenerate_cases(descent), strict=True)
        if e.case.visibility == "hidden"
    ]
    assert any(repeat for _, repeat in hidden)  # the lecture's runs, hidden again
    assert all(flag for flag, repeat in hidden if repeat)


@pytest.mark.parametrize(("asked", "carried"), [(0.2, 0.2), (0.1, 0.1), (0.0, 0.0), (0.9, 7 / 16)])
def test_public_cases_carry_at_most_the_public_share_of_the_points(asked, carried):
    runs = runs_of(reference.REFERENCE["gradient_descent"], case_set("gradient_descent"))
    assert sum(r.case.visibility == "public" for r in runs) / len(runs) == 7 / 16
    shares = case_shares(runs, asked)
    public = sum(s for s, r in zip(shares, runs, strict=True) if r.case.visibility == "public")
    assert public == pytest.approx(carried)
    assert sum(shares) == pytest.approx(1)
    found = diagnose("gradient_descent", runs, LOADED)
    assert score_exercise(load_exercise("gradient_descent"), 15, runs, found, asked).score == 15


def test_public_and_degenerate_cases_count_only_as_far_as_the_hidden_cases_pass():
    # a mistake outside the credit policy's table, so credit goes case by case
    variant = reference.variants_by_id("gradient_descent", "int_truncation")[0]
    runs = runs_of(variant.fn, case_set("gradient_descent"))
    found = diagnose("gradient_descent", runs, LOADED)
    scored = score_exercise(load_exercise("gradient_descent"), 15, runs, found)
    trivial = degenerate_cases([r.expectation for r in runs])
    assert scored.gate is not None and 0 < scored.gate < 1
    held = [
        (credit, run)
        for credit, run, t in zip(scored.credits, runs, trivial, strict=True)
        if run.case.visibility == "public" or t
    ]
    assert any(run.comparison.ok for _, run in held)  # passed, yet held down
    assert all(credit <= scored.gate + 1e-12 for credit, _ in held)


def test_public_only_grading_still_holds_degenerate_cases_down():
    """`gdgrade check` grades public cases only: the non-degenerate ones are the evidence."""
    sets = tuple(e for e in case_set("momentum_descent") if e.case.visibility == "public")
    runs = runs_of(forty_two, sets)
    scored = score_exercise(load_exercise("momentum_descent"), 10, runs, [])
    assert scored.score == 0
    right = score_exercise(
        load_exercise("momentum_descent"),
        10,
        runs_of(reference.REFERENCE["momentum_descent"], sets),
        [],
    )
    assert right.score == 10 and right.gate is None
