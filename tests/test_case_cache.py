"""Case sets are computed once and then read back from the private disk cache."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from gdgrade.exercises import build

from gdgrade.contract import EXERCISE_IDS
from gdgrade.exercise_data import public_cases
from gdgrade.expectation import to_json
from gdgrade.json_values import encode
from grader import grade
from grader.case_cache import CACHE_ENV
from grader.expected import expectations
from grader.hidden_cases import hidden_cases


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    grade.case_set.cache_clear()
    yield tmp_path / "cache"
    grade.case_set.cache_clear()


def _fingerprint(items):
    return [(e.case.id, repr(encode(e.target)), e.tolerances) for e in items]


def test_a_second_run_reads_the_cache_instead_of_computing(cache, monkeypatch):
    first = grade.case_set("gradient_descent", 5, None, True)
    (entry,) = cache.glob("gradient_descent-*.json")
    assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700

    def must_not_run(cases):
        raise AssertionError("recomputed although cached")

    monkeypatch.setattr(grade, "expectations", must_not_run)
    grade.case_set.cache_clear()
    assert _fingerprint(grade.case_set("gradient_descent", 5, None, True)) == _fingerprint(first)


def test_seed_and_student_are_part_of_the_key(cache):
    grade.case_set("gradient_step", 5, None, True)
    grade.case_set("gradient_step", 6, None, True)
    grade.case_set("gradient_step", 5, "2024123456", True)
    grade.case_set("gradient_step", 5, None, False)  # shipped with the package: not stored
    assert len(list(cache.glob("gradient_step-*.json"))) == 3


def test_a_damaged_entry_is_computed_again(cache):
    first = grade.case_set("sgd", 5, None, True)
    (entry,) = cache.glob("sgd-*.json")
    entry.write_text("{not json", encoding="utf-8")
    grade.case_set.cache_clear()
    assert _fingerprint(grade.case_set("sgd", 5, None, True)) == _fingerprint(first)


def test_public_expectations_are_read_as_shipped_never_computed_while_grading(cache, monkeypatch):
    from gdgrade.public_expectations import public_expectations

    def must_not_run(cases):
        raise AssertionError("computed although shipped with the package")

    monkeypatch.setattr(grade, "expectations", must_not_run)
    for exercise in EXERCISE_IDS:
        assert grade.case_set(exercise, None, None, False) == public_expectations(exercise)
    assert not cache.exists() or not list(cache.iterdir())  # nothing computed, nothing stored


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_a_case_set_with_hidden_cases_is_what_computing_all_of_it_gives(cache, exercise):
    """Shipped public expectations plus the hidden ones computed alone: the same cases,
    targets, tolerances and variant outputs as computing the whole set in one go."""
    whole = expectations(public_cases(exercise) + hidden_cases(exercise, 11, "s1"))
    graded = grade.case_set(exercise, 11, "s1", True)
    as_data = [json.loads(json.dumps(to_json(exercise, s))) for s in (graded, whole)]
    assert build.difference(*as_data) is None  # equal up to another machine's last bits


def test_the_key_covers_the_python_sources_of_the_exercise_folders():
    """Editing a folder's case inputs or definitions in a source checkout (where
    exercises/ is not inside gdgrade/) must not leave stale case sets to be read back."""
    from importlib import resources

    from grader.case_cache import digested_sources

    hashed = {p.resolve() for p in digested_sources()}
    exercises = resources.files("gdgrade.exercises")
    for name in ("case_inputs.py", "definitions.py", "examples.py"):
        assert Path(str(exercises / name)).resolve() in hashed
