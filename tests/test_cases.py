"""Hidden cases: reproducible from the seed, different per student when asked, and covering
the edge cases the course cares about."""

from __future__ import annotations

import numpy as np
import pytest

import reference
from gdgrade.json_values import RngSpec, decode, encode
from grader.expected import expectations, is_nonfinite
from grader.hidden_cases import hidden_cases


def _fingerprint(cases):
    return [(c.id, repr(encode(c.args))) for c in cases]


@pytest.mark.parametrize("exercise", reference.EXERCISES)
def test_same_seed_same_cases_other_seed_other_cases(exercise):
    a = hidden_cases(exercise, 11)
    assert _fingerprint(a) == _fingerprint(hidden_cases(exercise, 11))
    assert _fingerprint(a) != _fingerprint(hidden_cases(exercise, 12))


@pytest.mark.parametrize("exercise", ["numerical_derivative", "gradient_descent", "sgd"])
def test_per_student_cases_differ_between_students_and_repeat_for_one(exercise):
    kim = hidden_cases(exercise, 11, "2024123456")
    assert _fingerprint(kim) == _fingerprint(hidden_cases(exercise, 11, "2024123456"))
    assert _fingerprint(kim) != _fingerprint(hidden_cases(exercise, 11, "2024654321"))


@pytest.mark.parametrize("exercise", reference.EXERCISES)
def test_case_arguments_survive_the_wire_encoding(exercise):
    for case in hidden_cases(exercise, 3):
        again = decode(encode(case.args))
        assert _fingerprint([case]) == [(case.id, repr(encode(again)))]


def test_lecture_runs_and_a_diverging_rate_are_hidden_cases():
    cases = {c.id: c for c in hidden_cases("gradient_descent", 5)}
    lecture = [c.args[2:] for c in cases.values() if "lecture" in c.tags]
    assert sorted(lecture) == [(4, 0.1, 200), (4, 0.2, 200), (5, 0.1, 200)]
    (diverging,) = [c for c in cases.values() if "diverging" in c.tags]
    assert is_nonfinite(reference.gradient_descent(*diverging.args)[2])
    assert any(c.args[4] == 0 for c in cases.values())


def test_minibatch_cases_cover_batch_sizes_that_do_and_do_not_divide_m():
    tags = {t for c in hidden_cases("minibatch_gd", 5) for t in c.tags}
    assert {"batch_size > m", "divides m", "last batch smaller"} <= tags
    shapes = {c.args[0].shape for c in hidden_cases("minibatch_gd", 5)}
    assert any(m == 1 for m, _ in shapes) and {1, 5} <= {d for _, d in shapes}


def test_rng_arguments_are_specs_the_child_can_rebuild():
    case = hidden_cases("sgd", 5)[0]
    rng = case.args[-1]
    assert isinstance(rng, RngSpec)
    assert np.array_equal(rng.make().permutation(10), rng.make().permutation(10))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_cases_are_kept_when_well_conditioned(seed):
    for exercise in ("gradient_descent", "momentum_descent", "sgd"):
        cases = hidden_cases(exercise, seed)
        assert len(expectations(cases)) >= len(cases) - 1
