"""`gdgrade gradescope-package`: a zip Gradescope can build from, whose run_autograder finds
the submission, grades it and always leaves a valid results.json — tried here against a
fake /autograder tree (GDGRADE_AUTOGRADER_ROOT) with gdgrade already on PATH."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import zipfile
from base64 import urlsafe_b64encode
from pathlib import Path

import pytest
from test_formats_gradescope import check_results

from gdgrade.i18n import text
from grader.commands import gradescope_package

HERE = Path(__file__).parent
LOOPS = HERE / "submissions" / "correct" / "loops.py"


def package(tmp_path: Path, *options: str) -> Path:
    """Build a bundle with the subcommand, as `gdgrade gradescope-package` does."""
    import argparse

    parser = argparse.ArgumentParser()
    gradescope_package.register(parser.add_subparsers(dest="command"))
    out = tmp_path / "autograder.zip"
    args = parser.parse_args(["gradescope-package", "--out", str(out), *options])
    assert args.run(args) == 0
    return out


def autograder_tree(tmp_path: Path, bundle: Path, files: dict[str, bytes]) -> Path:
    """/autograder as Gradescope lays it out: source/ (the zip), submission/, results/."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    for name, data in files.items():
        target = root / "submission" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (root / "submission").mkdir(parents=True, exist_ok=True)
    return root


def launcher(folder: Path, body: str | None = None) -> Path:
    """A `gdgrade` on PATH: the installed one (this interpreter), or a stand-in script."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "gdgrade"
    script.write_text(body or f'#!/bin/sh\nexec "{sys.executable}" -m grader "$@"\n')
    script.chmod(0o755)
    return folder


def run_autograder(root: Path, bin_dir: Path, log: list[str] | None = None) -> dict:
    """Run the bundle's run_autograder; its own output (the instructor's log) goes to `log`."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    env |= {"GDGRADE_AUTOGRADER_ROOT": str(root), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, str(root / "source" / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    if log is not None:
        log.append(done.stdout)
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    check_results(data)
    return data


def test_bundle_holds_the_two_scripts_gradescope_runs_and_a_wheel(tmp_path):
    bundle = package(tmp_path, "--seed", "42")
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    wheels = [n for n in names if n.endswith(".whl")]
    assert {"setup.sh", "run_autograder"} <= names and len(wheels) == 1
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    setup = zipfile.ZipFile(bundle).read("setup.sh").decode()
    assert f"./{wheels[0]}" in setup and "/work/" not in setup  # needs nothing outside
    assert modes["seed"] == stat.S_IFREG | 0o600  # the grader's alone
    assert zipfile.ZipFile(bundle).read("seed") == b"42\n"


def test_bundle_bakes_in_a_random_seed_when_none_is_given_and_tells_the_ta(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    seeds = []
    for folder in ("a", "b"):
        bundle = package(tmp_path / folder)
        seed = zipfile.ZipFile(bundle).read("seed").decode().strip()
        assert seed in capsys.readouterr().out  # shown once, at packaging
        seeds.append(int(seed))
    assert seeds[0] != seeds[1] and all(s >= 2**40 for s in seeds)


def test_a_bundle_cannot_reveal_hidden_cases_to_students(tmp_path):
    import argparse

    from gdgrade.errors import UsageError

    parser = argparse.ArgumentParser()
    gradescope_package.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["gradescope-package", "--out", str(tmp_path / "a.zip"), "--reveal-hidden"]
    )
    with pytest.raises(UsageError, match="published"):
        args.run(args)
    assert not (tmp_path / "a.zip").exists()


def test_bundle_is_reproducible(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = package(tmp_path / "a", "--seed", "42").read_bytes()
    assert package(tmp_path / "b", "--seed", "42").read_bytes() == first


def test_wheel_is_complete_and_its_record_is_true(tmp_path):
    bundle = package(tmp_path)
    with zipfile.ZipFile(bundle) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".whl"))
        (tmp_path / name).write_bytes(archive.read(name))
    with zipfile.ZipFile(tmp_path / name) as wheel:
        files = set(wheel.namelist())
        info = next(n.split("/")[0] for n in files if n.endswith(".dist-info/RECORD"))
        for needed in (
            "grader/cli.py",
            "grader/formats/gradescope.py",
            "gdgrade/locale/ko.json",
            "reference/__init__.py",
            "gdgrade/templates/report.md.j2",
            "gdgrade/exercises/04_gradient_descent/public_cases.json",
            f"{info}/METADATA",
            f"{info}/entry_points.txt",
        ):
            assert needed in files, needed
        assert not any("__pycache__" in n or n.endswith(".pyc") for n in files)
        meta = wheel.read(f"{info}/METADATA").decode()
        assert "Requires-Dist: numpy" in meta and "Requires-Dist: jinja2" in meta
        assert "gdgrade = grader.cli:main" in wheel.read(f"{info}/entry_points.txt").decode()
        for line in wheel.read(f"{info}/RECORD").decode().splitlines():
            path, digest, size = line.rsplit(",", 2)
            if path.endswith("RECORD"):
                continue
            data = wheel.read(path)
            expected = urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert digest == f"sha256={expected}" and int(size) == len(data)


def test_wheel_installs_and_runs_without_this_repository(tmp_path):
    bundle = package(tmp_path)
    with zipfile.ZipFile(bundle) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".whl"))
        (tmp_path / name).write_bytes(archive.read(name))
    target = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run([*pip, "--target", str(target), str(tmp_path / name)], check=True)
    code = (
        "import grader, gdgrade.templates, json\n"
        "from grader.render import FORMATS\n"
        "from gdgrade.i18n import text\n"
        "print(json.dumps([grader.__file__, text('ko', 'ui', 'heading'), sorted(FORMATS)]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    where, heading, formats = json.loads(out.stdout)
    assert where.startswith(str(target))  # imported from the wheel, not from this checkout
    assert heading == text("ko", "ui", "heading") and "gradescope" in formats


def test_no_file_in_the_submission_is_explained_in_valid_results(tmp_path):
    root = autograder_tree(tmp_path, package(tmp_path, "--lang", "en"), {})
    data = run_autograder(root, launcher(tmp_path / "bin"))
    assert data["score"] == 0 and data["tests"] == []
    assert data["output"] == text("en", "gradescope", "no_file")


def test_several_files_are_named_instead_of_guessing(tmp_path):
    files = {"a.py": b"x = 1\n", "b.ipynb": b"{}", "__MACOSX/._a.py": b"", ".hidden.py": b""}
    root = autograder_tree(tmp_path, package(tmp_path, "--lang", "ko"), files)
    data = run_autograder(root, launcher(tmp_path / "bin"))
    assert data["output"] == text("ko", "gradescope", "many_files", files="a.py, b.ipynb")


def test_a_failing_gdgrade_still_leaves_valid_results_without_its_traceback(tmp_path):
    broken = (
        "#!/bin/sh\nfor a; do last=$a; done\necho 'not json' > \"$last\"\n"
        "echo 'Traceback (most recent call last): boom' >&2\nexit 3\n"
    )
    root = autograder_tree(tmp_path, package(tmp_path, "--lang", "en"), {"hw.py": b"x = 1\n"})
    log: list[str] = []
    data = run_autograder(root, launcher(tmp_path / "bin", broken), log)
    assert data["score"] == 0
    assert data["output"] == text("en", "gradescope", "failed", code=3)
    assert "boom" in log[0]  # the instructor's log keeps it; the student never sees it


def test_a_grader_that_runs_out_of_time_still_leaves_valid_results(tmp_path):
    root = autograder_tree(
        tmp_path, package(tmp_path, "--timeout", "1", "--lang", "en"), {"hw.py": b"x = 1\n"}
    )
    data = run_autograder(root, launcher(tmp_path / "bin", "#!/bin/sh\nsleep 30\n"))
    assert data["output"] == text("en", "gradescope", "timeout", seconds=1)


def test_settings_reach_gdgrade_grade(tmp_path):
    assignment = tmp_path / "hw.toml"
    assignment.write_text('exercises = ["gradient_descent"]\n', encoding="utf-8")
    options = ["--seed", "99", "--assignment", str(assignment), "--per-student"]
    bundle = package(tmp_path, *options, "--filename", "hw.py")
    root = autograder_tree(tmp_path, bundle, {"nested/hw.py": b"x = 1\n", "notes.py": b""})
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"id": 4321}]}))
    argv_file = tmp_path / "argv.json"
    record = (
        f"#!{sys.executable}\nimport json, os, sys\n"
        "seen = [os.environ.get('GDGRADE_SEED'), *sys.argv[1:]]\n"
        f"json.dump(seen, open({str(argv_file)!r}, 'w'))\n"
        "out = sys.argv[sys.argv.index('--out') + 1]\n"
        "json.dump({'score': 1.0, 'tests': []}, open(out, 'w'))\n"
    )
    data = run_autograder(root, launcher(tmp_path / "bin", record))
    seed, *argv = json.loads(argv_file.read_text())
    assert argv[:2] == ["grade", str(root / "submission" / "nested" / "hw.py")]
    assert seed == "99" and "--seed" not in argv  # the secret is not on a command line
    assert argv[argv.index("--assignment") + 1] == str(root / "source" / "assignment.toml")
    assert argv[argv.index("--per-student") + 1] == "4321"
    assert argv[argv.index("--format") + 1] == "gradescope"
    assert argv[argv.index("--exercise") + 1] == "gradient_descent"
    assert data["score"] == 1.0


def test_run_autograder_grades_a_real_submission(tmp_path):
    root = autograder_tree(
        tmp_path, package(tmp_path, "--lang", "ko"), {"loops.py": LOOPS.read_bytes()}
    )
    data = run_autograder(root, launcher(tmp_path / "bin"))
    if not data["tests"]:
        pytest.fail(f"grading failed: {data['output']}")
    case_tests = [t for t in data["tests"] if "score" in t]
    assert data["score"] == round(sum(t["score"] for t in case_tests), 2) > 0
    seed = (root / "source" / "seed").read_text().strip()
    assert seed not in json.dumps(data, ensure_ascii=False)
    assert stat.S_IMODE((root / "source" / "seed").stat().st_mode) == 0o600
    assert data["output"].startswith("## " + text("ko", "ui", "heading"))


SECRET = "autograder-secret-7f3a"


def test_a_submitted_symlink_is_not_read_and_the_student_is_told_why(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{SECRET} = 'only the autograder may read this'\n")
    root = autograder_tree(tmp_path, package(tmp_path, "--lang", "en"), {})
    (root / "submission" / "hw.py").symlink_to(secret)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "other.py").write_bytes(LOOPS.read_bytes())
    (root / "submission" / "folder").symlink_to(outside)  # never walked into
    data = run_autograder(root, launcher(tmp_path / "bin"))
    assert data["score"] == 0 and data["tests"] == []
    assert data["output"] == text("en", "gradescope", "not_regular", files="hw.py")
    assert SECRET not in json.dumps(data)


def test_a_hostile_notebook_is_the_students_problem_with_no_traceback(tmp_path):
    deep = '{"nbformat": 4, "metadata": ' + "[" * 100_000 + "]" * 100_000 + ', "cells": []}'
    bundle = package(tmp_path, "--lang", "en", "--seed", "42")
    root = autograder_tree(tmp_path, bundle, {"hw.ipynb": deep.encode()})
    data = run_autograder(root, launcher(tmp_path / "bin"))
    message, reason = data["output"].split("\n\n")
    assert message == text("en", "gradescope", "unreadable", code=2)
    assert reason.endswith(
        "not a valid notebook (JSON nested 100,001 levels deep; the limit is 100)"
    )
    assert "Traceback" not in data["output"] and "not your fault" not in data["output"]


def test_setup_computes_the_hidden_expectations_once_so_runs_only_read_them(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("GDGRADE_CACHE_DIR", str(cache))
    bundle = package(tmp_path, "--exercise", "gradient_descent")
    assert "./run_autograder --warm" in zipfile.ZipFile(bundle).read("setup.sh").decode()
    root = autograder_tree(tmp_path, bundle, {"loops.py": LOOPS.read_bytes()})
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    env |= {"GDGRADE_AUTOGRADER_ROOT": str(root)}
    env["PATH"] = f"{launcher(tmp_path / 'bin')}:{os.environ['PATH']}"
    warm = [sys.executable, str(root / "source" / "run_autograder"), "--warm"]
    subprocess.run(warm, env=env, check=True, timeout=300)
    (entry,) = cache.glob("gradient_descent-*.json")  # the hidden cases of the baked-in seed
    assert not (root / "results" / "results.json").exists()  # no student was graded
    before = entry.stat().st_mtime_ns
    data = run_autograder(root, launcher(tmp_path / "bin"))
    assert data["score"] > 0 and entry.stat().st_mtime_ns == before  # read, not recomputed
    assert list(cache.glob("*.json")) == [entry]


def test_setup_leaves_per_student_hidden_cases_to_each_run(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("GDGRADE_CACHE_DIR", str(cache))
    root = autograder_tree(tmp_path, package(tmp_path, "--per-student"), {})
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    env |= {"GDGRADE_AUTOGRADER_ROOT": str(root)}
    env["PATH"] = f"{launcher(tmp_path / 'bin')}:{os.environ['PATH']}"
    warm = [sys.executable, str(root / "source" / "run_autograder"), "--warm"]
    subprocess.run(warm, env=env, check=True, timeout=300)
    assert not cache.exists()
