"""What one call produced and how it was judged, before scoring (input to diagnose and score)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .compare import Comparison, compare
from .expected import Expectation
from .mistakes import Severity
from .model import CallOutcome


@dataclass(frozen=True)
class CaseRun:
    expectation: Expectation
    outcome: CallOutcome
    comparison: Comparison

    @property
    def case(self):
        return self.expectation.case

    @property
    def returned(self) -> bool:
        return self.outcome.status == "returned"


@dataclass(frozen=True)
class Diagnosis:
    """A recognised mistake (or, severity 'info', an accepted style) with its evidence.

    `evidence` holds facts (case ids, counts, measured numbers), never prose: the report
    renders it in the reader's language.
    """

    id: str
    severity: Severity
    evidence: dict[str, Any] = field(default_factory=dict)


def judge(expectation: Expectation, outcome: CallOutcome) -> CaseRun:
    """Compare a returned value with the target (or an accepted alternative, whichever is
    nearest); calls that returned nothing compare as missing."""
    if outcome.status != "returned" or outcome.value is None:
        return CaseRun(expectation, outcome, Comparison("missing"))
    e = expectation
    comparisons = [
        compare(target, outcome.value, e.part_names, e.tolerances)
        for target in (e.target, *e.alternatives)
    ]
    best = next((c for c in comparisons if c.ok), comparisons[0])
    return CaseRun(expectation, outcome, best)
