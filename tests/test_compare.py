"""The comparison reads results as the contract says and always says by how much."""

from __future__ import annotations

import math

import numpy as np

from gdgrade.compare import Tolerance, compare

TOL = Tolerance(rtol=1e-6, atol=1e-9)
GD_PARTS = ("x_opt", "f_opt", "paths")


def test_lists_and_arrays_compare_equal():
    assert compare([1.0, 2.0], np.array([1.0, 2.0]), (), (TOL,)).ok
    assert compare(np.array([1.0, 2.0]), [1.0, 2.0], (), (TOL,)).ok


def test_scalar_path_may_be_a_column_and_scalar_may_be_size_one():
    path = np.linspace(0, 1, 5)
    assert compare(path, path.reshape(5, 1), (), (TOL,)).ok
    assert compare(2.5, np.array([2.5]), (), (TOL,)).ok


def test_wrong_length_path_is_a_shape_failure_with_both_shapes():
    c = compare(np.zeros(5), np.zeros(6), (), (TOL,))
    assert c.kind == "shape"
    assert (c.parts[0].got_shape, c.parts[0].expected_shape) == ((6,), (5,))


def test_none_and_strings_are_type_failures():
    assert compare(1.0, None, (), (TOL,)).kind == "type"
    assert compare(1.0, "1.0", (), (TOL,)).kind == "type"


def test_wrong_arity_is_reported_with_counts():
    c = compare((1.0, 2.0, np.zeros(3)), (1.0, np.zeros(3)), GD_PARTS, (TOL,) * 3)
    assert (c.kind, c.got_arity, c.expected_arity) == ("arity", 2, 3)


def test_value_failure_counts_entries_and_finds_where_the_path_departs():
    expected = np.arange(40, dtype=float)
    got = expected.copy()
    got[37:] += 1.0
    c = compare(expected, got, (), (TOL,))
    part = c.parts[0]
    assert c.kind == "value"
    assert (part.n_bad, part.n_total, part.first_bad) == (3, 40, 37)
    assert math.isclose(part.max_abs, 1.0)


def test_matching_divergence_is_correct_and_a_finite_answer_is_not():
    diverged = np.array([1.0, 1e200, np.inf, np.nan])
    assert compare(diverged, diverged.copy(), (), (TOL,)).ok
    both_diverged = [1.0, 1e200, np.nan, np.nan]  # inf vs nan: both diverged
    assert compare(diverged, both_diverged, (), (TOL,)).ok
    c = compare(diverged, [1.0, 1e200, 5.0, np.nan], (), (TOL,))
    assert (c.kind, c.parts[0].n_bad, c.parts[0].first_bad) == ("nonfinite", 1, 2)


def test_tolerance_is_relative_plus_absolute():
    assert compare(1e6, 1e6 * (1 + 5e-7), (), (TOL,)).ok
    assert not compare(1e6, 1e6 * (1 + 5e-6), (), (TOL,)).ok
    assert compare(0.0, 5e-10, (), (TOL,)).ok


def test_per_entry_absolute_tolerance():
    tol = Tolerance(0.0, (1e-3, 1e-9))
    assert compare([1.0, 1.0], [1.0005, 1.0], (), (tol,)).ok
    assert not compare([1.0, 1.0], [1.0, 1.0005], (), (tol,)).ok


def test_credit_counts_matching_parts():
    expected = (1.0, 2.0, np.arange(3.0))
    got = (1.0, 2.0, np.arange(3.0) + 1)
    assert compare(expected, got, GD_PARTS, (TOL,) * 3).credit == 2 / 3


def test_only_the_path_part_says_where_the_path_departs():
    expected = (np.array([1.0, 2.0]), np.arange(4.0))
    got = (np.array([1.5, 2.0]), np.arange(4.0) + np.array([0, 0, 1, 1]))
    c = compare(expected, got, ("w", "path"), (TOL, TOL), path_part="path")
    w, path = c.parts
    assert (w.is_path, path.is_path) == (False, True)
    assert path.first_bad == 2


def test_two_python_floats_get_the_verdict_a_size_one_array_gets():
    """Floats take a shortcut past numpy; every verdict, count and measure must be the one
    the array reading gives, non-finite values and both zeros included."""
    from gdgrade.compare import compare_part

    values = [0.0, -0.0, 1.0, -1.0, 5e-324, 1e308, -1e308, math.inf, -math.inf, math.nan]
    values += [0.1, 0.30000000000000004, 3.1, 3.1000000001, 1e-9, -2.0000001, 7.25]
    tolerances = [TOL, Tolerance(0.0, 0.0), Tolerance(1e-3, (1e-4,)), Tolerance(1e-6, 1)]
    for expected in values:
        for got in values:
            for tol in tolerances:
                fast = compare_part("x", expected, got, tol)
                by_array = compare_part("x", np.float64(expected), got, tol)
                assert repr(fast) == repr(by_array), (expected, got, tol)
