"""Every known-mistake variant, run as a student, is named by its id and loses points;
the reference, run as a student, gets full marks and no mistake."""

from __future__ import annotations

import pytest
from support import case_set, runs_of

import reference
from gdgrade.case import LoadReport
from gdgrade.diagnose import diagnose
from gdgrade.exercise_data import load_exercise
from gdgrade.score import score_exercise

LOADED = LoadReport(defined=reference.EXERCISES)
MISTAKES = [
    pytest.param(v, id=f"{v.exercise}-{v.mistake_id}-{v.label}")
    for v in reference.VARIANTS
    if v.kind == "mistake"
]


@pytest.mark.parametrize("exercise", reference.EXERCISES)
@pytest.mark.parametrize("seed", [7, 2024])
def test_reference_as_student_gets_full_marks_and_no_mistake(exercise, seed):
    sets = case_set(exercise, seed)
    runs = runs_of(reference.REFERENCE[exercise], sets)
    found = diagnose(exercise, runs, LOADED)
    scored = score_exercise(load_exercise(exercise), 10, runs, found)
    assert [d.id for d in found if d.severity == "mistake"] == []
    assert scored.score == 10 and scored.status == "passed"


@pytest.mark.parametrize("variant", MISTAKES)
def test_mistake_variant_is_named_and_loses_points(variant):
    sets = case_set(variant.exercise)
    runs = runs_of(variant.fn, sets)
    found = diagnose(variant.exercise, runs, LOADED)
    scored = score_exercise(load_exercise(variant.exercise), 10, runs, found)
    assert variant.mistake_id in [d.id for d in found]
    assert scored.score < 10


ACCEPTED = [
    pytest.param(v, id=f"{v.exercise}-{v.mistake_id}")
    for v in reference.VARIANTS
    if v.kind == "info"
]


@pytest.mark.parametrize("variant", ACCEPTED)
def test_every_accepted_scheme_gets_full_marks_and_is_named(variant):
    sets = case_set(variant.exercise)
    runs = runs_of(variant.fn, sets)
    found = diagnose(variant.exercise, runs, LOADED)
    scored = score_exercise(load_exercise(variant.exercise), 10, runs, found)
    assert scored.score == 10
    assert [d.id for d in found] == [variant.mistake_id]


@pytest.mark.parametrize("exercise", reference.EXERCISES)
def test_missing_function_scores_zero_and_says_not_defined(exercise):
    sets = case_set(exercise)
    runs = runs_of(None, sets)
    found = diagnose(exercise, runs, LOADED)
    scored = score_exercise(load_exercise(exercise), 10, runs, found)
    assert [d.id for d in found] == ["not_defined"]
    assert (scored.score, scored.status) == (0, "missing")


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("way", ["too_few", "too_many"])
def test_off_by_one_says_whether_one_update_too_few_or_too_many(way, lang):
    from gdgrade.fixes import detail
    from gdgrade.i18n import text

    (variant,) = [
        v for v in reference.VARIANTS if v.mistake_id == "off_by_one_iterations" and v.label == way
    ]
    runs = runs_of(variant.fn, case_set("gradient_descent"))
    (found,) = [d for d in diagnose("gradient_descent", runs, LOADED) if d.id == variant.mistake_id]
    other = "too_many" if way == "too_few" else "too_few"
    assert detail(found, lang) == text(lang, "forms", way) != text(lang, "forms", other)
