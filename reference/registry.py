"""One registry for the correct functions and the known-mistake variants.

The grader runs every variant on the same cases as the reference, so a student whose
outputs match a variant (and not the reference) can be told which mistake they made.
Variants are found by exercise and by their stable mistake id (the ids of gdgrade.mistakes
and of the locale catalogues' `mistakes`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gdgrade.contract import EXERCISE_IDS
from gdgrade.mistakes import Severity

EXERCISES: tuple[str, ...] = EXERCISE_IDS  # the registry: exercises/NN_id/exercise.json

Kind = Severity  # "mistake", or "info" for an accepted style (gdgrade.mistakes)


@dataclass(frozen=True)
class Variant:
    """A function that reproduces one known mistake (or, for kind 'info', an accepted style)."""

    exercise: str
    mistake_id: str
    label: str
    fn: Callable[..., Any]
    kind: Kind = "mistake"


REFERENCE: dict[str, Callable[..., Any]] = {}
VARIANTS: list[Variant] = []


def correct(exercise: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the reference implementation of one contract function."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if exercise not in EXERCISES:
            raise ValueError(f"unknown exercise {exercise!r}")
        REFERENCE[exercise] = fn
        return fn

    return register


def variant(
    exercise: str, mistake_id: str, label: str = "", kind: Kind = "mistake"
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a known-mistake variant under its stable mistake id."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if exercise not in EXERCISES:
            raise ValueError(f"unknown exercise {exercise!r}")
        VARIANTS.append(Variant(exercise, mistake_id, label or fn.__name__, fn, kind))
        return fn

    return register


def variants_for(exercise: str, kind: Kind | None = None) -> list[Variant]:
    """All variants of one exercise, in registration order."""
    return [v for v in VARIANTS if v.exercise == exercise and (kind is None or v.kind == kind)]


def variants_by_id(exercise: str, mistake_id: str) -> list[Variant]:
    """The variants that reproduce one mistake id (some ids have several forms)."""
    return [v for v in variants_for(exercise) if v.mistake_id == mistake_id]
