"""Build the student-facing package: statements, starters, the starter notebook, public
cases and the local checker — and nothing that would give the answers away.

What is shipped is decided by following imports from the checker's entry modules, so a
module is in the release only because the checker needs it. Secrets are refused:
`reference/` (the answers and the mistakes' code), the hidden-case generator
(`grader.cases`), the assignment file reader (the instructor's seed), the
grading driver and this builder. The checker's expectations for the public cases are
computed here, by the trusted grader, and shipped as data (`public_expectations.json`).

A shipped module that imports `reference/`, anywhere in it, stops the build: the modules
the checker needs are written so that they never do, and are copied as they are.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import importlib.util
import json
import shutil
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gdgrade.contract import BY_NAME, EXERCISE_IDS
from grader import __version__

ENTRY_MODULES = (
    "gdgrade",
    "gdgrade.checker",
    "gdgrade.display",
    "gdgrade.public_expectations",
    "gdgrade.kernel_source",
    "gdgrade.losses",
    "gdgrade.notebook_check",
    "gdgrade.pytest_plugin",
    "gdgrade.student_cli",
    "gdgrade.commands.check",
    "gdgrade.sandbox.portable_child",  # started by name (portable.bootstrap_code)
)
OUR_PACKAGES = ("grader", "gdgrade")
SECRET_MODULES = (
    "reference",
    "grader.cases",
    "grader.assignment",
    "grader.grade",
    "grader.cli",
    "grader.release",
    "grader.commands.grade",
    "grader.commands.release",
)
# Third-party imports the shipped modules may make: the release's dependencies.
DEPENDENCIES = {
    "numpy": "numpy>=1.24",
    "sympy": "sympy>=1.12",
    "jinja2": "jinja2>=3.1",
    "pytest": "pytest>=7",
}
OPTIONAL_IMPORTS = frozenset({"nbformat", "IPython"})  # imported lazily, guarded
DATA_PACKAGES = ("gdgrade.exercises", "gdgrade.templates")
PACKAGE_DATA = {
    "gdgrade": ["locale/*.json"],
    "gdgrade.exercises": ["*/*.json"],
    "gdgrade.templates": ["*.j2"],
}
STUDENT_EXERCISE_FILES = ("statement.ko.md", "statement.en.md", "starter.py", "public_cases.json")
PACKAGE_EXERCISE_FILES = ("exercise.json",)
SUBMISSION_NAME = "solution.py"
DISTRIBUTION = "gdgrade-student"
WHEEL_FILE = (
    "Wheel-Version: 1.0\nGenerator: gdgrade release\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
)
# The pytest plugin is an entry point, so `--submission` is known before pytest looks
# for its root directory (a path given to an unknown option would be taken as a test path).
ENTRY_POINTS = (
    "[console_scripts]\ngdgrade = gdgrade.student_cli:main\n\n"
    "[pytest11]\ngdgrade = gdgrade.pytest_plugin\n"
)
TEST_PUBLIC = '''"""공개 사례 확인 / public checks: `pytest`, `pytest --submission=starter.ipynb`,
`pytest -k sgd`, `pytest --lang en`. 최종 점수에는 비공개 사례도 쓰입니다 /
the final grade also uses hidden cases."""

import pytest

from gdgrade.pytest_plugin import EXERCISES, assert_public_cases


@pytest.mark.parametrize("exercise", EXERCISES)
def test_public_cases(exercise, public_check, check_lang):
    assert_public_cases(public_check, exercise, check_lang)
'''


class ReleaseError(Exception):
    """The release cannot be built safely; one line for the instructor."""


@dataclass(frozen=True)
class ReleaseFile:
    path: str  # relative to the release folder, with /
    size: int


# --- which modules ship -----------------------------------------------------------------


def _is_secret(module: str) -> bool:
    return any(module == s or module.startswith(s + ".") for s in SECRET_MODULES)


def _ours(module: str) -> bool:
    return module.split(".")[0] in OUR_PACKAGES


def _module_file(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ReleaseError(f"cannot find the source of module {module}")
    return Path(spec.origin)


def _is_package(module: str) -> bool:
    return _module_file(module).name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module if _is_package(module) else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    return f"{base}.{node.module}" if node.module else base


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def imports_of(module: str, tree: ast.AST) -> list[tuple[str, ast.stmt]]:
    """Every module this one imports, at any depth (lazy imports count), with the node."""
    found: list[tuple[str, ast.stmt]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            found.append((target, node))
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if _ours(sub) and _is_module(sub):
                    found.append((sub, node))
    return found


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def shipped_modules() -> tuple[dict[str, Path], set[str]]:
    """Our modules the checker needs (with their files) and the third-party ones."""
    todo = list(ENTRY_MODULES)
    shipped: dict[str, Path] = {}
    external: set[str] = set()
    while todo:
        module = todo.pop()
        if module in shipped:
            continue
        if _is_secret(module):
            raise ReleaseError(f"the checker would ship secret module {module}")
        path = _module_file(module)
        shipped[module] = path
        todo += [p for p in _parents(module) if p not in shipped]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target, _node in imports_of(module, tree):
            top = target.split(".")[0]
            if top == "reference":
                raise ReleaseError(f"{module} imports {target}: the checker must not need it")
            if _ours(target):
                if _is_secret(target):
                    raise ReleaseError(f"{module} imports secret module {target}")
                if _is_module(target):
                    todo.append(target)
            elif top and top not in sys.stdlib_module_names and top != "__future__":
                external.add(top)
    unknown = external - set(DEPENDENCIES) - OPTIONAL_IMPORTS
    if unknown:
        raise ReleaseError(f"the checker imports undeclared packages: {', '.join(sorted(unknown))}")
    return shipped, external


# --- the student-facing files -----------------------------------------------------------


def solution_text(starters: Iterable[str]) -> str:
    """All nine starters in one file (the submission), each import written once."""
    seen: set[str] = set()
    parts: list[str] = [
        '"""경사하강법 실습 제출 파일 / Gradient descent exercises: your submission.\n\n'
        "TODO를 채우고 raise NotImplementedError를 지우세요. 확인: gdgrade check solution.py\n"
        "Fill in the TODOs and delete raise NotImplementedError. "
        'Check: gdgrade check solution.py\n"""\n'
    ]
    for text in starters:
        kept = []
        for line in text.split("\n"):
            is_import = line.startswith(("import ", "from ")) and not line.startswith(" ")
            key = line.split("#")[0].strip()
            if is_import and key in seen:
                continue
            if is_import:
                seen.add(key)
            kept.append(line)
        parts.append("\n".join(kept).strip("\n") + "\n")
    return "\n\n".join(parts)


def readme_text(version: str) -> str:
    from gdgrade.exercises import catalog

    from gdgrade.display import environment

    exercises = [
        {
            "number": BY_NAME[e].number,
            "id": e,
            "folder": BY_NAME[e].folder,
            "title": catalog.metadata(e)["title"],
        }
        for e in EXERCISE_IDS
    ]
    template = environment().get_template("check_readme.md.j2")
    wheel = f"dist/{DISTRIBUTION.replace('-', '_')}-{version}-py3-none-any.whl"
    return template.render(
        version=version, exercises=exercises, submission=SUBMISSION_NAME, wheel=wheel
    )


def pyproject_text(version: str, packages: list[str]) -> str:
    deps = ", ".join(json.dumps(d) for d in DEPENDENCIES.values())
    package_list = ", ".join(json.dumps(p) for p in packages)
    data = "\n".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in PACKAGE_DATA.items())
    return f"""[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{DISTRIBUTION}"
version = "{version}"
description = "경사하강법 실습: 문제, 시작 코드, 공개 사례 확인 / gradient descent exercises"
readme = "README.md"
requires-python = ">=3.10"
dependencies = [{deps}]

[project.scripts]
gdgrade = "gdgrade.student_cli:main"

[project.entry-points.pytest11]
gdgrade = "gdgrade.pytest_plugin"

[tool.setuptools]
package-dir = {{"" = "src"}}
packages = [{package_list}]

[tool.setuptools.package-data]
{data}

[tool.pytest.ini_options]
testpaths = ["test_public.py"]
"""


# --- building ---------------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _module_dest(src: Path, module: str) -> Path:
    parts = module.split(".")
    if src.name == "__init__.py":
        return Path(*parts, "__init__.py")
    return Path(*parts[:-1], parts[-1] + ".py")


def _public_expectations(exercise: str) -> str:
    from gdgrade.public_expectations import computed, dump

    return json.dumps(dump(exercise, computed(exercise)), ensure_ascii=False) + "\n"


def build_release(out: str | Path, force: bool = False) -> list[ReleaseFile]:
    """Write the student package into `out` (which must be new or empty unless `force`)."""
    from gdgrade.exercises import catalog

    root = Path(out)
    if root.exists() and any(root.iterdir()):
        if not force:
            raise ReleaseError(f"{root} is not empty (use --force to replace it)")
        shutil.rmtree(root)
    modules, _ = shipped_modules()
    src = root / "src"
    for module, path in sorted(modules.items()):
        _write(src / _module_dest(path, module), path.read_text(encoding="utf-8"))
    _write(src / "gdgrade" / "exercises" / "__init__.py", '"""Exercise data (public)."""\n')
    _write(src / "gdgrade" / "templates" / "__init__.py", "")
    templates = catalog.ROOT.parent / "templates"
    for template in sorted(templates.glob("check*.j2")):
        if template.name != "check_readme.md.j2":
            shutil.copyfile(template, src / "gdgrade" / "templates" / template.name)
    locale = _module_file("gdgrade").parent / "locale"
    for catalogue in sorted(locale.glob("*.json")):
        _write(src / "gdgrade" / "locale" / catalogue.name, catalogue.read_text(encoding="utf-8"))
    starters = []
    for exercise in EXERCISE_IDS:
        folder = catalog.exercise_dir(exercise)
        data = src / "gdgrade" / "exercises" / folder.name
        for name in PACKAGE_EXERCISE_FILES:
            _write(data / name, (folder / name).read_text(encoding="utf-8"))
        _write(data / "public_expectations.json", _public_expectations(exercise))
        for name in STUDENT_EXERCISE_FILES:
            _write(root / "exercises" / folder.name / name, (folder / name).read_text("utf-8"))
        starters.append(catalog.starter_path(exercise).read_text(encoding="utf-8"))
    shutil.copyfile(catalog.NOTEBOOK_PATH, root / "starter.ipynb")
    _write(root / SUBMISSION_NAME, solution_text(starters))
    _write(root / "test_public.py", TEST_PUBLIC)
    _write(root / "README.md", readme_text(__version__))
    packages = {m for m, p in modules.items() if p.name == "__init__.py"} | set(DATA_PACKAGES)
    _write(root / "pyproject.toml", pyproject_text(__version__, sorted(packages)))
    build_wheel(root, __version__)
    return listing(root)


# --- the wheel: installable offline with one pip command, no build tools needed ----------


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _metadata(version: str, readme: str) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {DISTRIBUTION}",
        f"Version: {version}",
        "Summary: gradient descent exercises: statements, starters and the public check",
        "Requires-Python: >=3.10",
        *(f"Requires-Dist: {d}" for d in DEPENDENCIES.values()),
        "Description-Content-Type: text/markdown",
    ]
    return "\n".join(lines) + "\n\n" + readme


def build_wheel(root: Path, version: str) -> Path:
    """A pure-Python wheel (PEP 427) of `root/src`, written without setuptools."""
    name = DISTRIBUTION.replace("-", "_")
    info = f"{name}-{version}.dist-info"
    files: list[tuple[str, bytes]] = [
        (p.relative_to(root / "src").as_posix(), p.read_bytes())
        for p in sorted((root / "src").rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    ]
    readme = (root / "README.md").read_text(encoding="utf-8")
    files += [
        (f"{info}/METADATA", _metadata(version, readme).encode()),
        (f"{info}/WHEEL", WHEEL_FILE.encode()),
        (f"{info}/entry_points.txt", ENTRY_POINTS.encode()),
    ]
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in files)
    record += f"{info}/RECORD,,\n"
    files.append((f"{info}/RECORD", record.encode()))
    wheel = root / "dist" / f"{name}-{version}-py3-none-any.whl"
    wheel.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in files:
            entry = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            zf.writestr(entry, data, zipfile.ZIP_DEFLATED)
    return wheel


def listing(root: Path) -> list[ReleaseFile]:
    return [
        ReleaseFile(p.relative_to(root).as_posix(), p.stat().st_size)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]
