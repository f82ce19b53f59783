"""The autograder.zip Gradescope builds its image from (gradescope-autograders docs, specs).

Inside: `setup.sh` (run once at image build: installs gdgrade, then `run_autograder
--warm` computes the hidden cases' expected values into gdgrade's private cache),
`run_autograder` (run per submission: grades /autograder/submission into
/autograder/results/results.json, and writes a valid results.json even when grading
fails), gdgrade itself as a wheel, the assignment file if one was given, and `seed`: the
hidden cases' secret seed, baked in at packaging time, readable by its owner only
(run_autograder also makes it so, and hands it to gdgrade in GDGRADE_SEED, never on a
command line; the sandbox scrubs the environment).
The wheel is assembled from the installed gdgrade (packages, templates, exercise data, its
metadata and entry point), so building a bundle needs neither this repository nor a build
backend, and the bundle needs nothing else.
The zip is reproducible: same gdgrade and settings, same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import sys
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from gdgrade.i18n import text
from grader import __version__

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DISTRIBUTION = "gdgrade"
# Archive folder -> importable package: the installed layout of gdgrade.
PACKAGES = {
    "grader": "grader",
    "reference": "reference",
    "gdgrade": "gdgrade",
    "gdgrade/templates": "gdgrade.templates",
    "gdgrade/exercises": "gdgrade.exercises",
}
_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: a reproducible zip
_SKIP = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}


@dataclass(frozen=True)
class BundleSettings:
    grade_args: tuple[str, ...]  # passed to `gdgrade grade` (language, exercises)
    lang: str
    seed: int  # the hidden cases' secret seed
    per_student: bool = False  # each student's own hidden cases, by Gradescope user id
    filename: str | None = None  # the file students must submit; None: any single one
    timeout_s: int = 540
    assignment: bytes | None = None  # the assignment file, copied as assignment.toml


def _package_files(archive_dir: str, folder: Path, skip: set[str]) -> Iterable[tuple[str, Path]]:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        parts = relative.parts
        if any(p in _SKIP or p.startswith(".") for p in parts) or path.suffix == ".pyc":
            continue
        if f"{archive_dir}/{parts[0]}" in skip or not path.is_file():
            continue
        yield f"{archive_dir}/{relative.as_posix()}", path


def source_files() -> dict[str, bytes]:
    """Every file of the installed packages, by its path inside the wheel."""
    files: dict[str, bytes] = {}
    for archive_dir, package in PACKAGES.items():
        folder = Path(str(resources.files(package)))
        nested = {d for d in PACKAGES if d.startswith(archive_dir + "/")}
        for name, path in _package_files(archive_dir, folder, nested):
            files[name] = path.read_bytes()
    return files


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


SECRET_MODE = 0o100600  # a regular file its owner alone may read
SECRETS = ("seed", "assignment.toml")  # the assignment file may hold the seed too


def _zip(
    entries: Mapping[str, bytes], executable: Iterable[str] = (), secret: Iterable[str] = ()
) -> bytes:
    run, hidden = set(executable), set(secret)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, _EPOCH)
            mode = 0o100755 if name in run else SECRET_MODE if name in hidden else 0o100644
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def _source_project() -> dict[str, Any] | None:
    """[project] of the pyproject.toml beside the grader package, when gdgrade runs from a
    source checkout (an editable install): its installed metadata may be older."""
    path = Path(str(resources.files("grader"))).parent / "pyproject.toml"
    try:
        project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return project if project.get("name") == DISTRIBUTION else None


def _with_extra(requirement: str, extra: str) -> str:
    name, _, marker = requirement.partition(";")
    condition = f'extra == "{extra}"'
    if marker.strip():
        condition = f"({marker.strip()}) and {condition}"
    return f"{name.strip()}; {condition}"


def core_metadata(dist: metadata.Distribution) -> str:
    """METADATA for the wheel: from the source checkout's pyproject.toml if there is one,
    else from the installed metadata (a wheel's METADATA or an egg-info's requires.txt)."""
    meta = dist.metadata
    project = _source_project()
    if project is not None:
        requires = list(project.get("dependencies", []))
        for extra, deps in project.get("optional-dependencies", {}).items():
            requires += [_with_extra(d, extra) for d in deps]
        fields = {"Summary": project.get("description")}
        fields["Requires-Python"] = project.get("requires-python")
    else:
        requires = list(dist.requires or [])
        fields = {k: meta.get_all(k, [None])[0] for k in ("Summary", "Requires-Python")}
    extras = sorted({m for r in requires for m in re.findall(r'extra == "([^"]+)"', r)})
    lines = ["Metadata-Version: 2.1", f"Name: {DISTRIBUTION}", f"Version: {__version__}"]
    lines += [f"{k}: {v}" for k, v in fields.items() if v]
    lines += [f"Requires-Dist: {r}" for r in requires]
    lines += [f"Provides-Extra: {e}" for e in extras]
    return "\n".join(lines) + "\n"


def wheel() -> tuple[str, bytes]:
    """gdgrade as a pure-Python wheel: (file name, bytes)."""
    dist = metadata.distribution(DISTRIBUTION)
    version = __version__
    info = f"{DISTRIBUTION}-{version}.dist-info"
    files = source_files()
    files[f"{info}/METADATA"] = core_metadata(dist).encode("utf-8")
    files[f"{info}/entry_points.txt"] = (dist.read_text("entry_points.txt") or "").encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: gdgrade gradescope-package\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = [f"{name},{_record_hash(data)},{len(data)}" for name, data in sorted(files.items())]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    return f"{DISTRIBUTION}-{version}-py3-none-any.whl", _zip(files)


def messages(lang: str) -> dict[str, str]:
    """What run_autograder tells a student when it cannot grade, in the bundle's language
    (baked in: it must work when gdgrade itself is broken)."""
    keys = ("no_file", "many_files", "wrong_file", "not_regular", "unreadable", "failed", "timeout")
    return {k: text(lang, "gradescope", k) for k in (*keys, "not_installed")}


def bundle(settings: BundleSettings, render: Any) -> bytes:
    """The autograder zip; `render(template, **context)` fills in the two scripts."""
    wheel_name, wheel_bytes = wheel()
    baked = {
        "grade_args": list(settings.grade_args),
        "per_student": settings.per_student,
        "filename": settings.filename,
        "timeout_s": settings.timeout_s,
        "messages": messages(settings.lang),
    }
    literal = repr(json.dumps(baked, ensure_ascii=True, indent=1))  # a Python str literal
    entries = {
        "setup.sh": render("gradescope_setup.sh.j2", wheel=wheel_name).encode(),
        "run_autograder": render("gradescope_run_autograder.py.j2", settings=literal).encode(),
        wheel_name: wheel_bytes,
        "seed": f"{settings.seed}\n".encode(),
    }
    if settings.assignment is not None:
        entries["assignment.toml"] = settings.assignment
    return _zip(entries, executable=("setup.sh", "run_autograder"), secret=SECRETS)
