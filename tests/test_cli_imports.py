"""What `gdgrade grade` loads: no run imports sympy (the test functions' derivatives come
from gdgrade.symbolic, and once the hidden case set is in the cache its expected values are
read), nor matplotlib (the HTML pictures are written directly), nor the other commands'
engines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SUBMISSION = Path(__file__).parent / "submissions" / "correct" / "loops.py"
HEAVY = ("sympy", "matplotlib", "grader.similarity.compare", "grader.batch.standings")

PROBE = """
import os, sys
from grader.cli import main
code = main(sys.argv[1:])
heavy = os.environ["HEAVY"].split(",")
print(code, sorted(m for m in heavy if m in sys.modules))
"""


def grade(tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    env |= {"GDGRADE_CACHE_DIR": str(tmp_path / "cache"), "GDGRADE_SEED": "8675309"}
    env["HEAVY"] = ",".join(HEAVY)
    out = tmp_path / "report.html"
    command = [sys.executable, "-c", PROBE, "grade", str(SUBMISSION), *args]
    command += ["--format", "html", "--out", str(out), "--lang", "ko"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert out.read_text(encoding="utf-8").count("<svg xmlns=") >= 6, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_graded_file_with_its_pictures_needs_no_sympy_cold_or_cached(tmp_path):
    assert grade(tmp_path) == "0 []"  # computes the hidden cases into the cache
    assert grade(tmp_path) == "0 []"
