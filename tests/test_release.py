"""`gdgrade release`: the student package holds no secret, installs alone, and checks the
way `gdgrade check` does in the full install."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import numpy as np
import pytest

from gdgrade import public_expectations as stored
from gdgrade.checker import judge_exercise
from gdgrade.contract import EXERCISE_IDS
from gdgrade.exercise_data import public_cases
from gdgrade.i18n import text
from gdgrade.json_values import encode
from gdgrade.sandbox import Sandbox
from gdgrade.submission import load_submission
from grader.expected import expectations
from grader.release import (
    DISTRIBUTION,
    ReleaseError,
    build_release,
    shipped_modules,
)

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT = SUBMISSIONS / "correct" / "loops.py"
BUGGY = SUBMISSIONS / "gradient_descent" / "path_includes_start.py"
INSTRUCTOR_SEED = 7_391_204_583  # what an instructor might have set while building
OLD_DEFAULT_SEED = 20261129  # the built-in seed earlier versions had; no release may carry it
PIP = (sys.executable, "-m", "pip")
PIP_OPTIONS = ("--no-deps", "--disable-pip-version-check")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "gdgrade-student"
    saved = os.environ.get("GDGRADE_SEED")
    os.environ["GDGRADE_SEED"] = str(INSTRUCTOR_SEED)
    try:
        build_release(out)
    finally:
        if saved is None:
            os.environ.pop("GDGRADE_SEED", None)
        else:
            os.environ["GDGRADE_SEED"] = saved
    return out


def release_texts(root: Path) -> dict[str, str]:
    """Every file of the release, and every member of its wheel, as text."""
    texts: dict[str, str] = {}
    for path in root.rglob("*"):
        if path.is_file() and path.suffix != ".whl":
            texts[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    for wheel in root.glob("dist/*.whl"):
        with zipfile.ZipFile(wheel) as zf:
            for name in zf.namelist():
                texts[f"{wheel.name}!{name}"] = zf.read(name).decode("utf-8")
    return texts


# --- what is in it ----------------------------------------------------------------------


def test_release_has_no_reference_hidden_generator_or_seed(release):
    texts = release_texts(release)
    names = [n.split("!")[-1] for n in texts]
    assert not [n for n in names if n.startswith(("reference/", "src/reference/"))]
    for secret in (
        "hidden_cases.py",
        "assignment.py",
        "grade.py",
        "release.py",
        "cli.py",
        "build.py",
    ):
        assert not [n for n in names if n.endswith(f"grader/{secret}")], secret
    assert not [n for n in names if n.endswith("exercises/build.py")]
    for name, content in texts.items():
        if not name.endswith(".py"):
            continue
        tree = ast.parse(content)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not [a for a in node.names if a.name.split(".")[0] == "reference"], name
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "reference", name
                assert node.module not in ("grader.hidden_cases", "grader.assignment"), name
    for seed in (OLD_DEFAULT_SEED, INSTRUCTOR_SEED):
        token = re.compile(rf"(?<![\d.]){seed}(?![\d.])")
        assert not [n for n, t in texts.items() if token.search(t)], seed
    assert not [n for n, t in texts.items() if "DEFAULT_SEED" in t or "hidden_cases" in t]


def test_release_ships_public_cases_only(release):
    from gdgrade.exercises import catalog

    for exercise in EXERCISE_IDS:
        folder = catalog.exercise_dir(exercise).name
        path = release / "src" / "gdgrade" / "exercises" / folder / stored.STORED_NAME
        data = json.loads(path.read_text(encoding="utf-8"))
        ids = [e["case"]["id"] for e in data["expectations"]]
        assert ids == [c.id for c in public_cases(exercise)]
        assert {e["case"]["visibility"] for e in data["expectations"]} == {"public"}


def test_release_has_what_a_student_needs(release):
    for exercise in EXERCISE_IDS:
        from gdgrade.exercises import catalog

        folder = release / "exercises" / catalog.exercise_dir(exercise).name
        for name in ("statement.ko.md", "statement.en.md", "starter.py", "public_cases.json"):
            assert (folder / name).is_file(), folder / name
    readme = (release / "README.md").read_text(encoding="utf-8")
    assert "## 한국어" in readme and "## English" in readme
    assert "gdgrade check solution.py" in readme and 'check("sgd")' in readme
    assert json.loads((release / "starter.ipynb").read_text(encoding="utf-8"))["cells"]
    solution = ast.parse((release / "solution.py").read_text(encoding="utf-8"))
    defined = [n.name for n in solution.body if isinstance(n, ast.FunctionDef)]
    assert defined == list(EXERCISE_IDS)
    assert len(list(release.glob("dist/*.whl"))) == 1


def test_release_refuses_to_overwrite_a_folder(release):
    with pytest.raises(ReleaseError, match="not empty"):
        build_release(release)


def test_builder_refuses_a_student_package_that_imports_the_instructors(tmp_path):
    shutil.copytree(
        ROOT / "gdgrade", tmp_path / "gdgrade", ignore=shutil.ignore_patterns("__pycache__")
    )
    checker = tmp_path / "gdgrade" / "checker.py"
    checker.write_text(checker.read_text(encoding="utf-8") + "\nfrom grader import grade\n")
    with pytest.raises(ReleaseError, match=r"gdgrade\.checker imports grader"):
        shipped_modules(tmp_path)


def test_the_release_ships_the_student_package_whole(release):
    shipped = {p.relative_to(release / "src").as_posix() for p in (release / "src").rglob("*.py")}
    package = {p.relative_to(ROOT).as_posix() for p in (ROOT / "gdgrade").rglob("*.py")}
    assert package <= shipped
    assert {s.split("/")[0] for s in shipped} == {"gdgrade"}
    assert shipped - package == {"gdgrade/exercises/__init__.py", "gdgrade/templates/__init__.py"}


def test_checker_needs_no_undeclared_package():
    modules, external = shipped_modules()
    assert all(m.split(".")[0] == "gdgrade" for m in modules)
    assert external <= {"numpy", "jinja2", "markupsafe", "pytest", "nbformat", "IPython"}


def test_public_loss_equals_the_references():
    from gdgrade.losses import loss
    from reference.least_squares import loss as reference_loss

    rng = np.random.default_rng(3)
    for m, d in ((1, 1), (5, 2), (40, 4)):
        X, y, w = rng.normal(size=(m, d)), rng.normal(size=m), rng.normal(size=d)
        assert loss(X, y, w) == reference_loss(X, y, w)


# --- stored expectations give the same verdicts ----------------------------------------


def _verdicts(report_like) -> list[tuple]:
    return [
        (
            c.id,
            c.verdict,
            c.result.status,
            c.result.score,
            tuple(d.id for d in c.result.diagnoses),
            tuple((case.id, case.status, case.credit) for case in c.result.cases),
        )
        for c in report_like
    ]


def test_stored_expectations_give_the_verdicts_of_the_reference_on_every_sample():
    """For every sample submission: judged with expectations computed from reference/ and
    with the release's stored copy (JSON round trip), the verdicts are identical. (Samples
    that only time out are left out: their verdict uses no expectation, and each costs
    seconds of waiting.)"""
    from gdgrade.checker import ExerciseCheck, verdict_of

    manifest = [
        entry
        for entry in json.loads((SUBMISSIONS / "manifest.json").read_text(encoding="utf-8"))
        if not any("timeout" in e.get("diagnoses", ()) for e in entry["expect"].values())
    ]
    assert len(manifest) > 60
    computed = {e: expectations(public_cases(e)) for e in EXERCISE_IDS}
    shipped = {e: stored.public_expectations(e) for e in EXERCISE_IDS}
    for e in EXERCISE_IDS:
        assert [encode(x.case.args) for x in computed[e]] == [
            encode(x.case.args) for x in shipped[e]
        ]
    with Sandbox() as sandbox:
        for entry in manifest:
            submission = load_submission(SUBMISSIONS / entry["file"])
            about = [e for e in EXERCISE_IDS if e in entry["expect"]]
            run = sandbox.run(submission, {e: [x.case.args for x in computed[e]] for e in about})
            sides = []
            for sets in (computed, shipped):
                results = [judge_exercise(e, sets[e], run, submission.source) for e in about]
                sides.append(_verdicts(ExerciseCheck(r, verdict_of(r)) for r in results))
            assert sides[0] == sides[1], entry["file"]


# --- installed alone --------------------------------------------------------------------


@pytest.fixture(scope="module")
def student_env(release, tmp_path_factory):
    """A fresh venv with only the release installed (its dependencies are reached through
    a path entry to this interpreter's site-packages, whose .pth files, among them the
    editable install of the full gdgrade, are not run)."""
    venv = tmp_path_factory.mktemp("venv") / "student"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (wheel,) = release.glob("dist/*.whl")
    subprocess.run(
        [*PIP, "--python", str(python), "install", "-q", *PIP_OPTIONS, str(wheel)],
        check=True,
    )
    return venv


def in_env(venv: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "GDGRADE"))}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def without_timing(output: str) -> str:
    return "\n".join(line for line in output.splitlines() if not re.search(r"\d\.\d\d", line))


def test_installed_release_cannot_import_reference(student_env, release):
    python = str(student_env / "bin" / "python")
    done = in_env(student_env, python, "-c", "import reference", cwd=release)
    assert done.returncode == 1 and "No module named 'reference'" in done.stderr
    done = in_env(student_env, python, "-c", "import grader.hidden_cases", cwd=release)
    assert done.returncode == 1 and "No module named 'grader'" in done.stderr


@pytest.mark.parametrize("path", [CORRECT, BUGGY])
def test_installed_check_says_what_the_full_install_says(student_env, release, path, capsys):
    from grader.cli import main

    full_code = main(["check", str(path)])
    full = capsys.readouterr().out
    done = in_env(student_env, "gdgrade", "check", str(path), cwd=release)
    assert done.returncode == full_code, done.stderr
    assert without_timing(done.stdout) == without_timing(full)


def test_pytest_in_the_release_gives_the_check_messages(student_env, release):
    python = str(student_env / "bin" / "python")
    untouched = in_env(student_env, python, "-m", "pytest", "-p", "no:cacheprovider", cwd=release)
    assert untouched.returncode == 0, untouched.stdout
    assert "9 skipped" in untouched.stdout
    good = in_env(
        student_env,
        python,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--submission={CORRECT}",
        cwd=release,
    )
    assert good.returncode == 0 and "9 passed" in good.stdout, good.stdout
    bad = in_env(
        student_env,
        python,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--submission={BUGGY}",
        "--lang",
        "en",
        cwd=release,
    )
    assert bad.returncode == 1
    assert "1 failed, 8 skipped" in bad.stdout
    assert text("en", "mistakes", "path_includes_start", "title") in bad.stdout
    assert text("en", "mistakes", "path_includes_start", "hint") in bad.stdout
    assert "test_public_cases[gradient_descent]" in bad.stdout


def test_wheel_metadata_names_the_dependencies(release):
    (wheel,) = release.glob("dist/*.whl")
    with zipfile.ZipFile(wheel) as zf:
        info = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(info).decode()
        points = zf.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert f"Name: {DISTRIBUTION}" in metadata
    for dependency in ("numpy", "jinja2", "pytest"):
        assert f"Requires-Dist: {dependency}" in metadata
    assert "sympy" not in metadata  # the derivatives come from gdgrade.symbolic
    assert "gdgrade = gdgrade.student_cli:main" in points
    assert "gdgrade = gdgrade.pytest_plugin" in points
