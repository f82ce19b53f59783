"""The student package never imports the instructor's side: the release ships it whole."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.boundary import INSTRUCTOR_ONLY, crossings, imports_in

ROOT = Path(__file__).resolve().parents[1]


def test_no_student_module_imports_the_instructor_side():
    assert [str(c) for c in crossings(ROOT)] == []


@pytest.fixture
def student_copy(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "gdgrade", tmp_path / "gdgrade", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


@pytest.mark.parametrize(
    ("line", "how"),
    [
        ("from grader.hidden_cases import hidden_cases", "import"),
        ("import reference", "import"),
        ("from grader import secret", "import"),
        ("importlib.import_module('grader.expected')", "dynamic"),
        ("CODE = 'import sys; from grader.expected import expect'", "in code text"),
    ],
)
def test_a_student_module_reaching_the_instructor_side_is_caught(student_copy, line, how):
    score = student_copy / "gdgrade" / "score.py"
    text = score.read_text(encoding="utf-8")
    lazy = f"\n\ndef _sneaky() -> None:\n    import importlib  # noqa: F401\n    {line}\n"
    score.write_text(text + lazy, encoding="utf-8")
    (found,) = crossings(student_copy)
    assert found.importer == "gdgrade.score" and found.how == how
    assert found.imported.split(".")[0] in INSTRUCTOR_ONLY
    assert str(found).startswith(f"{score}:")


def test_relative_imports_resolve_inside_the_package(student_copy):
    child = student_copy / "gdgrade" / "sandbox" / "child.py"
    child.write_text(child.read_text(encoding="utf-8") + "\nfrom ..score import total\n")
    assert crossings(student_copy) == []
    modules = {i.module for i in imports_in(child, "gdgrade.sandbox.child")}
    assert "gdgrade.score" in modules


def test_every_student_module_imports_with_the_instructor_side_absent():
    """Run-time check: each module of the package, imported in a fresh interpreter in which
    `grader` and `reference` cannot be found (as in the student release)."""
    program = f"""
import importlib, importlib.abc, pkgutil, sys
BLOCKED = {sorted(INSTRUCTOR_ONLY)!r}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Block())
import gdgrade
for info in pkgutil.walk_packages(gdgrade.__path__, "gdgrade."):
    importlib.import_module(info.name)
print("imported", len(sys.modules))
"""
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("imported")
