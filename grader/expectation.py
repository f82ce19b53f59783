"""What a case expects of a student's answer, as data: the judging side reads it, and it
can be stored (the student release ships it) — computing it is grader.expected's job."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .compare import Tolerance
from .contract import BY_NAME
from .model import Case


@dataclass(frozen=True)
class VariantResult:
    mistake_id: str
    label: str
    kind: str  # "mistake" | "info"
    value: Any  # None when the variant itself raised on these arguments


@dataclass(frozen=True)
class Expectation:
    case: Case
    reference: Any
    target: Any
    tolerances: tuple[Tolerance, ...]
    variants: tuple[VariantResult, ...]
    alternatives: tuple[Any, ...] = ()  # other accepted answers (another difference scheme)
    loss_range: tuple[float, float] | None = None  # final losses the reference reaches with
    # other shuffles (rng exercises only): what a result that breaks the protocol must reach

    @property
    def part_names(self) -> tuple[str, ...]:
        return BY_NAME[self.case.exercise].returns
