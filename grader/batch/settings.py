"""The grading settings a stored result depends on, reduced to one key.

A result is reused on a later run only when its submission's content (sha256) and this key
are unchanged. The key covers everything that changes what is stored: seed, per-student
cases, exercises and their points, hidden-case handling, language and format of the stored
report, sandbox limits, the gdgrade version and the exercise data it grades against.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

from gdgrade.contract import BY_NAME
from gdgrade.sandbox import Limits
from grader import __version__
from grader.assignment import Assignment
from grader.batch.gradebook import Settings


@cache
def exercise_data_fingerprint(exercises: tuple[str, ...]) -> str:
    """Hash of the exercise files the grader reads (points, tolerances, public cases)."""
    digest = hashlib.sha256()
    for exercise in exercises:
        folder = resources.files("gdgrade.exercises") / BY_NAME[exercise].folder
        for name in ("exercise.json", "public_cases.json"):
            digest.update(name.encode())
            digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]


def settings_for(assignment: Assignment, limits: Limits, feedback_format: str) -> Settings:
    """The run's settings; `assignment.seed` must be set (the batch makes one if needed)."""
    if assignment.seed is None:
        raise ValueError("a batch needs its seed before its settings")
    described: dict[str, Any] = {
        "seed": assignment.seed,
        "per_student": assignment.per_student,
        "exercises": list(assignment.exercises),
        "points": {e: assignment.points_for(e) for e in assignment.exercises},
        "hidden": assignment.hidden,
        "public_share": assignment.public_share,
        "reveal_hidden": assignment.reveal_hidden,
        "hidden_visibility": assignment.hidden_visibility,
        "lang": assignment.lang,
        "feedback_format": feedback_format,
        "limits": limits.to_json(),
        "grader_version": __version__,
        "exercise_data": exercise_data_fingerprint(assignment.exercises),
    }
    canonical = json.dumps(described, sort_keys=True, separators=(",", ":"))
    return Settings(
        key=hashlib.sha256(canonical.encode()).hexdigest()[:20],
        seed=assignment.seed,
        per_student=assignment.per_student,
        exercises=assignment.exercises,
        lang=assignment.lang,
        grader_version=__version__,
        described=described,
    )
