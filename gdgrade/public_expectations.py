"""The public cases' expectations, stored as data beside each exercise.

`gdgrade check` judges a submission on the public cases only. Their expected values,
tolerances and the known mistakes' outputs are computed once from `reference/` by the
instructor's builder (`python exercises/build.py`) and stored in each exercise's folder as
`public_expectations.json`. Every install reads that same file — the full one and the
student release — so both give the same verdicts, and the student package never needs the
instructor's code. Public cases are public, so their mistakes' outputs are data students may
see; no code of the reference or of the mistakes ships. Hidden cases are never stored.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from gdgrade.contract import BY_NAME
from gdgrade.expectation import Expectation, from_json, to_json

STORED_NAME = "public_expectations.json"


def stored_path(exercise: str) -> Any:
    return resources.files("gdgrade.exercises") / BY_NAME[exercise].folder / STORED_NAME


@cache
def public_expectations(exercise: str) -> tuple[Expectation, ...]:
    """What each public case of `exercise` expects, as the builder stored it."""
    return load(json.loads(stored_path(exercise).read_text(encoding="utf-8")))


def dump(exercise: str, items: tuple[Expectation, ...]) -> dict[str, Any]:
    """The stored form of one exercise's public expectations; refuses hidden cases."""
    hidden = [e.case.id for e in items if e.case.visibility != "public"]
    if hidden:
        raise ValueError(f"hidden cases must never be stored for students: {hidden}")
    return to_json(exercise, items)


def load(data: dict[str, Any]) -> tuple[Expectation, ...]:
    return from_json(data)
