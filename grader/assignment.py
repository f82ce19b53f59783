"""Grading settings: which exercises and points, the hidden-case seed, visibility, language.

An instructor's assignment file (TOML) overrides the defaults shipped in exercises/;
`--seed` and the GDGRADE_SEED environment variable override the file's seed. There is no
default seed: the seed is the instructor's secret (grader.secret).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gdgrade.contract import EXERCISE_IDS
from gdgrade.errors import UsageError
from gdgrade.exercise_data import load_exercise
from gdgrade.i18n import DEFAULT_LANG, LANGUAGES
from gdgrade.score import PUBLIC_SHARE
from gdgrade.visibility import DEFAULT_LEVEL, LEVELS
from grader.deadline import Deadline, DeadlineError, parse_deadline
from grader.secret import SEED_LIMIT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SEED_ENV = "GDGRADE_SEED"
NO_SEED = (
    "hidden cases need the instructor's secret seed: set GDGRADE_SEED (in CI, from a secret "
    "of the CI system), or put seed = ... in the assignment file, or pass --seed"
)


class AssignmentError(UsageError, ValueError):
    """A bad assignment file or setting; the message is one line for the user."""


@dataclass(frozen=True)
class Assignment:
    exercises: tuple[str, ...] = EXERCISE_IDS
    points: Mapping[str, float] = field(default_factory=dict)
    seed: int | None = None  # the instructor's secret; None: not given
    per_student: bool = False
    hidden: bool = True  # grade hidden cases too (False: public cases only, as `check`)
    reveal_hidden: bool = False  # the TA's record: hidden cases in full, not for students
    hidden_visibility: str = DEFAULT_LEVEL  # what students see of hidden cases (visibility)
    lang: str = DEFAULT_LANG
    title: str = ""
    deadline: Deadline | None = None  # [deadline]: due date, grace, late penalties
    public_share: float = PUBLIC_SHARE  # most of an exercise's points its public cases carry

    def points_for(self, exercise: str) -> float:
        return float(self.points.get(exercise, load_exercise(exercise).points))

    def only(self, exercises: tuple[str, ...]) -> Assignment:
        unknown = [e for e in exercises if e not in EXERCISE_IDS]
        if unknown:
            raise AssignmentError(
                f"unknown exercise {unknown[0]!r}; choose from: {', '.join(EXERCISE_IDS)}"
            )
        return replace(self, exercises=tuple(e for e in EXERCISE_IDS if e in exercises))


def load_assignment(path: str | Path | None) -> Assignment:
    """Defaults, then the file (if any), then the seed from the environment."""
    assignment = Assignment()
    if path is not None:
        assignment = _from_file(Path(path))
    env = os.environ.get(SEED_ENV)
    if env:
        assignment = replace(assignment, seed=parse_seed(env, SEED_ENV))
    return assignment


def parse_seed(raw: Any, where: str = "--seed") -> int:
    try:
        seed = int(str(raw), 0)
    except ValueError:
        raise AssignmentError(f"{where}: {raw!r} is not an integer seed") from None
    if not 0 <= seed < SEED_LIMIT:
        raise AssignmentError(f"{where}: the seed must be between 0 and 2**63 - 1")
    return seed


def _deadline(data: dict[str, Any], path: Path) -> Deadline | None:
    if "deadline" not in data:
        return None
    try:
        return parse_deadline(data["deadline"], str(path))
    except DeadlineError as exc:
        raise AssignmentError(str(exc)) from None


def _from_file(path: Path) -> Assignment:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AssignmentError(f"assignment file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AssignmentError(f"assignment file {path} is not valid TOML: {exc}") from None
    points = data.get("points", {})
    if not isinstance(points, dict) or not all(
        isinstance(v, int | float) and v >= 0 for v in points.values()
    ):
        raise AssignmentError(f"{path}: [points] must map exercise ids to non-negative numbers")
    chosen = tuple(data.get("exercises", points.keys() or EXERCISE_IDS))
    lang = data.get("lang", DEFAULT_LANG)
    if lang not in LANGUAGES:
        raise AssignmentError(f"{path}: lang must be one of {', '.join(LANGUAGES)}")
    if "reveal_hidden" in data:  # it would show every student the hidden cases
        raise AssignmentError(
            f"{path}: reveal_hidden is a TA's option (--reveal-hidden), not an assignment "
            f'setting; to show hidden cases after grading, set hidden_visibility = "published"'
        )
    level = data.get("hidden_visibility", DEFAULT_LEVEL)
    if level not in LEVELS:
        raise AssignmentError(f"{path}: hidden_visibility must be one of {', '.join(LEVELS)}")
    seed = data.get("seed")
    share = data.get("public_share", PUBLIC_SHARE)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
        raise AssignmentError(f"{path}: public_share must be a number from 0 to 1")
    assignment = Assignment(
        points=dict(points),
        seed=None if seed is None else parse_seed(seed, f"{path}: seed"),
        per_student=bool(data.get("per_student", False)),
        hidden_visibility=level,
        lang=lang,
        title=str(data.get("title", "")),
        deadline=_deadline(data, path),
        public_share=float(share),
    )
    try:
        return assignment.only(tuple(chosen))
    except AssignmentError as exc:
        raise AssignmentError(f"{path}: {exc}") from None
