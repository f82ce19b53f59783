"""Points only for a working solution, end to end: answers with no mathematics in them earn
nothing, and a lookup table of what the student release ships stays under a fifth.

The submissions are generated from the contract (tests/trivial_answers.py) and graded with
hidden cases through the sandbox, and the lookup table through the `gdgrade grade` CLI,
from the public answers of a release built by `gdgrade release`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support import TOTAL_POINTS
from trivial_answers import KINDS, lookup_table, trivial_source

from gdgrade.contract import EXERCISE_IDS
from gdgrade.expectation import from_json
from gdgrade.sandbox import Limits, Sandbox
from grader.assignment import Assignment
from grader.grade import grade_path

SEED = 20261129
LIMITS = Limits(call_wall_s=2.0, load_wall_s=5.0, submission_wall_s=60.0)
LOOKUP_CEILING = 20  # of 100: the public cases' share of the points


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The public answers as the student release ships them."""
    out = tmp_path_factory.mktemp("release") / "hw"
    built = subprocess.run(
        [sys.executable, "-m", "grader", "release", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    found = {}
    for path in sorted(out.rglob("public_expectations.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[data["exercise"]] = from_json(data)
    assert len(found) == len(EXERCISE_IDS)
    return found


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(LIMITS) as box:
        yield box


@pytest.mark.parametrize("kind", KINDS)
def test_an_answer_without_mathematics_earns_nothing_on_any_exercise(
    kind, shipped, sandbox, tmp_path
):
    source = tmp_path / f"{kind}.py"
    source.write_text(trivial_source(kind, lookup_table(shipped)), encoding="utf-8")
    report = grade_path(source, Assignment(seed=SEED), sandbox)
    scores = {e.id: e.score for e in report.exercises}
    assert len(scores) == len(EXERCISE_IDS) and report.load.defined
    assert scores == dict.fromkeys(scores, 0.0), scores
    if kind == "public_answer":  # it is a real lookup table: every public case passes
        public = [c for e in report.exercises for c in e.cases if c.visibility == "public"]
        assert public and all(c.status == "passed" for c in public)


def test_a_lookup_table_of_the_release_scores_at_most_a_fifth(shipped, tmp_path):
    lookup = tmp_path / "lookup.py"
    lookup.write_text(trivial_source("public_answer", lookup_table(shipped)), encoding="utf-8")
    out = tmp_path / "report.json"
    command = ["grade", str(lookup), "--seed", str(SEED), "--format", "json", "--out", str(out)]
    graded = subprocess.run(
        [sys.executable, "-m", "grader", *command], capture_output=True, text=True
    )
    assert graded.returncode == 0, graded.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    public = [c for e in report["exercises"] for c in e["cases"] if c["visibility"] == "public"]
    assert all(c["status"] == "passed" for c in public)  # it knows every public answer
    assert report["max_score"] == TOTAL_POINTS
    assert report["score"] <= LOOKUP_CEILING, report["score"]
