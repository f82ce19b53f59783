"""Exercise data in `exercises/` (installed as `gdgrade.exercises`): metadata, public cases.

`exercise.json` is the one place for an exercise's default points, tolerance and rng
fallback; statements quote the same numbers (a test keeps them in step).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from gdgrade.case import Case
from gdgrade.contract import BY_NAME
from gdgrade.json_values import decode


@dataclass(frozen=True)
class RngFallback:
    """Credit for results that reach the reference's loss without following the rng protocol."""

    credit: float
    loss_rtol: float
    seeds: int


@dataclass(frozen=True)
class Exercise:
    id: str
    number: int
    title: dict[str, str]
    points: float
    tolerance: dict[str, Any]
    signature: str = ""
    rng_fallback: RngFallback | None = None

    @property
    def folder(self) -> str:
        return BY_NAME[self.id].folder


def _data_dir() -> Any:
    return resources.files("gdgrade.exercises")


@cache
def load_exercise(exercise_id: str) -> Exercise:
    if exercise_id not in BY_NAME:
        raise KeyError(f"unknown exercise {exercise_id!r}")
    path = _data_dir() / BY_NAME[exercise_id].folder / "exercise.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    fallback = data.get("rng_fallback")
    return Exercise(
        id=data["id"],
        number=int(data["number"]),
        title=dict(data["title"]),
        points=float(data["points"]),
        tolerance=dict(data["tolerance"]),
        signature=data.get("signature", ""),
        rng_fallback=RngFallback(**fallback) if fallback else None,
    )


@cache
def public_cases(exercise_id: str) -> tuple[Case, ...]:
    """The public cases as shipped to students (their stored expected values are not used
    for grading: the trusted side recomputes every expected value from reference/)."""
    path = _data_dir() / BY_NAME[exercise_id].folder / "public_cases.json"
    return cases_from_json(exercise_id, json.loads(path.read_text(encoding="utf-8")))


def cases_from_json(exercise_id: str, data: dict[str, Any]) -> tuple[Case, ...]:
    """The cases of a `public_cases.json` file's content."""
    return tuple(
        Case(
            id=c["id"],
            exercise=exercise_id,
            args=tuple(decode(c["args"])),
            visibility="public",
            weight=float(c.get("weight", 1.0)),
            tags=tuple(c.get("tags", ())),
            title=dict(c.get("title", {})),
        )
        for c in data["cases"]
    )
