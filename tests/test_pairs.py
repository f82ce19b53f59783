"""Two mistakes at once: the composed functions agree with the registered variants one
switch at a time, and a student who made two mistakes is told both."""

from __future__ import annotations

import time

import numpy as np
import pytest
from support import case_set, runs_of
from test_reference_registry import call, generated, parts

import reference
import reference.pairs as composition
from gdgrade.case import LoadReport
from gdgrade.diagnose import diagnose
from grader.explain import explain

LOADED = LoadReport(defined=reference.EXERCISES)


def same(a, b) -> bool:
    """Equal results, diverged entries (inf, nan) included."""
    pa, pb = parts(a), parts(b)
    return len(pa) == len(pb) and all(
        x.shape == y.shape and np.allclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True)
        for x, y in zip(pa, pb, strict=True)
    )


SINGLES = [
    pytest.param(exercise, mistake_id, id=f"{exercise}-{mistake_id}")
    for exercise, families in composition.FAMILIES.items()
    for members in families.values()
    for mistake_id in members
]


@pytest.mark.parametrize(("exercise", "mistake_id"), SINGLES)
def test_one_switch_of_the_composition_is_the_registered_variant(exercise, mistake_id):
    """Composing is only sound if each switch alone is the mistake it names."""
    fn = composition.composed(exercise, (mistake_id,))
    forms = reference.variants_by_id(exercise, mistake_id)
    assert forms, f"{mistake_id} is not a registered variant of {exercise}"
    for args in generated(exercise):
        mine = call(fn, args)
        assert any(same(mine, call(v.fn, args)) for v in forms), args


def test_mistakes_of_one_family_never_pair():
    for exercise in composition.FAMILIES:
        for a, b in composition.pairs(exercise):
            assert composition.family_of(exercise, a) != composition.family_of(exercise, b)
        with pytest.raises(ValueError):
            composition.composed(
                exercise, next(iter(composition.FAMILIES[exercise].values()))[:1] * 2
            )


PLANTED = [
    ("minibatch_gd", ("drops_last_batch", "sum_not_mean")),
    ("minibatch_gd", ("no_shuffle", "path_includes_start")),
    ("minibatch_gd", ("with_replacement", "grad_factor_2")),
    ("sgd", ("shuffle_once", "grad_factor_2")),
    ("batch_gradient_descent", ("per_sample_updates", "path_before_update")),
    ("linear_regression_gd", ("sequential_update", "sum_not_mean")),
    ("linear_regression_gd", ("sequential_update", "learning_rate_ignored")),
    ("momentum_descent", ("ema_momentum", "path_includes_start")),
    ("gradient_descent", ("sign_ascent", "path_before_update")),
]


@pytest.mark.parametrize(
    ("exercise", "pair"), PLANTED, ids=lambda p: "+".join(p) if isinstance(p, tuple) else p
)
def test_a_student_with_two_mistakes_is_told_both(exercise, pair):
    runs = runs_of(composition.composed(exercise, pair), case_set(exercise))
    started = time.perf_counter()
    found = diagnose(exercise, runs, LOADED, explain=explain)
    elapsed = time.perf_counter() - started
    named = {d.id for d in found if d.severity == "mistake"}
    assert set(pair) <= named, named
    assert elapsed < 30  # bounded: one failing case rejects most pairs


@pytest.mark.parametrize("exercise", list(composition.FAMILIES))
def test_the_reference_is_never_told_a_pair(exercise):
    found = diagnose(
        exercise,
        runs_of(reference.REFERENCE[exercise], case_set(exercise)),
        LOADED,
        explain=explain,
    )
    assert not any("pair" in d.evidence for d in found)
