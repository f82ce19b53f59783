"""Case sets are computed once and then read back from the private disk cache."""

from __future__ import annotations

import os
import stat

import pytest

from gdgrade.json_values import encode
from grader import grade
from grader.case_cache import CACHE_ENV


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
    grade.case_set("gradient_step", 5, None, False)
    assert len(list(cache.glob("gradient_step-*.json"))) == 4


def test_a_damaged_entry_is_computed_again(cache):
    first = grade.case_set("sgd", 5, None, True)
    (entry,) = cache.glob("sgd-*.json")
    entry.write_text("{not json", encoding="utf-8")
    grade.case_set.cache_clear()
    assert _fingerprint(grade.case_set("sgd", 5, None, True)) == _fingerprint(first)
