"""The seed is the instructor's secret: no built-in one, a clear refusal without it, a
fingerprint in its place that the instructor's regrade reproduces, and --reveal-hidden
only for whoever holds it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import grader.hidden_cases
from grader.assignment import AssignmentError, load_assignment, parse_seed
from grader.secret import SEED_LIMIT, WEAK_BELOW, fingerprint, new_seed, weak

ROOT = Path(__file__).resolve().parent.parent
CORRECT = ROOT / "tests" / "submissions" / "correct" / "loops.py"
SEED = 5_861_274_390_217_783_401


def gdgrade(*args: str, seed: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GDGRADE_SEED"}
    if seed is not None:
        env["GDGRADE_SEED"] = seed
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


def test_there_is_no_built_in_seed_in_the_code_or_the_readme():
    assert not hasattr(grader.hidden_cases, "DEFAULT_SEED")
    assert load_assignment(None).seed is None
    assert "20261129" not in (ROOT / "README.md").read_text("utf-8")


def test_grade_without_a_seed_exits_2_and_says_where_to_put_one():
    done = gdgrade("grade", str(CORRECT), "--exercise", "gradient_step")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    for place in ("GDGRADE_SEED", "secret of the CI system", "assignment file"):
        assert place in done.stderr


def test_reveal_hidden_is_refused_without_the_seed():
    done = gdgrade("grade", str(CORRECT), "--exercise", "gradient_step", "--reveal-hidden")
    assert done.returncode == 2 and done.stdout == ""
    assert "--reveal-hidden" in done.stderr and "Traceback" not in done.stderr


def test_the_regrade_with_the_secret_shows_the_receipts_fingerprint():
    student = gdgrade(
        "grade", str(CORRECT), "--exercise", "gradient_step", "--format", "json", seed=str(SEED)
    )
    assert student.returncode == 0, student.stderr
    data = json.loads(student.stdout)
    receipt = data["reproduce"]
    assert receipt["case_set"] == fingerprint(SEED) and "seed" not in receipt
    assert str(SEED) not in student.stdout
    ta = gdgrade(
        "grade", str(CORRECT), "--exercise", "gradient_step", "--format", "json",
        "--seed", str(SEED), "--reveal-hidden",
    )  # fmt: skip
    record = json.loads(ta.stdout)
    assert record["reproduce"]["case_set"] == receipt["case_set"]
    assert record["reproduce"]["seed"] == SEED and record["audience"] == "ta"
    assert record["notice"]


def test_a_ta_report_says_it_is_not_for_students_in_text():
    done = gdgrade(
        "grade", str(CORRECT), "--exercise", "gradient_step", "--lang", "en", "--reveal-hidden",
        seed=str(SEED),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("TA report") and "Not for students" in done.stdout


def test_fingerprint_is_stable_per_seed_and_student_and_hides_both():
    fp = fingerprint(SEED, "2024123456")
    assert re.fullmatch(r"[0-9a-f]{4}(-[0-9a-f]{4}){3}", fp)
    assert fp == fingerprint(SEED, "2024123456")
    assert len({fp, fingerprint(SEED), fingerprint(SEED + 1, "2024123456")}) == 3
    assert str(SEED) not in fp and "2024123456" not in fp


def test_a_key_derived_in_the_background_gives_the_same_fingerprint():
    """A grader derives the seed's key in a thread while the sandbox works; whoever asks
    for the fingerprint meanwhile waits for it, and every fingerprint is the one the key
    derived on the spot gives."""
    import hashlib
    import hmac

    import grader.secret as secret

    key = hashlib.pbkdf2_hmac("sha256", str(SEED).encode(), secret.DOMAIN, secret.KDF_ITERATIONS)
    digest = hmac.new(key, secret.DOMAIN + b"2025001", hashlib.sha256).hexdigest()[:16]
    expected = "-".join(digest[i : i + 4] for i in range(0, 16, 4))
    secret._keys.clear()
    secret.derive_key_early(SEED)
    assert fingerprint(SEED, "2025001") == expected
    assert fingerprint(SEED, "2025001") == expected  # from the kept key


def test_new_seeds_are_random_large_and_storable_as_sqlite_integers():
    seeds = {new_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert all(WEAK_BELOW <= s < SEED_LIMIT == 2**63 for s in seeds)
    assert weak(42) and weak(20261129) and not weak(SEED)


@pytest.mark.parametrize("raw", ["-1", str(2**63), "seven"])
def test_a_seed_outside_the_seed_space_is_one_line(raw):
    with pytest.raises(AssignmentError) as error:
        parse_seed(raw)
    assert "\n" not in str(error.value)
    assert parse_seed(str(SEED)) == SEED and parse_seed("0x10") == 16


def test_assignment_file_chooses_the_level_and_cannot_reveal_to_students(tmp_path):
    path = tmp_path / "hw.toml"
    path.write_text('hidden_visibility = "published"\nseed = 123456789012\n', "utf-8")
    assignment = load_assignment(path)
    assert assignment.hidden_visibility == "published" and assignment.seed == 123456789012
    path.write_text('hidden_visibility = "everything"\n', "utf-8")
    with pytest.raises(AssignmentError, match="hidden_visibility"):
        load_assignment(path)
    path.write_text("reveal_hidden = true\n", "utf-8")
    with pytest.raises(AssignmentError, match="published"):
        load_assignment(path)
