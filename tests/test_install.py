"""gdgrade installed from a wheel (not editable) into a fresh venv still finds its
templates, exercise data and catalogues, and grades a submission end to end."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import tomllib
from support import TOTAL_POINTS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "submissions" / "correct" / "vectorised.py"


def test_every_python_package_is_listed_for_installation():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("grader", "gdgrade", "reference")
        for p in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A venv with gdgrade installed from a freshly built wheel; the dependencies come
    from this interpreter's site-packages as a plain path entry (no network, and no
    editable gdgrade leaking in: .pth files of a plain path entry are not processed)."""
    work = tmp_path_factory.mktemp("install")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip().splitlines()[-1:]}")
    (wheel,) = work.glob("gdgrade-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.check_output(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True,
    ).strip()
    (Path(purelib) / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    target = ["--target", purelib, "--no-deps", "--no-index", "-q", str(wheel)]
    subprocess.run([sys.executable, "-m", "pip", "install", *target], check=True)
    (Path(purelib) / "beside_gdgrade.py").write_text("VALUE = 1.0\n", encoding="utf-8")
    return python, work


def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["GDGRADE_SEED"] = "4411952087312398761"  # the instructor's secret, as CI would set it
    return subprocess.run(
        [str(python), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def test_installed_wheel_is_not_the_checkout(installed):
    python, work = installed
    where = _run(python, "-c", "import grader, gdgrade.exercises; print(grader.__file__)", cwd=work)
    assert where.returncode == 0, where.stderr
    assert str(ROOT) not in where.stdout


def test_installed_wheel_grades_with_its_own_data_and_templates(installed):
    python, work = installed
    out = work / "report.json"
    done = _run(
        python,
        "-m",
        "grader",
        "grade",
        str(SAMPLE),
        "--format",
        "json",
        "--out",
        str(out),
        cwd=work,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["score"] == report["max_score"] == TOTAL_POINTS
    text = _run(python, "-m", "grader", "grade", str(SAMPLE), "--lang", "en", cwd=work)
    assert text.returncode == 0, text.stderr
    assert "100 / 100" in text.stdout


def test_installed_grader_lets_students_import_what_is_installed_beside_it(installed, tmp_path):
    """Only the grader's own packages are hidden from student code, not the site-packages
    they are installed in (beside_gdgrade.py sits next to them)."""
    python, work = installed
    submission = tmp_path / "imports.py"
    submission.write_text(
        "import sympy\nimport beside_gdgrade\n\ndef gradient_step(x, grad, learning_rate):\n"
        "    return x - learning_rate * grad\n",
        encoding="utf-8",
    )
    out = work / "imports.json"
    args = ["-m", "grader", "grade", str(submission), "--exercise", "gradient_step"]
    done = _run(python, *args, "--format", "json", "--out", str(out), cwd=work)
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["load"]["problems"] == []
    assert report["score"] == report["max_score"]
    secret = tmp_path / "secret.py"
    secret.write_text(
        "try:\n    from reference.descent import gradient_step as answer\n"
        "except Exception:\n    answer = None\n"
        "def gradient_step(x, grad, learning_rate):\n"
        "    return 0.0 if answer is None else answer(x, grad, learning_rate)\n",
        encoding="utf-8",
    )
    out = work / "secret.json"
    args = ["-m", "grader", "grade", str(secret), "--exercise", "gradient_step"]
    done = _run(python, *args, "--format", "json", "--out", str(out), cwd=work)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["score"] == 0
