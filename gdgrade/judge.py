"""What one call produced and how it was judged, before scoring (input to diagnose and score)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdgrade.case import CallOutcome, Case
from gdgrade.compare import Comparison, compare
from gdgrade.contract import BY_NAME
from gdgrade.expectation import Expectation


@dataclass(frozen=True)
class CaseRun:
    expectation: Expectation
    outcome: CallOutcome
    comparison: Comparison

    @property
    def case(self) -> Case:
        return self.expectation.case

    @property
    def returned(self) -> bool:
        return self.outcome.status == "returned"

    @property
    def modified_inputs(self) -> tuple[int, ...]:
        """Arguments changed in place and not given back (beyond a last-bit restore)."""
        return tuple(i for i, size in self._mutations() if size > _restore_slack(self.case.args[i]))

    @property
    def restored_inputs(self) -> tuple[int, ...]:
        """Arguments changed in place and restored by arithmetic, up to the last bits."""
        return tuple(
            i for i, size in self._mutations() if size <= _restore_slack(self.case.args[i])
        )

    def _mutations(self) -> Iterator[tuple[int, float]]:
        o = self.outcome
        sizes = o.mutated_max_abs or (float("inf"),) * len(o.mutated_args)
        return zip(o.mutated_args, sizes, strict=True)


def _restore_slack(arg: Any) -> float:
    """What x += h; x -= h can leave behind: a few units in the last place."""
    scale = float(np.max(np.abs(np.asarray(arg, dtype=float)), initial=0.0))
    return 64 * np.finfo(float).eps * (1.0 + scale)


def judge(expectation: Expectation, outcome: CallOutcome) -> CaseRun:
    """Compare a returned value with the target (or an accepted alternative, whichever is
    nearest); calls that returned nothing compare as missing."""
    if outcome.status != "returned" or outcome.value is None:
        return CaseRun(expectation, outcome, Comparison("missing"))
    e = expectation
    path_part = BY_NAME[e.case.exercise].path_part
    comparisons = [
        compare(target, outcome.value, e.part_names, e.tolerances, path_part)
        for target in (e.target, *e.alternatives)
    ]
    best = next((c for c in comparisons if c.ok), comparisons[0])
    return CaseRun(expectation, outcome, best)
