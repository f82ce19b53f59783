"""Where each exercise's files live, and reading its metadata.

`exercise.json` is the single source of truth for points, tolerance and the signature
shown to students; everything here only locates and reads files, it computes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gdgrade.contract import BY_NAME, EXERCISE_IDS

ROOT = Path(__file__).resolve().parent
LANGUAGES: tuple[str, ...] = ("ko", "en")


def exercise_dir(exercise: str) -> Path:
    """The folder of one exercise, e.g. `exercises/04_gradient_descent`."""
    return ROOT / BY_NAME[exercise].folder


def metadata(exercise: str) -> dict[str, Any]:
    """The parsed `exercise.json` of one exercise."""
    return json.loads((exercise_dir(exercise) / "exercise.json").read_text(encoding="utf-8"))


def statement_path(exercise: str, lang: str) -> Path:
    return exercise_dir(exercise) / f"statement.{lang}.md"


def starter_path(exercise: str) -> Path:
    return exercise_dir(exercise) / "starter.py"


def cases_path(exercise: str) -> Path:
    return exercise_dir(exercise) / "public_cases.json"


def expectations_path(exercise: str) -> Path:
    return exercise_dir(exercise) / "public_expectations.json"


NOTEBOOK_PATH = ROOT / "starter.ipynb"

__all__ = [
    "EXERCISE_IDS",
    "LANGUAGES",
    "NOTEBOOK_PATH",
    "ROOT",
    "cases_path",
    "exercise_dir",
    "expectations_path",
    "metadata",
    "starter_path",
    "statement_path",
]
