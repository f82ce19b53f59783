"""The sample-submission corpus, graded end to end through the sandbox: each file gets the
score and the diagnoses its manifest says (tests/submissions/README.md)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from support import TOTAL_POINTS

from gdgrade.credit import SHARES
from gdgrade.sandbox import Limits, Sandbox
from grader.assignment import Assignment
from grader.grade import grade_path

SUBMISSIONS = Path(__file__).parent / "submissions"
MANIFEST = json.loads((SUBMISSIONS / "manifest.json").read_text(encoding="utf-8"))
LIMITS = Limits(call_wall_s=2.0, load_wall_s=5.0, submission_wall_s=60.0)
SEEDS = (20261129, 7, 123456789)


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(LIMITS) as box:
        yield box


def _grade(sandbox, entry, seed):
    assignment = Assignment(seed=seed).only(tuple(entry["expect"]))
    return grade_path(SUBMISSIONS / entry["file"], assignment, sandbox)


def _check(report, entry):
    by_id = {e.id: e for e in report.exercises}
    for exercise, expect in entry["expect"].items():
        result = by_id[exercise]
        found = [d.id for d in result.diagnoses]
        where = f"{entry['file']}:{exercise} scored {result.score}/{result.max_score} {found}"
        assert (result.score == result.max_score) == expect["full_marks"], where
        assert set(expect["diagnoses"]) <= set(found), where
        if expect["full_marks"]:
            assert [d.id for d in result.diagnoses if d.severity == "mistake"] == [], where
        mistakes = {d.id for d in result.diagnoses if d.severity == "mistake"}
        if mistakes and mistakes <= set(SHARES) and mistakes == set(expect["diagnoses"]):
            kept = math.prod(SHARES[i].kept for i in mistakes)  # the README's policy table
            assert result.score == round(result.max_score * kept, 2), where


BUGGY = [pytest.param(e, id=e["file"]) for e in MANIFEST if e["exercise"] != "*"]
CORRECT = [pytest.param(e, id=e["file"]) for e in MANIFEST if e["exercise"] == "*"]


@pytest.mark.parametrize("entry", BUGGY)
def test_sample_gets_its_score_and_diagnoses(sandbox, entry):
    _check(_grade(sandbox, entry, SEEDS[0]), entry)


@pytest.mark.parametrize("entry", CORRECT)
@pytest.mark.parametrize("seed", SEEDS)
def test_correct_sample_gets_full_marks_on_every_seed(sandbox, entry, seed):
    report = _grade(sandbox, entry, seed)
    _check(report, entry)
    assert report.score == report.max_score == TOTAL_POINTS


def test_per_student_cases_still_give_full_marks(sandbox):
    (entry,) = [e for e in MANIFEST if e["file"] == "correct/vectorised.py"]
    assignment = replace(Assignment(seed=SEEDS[0], per_student=True))
    report = grade_path(SUBMISSIONS / entry["file"], assignment, sandbox, "2024123456")
    assert report.score == report.max_score
    assert report.student_id == "2024123456"
