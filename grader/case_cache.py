"""A disk cache of computed expectations, so a case set is computed once, not per run.

Computing a case set (derivatives and error bounds of the test functions, every mistake
variant, other shuffles) costs a second; a key made of everything the result depends on —
the grader's and reference's sources (gdgrade.symbolic's differentiator among them), the
numpy version, the exercise data, the seed and the student — makes a stale entry
impossible to hit. The cache holds hidden expected values: it lives in the
grader's own cache folder, private to its user (0700), which the sandbox hides from
student code. Any failure to read or write it only costs time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

from gdgrade.cache_folder import CACHE_ENV, cache_dir
from gdgrade.contract import BY_NAME
from gdgrade.expectation import Expectation, from_json, to_json

__all__ = ["CACHE_ENV", "cache_dir", "cached"]


# The packages whose sources computed expectations depend on. gdgrade.exercises (the
# exercise folders: case inputs, folder definitions) is a folder of its own in a source
# checkout, not inside gdgrade's.
DIGESTED_PACKAGES = ("grader", "gdgrade", "gdgrade.exercises", "reference")


def digested_sources() -> list[Path]:
    paths: set[Path] = set()
    for package in DIGESTED_PACKAGES:
        spec = importlib.util.find_spec(package)
        roots = spec.submodule_search_locations if spec else None
        for root in roots or ():
            paths.update(Path(root).rglob("*.py"))
    return sorted(paths)


@cache
def code_digest() -> str:
    """Every source computed expectations depend on: both packages of the grader (test
    functions, their derivatives, comparison and cases live in gdgrade too), the exercise
    folders and the reference, and the version of numpy."""
    import numpy

    h = hashlib.sha256(numpy.__version__.encode())
    for path in digested_sources():
        h.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def exercise_digest(exercise: str) -> str:
    h = hashlib.sha256(code_digest().encode())
    folder = resources.files("gdgrade.exercises") / BY_NAME[exercise].folder
    for name in ("exercise.json", "public_cases.json"):
        h.update((folder / name).read_bytes())
    return h.hexdigest()


def write_quietly(path: Path, text: str) -> None:
    """Atomic and private; an unwritable cache only costs time."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except OSError:
        pass


def cached(
    name: str, exercise: str, compute: Callable[[], tuple[Expectation, ...]]
) -> tuple[Expectation, ...]:
    """The expectations stored under `name` (which must encode every input besides the
    code and the exercise data), computing and storing them on a miss."""
    key = hashlib.sha256(f"{name}\0{exercise_digest(exercise)}".encode()).hexdigest()[:32]
    path = cache_dir() / f"{exercise}-{key}.json"
    try:
        return from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    items = compute()
    write_quietly(path, json.dumps(to_json(exercise, items)))
    return items
