"""The public cases' expectations, from the trusted grader or from data shipped to students.

`gdgrade check` judges a submission on the public cases only. In the full install their
expected values, tolerances and the known mistakes' outputs are computed from
`reference/`. The student release has no `reference/`: it ships the same expectations,
computed once by the release builder, as plain JSON (`public_expectations.json` in each
exercise's data folder). Public cases are public, so their mistake outputs are data the
students may see; no code of the reference or of the mistakes is shipped.

Both sources give identical `Expectation` values (`values.encode` round-trips floats
exactly), so both installs give the same verdicts.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from functools import cache
from importlib import resources
from typing import Any

from gdgrade.contract import BY_NAME
from gdgrade.expectation import Expectation, from_json, to_json

STORED_NAME = "public_expectations.json"


def stored_path(exercise: str) -> Any:
    return resources.files("gdgrade.exercises") / BY_NAME[exercise].folder / STORED_NAME


def has_stored(exercise: str) -> bool:
    return stored_path(exercise).is_file()


@cache
def public_expectations(exercise: str) -> tuple[Expectation, ...]:
    """Stored expectations when this install has them (the release), else computed from
    the reference and kept in the grader's cache."""
    if has_stored(exercise):
        return load(json.loads(stored_path(exercise).read_text(encoding="utf-8")))
    trusted_cache = importlib.import_module("grader.case_cache")  # full install only
    return trusted_cache.cached("public", exercise, lambda: computed(exercise))


def computed(exercise: str) -> tuple[Expectation, ...]:
    """From the reference implementations. Only the full install has the module that
    computes them; the release ships stored expectations and never reaches this."""
    from gdgrade.exercise_data import public_cases

    trusted = importlib.import_module("grader.expected")  # not shipped in the release
    return trusted.expectations(public_cases(exercise))


# --- JSON form --------------------------------------------------------------------------


def dump(exercise: str, items: tuple[Expectation, ...]) -> dict[str, Any]:
    """The stored form of one exercise's public expectations; refuses hidden cases."""
    hidden = [e.case.id for e in items if e.case.visibility != "public"]
    if hidden:
        raise ValueError(f"hidden cases must never be stored for students: {hidden}")
    return to_json(exercise, items)


def load(data: dict[str, Any]) -> tuple[Expectation, ...]:
    return from_json(data)
