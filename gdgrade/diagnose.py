"""Recognise the classic mistakes — pure: from the case runs to a list of diagnoses.

A diagnosis is attached when the student's outputs match a mistake variant's on the cases
where that variant and the reference differ, or when the behaviour is seen directly
(an exception, a timeout, None returned, an input changed, the given h ignored).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gdgrade.case import LoadReport
from gdgrade.compare import Tolerance, as_float_array, compare
from gdgrade.contract import BY_NAME
from gdgrade.exercise_data import load_exercise
from gdgrade.function_specs import FunctionSpec
from gdgrade.judge import CaseRun
from gdgrade.mistakes import RNG_IDS, Severity, severity


# What the trusted side adds when nothing here explains a failing exercise (grader.explain:
# two mistakes at once, the rule the path follows). It needs reference/, so the student's
# checker, which ships without it, diagnoses without it.
@dataclass(frozen=True)
class Diagnosis:
    """A recognised mistake (or, severity 'info', an accepted style) with its evidence.

    `evidence` holds facts (case ids, counts, measured numbers), never prose: the report
    renders it in the reader's language.
    """

    id: str
    severity: Severity
    evidence: dict[str, Any] = field(default_factory=dict)


Explainer = Callable[[str, Sequence[CaseRun]], list[Diagnosis]]

# How much of the evidence must agree before a variant is named: a student function may
# differ from a variant on inputs where it also fails for other reasons.
MATCH_FRACTION = 0.75
VARIANT_MATCH_FD = Tolerance(rtol=1e-7, atol=1e-10)
_STATUS_IDS = {"raised": "raises", "timeout": "timeout", "memory": "memory", "crashed": "crashed"}
FIXED_STEPS = tuple(10.0**-k for k in range(1, 11))
# Mistakes with more than one variant, whose report says which (evidence "form": the label).
LABELLED = ("momentum_form", "off_by_one_iterations")


def diagnose(
    exercise: str,
    runs: Sequence[CaseRun],
    load: LoadReport,
    source: str = "",
    explain: Explainer | None = None,
) -> tuple[Diagnosis, ...]:
    if runs and all(r.outcome.status == "missing" for r in runs):
        return (_missing(exercise, load, source),)
    found: list[Diagnosis] = []
    found += _behaviour(runs)
    variants = _variants(exercise, runs)
    if exercise == "numerical_gradient":
        variants += _return_in_loop(runs)
    if not _named(variants):
        variants += _early_stop(exercise, runs)  # one update too few is also a prefix
    if not _named(variants) and explain is not None and failing(runs):
        variants += explain(exercise, runs)
    found += variants
    if exercise in ("numerical_derivative", "numerical_gradient"):
        found += _scheme(runs)
    if exercise == "gradient_descent":
        found += _f_opt(runs)
    if load_exercise(exercise).rng_fallback and not any(d.id not in RNG_IDS for d in variants):
        found += _rng(exercise, runs, [d.id for d in variants])
    if any(d.id not in ("wrong_shape", "raises") for d in variants):
        found = [d for d in found if d.id != "wrong_shape"]  # a named mistake explains the shape
    if any(d.id == "return_in_loop" for d in found):  # the step is used, on one coordinate
        found = [d for d in found if d.id != "step_ignored"]
    return _unique(found)


def _named(found: Sequence[Diagnosis]) -> bool:
    return any(d.severity == "mistake" and d.id != "wrong_shape" for d in found)


def failing(runs: Sequence[CaseRun]) -> list[CaseRun]:
    """The cases answered with a value that does not match."""
    return [r for r in runs if r.returned and r.outcome.value is not None and not r.comparison.ok]


def _unique(found: list[Diagnosis]) -> tuple[Diagnosis, ...]:
    """One diagnosis per id; evidence found by several rules is merged."""
    seen: dict[str, Diagnosis] = {}
    for d in found:
        if d.id in seen:
            d = Diagnosis(d.id, d.severity, seen[d.id].evidence | d.evidence)
        seen[d.id] = d
    return tuple(seen.values())


def _missing(exercise: str, load: LoadReport, source: str) -> Diagnosis:
    broken = [p for p in load.problems if p.kind == "syntax_error"]
    if broken and f"def {exercise}" in source:
        p = broken[0]
        return Diagnosis("syntax_error", "mistake", {"line": p.line, "cell": p.cell})
    return Diagnosis("not_defined", "mistake", {})


def _case_ids(runs: Sequence[CaseRun]) -> list[str]:
    return [r.case.id for r in runs]


def _behaviour(runs: Sequence[CaseRun]) -> list[Diagnosis]:
    found: list[Diagnosis] = []
    by_status: dict[str, list[CaseRun]] = {}
    for r in runs:
        by_status.setdefault(r.outcome.status, []).append(r)
    for status, mistake_id in _STATUS_IDS.items():
        hit = by_status.get(status, [])
        if hit:
            first = hit[0].outcome
            evidence = {"cases": _case_ids(hit), "of": len(runs)}
            if status == "raised":
                evidence |= {"error_type": first.error_type, "message": first.error_message}
            found.append(Diagnosis(mistake_id, "mistake", evidence))
    none = [r for r in by_status.get("returned", []) if r.outcome.value is None]
    if none:
        printed = any(r.outcome.stdout.strip() for r in none)
        found.append(
            Diagnosis("returns_none", "mistake", {"cases": _case_ids(none), "printed": printed})
        )
    shaped = [
        r
        for r in runs
        if r.outcome.status == "bad_return"
        or (r.returned and r.outcome.value is not None and r.comparison.kind in _SHAPE_KINDS)
    ]
    if shaped:
        found.append(Diagnosis("wrong_shape", "mistake", _shape_evidence(shaped)))
    params = BY_NAME[runs[0].case.exercise].params if runs else ()
    inputs: tuple[tuple[str, Severity, str], ...] = (
        ("mutates_input", "mistake", "modified_inputs"),
        ("restored_input", "info", "restored_inputs"),
    )
    for mistake_id, severity_, which in inputs:
        hit = [r for r in runs if getattr(r, which)]
        if hit:
            names = sorted({params[i] for r in hit for i in getattr(r, which)})
            evidence = {"cases": _case_ids(hit), "arguments": names}
            found.append(Diagnosis(mistake_id, severity_, evidence))
    return found


_SHAPE_KINDS = ("type", "arity", "shape")


def _shape_evidence(shaped: Sequence[CaseRun]) -> dict[str, Any]:
    r = shaped[0]
    c = r.comparison
    evidence: dict[str, Any] = {"cases": _case_ids(shaped), "kind": c.kind}
    if r.outcome.status == "bad_return":
        evidence |= {"kind": "type", "got_type": r.outcome.error_type}
    elif c.kind == "arity":
        evidence |= {"got": c.got_arity, "expected": c.expected_arity}
    elif c.first_failure is not None:
        p = c.first_failure
        evidence |= {"part": p.part, "got": p.got_shape or p.got_type, "expected": p.expected_shape}
    return evidence


# --- matching the known-mistake variants ---------------------------------------------


def student_matches(run: CaseRun, value: Any) -> bool:
    """The student's answer equals this variant value (to the variant-matching tolerance)."""
    e = run.expectation
    if load_exercise(run.case.exercise).tolerance["kind"] == "finite_difference":
        tolerances: tuple[Tolerance, ...] = (VARIANT_MATCH_FD,)
    else:
        tolerances = e.tolerances
    return compare(value, run.outcome.value, e.part_names, tolerances).ok


def variant_differs(run: CaseRun, value: Any) -> bool:
    """This variant value would fail the case."""
    e = run.expectation
    return value is not None and not compare(e.target, value, e.part_names, e.tolerances).ok


def _variants(exercise: str, runs: Sequence[CaseRun]) -> list[Diagnosis]:
    found: list[Diagnosis] = []
    answered = [r for r in runs if r.returned and r.outcome.value is not None]
    if all(r.comparison.ok for r in answered):  # a mistake is only named from a failing case
        return found
    mistake_ids = sorted(
        {v.mistake_id for r in answered for v in r.expectation.variants if v.kind == "mistake"}
    )
    for mistake_id in mistake_ids:
        telling, matched = [], []
        for r in answered:
            values = [v.value for v in r.expectation.variants if v.mistake_id == mistake_id]
            differing = [v for v in values if variant_differs(r, v)]
            if not differing:
                continue
            telling.append(r)
            if not r.comparison.ok and any(student_matches(r, v) for v in differing):
                matched.append(r)
        if matched and len(matched) >= MATCH_FRACTION * len(telling):
            evidence = {"cases": _case_ids(matched), "of": len(telling)}
            if mistake_id in LABELLED:
                evidence["form"] = _form(matched, mistake_id)
            found.append(Diagnosis(mistake_id, severity(mistake_id), evidence))
    return found


def _form(matched: Sequence[CaseRun], mistake_id: str) -> str:
    """Which variant of the mistake (by its label) reproduces the most matched cases."""
    counts: dict[str, int] = {}
    for r in matched:
        for v in r.expectation.variants:
            if v.mistake_id == mistake_id and v.value is not None and student_matches(r, v.value):
                counts[v.label] = counts.get(v.label, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else ""


# --- seen directly: a return inside the loop, a loop that stops early ------------------


def _return_in_loop(runs: Sequence[CaseRun]) -> list[Diagnosis]:
    """Only the first partial is right and the others are still zero, on every failing
    case that has other non-zero partials."""
    telling, matched = [], []
    for r in runs:
        exact = as_float_array(r.expectation.exact)
        got = as_float_array(r.outcome.value) if r.returned else None
        if exact is None or exact.size < 2 or not np.any(exact.ravel()[1:]) or r.comparison.ok:
            continue
        telling.append(r)
        if got is None or got.shape != exact.shape:
            continue
        first = float(got.ravel()[0])
        schemes = [
            as_float_array(v) for v in (r.expectation.reference, *r.expectation.alternatives)
        ]
        first_ok = math.isclose(first, exact.ravel()[0], rel_tol=1e-3, abs_tol=1e-6) or any(
            v is not None and math.isclose(first, v.ravel()[0], rel_tol=1e-6) for v in schemes
        )
        if first_ok and not np.any(got.ravel()[1:]):
            matched.append(r)
    if matched and len(matched) >= MATCH_FRACTION * len(telling):
        return [
            Diagnosis(
                "return_in_loop", "mistake", {"cases": _case_ids(matched), "of": len(telling)}
            )
        ]
    return []


_PATH_PART = {"gradient_descent": 2, "batch_gradient_descent": 1, "sgd": 1, "minibatch_gd": 1}


def _early_stop(exercise: str, runs: Sequence[CaseRun]) -> list[Diagnosis]:
    """The path is a strict prefix of the reference's (4, 6-9): the loop stopped early.
    (Regression returns no path: grader.explain compares it with the earlier iterates.)"""
    if exercise not in (*_PATH_PART, "momentum_descent"):
        return []
    return stopped_early(runs, lambda r: _path_prefix(exercise, r))


def stopped_early(runs: Sequence[CaseRun], stopped: Callable[[CaseRun], bool]) -> list[Diagnosis]:
    """early_stop, when enough failing cases stopped where the reference stood earlier."""
    wrong = failing(runs)
    matched = [r for r in wrong if stopped(r)]
    if matched and len(matched) >= MATCH_FRACTION * len(wrong):
        return [Diagnosis("early_stop", "mistake", {"cases": _case_ids(matched), "of": len(wrong)})]
    return []


def _path_prefix(exercise: str, run: CaseRun) -> bool:
    e = run.expectation
    tol = e.tolerances[-1]
    try:
        part = _PATH_PART.get(exercise)
        got = as_float_array(run.outcome.value if part is None else run.outcome.value[part])
        want = as_float_array(e.reference if part is None else e.reference[part])
    except (TypeError, IndexError, KeyError):
        return False
    if got is None or want is None or got.ndim == 0 or not 0 < len(got) < len(want):
        return False
    prefix = want[: len(got)]
    if got.size != prefix.size:
        return False
    with np.errstate(all="ignore"):
        return bool(np.all(np.abs(got.reshape(prefix.shape) - prefix) <= tol.bound(prefix)))


# --- finite differences: which scheme, and is h used ---------------------------------


def _scheme(runs: Sequence[CaseRun]) -> list[Diagnosis]:
    """Probe series (same f and x, several h): which scheme, or is h ignored."""
    series: dict[str, list[CaseRun]] = {}
    for r in runs:
        if "probe" in r.case.tags and r.returned:
            f, x, _ = r.case.args
            series.setdefault(f"{f.exprs}@{np.asarray(x).tolist()}", []).append(r)
    verdicts = [_scheme_of(group) for group in series.values() if len(group) >= 3]
    for verdict in verdicts:  # a step of one's own shows in any series
        if any(d.id == "step_ignored" for d in verdict):
            return verdict
    named = [v for v in verdicts if v]
    return named[0] if named else []


def _scheme_of(probes: Sequence[CaseRun]) -> list[Diagnosis]:
    read = [as_float_array(r.outcome.value) for r in probes]
    values = [v for v in read if v is not None]
    if len(values) < len(read) or any(v.size == 0 or v.shape != values[0].shape for v in values):
        return []  # nothing to read a scheme from (an empty return is the student's)
    first = [float(v.ravel()[0]) for v in values]
    f, x, _ = probes[0].case.args
    known = probes[0].expectation.exact
    exact = float(np.ravel(known if known is not None else f.derivative()(x))[0])
    reference = [float(np.ravel(r.expectation.reference)[0]) for r in probes]
    if _constant(first) and not _constant(reference):  # the given h would have moved it
        return _ignored_step(f, x, first[0], exact)
    hs = np.array([r.case.args[2] for r in probes], dtype=float)
    errors = np.abs(np.array(first) - exact)
    if np.any(errors == 0) or not np.all(np.isfinite(errors)):
        return []
    order = float(np.polyfit(np.log(hs), np.log(errors), 1)[0])
    evidence = {"order": round(order, 2), "steps": hs.tolist()}
    if order > 1.5:
        return [Diagnosis("central_difference", "info", evidence)]
    if order > 0.5:
        forward = _one_sided_distance(probes, "forward_difference")
        backward = _one_sided_distance(probes, "backward_difference")
        scheme = "forward_difference" if forward <= backward else "backward_difference"
        return [Diagnosis(scheme, "info", evidence)]
    return []


def _constant(values: Sequence[float]) -> bool:
    return max(abs(v - values[0]) for v in values) <= 1e-12 * (1 + abs(values[0]))


def _one_sided_distance(probes: Sequence[CaseRun], scheme: str) -> float:
    total = 0.0
    for r in probes:
        for v in r.expectation.variants:
            if v.mistake_id == scheme and v.value is not None:
                got = np.ravel(np.asarray(r.outcome.value, dtype=float))
                total += float(np.abs(got - np.ravel(np.asarray(v.value, dtype=float))).sum())
    return total


def _difference(f: FunctionSpec, x: Any, h: float, scheme: str) -> float:
    x0 = np.asarray(x, dtype=float)
    e = np.zeros_like(x0) if x0.ndim else np.float64(1.0)
    if x0.ndim:
        e[0] = 1.0
    with np.errstate(all="ignore"):
        if scheme == "central":
            return float((f(x0 + h * e) - f(x0 - h * e)) / (2 * h))
        if scheme == "forward":
            return float((f(x0 + h * e) - f(x0)) / h)
        return float((f(x0) - f(x0 - h * e)) / h)


def _ignored_step(f: FunctionSpec, x: Any, value: float, exact: float) -> list[Diagnosis]:
    """The answer does not move with h: find the fixed step the student used, if any."""
    for step in FIXED_STEPS:
        for scheme in ("central", "forward", "backward"):
            guess = _difference(f, x, step, scheme)
            if math.isclose(guess, value, rel_tol=1e-9, abs_tol=1e-12):
                evidence = {"step": step, "scheme": scheme}
                found = [Diagnosis("step_ignored", "mistake", evidence)]
                if step < 1e-8:
                    found.append(Diagnosis("cancellation", "mistake", evidence))
                return found
    found = [Diagnosis("step_ignored", "mistake", {})]
    if abs(value - exact) > 1e-6 * (1 + abs(exact)):
        found.append(Diagnosis("cancellation", "mistake", {"error": abs(value - exact)}))
    return found


# --- gradient_descent: f_opt must be f(x_opt) ----------------------------------------


def _f_opt(runs: Sequence[CaseRun]) -> list[Diagnosis]:
    wrong = []
    for r in runs:
        value = r.outcome.value
        if not (r.returned and isinstance(value, list | tuple) and len(value) == 3):
            continue
        x_opt, f_opt = as_float_array(value[0]), as_float_array(value[1])
        if x_opt is None or f_opt is None or f_opt.size != 1:
            continue
        f = r.case.args[0]
        at_x = float(np.asarray(f(x_opt if x_opt.ndim else float(x_opt)), dtype=float))
        got = float(f_opt.ravel()[0])
        if math.isfinite(at_x) and not math.isclose(got, at_x, rel_tol=1e-6, abs_tol=1e-9):
            wrong.append(r)
    if wrong:
        return [Diagnosis("f_opt_wrong_point", "mistake", {"cases": _case_ids(wrong)})]
    return []


# --- sgd / mini-batch: judged on the loss reached when the rng protocol is not kept --


def loss_reached(run: CaseRun, loss_rtol: float) -> bool:
    """The student's final weights reach a loss that the reference reaches with some other
    shuffle (within the stated relative band): it learned, only along another path."""
    from gdgrade.losses import loss

    X, y, w0 = run.case.args[0], run.case.args[1], run.case.args[2]
    value = run.outcome.value
    spread = run.expectation.loss_range
    if spread is None or not (run.returned and isinstance(value, list | tuple) and len(value) == 2):
        return False
    w = as_float_array(value[0])
    if w is None or w.shape != np.shape(w0) or not np.all(np.isfinite(w)):
        return False
    slack = 1e-9 * (1 + loss(X, y, np.asarray(w0, dtype=float)))
    got = loss(X, y, w)
    low, high = spread
    return low * (1 - loss_rtol) - slack <= got <= high * (1 + loss_rtol) + slack


def _final_weights_match(run: CaseRun) -> bool:
    parts = run.comparison.parts
    return bool(parts) and parts[0].part == "w" and parts[0].ok


def _rng(exercise: str, runs: Sequence[CaseRun], named: list[str]) -> list[Diagnosis]:
    fallback = load_exercise(exercise).rng_fallback
    assert fallback is not None
    # only where the final weights differ: matching weights mean the shuffles were kept
    failing = [r for r in runs if r.returned and not _final_weights_match(r)]
    if not failing:
        return []
    reached = [r for r in failing if loss_reached(r, fallback.loss_rtol)]
    evidence = {"reached": _case_ids(reached), "of": len(failing), "band": fallback.loss_rtol}
    if named:  # no_shuffle / shuffle_once: already named; record what they reach
        return [Diagnosis(i, "mistake", evidence) for i in named if i in RNG_IDS]
    if len(reached) >= min(fallback.seeds, len(failing)) and len(reached) >= 1:
        return [Diagnosis("ignores_rng", "mistake", evidence)]
    return []
