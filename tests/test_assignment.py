"""The assignment file: the public cases' share of the points is the instructor's to set,
and a bad value is one clear line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gdgrade.score import PUBLIC_SHARE
from grader.assignment import Assignment, AssignmentError, load_assignment

SAMPLE = Path(__file__).parent / "submissions" / "correct" / "loops.py"


def test_public_cases_carry_a_fifth_unless_the_assignment_file_says_otherwise(tmp_path):
    assert Assignment().public_share == PUBLIC_SHARE == 0.2
    path = tmp_path / "hw3.toml"
    path.write_text("seed = 5\npublic_share = 0.35\n", encoding="utf-8")
    assert load_assignment(path).public_share == 0.35


@pytest.mark.parametrize("value", ["1.5", "-0.1", '"half"', "true"])
def test_a_public_share_outside_zero_to_one_is_refused_in_one_line(tmp_path, value):
    path = tmp_path / "hw3.toml"
    path.write_text(f"public_share = {value}\n", encoding="utf-8")
    with pytest.raises(AssignmentError, match="public_share must be a number from 0 to 1"):
        load_assignment(path)
    graded = subprocess.run(
        [sys.executable, "-m", "grader", "grade", str(SAMPLE), "--assignment", str(path)],
        capture_output=True,
        text=True,
    )
    assert graded.returncode == 2
    assert len(graded.stderr.strip().splitlines()) == 1 and "public_share" in graded.stderr
