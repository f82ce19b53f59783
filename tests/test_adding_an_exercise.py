"""Adding an exercise is adding a folder: a toy tenth exercise (tests/toy_exercise/), put into
a copy of the repository with its locale strings and nothing else, is picked up by the build,
grade, check, the release and every format."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOY = ROOT / "tests" / "toy_exercise"
FOLDER = "10_scaled_step"
COPIED = ("gdgrade", "grader", "reference", "exercises", "templates", "pyproject.toml")
FORMATS = ("text", "markdown", "html", "json", "gradescope", "junit", "github")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for name in COPIED
        for p in ([root / name] if (root / name).is_file() else (root / name).rglob("*"))
        if p.is_file() and not p.is_symlink() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], set[str]]:
    root = tmp_path_factory.mktemp("repo")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=SKIP)
        else:
            shutil.copy2(source, root / name)
    before = snapshot(root)
    # The only hand edits: the folder, and the new mistake id's words in each catalogue.
    shutil.copytree(TOY / FOLDER, root / "exercises" / FOLDER, ignore=SKIP)
    for lang in ("en", "ko"):
        catalogue = root / "gdgrade" / "locale" / f"{lang}.json"
        data = json.loads(catalogue.read_text(encoding="utf-8"))
        data["mistakes"].update(json.loads((TOY / f"locale.{lang}.json").read_text("utf-8")))
        catalogue.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    # What an install maps (gdgrade.exercises, gdgrade.templates), for this copy alone.
    (root / "gdgrade" / "exercises").symlink_to(root / "exercises")
    (root / "gdgrade" / "templates").symlink_to(root / "templates")
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "GDGRADE_CACHE_DIR": str(root / ".cache"),
        "GDGRADE_SEED": "5",
        "GDGRADE_RUNNER": "sandbox",
    }
    built = run(env, root, "exercises/build.py")
    assert built.returncode == 0, built.stderr
    after = snapshot(root)
    changed = {p for p in after if before.get(p) != after[p]}
    return root, env, changed


def run(env: dict[str, str], root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def grade(tree: tuple[Path, dict[str, str], set[str]], sample: str, *options: str) -> str:
    root, env, _ = tree
    done = run(env, root, "-m", "grader", "grade", str(TOY / sample), *options)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_only_the_folder_its_words_and_generated_files_change(tree):
    _, _, changed = tree
    hand_written = {f"exercises/{FOLDER}/{name}" for name in os.listdir(TOY / FOLDER)}
    hand_written |= {"gdgrade/locale/en.json", "gdgrade/locale/ko.json"}
    generated = {
        f"exercises/{FOLDER}/public_cases.json",  # expected values from the reference
        f"exercises/{FOLDER}/public_expectations.json",
        "exercises/starter.ipynb",  # the notebook gains the exercise's cells
        "grader/schema/report.schema.json",  # its id joins the enum
    }
    assert changed == hand_written | generated


def test_grading_scores_and_names_the_new_exercise_and_its_mistake(tree):
    correct = json.loads(grade(tree, "correct.py", "--format", "json"))
    (toy,) = [e for e in correct["exercises"] if e["id"] == "scaled_step"]
    assert toy["number"] == 10 and toy["score"] == toy["max_score"] == 5
    wrong = json.loads(grade(tree, "scale_ignored.py", "--format", "json", "--lang", "en"))
    (toy,) = [e for e in wrong["exercises"] if e["id"] == "scaled_step"]
    assert toy["score"] == 0 and [d["id"] for d in toy["diagnoses"]] == ["scale_ignored"]
    assert "The scale is not used" in json.dumps(toy)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_shows_the_new_exercise(tree, fmt):
    out = grade(tree, "scale_ignored.py", "--format", fmt, "--exercise", "scaled_step")
    assert "scaled_step" in out


def test_the_check_and_the_release_pick_it_up(tree, tmp_path):
    root, env, _ = tree
    check = run(
        env,
        root,
        "-m",
        "grader",
        "check",
        str(TOY / "correct.py"),
        "--exercise",
        "scaled_step",
        "--lang",
        "en",
    )
    assert check.returncode == 0, check.stdout + check.stderr
    release = tmp_path / "release"
    built = run(env, root, "-m", "grader", "release", "--out", str(release))
    assert built.returncode == 0, built.stderr
    shipped = {p.name for p in (release / "src" / "gdgrade" / "exercises" / FOLDER).iterdir()}
    assert shipped == {"exercise.json", "public_expectations.json"}
    statement = release / "exercises" / FOLDER / "statement.en.md"
    assert "# 2.2" in statement.read_text(encoding="utf-8")  # the example, from the reference
    assert "def scaled_step(" in (release / "solution.py").read_text(encoding="utf-8")
    assert not list(release.rglob("definition.py"))
