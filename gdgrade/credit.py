"""One credit policy for the mistakes that occur in several exercises: the same mistake keeps
the same share of an exercise's points wherever it occurs.

Without it, partial credit follows the returned parts: a path that includes x0 keeps 2/3 of
`gradient_descent` (x_opt and f_opt are right) but nothing of `momentum_descent` (the path
is all it returns), although the update itself is right in both. The table below is the
single statement of the policy; the README quotes it (a test keeps the two equal).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gdgrade.diagnose import Diagnosis
from gdgrade.judge import CaseRun


@dataclass(frozen=True)
class Share:
    kept: float  # the fraction of the exercise's points the mistake keeps
    why: str


SHARES: dict[str, Share] = {
    "path_includes_start": Share(0.75, "every update is right; only the path's bookkeeping is off"),
    "path_before_update": Share(0.75, "every update is right; only the path's bookkeeping is off"),
    "off_by_one_iterations": Share(
        0.75, "every update is right; the loop runs once too few or too many"
    ),
    "f_opt_wrong_point": Share(0.75, "the descent is right; f_opt is taken at another point"),
    "early_stop": Share(0.5, "every update is right, but the run stops before the given count"),
    "grad_factor_2": Share(
        0.5, "the gradient points the right way; its size is twice the contract's"
    ),
    "sum_not_mean": Share(0.5, "the gradient points the right way; its size grows with m"),
    "mean_over_m": Share(0.5, "the gradient points the right way; its size shrinks with m"),
    "learning_rate_ignored": Share(
        0.25, "the algorithm runs, but an input of the contract is ignored"
    ),
    "sign_ascent": Share(0.0, "it climbs instead of descending: the exercise's central idea"),
}


def kept_share(runs: Sequence[CaseRun], diagnoses: Sequence[Diagnosis]) -> float | None:
    """The share of the exercise kept when the named mistakes are all in the table and
    explain every failing case (two of them keep the product of their shares); None
    when the case-by-case credit applies."""
    named = [d for d in diagnoses if d.severity == "mistake"]
    if not named or any(d.id not in SHARES or "of" not in d.evidence for d in named):
        return None  # "of": the whole answer was reproduced (a variant, a pair, a rule), not
        # one part of it seen wrong (f_opt against f(x_opt) says nothing of the path)
    failing = {r.case.id for r in runs if not (r.returned and r.comparison.ok)}
    covered = {case_id for d in named for case_id in d.evidence.get("cases", ())}
    if not failing or not failing <= covered:
        return None
    return math.prod(SHARES[i].kept for i in {d.id for d in named})


def table_markdown() -> str:
    """The policy as the README shows it."""
    rows = ["| mistake | share kept | why |", "|---|--:|---|"]
    for mistake_id, share in SHARES.items():
        rows.append(f"| `{mistake_id}` | {share.kept:.0%} | {share.why} |")
    return "\n".join(rows)
