"""Build the student-facing package: statements, starters, the starter notebook, public
cases and the local checker — and nothing that would give the answers away.

The student package `gdgrade` ships whole: it is the folder of everything a student may
have, and it never imports the instructor's side (`grader`: hidden cases, the seed,
expected values computed from the answers) or the answers (`reference`). The build checks
that rule on the import graph (`grader.boundary`) and stops at the first crossing, and it
refuses a third-party import the release does not declare. The checker's expectations for
the public cases are data the exercise builder stored (`public_expectations.json`), checked
here to hold public cases only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gdgrade.contract import BY_NAME, EXERCISE_IDS
from gdgrade.errors import UsageError
from grader import __version__
from grader.boundary import STUDENT_PACKAGE, crossings, import_graph

# Third-party imports the shipped modules may make: the release's dependencies.
DEPENDENCIES = {
    "numpy": "numpy>=1.24",
    "jinja2": "jinja2>=3.1",
    "markupsafe": "markupsafe>=2.1",  # jinja2's own dependency; the templates' Markup
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


class ReleaseError(UsageError):
    """The release cannot be built safely; one line for the instructor."""


@dataclass(frozen=True)
class ReleaseFile:
    path: str  # relative to the release folder, with /
    size: int


# --- which modules ship -----------------------------------------------------------------


def source_root() -> Path:
    """The folder that holds the `gdgrade` package folder."""
    return Path(__file__).resolve().parents[1]


def shipped_modules(root: Path | None = None) -> tuple[dict[str, Path], set[str]]:
    """Every module of the student package (with its file) and the third-party packages
    they import; a crossing into the instructor's side or an undeclared import stops it."""
    root = root or source_root()
    graph = import_graph(root)
    crossing = crossings(root, graph=graph)
    if crossing:
        raise ReleaseError(f"the student package must not import the instructor's: {crossing[0]}")
    shipped: dict[str, Path] = {}
    external: set[str] = set()
    not_third_party = {STUDENT_PACKAGE, "", "__future__", *sys.stdlib_module_names}
    for module, (path, imports) in graph.items():
        shipped[module] = path
        external |= {
            top
            for imp in imports
            if imp.how == "import" and (top := imp.module.split(".")[0]) not in not_third_party
        }
    unknown = external - set(DEPENDENCIES) - OPTIONAL_IMPORTS
    if unknown:
        raise ReleaseError(f"the checker imports undeclared packages: {', '.join(sorted(unknown))}")
    return shipped, external


# --- the student-facing files -----------------------------------------------------------


def solution_text(starters: Iterable[str]) -> str:
    """All the starters in one file (the submission), each import written once."""
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

    from gdgrade.templating import environment

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


def _public_expectations(exercise: str, folder: Path) -> str:
    """The stored expectations, refused if they hold anything but public cases."""
    from gdgrade.public_expectations import STORED_NAME, load

    text = (folder / STORED_NAME).read_text(encoding="utf-8")
    hidden = [e.case.id for e in load(json.loads(text)) if e.case.visibility != "public"]
    if hidden:
        raise ReleaseError(f"{folder / STORED_NAME} holds hidden cases: {', '.join(hidden)}")
    return text


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
    locale = source_root() / STUDENT_PACKAGE / "locale"
    for catalogue in sorted(locale.glob("*.json")):
        _write(src / "gdgrade" / "locale" / catalogue.name, catalogue.read_text(encoding="utf-8"))
    starters = []
    for exercise in EXERCISE_IDS:
        folder = catalog.exercise_dir(exercise)
        data = src / "gdgrade" / "exercises" / folder.name
        _write(data / "exercise.json", (folder / "exercise.json").read_text(encoding="utf-8"))
        _write(data / "public_expectations.json", _public_expectations(exercise, folder))
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
